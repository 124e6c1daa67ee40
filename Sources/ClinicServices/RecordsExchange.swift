import Foundation
import ClinicModel
internal import ClinicStore
import ClinicXML
import LibXML

/// What `knot export` wrote.
public struct ExportSummary: Sendable, Codable {
    /// The export file written.
    public var file: String
    /// Practitioners written.
    public var practitioners: Int
    /// Patients written.
    public var patients: Int
    /// Visits written.
    public var visits: Int
    /// Audit events written.
    public var auditEvents: Int
    /// The file's size in bytes.
    public var bytes: Int
    /// Damage exported around rather than refused (a visit linked to another patient's
    /// referral, left by an older Knot or an outside edit: written without the link; `knot
    /// check` names it).
    public var warnings: [String] = []
    /// The detached signature written beside the export (`EXPORT.sig`); nil when the clinic
    /// key is missing (the export is then unsigned, and other clinics refuse it).
    public var signature: String? = nil
}

/// What the export's reading thread hands to its writing worker.
enum ExportItem {
    case patient(PatientRecord)
    case audit(AuditEntry)
}

/// When a whole-clinic export runs its seal pass (`recordsNotInAuditedState`).
enum ExportSealPass {
    /// Not at all (an export without the audit trail marks no record).
    case none
    /// Before the first record, in the reads' transaction.
    case first
    /// Beside the reads, on the same snapshot, the records written as audited.
    case alongside

    /// The pass beside found records not in their audited state: the file written as if all
    /// were is dropped and the export made again with the pass first.
    struct NotAllAudited: Error {}
}

/// The origin check of a whole-clinic import, kept by its reading worker as it reads and handed
/// back before the worker finishes the hand-over (read by the writer only after the last chunk).
final class ReadOrigins: @unchecked Sendable {
    var check = ExportOriginCheck()
}

/// The export writer's failure, read once the worker is joined.
final class ExportWorkerFailure: @unchecked Sendable {
    var error: Error?
    /// The worker stopped taking records (its own failure says why).
    struct Stopped: Error {}
    static let stopped = Stopped()
}

extension ClinicSession {
    /// Streams the clinic (or one patient, or those changed since a date) to an XML file (0600),
    /// one patient at a time so memory stays flat; validates what it wrote; deterministic bytes.
    /// `progress` is told, on this thread, the patients read so far and how many there are.
    public func export(to path: String, patientKey: String? = nil, since: LocalDate? = nil, includeAudit: Bool = true,
                       progress: ((_ done: Int, _ of: Int) -> Void)? = nil) throws -> ExportSummary {
        try authorize(.exportRecords)
        if FileManager.default.fileExists(atPath: path) {
            throw ServiceError.input("\(path) already exists; choose a new file (exports never overwrite)")
        }
        if FileManager.default.fileExists(atPath: ExportSignature.path(of: path)) {
            throw ServiceError.input("\(ExportSignature.path(of: path)) already exists; choose a new file (exports never overwrite)")
        }
        // The seal pass (which records are not in their audited state, for their digests) runs
        // beside the reads, on the same snapshot, and the records are written as audited; in the
        // rare clinic where the pass finds any that is not, that file is dropped and the export
        // is made again with the pass first, as one transaction (same bytes as that pass gives).
        guard includeAudit else {
            return try export(to: path, patientKey: patientKey, since: since, sealPass: .none, progress: progress)
        }
        do {
            return try export(to: path, patientKey: patientKey, since: since, sealPass: .alongside, progress: progress)
        } catch is ExportSealPass.NotAllAudited {
            return try export(to: path, patientKey: patientKey, since: since, sealPass: .first, progress: progress)
        }
    }

