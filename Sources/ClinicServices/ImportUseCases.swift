import Foundation
import Logging
import ClinicModel
internal import ClinicStore
import ClinicXML
import LibXML

/// The outcome of importing one file, for the per-file summary (`knot import`, `--json`).
public struct ImportOutcome: Sendable, Codable {
    /// What happened to the file.
    public enum Status: String, Sendable, Codable {
        /// New records written.
        case created
        /// Filed against an existing patient.
        case matched
        /// Already imported (the same bytes, or the same letter by its document id, set and
        /// version, or normalised text): nothing written.
        case skipped
        /// A doubtful patient match: no patient or referral written; the letter is held (see
        /// `conflictID`) until a person files it (`knot referral resolve`, or the inbox).
        case conflict
        /// Refused: unreadable, invalid or hostile; nothing written.
        case rejected
        /// Not filed because the database could not be written (disk full, a file-size limit):
        /// nothing of it written, the letter itself fine; import it again once there is room.
        case notFiled = "not-filed"

        /// The status as the import summary prints it ("NOT FILED").
        public var label: String { self == .notFiled ? "not filed" : rawValue }
    }
    /// The file as named to `knot import`.
    public var file: String
    /// What happened to it.
    public var status: Status
    /// The format it was read as (a referral format such as `cda`, or `records` for a clinic export), when
    /// known.
    public var format: String?
    /// What happened, in one line for the summary.
    public var detail: String
    /// Patients written.
    public var patients: Int = 0
    /// Referrals written.
    public var referrals: Int = 0
    /// Visits written (clinic exports).
    public var visits: Int = 0
    /// Alerts proposed for a practitioner to review.
    public var proposedAlerts: Int = 0
    /// What was left out or doubtful, in words.
    public var warnings: [String] = []
    /// For a conflict: the held letter's id (`knot referral resolve ID`); nil in a dry run.
    public var conflictID: Int64?
    /// For a conflict: the patients on file the letter might be about.
    public var candidates: [ImportCandidate] = []
    /// For a letter filed by hand to a patient who may not be its patient, refused unconfirmed:
    /// what differs (`ChosenPatientDiffers`); nil otherwise.
    public var chosenPatientDiffers: [String]?
    /// For a new version of a letter filed before: the referral it replaces (both are kept).
    public var replacesReferralID: Int64?

    /// A file the import did not reach because an earlier write failed (disk full).
    public static func notFiled(_ file: String) -> ImportOutcome {
        ImportOutcome(file: file, status: .notFiled, format: nil, detail: "not filed: the import stopped at the first failed write")
    }
}

/// A patient on file a doubtful letter might be about, for the person filing it to choose.
public struct ImportCandidate: Sendable, Codable, Hashable {
    /// The patient's record number.
    public var recordNumber: String
    /// The patient's name as lists show it.
    public var name: String
    /// The patient's date of birth.
    public var dateOfBirth: LocalDate
    /// A candidate from its parts.
    public init(recordNumber: String, name: String, dateOfBirth: LocalDate) {
        self.recordNumber = recordNumber; self.name = name; self.dateOfBirth = dateOfBirth
    }
}

/// How a person files a letter whose patient match was doubtful: to a patient on file, or as a
/// new patient. Audited with who decided.
public enum ReferralFiling: Sendable, Hashable {
    /// To the patient with this record number or id.
    case patient(String)
    /// As a new patient, even though someone similar is on file.
    case newPatient
}

/// Where a whole-clinic import stands (`ImportOptions.recordsProgress`). At 100,000 patients the
/// import takes minutes, and the audit trail's events, which come after every patient, and the
/// finishing steps after them take about a fifth of it: each stage is named, so that a progress
/// line does not stand still on the last patient.
public enum RecordsProgress: Sendable, Equatable {
    /// Patients written so far.
    case patients(Int)
    /// Every patient is written (`patients`); the audit trail's events written so far.
    case auditTrail(patients: Int, events: Int)
    /// Every record is written; the indexes are being built and the clinic written to the disk.
    case finishing(patients: Int, events: Int)
}

