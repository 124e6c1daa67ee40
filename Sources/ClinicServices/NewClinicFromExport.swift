import Foundation
import ClinicModel
internal import ClinicStore

/// Why `knot init --from` made no clinic: the export was refused (nothing was left behind).
public struct NewClinicRefused: Error, Sendable, CustomStringConvertible {
    /// What the import of the export said.
    public var outcome: ImportOutcome
    public var description: String {
        "\(outcome.file): \(outcome.detail.split(separator: "\n").joined(separator: "; ")); no clinic was created"
    }
}

extension ClinicSession {
    /// Makes a new clinic database at `path` from a whole-clinic export (urn:knot:records:1) in
    /// one step, keeping the export's ids and audit trail (the import lands in an empty database).
    ///
    /// `path` is a new SQLite file or an empty PostgreSQL database (`NewClinicTarget`). Refused,
    /// creating nothing, when a file is already at `path`, the PostgreSQL database holds a clinic,
    /// or the export is missing; when the import itself is refused the new (empty) SQLite file and
    /// any folder made for it are removed again (on PostgreSQL the one import transaction is
    /// rolled back), so a failed start leaves nothing half-made. A new SQLite clinic is built
    /// under a private name in the same folder, without the WAL and without waiting for the disk
    /// (it is no clinic yet: a crash leaves only that private file, removed by the next try),
    /// then written to the disk and linked into place, never over a file that appeared meanwhile.
    public static func createClinic(at path: String, fromExport export: String, handle: String?,
                                    options: ImportOptions = ImportOptions()) throws -> (ClinicSession, ImportOutcome) {
        guard FileManager.default.fileExists(atPath: export) else { throw ServiceError.input("\(export): no such file") }
        // Refuses a place holding a clinic; on PostgreSQL runs the migrations of an empty database.
        // A new SQLite file is built under a private name beside `path` and renamed into place
        // once whole: until then there is no clinic at `path`, so it is written without the WAL.
        let target = try NewClinicTarget.open(path, purpose: "`knot init --from`",
                                            hint: " (add an export to an existing clinic with `knot import`)", staged: true)
        try? target.store.close()
        let session: ClinicSession
        do { session = try open(path: target.workingLocation, handle: handle, create: true) } catch {
            target.discard(closing: false)
            throw error
        }
        let staged = target.stagingPath != nil ? session.database as? ClinicDatabase : nil
        do {
            _ = try staged?.loadWithoutJournal()
        } catch {
            try? session.database.close()
            target.discard(closing: false)
            throw error
        }
        // A new SQLite clinic under a private name: the indexes of its largest tables are built
        // after the import commits, sorted with temporary storage on disk (flat memory).
        var options = options
        let indexesAfterCommit = staged != nil ? IndexesAfterCommit() : nil
        options.indexesAfterCommit = indexesAfterCommit
        let outcome = session.importFile(export, options: options)
        guard outcome.status == .created else {
            try? session.database.close()
            target.discard(closing: false)
            throw NewClinicRefused(outcome: outcome)
        }
        guard let staged else { return (session, outcome) }
        do {
            try staged.buildIndexesAfterLoad(indexesAfterCommit?.statements ?? [])
            try staged.finishLoad()
            try target.publish()
        } catch {
            try? session.database.close()
            target.discard(closing: false)
            throw error
        }
        // The clinic at its own path (a WAL database again, as every clinic is).
        return (session.reopened(on: try openRecordStore(at: path, create: false, environment: ProcessInfo.processInfo.environment)), outcome)
    }
}