    /// One attempt at `export(to:...)` once its file names are checked.
    private func export(to path: String, patientKey: String?, since: LocalDate?, sealPass: ExportSealPass,
                        progress: ((_ done: Int, _ of: Int) -> Void)?) throws -> ExportSummary {
        let includeAudit = sealPass != .none
        // A new private file beside the export (O_EXCL|O_NOFOLLOW, 0600): never an old one, never a link.
        let (fd, tmp) = try PrivateFile.createTemporary(besides: path)
        var summary = ExportSummary(file: path, practitioners: 0, patients: 0, visits: 0, auditEvents: 0, bytes: 0)
        // The check of what is written runs beside the writing, on its own thread: every chunk,
        // once in the file, is hashed (the SHA-256 the signature signs) and copied through a
        // pipe to a reader that validates it as an import would (schema and rules).
        let check: ExportCheck
        do { check = try ExportCheck(fileName: (path as NSString).lastPathComponent) } catch {
            _ = Glibc.close(fd)
            unlink(tmp)
            throw error
        }
        var sha = ""
        do {
            let writer = try RecordsExportWriter(fileDescriptor: fd, destination: tmp)
            writer.copyingWrittenBytes { check.take($0) }
            // Each record carries its digest, for the importer's origin check (ExportOriginCheck).
            writer.writesDigests = true
            // One read transaction: a consistent snapshot while others keep writing.
            func readAndWrite(_ tx: any ClinicRecordReader, sealVerdict: () throws -> Set<String>?) throws {
                // Records changed outside Knot since their last audited write are exported as such.
                if sealPass == .first { writer.changedRecords = try tx.recordsNotInAuditedState() }
                var ids: [Int64]
                if let patientKey {
                    guard let p = try tx.patient(key: patientKey) else { throw ServiceError.notFound("no patient '\(patientKey)'") }
                    ids = [p.id!]
                } else {
                    ids = try tx.patientIDs(changedSince: since.map(Self.startOfDay))
                }
                // The clinic's settings travel in the header, so a clinic made from the export keeps
                // them; so do the accounts' operating-system logins and the untrusted-import marks of
                // the records exported (a mark is never dropped by a move or a re-export).
                let practitioners = try tx.practitioners()
                var osUsers: [String: String] = [:]
                for p in practitioners { if let id = p.id, let login = try tx.osUser(practitionerID: id) { osUsers[p.handle] = login } }
                let exported = patientKey == nil && since == nil ? nil : Set(ids)
                let marks = try tx.untrustedImports().filter { mark in exported.map { set in mark.patientID.map(set.contains) ?? false } ?? true }
                try writer.writeHeader(RecordsExportHeader(software: "knot", settings: try tx.clinicSettings(),
                                                           templates: try Self.exportedTemplates(tx), osUsers: osUsers,
                                                           untrustedImports: marks.map { .init(entity: $0.entity, id: $0.id, mark: $0.mark) }))
                for p in practitioners { try writer.write(p); summary.practitioners += 1 }
                // Two cores: this thread reads the database, a worker encodes and writes (with
                // each record's digest); at most a few chunks of records wait between them.
                let items = RecordsHandOver<ExportItem>(capacity: 8)
                let handed = Handed(value: writer)
                let failed = ExportWorkerFailure()
                let worker = RecordsWorker("knot-records-writer") {
                    let writer = handed.value
                    do {
                        while let chunk = try items.take() {
                            for item in chunk {
                                switch item {
                                case .patient(let record): try writer.write(record)
                                case .audit(let entry): try writer.write(entry)
                                }
                            }
                        }
                    } catch {
                        failed.error = error
                        items.cancel()
                    }
                }
                var chunk: [ExportItem] = []
                chunk.reserveCapacity(Self.recordsChunk)
                func hand(_ item: ExportItem) throws {
                    chunk.append(item)
                    guard chunk.count >= Self.recordsChunk else { return }
                    guard items.put(chunk) else { throw ExportWorkerFailure.stopped }
                    chunk.removeAll(keepingCapacity: true)
                }
                do {
                    for id in ids {
                        guard var record = try tx.patientRecord(id: id) else { continue }
                        let own = Set(record.referrals.compactMap(\.id))
                        for i in record.visits.indices {
                            if let rid = record.visits[i].referralID, !own.contains(rid) {
                                summary.warnings.append("visit \(record.visits[i].id ?? 0) of \(record.patient.recordNumber) is linked to referral \(rid) of another patient:"
                                                        + " exported without that link (knot check)")
                                record.visits[i].referralID = nil
                            }
                        }
                        summary.patients += 1
                        summary.visits += record.visits.count
                        try hand(.patient(record))
                        progress?(summary.patients, ids.count)
                    }
                    if includeAudit && patientKey == nil && since == nil {
                        try tx.forEachAudit { r in
                            try hand(.audit(AuditEntry(event: r.event, prevHash: r.prevHash, hash: r.hash)))
                            summary.auditEvents += 1
                        }
                    }
                    if !chunk.isEmpty && !items.put(chunk) { throw ExportWorkerFailure.stopped }
                    items.finish()
                } catch {
                    items.finish(failure: error)
                    worker.join()
                    throw failed.error ?? error
                }
                worker.join()
                if let error = failed.error { throw error }
                // Written as audited: true when the pass beside found every record so.
                if let changed = try sealVerdict(), !changed.isEmpty { throw ExportSealPass.NotAllAudited() }
            }
            if sealPass == .alongside {
                try database.read(alongside: { try $0.recordsNotInAuditedState() }) { tx, verdict in
                    try readAndWrite(tx, sealVerdict: { try verdict() })
                }
            } else {
                try database.read { tx in try readAndWrite(tx, sealVerdict: { nil }) }
            }
            _ = try writer.finish()
            // The file is written and synced; its check ends with the end of the pipe, and it
            // must pass before the file takes its real name.
            sha = try check.finish()
            try PrivateFile.commit(tmp, to: path, replacing: false)
        } catch {
            _ = try? check.finish()
            unlink(tmp)
            throw error
        }
        summary.bytes = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
        summary.signature = try signExport(at: path, sha256: sha)
        try database.write { tx in
            _ = try tx.appendAudit(AuditEvent(actor: actor, action: .export, entity: "clinic", detail: "\(summary.patients) patients"))
        }
        return summary
    }