/// Options for `knot import`.
public struct ImportOptions: Sendable {
    /// The largest file read, in bytes; a larger one is refused unread.
    public var maxBytes: Int
    /// An extra (full) schema every CDA document must also satisfy (`--schema FILE`).
    /// Compiled once for the whole import, not once per file.
    public var extraCDASchema: XMLSchema?
    /// Read and validate only; write nothing.
    public var dryRun: Bool
    /// Import a clinic export that is unsigned or signed by a key this clinic does not trust,
    /// marking it so in the audit trail (`--untrusted`). A forged signature is refused always.
    public var untrusted = false
    /// Refuse a CDA letter that breaks Knot's CDA profile anywhere (`--strict`). Without it, a
    /// letter whose problems lie only in header elements Knot can do without (never in the patient
    /// or the body) is imported without those elements, each listed in the outcome's warnings.
    public var strict = false
    /// Told, on the writing thread, where a whole-clinic import stands (after each patient, after
    /// each audit event, and once as its last steps begin): a front end's progress line for an
    /// import that takes minutes.
    public var recordsProgress: (@Sendable (RecordsProgress) -> Void)?
    /// A whole-clinic import seals the rows it wrote every this many rows (tests make it small).
    var sealSliceRows = ClinicSession.importSealSliceRows
    /// Set by `createClinic(at:fromExport:...)` for a new clinic built in a private file: the
    /// load leaves the indexes of its largest tables for after its commit and notes them here.
    var indexesAfterCommit: IndexesAfterCommit?

    /// Options with the given size cap; `dryRun` reads and validates only.
    public init(maxBytes: Int = ParseOptions.defaultMaxBytes, dryRun: Bool = false) {
        self.maxBytes = maxBytes; self.dryRun = dryRun
    }

    /// With a full CDA schema compiled once; throws when it does not compile (errors carry the line).
    public init(maxBytes: Int = ParseOptions.defaultMaxBytes, extraCDASchema: Data?, dryRun: Bool = false) throws {
        self.init(maxBytes: maxBytes, dryRun: dryRun)
        self.extraCDASchema = try extraCDASchema.map { try XMLSchema(data: $0, name: "--schema") }
    }
}

/// The XML files `knot import` files for some files and folders, in the order it files them,
/// with what the listing read of each folder file's head (whether it is a whole-clinic export),
/// so that `importAll(_:options:batchSize:progress:)` given the listing does not read every
/// file's first 4 KB a second time before filing the first letter.
public struct ImportListing: Sendable {
    /// The files, in the order they are filed: in each folder, whole-clinic exports first.
    public let files: [String]
    /// Whether each file of a listed folder is a whole-clinic export, as read while listing.
    let exportFlags: [String: Bool]
}

extension ClinicSession {
    /// Expands files and folders into the XML files to import, sorted for a stable order.
    public static func importFiles(_ paths: [String]) throws -> [String] {
        try importListing(paths).files
    }

