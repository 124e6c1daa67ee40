import Foundation
import ClinicModel
import ClinicXML

/// What `knot migrate-store` moved.
public struct StoreMigrationSummary: Sendable, Codable {
    /// The store the clinic was read from (a file path, or a `postgres://` URL without secrets).
    public var from: String
    /// The store it is in now.
    public var to: String
    /// Accounts moved.
    public var practitioners: Int
    /// Patients moved.
    public var patients: Int
    /// Visits moved.
    public var visits: Int
    /// Referrals moved.
    public var referrals: Int
    /// Audit events carried over (the source's trail, hashes unchanged).
    public var auditEvents: Int
    /// Events in the target's trail once moved, all verified: the carried ones and the move's own.
    public var auditEventsVerified: Int
    /// The target trail's head hash after the move (`knot audit anchor` there prints the same).
    public var headHash: String
    /// Damage moved around rather than refused (as `knot export` reports it; `knot check` names it).
    public var warnings: [String] = []
}

/// Why `knot migrate-store` moved nothing: what the clinic held would not have arrived whole
/// (records changed outside Knot, a trail that does not chain, counts that differ).
public struct StoreMoveRefused: Error, Sendable, CustomStringConvertible {
    /// What was wrong, ending with what was (not) left behind.
    public var reason: String
    public var description: String { reason }
}

/// Where `knot migrate-store` is, for a progress line.
public enum StoreMigrationProgress: Sendable, Equatable {
    /// Reading the clinic out of the current store: patients read, of how many.
    case exporting(done: Int, of: Int)
    /// Writing it into the new store: patients written, of how many.
    case importing(done: Int, of: Int)
    /// Checking the new store's audit trail, before its transaction commits.
    case verifying
}

extension ClinicSession {
    /// Moves the whole clinic from this session's store to an empty one at `location` (an SQLite
    /// path or a `postgres://` URL), keeping ids and the audit trail (the same hashes), in one
    /// step: a whole-clinic export to a private scratch file (one consistent snapshot), imported
    /// into the target in one transaction whose audit trail is checked link by link before it
    /// commits and verified (with SQLite's keyed seals) after. What is written to the current
    /// store after the snapshot is not moved: the clinic moves while nobody works.
    ///
    /// Refused, creating nothing, when the target already holds a clinic (`NewClinicTarget`).
    /// Nothing half-written on failure: the import is one transaction (rolled back), a new SQLite
    /// file is removed again, and the scratch export is always deleted. The current store is
    /// only read (and gains its `export` audit event); Knot keeps using it until the user points
    /// `--database`/`KNOT_DATABASE` at the new one. Records changed outside Knot since their
    /// audited write are refused by the import's origin check, naming them (`knot audit verify`).
    ///
    /// - Parameters:
    ///   - location: where the clinic goes.
    ///   - scratchFolder: where the private export is made (a new 0700 folder inside it, removed
    ///     afterwards, unless the process is killed midway); it needs room for one export.
    ///   - progress: told, on this thread, how far the move is.
    public func migrateStore(to location: String, scratchFolder: String = NSTemporaryDirectory(),
                             progress: ((StoreMigrationProgress) -> Void)? = nil) throws -> StoreMigrationSummary {
        try authorize(.moveClinic)
        let target = try NewClinicTarget.open(location, purpose: "`knot migrate-store`")
        var moved = false
        defer { if !moved { target.discard() } }
        let scratch = try Self.privateFolder(in: scratchFolder)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let file = (scratch as NSString).appendingPathComponent("clinic-export.xml")

        let exported = try export(to: file, includeAudit: true) { done, total in progress?(.exporting(done: done, of: total)) }
        let sha = try LetterDigest.sha256Hex(fileAt: file)
        // Streamed from disk in flat memory (the size cap is for letters read whole).
        let reader = try RecordsImportReader(contentsOfFile: file, fileName: "clinic-export.xml")
        let mover = ClinicSession.maintenance(database: target.store, actor: actor, logger: logger)
        let outcome: ImportOutcome
        do { outcome = try mover.importRecords(
            reader, file: "clinic-export.xml", sha: sha, dryRun: false,
            provenance: "moved from \(database.path) by knot migrate-store", intoEmptyOnly: true,
            progress: { stage in if case .patients(let done) = stage { progress?(.importing(done: done, of: exported.patients)) } },
            beforeCommit: { tx, outcome in
                progress?(.verifying)
                guard outcome.patients == exported.patients, outcome.visits == exported.visits else {
                    throw ServiceError.input("the move wrote \(outcome.patients) patients and \(outcome.visits) visits of \(exported.patients) and"
                                             + " \(exported.visits) exported; nothing was moved")
                }
                // The exported trail and the move's own import event, every link holding (the
                // same hashes on either store). Keyed seals, which SQLite writes as the
                // transaction commits, are verified once it has.
                let events = try Self.checkChain(tx)
                guard events == exported.auditEvents + 1 else {
                    throw ServiceError.input("the moved audit trail holds \(events) events, not the \(exported.auditEvents) exported and the move's own; nothing was moved")
                }
            },
            originRefusalHint: " (records changed outside Knot since their audited write: see `knot audit verify`; a move carries only records with their audited origin)")
        } catch ServiceError.input(let why) {
            throw StoreMoveRefused(reason: why)
        }
        progress?(.verifying)
        let verified = try mover.verifyAudit()
        guard verified.isIntact else {
            throw StoreMoveRefused(reason: "the moved audit trail does not verify on \(target.store.path): \(verified.firstProblem ?? ""); "
                                     + (target.removedOnDiscard ? "the new file was removed" : "the database holds the moved clinic: check it with `knot audit verify` before working on it"))
        }
        moved = true
        try? target.store.close()
        return StoreMigrationSummary(from: database.path, to: target.store.path, practitioners: exported.practitioners,
                                     patients: outcome.patients, visits: outcome.visits, referrals: outcome.referrals,
                                     auditEvents: exported.auditEvents, auditEventsVerified: verified.eventsChecked,
                                     headHash: verified.headHash, warnings: exported.warnings + outcome.warnings)
    }

    /// Walks the whole audit trail as `tx` sees it, recomputing every hash and link from the
    /// events (`AuditChain`, the same for both stores); returns how many events it holds, or
    /// throws naming the first that does not chain.
    static func checkChain(_ tx: any ClinicRecordReader) throws -> Int {
        var count = 0
        var previous = AuditChain.genesisHash
        try tx.forEachAudit { record in
            count += 1
            let id = record.event.id ?? 0
            guard id == Int64(count), record.prevHash == previous,
                  AuditChain.hash(id: id, event: record.event, prevHash: record.prevHash) == record.hash else {
                throw ServiceError.input("the moved audit trail does not chain at event \(id); nothing was moved")
            }
            previous = record.hash
        }
        return count
    }

    /// A new folder only this user may enter (0700), inside `parent`.
    static func privateFolder(in parent: String) throws -> String {
        var template = Array(((parent as NSString).appendingPathComponent("knot-migrate-XXXXXX")).utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw FileWriteError(path: parent, reason: String(cString: strerror(errno)), cannotCreate: true)
        }
        return String(cString: made)
    }
}