    /// Records handed from the reading worker to the writing thread at a time.
    static let recordsChunk = 64
    /// The page cache of a whole-clinic import's transaction, in KiB (32 MiB).
    package static let importPageCacheKiB = 32 * 1024
    /// A whole-clinic import seals what it wrote every this many rows, inside its transaction
    /// (`sealWrittenSoFar`): the rowids waiting for their seals stay a slice, not the clinic.
    static let importSealSliceRows = 20_000

    /// Signs an export just written: the SHA-256 of the file (streamed) under the clinic's
    /// Ed25519 key, in `EXPORT.sig` (0600, never overwriting). Nil when there is no key.
    /// `sha256`, when given, is the file's, taken as it was written.
    func signExport(at path: String, sha256: String? = nil) throws -> String? {
        let sha = try sha256 ?? LetterDigest.sha256Hex(fileAt: path)
        guard let text = try database.read({ try $0.signExport(sha256: sha) }) else { return nil }
        let sigPath = ExportSignature.path(of: path)
        let fd = Glibc.open(sigPath, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ServiceError.input("cannot create \(sigPath): \(String(cString: strerror(errno)))") }
        defer { _ = Glibc.close(fd) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            unlink(sigPath)
            throw ServiceError.input("cannot write \(sigPath)")
        }
        return sigPath
    }

    /// Whether a clinic export may be imported, from its detached signature: trusted, or (with
    /// `--untrusted`) marked so; a forged signature is refused always. Returns the words the
    /// import's audit event carries, or throws the refusal.
    func exportProvenance(_ path: String, sha: String, untrusted allowUntrusted: Bool) throws -> String {
        try exportProvenance(path, sha: sha, untrusted: allowUntrusted, trusted: try database.read { try $0.trustedExportKeys() })
    }

    /// `exportProvenance(_:sha:untrusted:)` with the clinic's trusted keys already read (inside
    /// the import's own transaction, `ExportAdmission`).
    func exportProvenance(_ path: String, sha: String, untrusted allowUntrusted: Bool, trusted: Set<String>) throws -> String {
        switch ExportSignature.check(export: path, sha256: sha, trusted: trusted) {
        case .trusted(let key):
            return "signed by trusted key \(key.prefix(16))"
        case .forged(let reason):
            throw ServiceError.input("the export's signature does not verify: \(reason); nothing was imported")
        case .untrusted(let key) where allowUntrusted:
            return "UNTRUSTED: signed by a key this clinic does not trust (\(key.prefix(16))), imported with --untrusted"
        case .untrusted(let key):
            throw ServiceError.input("the export is signed by a clinic key this clinic does not trust (\(key)); trust it with `knot clinic trust FILE` (an administrator), or import it with --untrusted to mark it as such; nothing was imported")
        case .unsigned where allowUntrusted:
            return "UNTRUSTED: unsigned (no \((path as NSString).lastPathComponent).sig beside it), imported with --untrusted"
        case .unsigned:
            throw ServiceError.input("the export is not signed (no \((path as NSString).lastPathComponent).sig beside it), so its origin cannot be proven; import it with --untrusted to mark it as such; nothing was imported")
        }
    }