    /// Expands files and folders into the XML files to import (`importFiles`), keeping what was
    /// read of each folder file's head for the `importAll` that files them.
    public static func importListing(_ paths: [String]) throws -> ImportListing {
        var files: [String] = []
        var found: [String: Bool] = [:]
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else { throw ServiceError.input("\(path): no such file or folder") }
            if isDir.boolValue {
                let items = (try? fm.contentsOfDirectory(atPath: path)) ?? []
                let xml = items.filter { $0.lowercased().hasSuffix(".xml") }.sorted().map { (path as NSString).appendingPathComponent($0) }
                // Whole-clinic exports first: into an empty database they keep their ids and audit
                // trail, and the letters that follow are then matched to their patients.
                let flags = clinicExports(xml)
                let exports = Set(zip(xml, flags).filter(\.1).map(\.0))
                files += xml.filter(exports.contains) + xml.filter { !exports.contains($0) }
                found.merge(zip(xml, flags)) { _, new in new }
            } else {
                files.append(path)
            }
        }
        return ImportListing(files: files, exportFlags: found)
    }

    /// Refuses, before anything is read, files the user may not import: referral letters need
    /// an account, a whole-clinic export (signed visits, accounts, an audit trail) an administrator.
    public func authorizeImport(of paths: [String]) throws {
        for path in paths { try authorize(Self.isClinicExport(path) ? .importClinicExport : .importReferrals) }
    }

    /// Imports one file: detect the format, validate, then write it in one transaction, or nothing.
    ///
    /// `filing` files a referral letter as a person decided (after a conflict), without matching;
    /// a patient who may not be the letter's (`ChosenPatientDiffers`) is refused, nothing written,
    /// the outcome saying what differs (`chosenPatientDiffers`), unless `confirmingDifferentPatient`.
    public func importFile(_ path: String, options: ImportOptions = ImportOptions(), filing: ReferralFiling? = nil,
                           confirmingDifferentPatient: Bool = false) -> ImportOutcome {
        let name = path
        func rejected(_ detail: String, format: String? = nil) -> ImportOutcome {
            logger.info("import rejected", metadata: ["format": .string(format ?? "unknown")])
            return ImportOutcome(file: name, status: .rejected, format: format, detail: detail)
        }
        do {
            try authorizeImport(of: [path])
            // Filing a letter as a person decided is resolving it (`knot referral resolve`).
            if filing != nil { try authorize(.resolveReferral) }
        } catch { return rejected("\(error)") }
        // Size cap before reading a byte.
        if case .failure(let refusal) = LetterFile.size(path, maxBytes: .max) { return rejected(refusal.detail) }
        let parseOptions = ParseOptions(maxBytes: options.maxBytes, fileName: (path as NSString).lastPathComponent)
        do {
            // Letters are read whole, within the cap; a whole-clinic export streams from disk,
            // in flat memory, whatever its size.
            if Self.isClinicExport(path) {
                if filing != nil { return rejected("a whole-clinic export is not a referral letter to file for a patient", format: "records") }
                // The file's SHA-256 (already imported?) and signature are checked beside the
                // reading and writing (`ExportAdmission`): nothing is committed before they pass,
                // and whatever else the import met, their refusal is what is reported, as when
                // they were checked before a byte was read.
                let admission = ExportAdmission(path: path, untrusted: options.untrusted)
                defer { admission.finish() }
                do {
                    do {
                        let reader = try RecordsImportReader(contentsOfFile: path, fileName: parseOptions.fileName, options: parseOptions)
                        var outcome = try importRecords(reader, file: name, sha: "", dryRun: options.dryRun, admission: admission,
                                                        untrusted: options.untrusted, sealSlice: options.sealSliceRows,
                                                        indexesAfterCommit: options.indexesAfterCommit, progress: options.recordsProgress)
                        if let provenance = admission.admitted?.provenance, provenance.hasPrefix("UNTRUSTED") {
                            outcome.warnings.insert(provenance, at: 0)
                        }
                        return outcome
                    } catch let error where !(error is ExportAdmission.Refusal) && admission.admitted == nil {
                        // The import stopped (and rolled back) before the check decided: its refusal first.
                        do { _ = try database.read { try admission.check($0, session: self, waiting: true) } } catch let refusal as ExportAdmission.Refusal {
                            throw refusal
                        } catch {}
                        throw error
                    }
                } catch let refusal as ExportAdmission.Refusal {
                    switch refusal {
                    case .alreadyImported:
                        return ImportOutcome(file: name, status: .skipped, format: nil, detail: "already imported (same SHA-256); nothing written")
                    case .refused(let error):
                        return rejected(Self.describe(error), format: "records")
                    case .unreadable(let error):
                        throw error
                    }
                }
            }
            let data: Data
            switch LetterFile.read(path, maxBytes: options.maxBytes) {
            case .success(let read): data = read
            case .failure(let refusal): return rejected(refusal.detail)
            }
            let sha = LetterDigest.sha256Hex(data)
            if try database.read({ try $0.filedBefore(sha256: sha) }) {
                return ImportOutcome(file: name, status: .skipped, format: nil, detail: "already imported (same SHA-256); nothing written")
            }
            // Parsed once when it can be (a letter); otherwise named and read as before.
            let parsed = DocumentKind.parsed(data, options: parseOptions)
            let kind = try parsed?.kind ?? DocumentKind.detect(data, fileName: parseOptions.fileName, options: parseOptions)
            if let (incoming, format) = try Self.readLetter(kind, data, parseOptions: parseOptions, options: options, parsed: parsed?.document) {
                return try fileReferral(incoming, file: name, format: format, sha: sha, dryRun: options.dryRun, filing: filing,
                                        confirmedDifferentPatient: confirmingDifferentPatient)
            }
            switch kind {
            case .knotReferral, .cdaDocument, .fhirReferral:
                preconditionFailure("a referral letter is read above")
            case .clinicRecords:
                try authorize(.importClinicExport)
                if filing != nil { return rejected("a whole-clinic export is not a referral letter to file for a patient", format: "records") }
                let provenance: String
                do { provenance = try exportProvenance(path, sha: sha, untrusted: options.untrusted) } catch {
                    return rejected(Self.describe(error), format: "records")
                }
                let reader = try RecordsImportReader(data: data, fileName: parseOptions.fileName, options: parseOptions)
                var outcome = try importRecords(reader, file: name, sha: sha, dryRun: options.dryRun, provenance: provenance,
                                                untrusted: options.untrusted, sealSlice: options.sealSliceRows)
                if provenance.hasPrefix("UNTRUSTED") { outcome.warnings.insert(provenance, at: 0) }
                return outcome
            case .plan:
                return rejected("a follow-up plan document is an export for patients and referrers, not something to import", format: "plan")
            case .unknown(let root, let ns):
                return rejected("<\(root)> in namespace \(ns ?? "(none)") is not a format Knot reads (Knot records, Knot referral, HL7 CDA, HL7 FHIR)")
            }
        } catch let dry as DryRun {
            var o = dry.outcome
            if o.status != .conflict { o.detail += " (dry run: nothing written)" }
            return o
        } catch let differs as ChosenPatientDiffers {
            var o = rejected(differs.description)
            o.chosenPatientDiffers = differs.differences
            return o
        } catch {
            if let e = StorageError.writeFailure(in: error) {
                // The letter is not at fault: the disk is. Say so, and let the caller stop here.
                logger.info("import stopped: a write failed")
                return ImportOutcome(file: name, status: .notFiled, format: nil, detail: "disk full: \(e.description)")
            }
            return rejected(Self.describe(error))
        }
    }

    /// The transaction a letter's patient and referral are inserted through: `tx` itself, or,
    /// when a reading thread checked both today (`modelCheckedOn`) and no person chose the
    /// filing, `tx` without the model's checks again (`withModelChecked`; SQLite only).
    private func inserting(_ tx: any ClinicRecords, _ modelCheckedOn: LocalDate?, filing: ReferralFiling?, today: LocalDate) -> any ClinicRecords {
        guard filing == nil, let day = modelCheckedOn, day == today else { return tx }
        return tx.withModelChecked()
    }

    /// Reads a referral letter of any format Knot files (its own, HL7 CDA, HL7 FHIR), with the
    /// format's stored name; nil for a document that is not a referral letter. The one place a
    /// document kind picks its reader, for `importFile` and the batched import alike.
    /// `parsed`: the bytes already parsed with `parseOptions` (`DocumentKind.parsed`), not parsed again.
    static func readLetter(_ kind: DocumentKind, _ data: Data, parseOptions: ParseOptions,
                           options: ImportOptions, today: LocalDate = .today(), parsed: XMLDocument? = nil) throws -> (IncomingReferral, format: String)? {
        switch kind {
        case .knotReferral:
            return (try KnotReferralReader.read(data, fileName: parseOptions.fileName, options: parseOptions, today: today, parsed: parsed),
                    "knot-referral")
        case .cdaDocument:
            return (try CDAReferralReader.read(data, fileName: parseOptions.fileName, options: parseOptions,
                                               extraSchema: options.extraCDASchema, strict: options.strict, today: today, parsed: parsed), "cda")
        case .fhirReferral:
            return (try FHIRReferralReader.read(data, fileName: parseOptions.fileName, options: parseOptions, today: today, parsed: parsed), "fhir")
        case .clinicRecords, .plan, .unknown:
            return nil
        }
    }

    /// Whether a file's first bytes say it is a whole-clinic export (urn:knot:records:1).
    ///
    /// Read with `open`/`read` into a buffer on the stack: `knot import FOLDER` asks this of
    /// every file before the first is filed, and Foundation's `FileHandle` (an object, a `Data`
    /// per file) cost as much again as the system calls.
    public static func isClinicExport(_ file: String) -> Bool {
        withUnsafeTemporaryAllocation(byteCount: 4096, alignment: 16) { buffer -> Bool in
            guard let count = FileHead.read(file, into: buffer) else { return false }
            return contains(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[..<count]), recordsNamespace)
        }
    }

    private static let recordsNamespace = Array("urn:knot:records:1".utf8)

    /// Whether `needle` occurs in `bytes`: a plain byte search (Foundation's generic
    /// `firstRange(of:)` on `[UInt8]` cost more than reading each letter's first 4 KB).
    static func contains(_ bytes: Data, _ needle: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { contains($0, needle) }
    }

    /// Whether `needle` occurs in `raw`: a plain byte search.
    static func contains(_ raw: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, raw.count >= needle.count else { return needle.isEmpty }
        let last = raw.count - needle.count
        var i = 0
        while i <= last {
            if raw[i] == first {
                var k = 1
                while k < needle.count, raw[i + k] == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case let e as ClinicXMLErrors: return e.errors.prefix(10).map(\.description).joined(separator: "\n")
        case let e as StorageError:
            if case .invalid(let v) = e { return v.errors.map(\.description).joined(separator: "; ") }
            return e.description
        case let e as CustomStringConvertible: return e.description
        default: return "\(error)"
        }
    }


    /// Files a letter: skips it when it is the same letter as one filed before (by its
    /// document id, set and version, or normalised text), links a new version to the referral it
    /// replaces, matches the patient (or files it as `filing` says), and writes the patient,
    /// referral and proposed alerts in one transaction. A doubtful match is held for a person.
    ///
    /// A patient chosen by hand (`filing`) who is not one of `candidates` (when nil, those the
    /// letter's match finds) or whose name or birth date is not the letter's is refused
    /// (`ChosenPatientDiffers`) unless `confirmedDifferentPatient`.
    func fileReferral(_ incoming: IncomingReferral, file: String, format: String, sha: String, dryRun: Bool,
                      filing: ReferralFiling? = nil, heldID: Int64? = nil, candidates: [Int64]? = nil,
                      confirmedDifferentPatient: Bool = false) throws -> ImportOutcome {
        try database.write { tx in
            try fileReferral(incoming, in: tx, file: file, format: format, sha: sha, dryRun: dryRun, filing: filing, heldID: heldID,
                             candidates: candidates, confirmedDifferentPatient: confirmedDifferentPatient)
        }
    }

    /// Files a letter inside a write transaction that the caller owns (one letter's own, or a
    /// savepoint of a batch): the same checks and writes as `fileReferral(_:file:...)`.
    ///
    /// `modelCheckedOn`: the day a reading thread found the letter's new patient and referral
    /// pass the model's checks (`modelCheckedDay`); on that day their inserts do not check again.
    func fileReferral(_ incoming: IncomingReferral, in tx: any ClinicRecords, file: String, format: String, sha: String, dryRun: Bool,
                      filing: ReferralFiling? = nil, heldID: Int64? = nil, modelCheckedOn: LocalDate? = nil,
                      candidates: [Int64]? = nil, confirmedDifferentPatient: Bool = false) throws -> ImportOutcome {
        var outcome = ImportOutcome(file: file, status: .created, format: format, detail: "", warnings: incoming.warnings)
        var referral = incoming.referral

        // The same letter, whatever its bytes.
        if let key = referral.letterKey, let earlier = try tx.referralID(letterKey: key) {
            outcome.status = .skipped
            outcome.detail = "the same letter was filed before as referral #\(earlier) (\(Self.sameLetterReason(key))); nothing written"
            return outcome
        }
        // A new version of a letter filed before replaces it (both kept); an older or equal one is skipped.
        var replaced: Referral?
        if let setID = referral.documentSetID, let latest = try tx.referralVersions(setID: setID).first {
            let newer = referral.documentVersion.map { new in latest.version.map { new > $0 } ?? true } ?? false
            if !newer {
                outcome.status = .skipped
                outcome.detail = "version \(referral.documentVersion.map(String.init) ?? "(none)") of this letter is not newer than referral #\(latest.id)"
                    + " (version \(latest.version.map(String.init) ?? "(none)")); nothing written"
                return outcome
            }
            replaced = try tx.referral(id: latest.id, withLetter: false)
            referral.replacesReferralID = latest.id
            outcome.replacesReferralID = latest.id
        }

        var match: PatientMatch
        switch filing {
        case .patient(let key)?:
            guard let p = try tx.patient(key: key), let id = p.id else { throw ServiceError.notFound("no patient \(key)") }
            let mightBe = try candidates ?? matchPatient(incoming.patient, tx).candidateIDs
            let differences = try Self.differences(chosen: p, letter: incoming.patient, candidates: mightBe, tx)
            if !differences.isEmpty {
                if !confirmedDifferentPatient { throw ChosenPatientDiffers(recordNumber: p.recordNumber, differences: differences) }
                outcome.warnings.append("filed for \(p.recordNumber) as confirmed, although " + differences.joined(separator: "; "))
            }
            match = .existing(id, how: "by hand")
        case .newPatient?:
            match = .new
        case nil:
            match = try matchPatient(incoming.patient, tx)
            // A new version belongs to the earlier version's patient; anything else needs a person.
            if let replaced {
                switch match {
                case .existing(let id, _) where id == replaced.patientID: break
                case .conflict: break
                default:
                    let owner = try tx.patient(id: replaced.patientID)?.recordNumber ?? String(replaced.patientID)
                    match = .conflict("this is a new version of referral #\(replaced.id ?? 0), filed for \(owner), but its patient does not match \(owner)",
                                      candidates: [replaced.patientID])
                }
            }
        }

        // A letter whose birth date could not be read cannot make a new patient: a person files
        // it to someone on file (the value as written is named, never a stand-in date).
        if case .new = match, incoming.patient.dateOfBirth == CDAReferralReader.unknownBirthDate {
            let why = "the letter gives no usable birth date"
                + (incoming.warnings.first { $0.hasPrefix("The patient's birth time") }.map { " (\($0))" } ?? "")
            if filing == .newPatient {
                throw ServiceError.refused(action: "file the letter as a new patient",
                                           reasons: [why + "; register the patient (knot patient add) and file it with --patient RECORD --confirm-different-patient"])
            }
            match = .conflict(why, candidates: [])
        }

        // The patient and referral inserted through it (without the model's checks when a
        // reading thread made them today).
        let today = LocalDate.today()
        let writer = inserting(tx, modelCheckedOn, filing: filing, today: today)
        let patientID: Int64
        // The alerts the patient has before this letter's are added (read once, not again below).
        var alertsOnFile: [PatientAlert]?
        switch match {
        case .conflict(let why, let candidateIDs):
            outcome.status = .conflict
            outcome.candidates = try candidateIDs.compactMap { id in
                try tx.patient(id: id).map { ImportCandidate(recordNumber: $0.recordNumber, name: $0.displayName, dateOfBirth: $0.dateOfBirth) }
            }
            if dryRun {
                outcome.detail = "patient match is doubtful: \(why); nothing written"
                return outcome
            }
            let held = try tx.holdReferralLetter(
                HeldReferralLetter(fileName: (file as NSString).lastPathComponent, format: referral.format.rawValue,
                                   letter: referral.originalLetter ?? Data(), sha256: sha, reason: why, candidateIDs: candidateIDs),
                actor: actor)
            outcome.conflictID = held
            outcome.detail = "patient match is doubtful: \(why); no patient or referral written; held as conflict #\(held):"
                + " file it with knot referral resolve \(held) --patient RECORD, or --new-patient"
            return outcome
        case .existing(let id, let how):
            patientID = id
            outcome.status = .matched
            let onFile = try tx.patient(id: id)
            alertsOnFile = onFile?.alerts
            outcome.detail = "filed for patient \(onFile?.recordNumber ?? String(id)) (matched \(how))"
        case .new:
            var p = incoming.patient
            p.id = nil
            p.recordNumber = ""
            p.alerts = []
            if filing != nil {
                // Filed by hand as a new patient although someone similar is on file: the
                // identifiers another patient holds stay with the referral only.
                p.identifiers = try p.identifiers.filter { try tx.patientID(identifier: $0) == nil }
            }
            let saved = try writer.insertPatient(p, actor: actor, today: today)
            patientID = saved.id!
            alertsOnFile = saved.alerts
            outcome.patients = 1
            outcome.detail = "new patient \(saved.recordNumber)"
        }
        referral.patientID = patientID
        let saved = try writer.insertReferral(referral, actor: actor)
        outcome.referrals = 1
        let existing = try alertsOnFile ?? tx.patient(id: patientID)!.alerts
        for alert in incoming.proposedAlerts where !existing.contains(where: { $0.kind == alert.kind && $0.status != .dismissed }) {
            var a = alert
            a.status = .proposed
            try tx.insertAlert(a, patientID: patientID, actor: actor)
            outcome.proposedAlerts += 1
        }
        try tx.recordImportedDocument(sha256: sha, kind: format)
        try tx.appendAudit(AuditEvent(actor: actor, action: .import, entity: "referral", entityID: saved.id, patientID: patientID,
                                      detail: "sha256 \(sha)" + (replaced.map { "; replaces referral #\($0.id ?? 0)" } ?? "")))
        if filing != nil {
            // Who decided, and which held letter it settles (the one held from these bytes, if any).
            let settles = try heldID ?? tx.openReferralConflicts().first { $0.sha256 == sha }?.id
            if let settles { try tx.markReferralConflictResolved(id: settles, referralID: saved.id!, actor: actor) }
            let how = outcome.patients == 1 ? "as a new patient" : "to the patient chosen"
            try tx.appendAudit(AuditEvent(actor: actor, action: .update, entity: "referral", entityID: saved.id, patientID: patientID,
                                          detail: "filed by hand \(how)" + (settles.map { " (conflict #\($0))" } ?? "")))
        }
        outcome.detail += "; referral #\(saved.id!)" + (replaced.map { " replaces referral #\($0.id ?? 0) (an earlier version of this letter; both kept)" } ?? "")
            + (outcome.proposedAlerts > 0 ? "; \(outcome.proposedAlerts) alert(s) proposed for review" : "")
        if dryRun { throw DryRun(outcome: outcome) }
        return outcome
    }

    /// Why two letters are the same letter, from the kind of key they share.
    static func sameLetterReason(_ key: String) -> String {
        if key.hasPrefix("text-sha256:") { return "the same text, line endings and trailing spaces aside" }
        if key.contains("-set:") { return "the same document set and version" }
        return "the same document id"
    }
}

/// Thrown to roll a dry run back after it has checked everything.
struct DryRun: Error { var outcome: ImportOutcome }

/// The first bytes of a file, read with the system's `open`/`read` (no object, no `Data`).
private enum FileHead {
    /// Fills `buffer` from the start of `path` (fewer bytes at the end of the file); the count
    /// read, or nil when the file cannot be opened or read, or is not a regular file (a pipe
    /// would wait for a writer for ever: it is opened without waiting, then refused).
    static func read(_ path: String, into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        var count = 0
        while count < buffer.count {
            let n = Foundation.read(fd, buffer.baseAddress! + count, buffer.count - count)
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            count += n
        }
        return count
    }
}