    /// Imports a whole-clinic export in one transaction. Into an empty database ids and the audit
    /// chain are kept as exported (each event's link and hash checked as it is written);
    /// otherwise patients already on file are reported as conflicts. The file is read on a
    /// worker thread (one pass: parse, schema, rules, digests) while this one writes.
    ///
    /// Checks, as it reads, that every record has its audited origin in the export's trail and
    /// still matches the digest it was exported with (`ExportOriginCheck`): a record that does
    /// not is refused, naming it, unless `untrusted` (`--untrusted`), which imports the export
    /// and marks its patients and visits as untrusted in the chart.
    ///
    /// `intoEmptyOnly` refuses, writing nothing, unless the database is empty when the import's
    /// transaction starts (a move keeps ids and the trail, never merges); `progress` is told, on
    /// this thread, where the import stands (`RecordsProgress`); `beforeCommit` checks what the transaction wrote
    /// (throwing rolls all of it back); `originRefusalHint` ends the refusal of records without
    /// their audited origin (what the user may do instead).
    ///
    /// `admission`, when given, decides beside the reading whether the file may be imported at
    /// all (its SHA-256 and signature, `ExportAdmission`): checked after each chunk once the
    /// digest is in, and waited for when the reading ends, before anything else is decided; its
    /// refusal rolls everything back. The digest and provenance are then its, not `sha` and
    /// `provenance`. `indexesAfterCommit`, for a new clinic in a private file only, lets a load
    /// into an empty database leave its largest tables' indexes for the caller to build after
    /// the commit (`IndexesAfterCommit`).
    func importRecords(_ reader: RecordsImportReader, file: String, sha: String, dryRun: Bool, provenance: String? = nil,
                       admission: ExportAdmission? = nil, untrusted: Bool = false, intoEmptyOnly: Bool = false, sealSlice: Int = importSealSliceRows,
                       indexesAfterCommit: IndexesAfterCommit? = nil,
                       progress: ((RecordsProgress) -> Void)? = nil,
                       beforeCommit: ((any ClinicRecords, ImportOutcome) throws -> Void)? = nil,
                       originRefusalHint: String = " (import it with --untrusted to keep it, marked as untrusted)") throws -> ImportOutcome {
        var outcome = ImportOutcome(file: file, status: .created, format: "knot-records", detail: "")
        let header = reader.header
        var imported: [(patient: Int64, visits: [Int64])] = []
        // Kept only when the chart may have to be marked untrusted at the end (a list as long as
        // the clinic otherwise held for nothing).
        let mayMarkUntrusted = untrusted || provenance?.hasPrefix("UNTRUSTED") == true
        // Two cores: a worker reads the file (parse, schema validation, decoding, each record's
        // digest, and the origin check's notes of records and events) while this thread writes
        // what it has read; at most a few chunks wait between. The origin check is the worker's
        // until it finishes the hand-over (the hand-over's lock orders its last notes before the
        // writer reads them, after the last chunk).
        let items = RecordsHandOver<RecordsItem>(capacity: 8)
        let handed = Handed(value: reader)
        let originsRead = ReadOrigins()
        let settings = header?.settings ?? [:]
        let worker = RecordsWorker("knot-records-reader") {
            let reader = handed.value
            var origins = ExportOriginCheck()
            origins.add(settings: settings)
            var chunk: [RecordsItem] = []
            do {
                while let item = try reader.next() {
                    origins.add(reader.lastRecords)
                    if case .audit(let entry) = item { origins.add(entry.event) }
                    chunk.append(item)
                    if chunk.count == Self.recordsChunk {
                        guard items.put(chunk) else { return }
                        chunk.removeAll(keepingCapacity: true)
                    }
                }
                originsRead.check = origins
                if !chunk.isEmpty { guard items.put(chunk) else { return } }
                items.finish()
            } catch {
                items.finish(failure: error)
            }
        }
        defer {
            items.cancel()
            worker.join()
        }
        // One transaction holds the whole clinic: a larger page cache for it (bounded, so memory
        // stays flat) means fewer pages spilled to the WAL and read back; set back afterwards.
        var previousCache: Int?
        defer {
            if let previousCache { _ = try? database.write { try $0.setPageCache(previousCache) } }
        }
        // Into an empty SQLite clinic, the whole clinic is written once, into the file, not into
        // the WAL and again by its checkpoint (`ClinicDatabase.withRollbackJournal`).
        return try withRollbackJournalIntoEmpty { _ in try database.write { outer in
            previousCache = try outer.pageCacheSetting()
            try outer.setPageCache(-Self.importPageCacheKiB)
            let keepIDs = try outer.isEmptyClinic()
            if intoEmptyOnly && !keepIDs {
                throw StorageError.cannotOpen(path: database.path, reason: "it holds a clinic now (accounts, patients or audit events were added meanwhile); nothing was imported")
            }
            // Into an empty clinic the records go in as read, and the reader has checked each
            // with the model's rules: the inserts do not check them again.
            let tx = keepIDs ? outer.withoutRowAudit().withModelChecked() : outer
            // Into an empty clinic: the full-text and some secondary indexes built once, as the loop ends.
            let newClinicLoad = keepIDs ? try outer.beginNewClinicLoad(leavingForAfterCommit: indexesAfterCommit) : nil
            var practitionerMap: [Int64: Int64] = [:]
            var conflicts: [String] = []
            var importedIDs: [String: Int64] = [:]  // exported record number -> patient id here
            var merges: [(patientID: Int64, into: String)] = []
            var eventsRestored = 0
            // The untrusted-import marks the export carries, by "kind:id" in the file.
            let marksRead = Dictionary((header?.untrustedImports ?? []).map { ("\($0.entity):\($0.id)", $0.mark) }, uniquingKeysWith: { a, _ in a })
            var marksKept = 0
            // Whether the file may be imported at all, once its digest is in (nothing to ask without an admission).
            var admitted = admission == nil
            func admit(waiting: Bool) throws {
                if !admitted, let admission { admitted = try admission.check(outer, session: self, waiting: waiting) }
            }
            // The audit rows restored chain from the head in hand; the stored head is written
            // as the loop ends (and before each slice of seals), not after every row.
            try tx.withAuditHeadWrittenOnce {
            while let chunk = try items.take() {
              for item in chunk {
                switch item {
                case .practitioner(let p):
                    if let existing = try tx.practitioner(handle: p.handle) {
                        practitionerMap[p.id ?? 0] = existing.id!
                    } else {
                        // Into a clinic already running, a file never makes an administrator.
                        var account = p
                        if !keepIDs { account.isAdministrator = false }
                        let saved = try tx.insertPractitioner(account, actor: actor, preservingID: keepIDs)
                        practitionerMap[p.id ?? 0] = saved.id!
                    }
                case .patient(let record):
                    if !keepIDs, case .existing(let id, _) = try matchPatient(record.patient, tx) {
                        conflicts.append("\(record.patient.recordNumber) is already on file as patient \(id)")
                        continue
                    }
                    let (pid, visitIDs) = try insert(record, tx: tx, keepIDs: keepIDs, practitioners: practitionerMap)
                    if mayMarkUntrusted { imported.append((pid, visitIDs)) }
                    // Marked untrusted where it was exported: marked so here, with its first mark.
                    if !marksRead.isEmpty {
                        if let exportedID = record.patient.id, let mark = marksRead["patient:\(exportedID)"] {
                            try outer.markUntrustedImport(entity: "patient", id: pid, mark: mark)
                            marksKept += 1
                        }
                        for (visit, vid) in zip(record.visits, visitIDs) {
                            if let exportedID = visit.id, let mark = marksRead["visit:\(exportedID)"] {
                                try outer.markUntrustedImport(entity: "visit", id: vid, mark: mark)
                                marksKept += 1
                            }
                        }
                    }
                    importedIDs[record.patient.recordNumber] = pid
                    if let into = record.mergedInto { merges.append((pid, into)) }
                    outcome.patients += 1
                    outcome.visits += record.visits.count
                    outcome.referrals += record.referrals.count
                    progress?(.patients(outcome.patients))
                case .audit(let entry):
                    if keepIDs {
                        try tx.restoreAudit(AuditRecord(event: entry.event, prevHash: entry.prevHash, hash: entry.hash))
                        eventsRestored += 1
                        progress?(.auditTrail(patients: outcome.patients, events: eventsRestored))
                    }
                }
              }
              try outer.sealWrittenSoFar(atLeast: sealSlice)
              try admit(waiting: false)
            }
            }
            try admit(waiting: true)
            progress?(.finishing(patients: outcome.patients, events: eventsRestored))
            let sha = admission?.admitted?.sha ?? sha
            try outer.endNewClinicLoad(newClinicLoad)
            if marksKept < marksRead.count && conflicts.isEmpty {
                // A mark on a record not in the file (a hand-made header) has nothing to keep it.
                outcome.warnings.append("\(marksRead.count - marksKept) untrusted-import mark(s) in the header name no patient or visit in the file")
            }
            let osUsers = header?.osUsers ?? [:]
            if keepIDs {
                // A new clinic keeps its accounts' operating-system logins (their binding is in
                // the kept audit trail; `tx` writes no event of its own here).
                for (handle, login) in osUsers.sorted(by: { $0.key < $1.key }) {
                    guard let account = try tx.practitioner(handle: handle), let id = account.id else {
                        throw ServiceError.input("the export binds the account '\(handle)' to an operating-system user, but has no such account; nothing was imported")
                    }
                    try tx.setOSUser(practitionerID: id, osUser: login, actor: actor)
                }
            } else if !osUsers.isEmpty {
                outcome.warnings.append("the export binds \(osUsers.count) account(s) to operating-system users; not applied to this running clinic"
                                        + " (an administrator binds an account here with `knot practitioner set HANDLE --os-user LOGIN`)")
            }
            if keepIDs {
                try Self.ensureAdministrator(tx, actor: actor)
                // A new clinic from a whole export takes its settings (their changes are in the kept audit trail).
                for (name, value) in (header?.settings ?? [:]).sorted(by: { $0.key < $1.key }) {
                    try tx.setClinicSetting(name: name, value: value, actor: actor)
                }
            }
            outcome.warnings += try Self.restoreTemplates(header?.templates ?? [], into: tx, newClinic: keepIDs)
            if !conflicts.isEmpty {
                outcome.status = .conflict
                outcome.detail = "\(conflicts.count) patient(s) already on file; nothing written: " + conflicts.prefix(5).joined(separator: "; ")
                throw DryRun(outcome: outcome)  // roll back: all of it or none of it
            }
            // Records merged into another (`knot patient merge`) stay marked, once both are in.
            for merge in merges {
                if let into = try importedIDs[merge.into] ?? tx.patient(key: merge.into)?.id, into != merge.patientID {
                    try tx.markMerged(patientID: merge.patientID, into: into)
                }
            }
            // Every record's audited origin, now that the whole trail is read.
            let origins = originsRead.check
            let originProblems = origins.problems
            var provenance = admission?.admitted?.provenance ?? provenance
            if !originProblems.isEmpty {
                let named = originProblems.prefix(10).joined(separator: "; ") + (originProblems.count > 10 ? "; and \(originProblems.count - 10) more" : "")
                guard untrusted else {
                    throw ServiceError.input("the export's records do not all have their audited origin: \(named); nothing was imported"
                                             + originRefusalHint)
                }
                outcome.warnings += originProblems.prefix(10)
                let why = "\(originProblems.count) record(s) without their audited origin, imported with --untrusted"
                provenance = provenance.map { $0.hasPrefix("UNTRUSTED") ? $0 + "; " + why : "UNTRUSTED: " + why + " (" + $0 + ")" } ?? "UNTRUSTED: " + why
            } else if let notCheckable = origins.notCheckable {
                outcome.warnings.append(notCheckable)
                provenance = provenance.map { $0 + "; " + notCheckable } ?? notCheckable
            }
            if let provenance, provenance.hasPrefix("UNTRUSTED") {
                // The chart says so, not only the audit trail.
                let mark = UntrustedImport(importedAt: Date(), file: file, reason: String(provenance.dropFirst("UNTRUSTED: ".count)))
                for (pid, visitIDs) in imported {
                    try outer.markUntrustedImport(entity: "patient", id: pid, mark: mark)
                    for vid in visitIDs { try outer.markUntrustedImport(entity: "visit", id: vid, mark: mark) }
                }
            }
            try outer.recordImportedDocument(sha256: sha, kind: "knot-records")
            try outer.appendAuditAlways(AuditEvent(actor: actor, action: .import, entity: "clinic",
                                                   detail: "sha256 \(sha)" + (provenance.map { "; " + $0 } ?? "")))
            outcome.detail = "\(outcome.patients) patient(s), \(outcome.visits) visit(s), \(outcome.referrals) referral(s)"
                + (keepIDs ? "; ids and audit trail kept" : "; merged with new ids")
            if dryRun { throw DryRun(outcome: outcome) }
            try beforeCommit?(outer, outcome)
            return outcome
        } }
    }

    /// `body` with SQLite's rollback journal in place of the WAL when the store is an empty
    /// SQLite clinic that this process alone has open (`ClinicDatabase.withRollbackJournal`);
    /// otherwise `body` as it is (told false).
    private func withRollbackJournalIntoEmpty<T>(_ body: (_ rollbackJournal: Bool) throws -> T) throws -> T {
        guard let sqlite = database as? ClinicDatabase, try sqlite.read({ try $0.isEmptyClinic() }) else { return try body(false) }
        return try sqlite.withRollbackJournal(body)
    }

    /// Inserts one patient's records; returns the patient's id here and its visits' ids here.
    @discardableResult
    private func insert(_ r: PatientRecord, tx: any ClinicRecords, keepIDs: Bool, practitioners: [Int64: Int64]) throws -> (Int64, [Int64]) {
        func prac(_ id: Int64) -> Int64 { practitioners[id] ?? id }
        var p = r.patient
        if !keepIDs { p.recordNumber = try tx.patient(key: p.recordNumber) == nil ? p.recordNumber : "" }
        let savedPatient = try tx.insertPatient(p, actor: actor, preservingID: keepIDs, today: .today().adding(days: 1))
        let pid = savedPatient.id!
        var referralMap: [Int64: Int64] = [:]
        // Oldest first, so a new version of a letter finds the referral it replaces (within this patient).
        for var ref in r.referrals.sorted(by: { ($0.id ?? 0) < ($1.id ?? 0) }) {
            let old = ref.id ?? 0
            ref.patientID = pid
            ref.replacesReferralID = ref.replacesReferralID.flatMap { referralMap[$0] }
            // The same letter already filed here (two clinics merged): keep both, the identity once.
            if let key = ref.letterKey, try tx.referralID(letterKey: key) != nil { ref.letterKey = nil }
            referralMap[old] = try tx.insertReferral(ref, actor: actor, preservingID: keepIDs).id!
        }
        for var c in r.consents {
            c.patientID = pid; c.practitionerID = prac(c.practitionerID); if let by = c.lateEntry?.writtenBy { c.lateEntry?.writtenBy = prac(by) }
            try tx.insertConsent(c, actor: actor, preservingID: keepIDs)
        }
        for var s in r.screens {
            s.patientID = pid; s.practitionerID = prac(s.practitionerID); if let by = s.lateEntry?.writtenBy { s.lateEntry?.writtenBy = prac(by) }
            try tx.insertScreen(s, actor: actor, preservingID: keepIDs)
        }
        var visitMap: [Int64: Int64] = [:]
        for var v in r.visits {
            let old = v.id ?? 0
            v.patientID = pid
            v.practitionerID = prac(v.practitionerID)
            v.referralID = v.referralID.flatMap { referralMap[$0] }
            // Late entries' writers mapped (most visits have none: their entries not copied).
            if v.needling.contains(where: { $0.lateEntry?.writtenBy != nil }) {
                v.needling = v.needling.map { var n = $0; if let by = n.lateEntry?.writtenBy { n.lateEntry?.writtenBy = prac(by) }; return n }
            }
            if !keepIDs {
                v.triggerPoints = v.triggerPoints.map { var x = $0; x.id = nil; return x }
            }
            visitMap[old] = try tx.insertVisit(v, actor: actor, preservingID: keepIDs).id!
        }
        for var a in r.amendments {
            guard let vid = visitMap[a.visitID] else { continue }
            a.visitID = vid
            a.practitionerID = prac(a.practitionerID)
            try tx.insertAmendment(a, actor: actor, preservingID: keepIDs)
        }
        for var plan in r.plans {
            guard let vid = visitMap[plan.visitID] else { continue }
            plan.visitID = vid
            try tx.insertPlan(plan, actor: actor, preservingID: keepIDs)
        }
        return (pid, visitMap.values.sorted())
    }
}
