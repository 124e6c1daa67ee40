import Foundation
import Logging
import ClinicModel
import ClinicStore
import ClinicXML
import LibXML

/// The outcome of importing one file, for the per-file summary (`knot import`, `--json`).
public struct ImportOutcome: Sendable, Codable {
    public enum Status: String, Sendable, Codable {
        /// New records written.
        case created
        /// Filed against an existing patient.
        case matched
        /// Already imported (same SHA-256): nothing written.
        case skipped
        /// A doubtful patient match: nothing written, for the practitioner to decide.
        case conflict
        /// Refused: unreadable, invalid or hostile; nothing written.
        case rejected
    }
    public var file: String
    public var status: Status
    public var format: String?
    public var detail: String
    public var patients: Int = 0
    public var referrals: Int = 0
    public var visits: Int = 0
    public var proposedAlerts: Int = 0
    public var warnings: [String] = []
}

/// Options for `knot import`.
public struct ImportOptions: Sendable {
    public var maxBytes: Int
    /// An extra (full) schema every CDA document must also satisfy (`--schema FILE`).
    /// Compiled once for the whole import, not once per file.
    public var extraCDASchema: XMLSchema?
    /// Read and validate only; write nothing.
    public var dryRun: Bool

    public init(maxBytes: Int = ParseOptions.defaultMaxBytes, dryRun: Bool = false) {
        self.maxBytes = maxBytes; self.dryRun = dryRun
    }

    /// With a full CDA schema compiled once; throws when it does not compile (errors carry the line).
    public init(maxBytes: Int = ParseOptions.defaultMaxBytes, extraCDASchema: Data?, dryRun: Bool = false) throws {
        self.init(maxBytes: maxBytes, dryRun: dryRun)
        self.extraCDASchema = try extraCDASchema.map { try XMLSchema(data: $0, name: "--schema") }
    }
}

extension ClinicSession {
    /// Expands files and folders into the XML files to import, sorted for a stable order.
    public static func importFiles(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else { throw ServiceError.input("\(path): no such file or folder") }
            if isDir.boolValue {
                let items = (try? fm.contentsOfDirectory(atPath: path)) ?? []
                let xml = items.filter { $0.lowercased().hasSuffix(".xml") }.sorted().map { (path as NSString).appendingPathComponent($0) }
                // Whole-clinic exports first: into an empty database they keep their ids and audit
                // trail, and the letters that follow are then matched to their patients.
                let exports = Set(xml.filter(isClinicExport))
                files += xml.filter(exports.contains) + xml.filter { !exports.contains($0) }
            } else {
                files.append(path)
            }
        }
        return files
    }

    /// Refuses, before anything is read, files the user may not import: referral letters need
    /// an account, a whole-clinic export (signed visits, accounts, an audit trail) an administrator.
    public func authorizeImport(of paths: [String]) throws {
        for path in paths { try authorize(Self.isClinicExport(path) ? .importClinicExport : .importReferrals) }
    }

    /// Imports one file: detect the format, validate, then write it in one transaction, or nothing.
    public func importFile(_ path: String, options: ImportOptions = ImportOptions()) -> ImportOutcome {
        let name = path
        func rejected(_ detail: String, format: String? = nil) -> ImportOutcome {
            logger.info("import rejected", metadata: ["format": .string(format ?? "unknown")])
            return ImportOutcome(file: name, status: .rejected, format: format, detail: detail)
        }
        do { try authorizeImport(of: [path]) } catch { return rejected("\(error)") }
        // Size cap before reading a byte.
        guard let attrs = try? FileManager.default.attributesOfItem(atPath: path), let size = attrs[.size] as? Int else {
            return rejected("cannot read the file")
        }
        let parseOptions = ParseOptions(maxBytes: options.maxBytes, fileName: (path as NSString).lastPathComponent)
        do {
            // Letters are read whole, within the cap; a whole-clinic export streams from disk,
            // in flat memory, whatever its size.
            if Self.isClinicExport(path) {
                let sha = try LetterDigest.sha256Hex(fileAt: path)
                if try database.read({ try $0.wasImported(sha256: sha) }) {
                    return ImportOutcome(file: name, status: .skipped, format: nil, detail: "already imported (same SHA-256); nothing written")
                }
                let reader = try RecordsImportReader(contentsOfFile: path, fileName: parseOptions.fileName, options: parseOptions)
                return try importRecords(reader, file: name, sha: sha, dryRun: options.dryRun)
            }
            if size > options.maxBytes {
                return rejected("the file is \(size) bytes, over the \(options.maxBytes)-byte limit (--max-mb)")
            }
            guard let data = FileManager.default.contents(atPath: path) else { return rejected("cannot read the file") }
            let sha = LetterDigest.sha256Hex(data)
            if try database.read({ try $0.wasImported(sha256: sha) || $0.referralID(sha256: sha) != nil }) {
                return ImportOutcome(file: name, status: .skipped, format: nil, detail: "already imported (same SHA-256); nothing written")
            }
            let kind = try DocumentKind.detect(data, fileName: parseOptions.fileName, options: parseOptions)
            switch kind {
            case .knotReferral:
                let incoming = try KnotReferralReader.read(data, fileName: parseOptions.fileName, options: parseOptions)
                return try fileReferral(incoming, file: name, format: "knot-referral", sha: sha, dryRun: options.dryRun)
            case .cdaDocument:
                let incoming = try CDAReferralReader.read(data, fileName: parseOptions.fileName, options: parseOptions,
                                                          extraSchema: options.extraCDASchema)
                return try fileReferral(incoming, file: name, format: "cda", sha: sha, dryRun: options.dryRun)
            case .clinicRecords:
                try authorize(.importClinicExport)
                let reader = try RecordsImportReader(data: data, fileName: parseOptions.fileName, options: parseOptions)
                return try importRecords(reader, file: name, sha: sha, dryRun: options.dryRun)
            case .plan:
                return rejected("a follow-up plan document is an export for patients and referrers, not something to import", format: "plan")
            case .unknown(let root, let ns):
                return rejected("<\(root)> in namespace \(ns ?? "(none)") is not a format Knot reads (Knot records, Knot referral, HL7 CDA)")
            }
        } catch let dry as DryRun {
            var o = dry.outcome
            if o.status != .conflict { o.detail += " (dry run: nothing written)" }
            return o
        } catch {
            return rejected(Self.describe(error))
        }
    }

    /// Whether a file's first bytes say it is a whole-clinic export (urn:knot:records:1).
    public static func isClinicExport(_ file: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: file), let head = try? handle.read(upToCount: 4096) else { return false }
        try? handle.close()
        return String(decoding: head, as: UTF8.self).contains("urn:knot:records:1")
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case let e as ClinicXMLErrors: return e.errors.prefix(10).map(\.description).joined(separator: "\n")
        case let e as StoreError:
            if case .invalid(let v) = e { return v.errors.map(\.description).joined(separator: "; ") }
            return e.description
        case let e as CustomStringConvertible: return e.description
        default: return "\(error)"
        }
    }

    /// How a letter's patient relates to the patients on file.
    enum PatientMatch {
        case existing(Int64, how: String)
        case new
        case conflict(String)
    }

    func matchPatient(_ p: Patient, _ tx: any ClinicRecordReader) throws -> PatientMatch {
        var byID = Set<Int64>()
        for ident in p.identifiers { if let id = try tx.patientID(identifier: ident) { byID.insert(id) } }
        if byID.count > 1 {
            return .conflict("the letter's identifiers belong to \(byID.count) different patients (\(byID.sorted().map(String.init).joined(separator: ", ")))")
        }
        if let id = byID.first {
            let onFile = try tx.patient(id: id)!
            let sameDOB = onFile.dateOfBirth == p.dateOfBirth
            let sameFamily = onFile.familyName.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
                == p.familyName.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            if !sameDOB || !sameFamily {
                return .conflict("identifier matches patient \(onFile.recordNumber) but the \(sameDOB ? "family name" : "date of birth") differs")
            }
            return .existing(id, how: "by identifier")
        }
        let exact = try tx.patientIDs(familyName: p.familyName, givenNames: p.givenNames, dateOfBirth: p.dateOfBirth)
        if exact.count == 1 { return .existing(exact[0], how: "by name and date of birth") }
        if exact.count > 1 { return .conflict("\(exact.count) patients share this name and date of birth") }
        let doubtful = try tx.patientIDs(familyName: p.familyName, dateOfBirth: p.dateOfBirth)
        if !doubtful.isEmpty {
            return .conflict("a patient with the same family name and date of birth but other given names is on file (id \(doubtful.map(String.init).joined(separator: ", "))); file it by hand")
        }
        return .new
    }

    func fileReferral(_ incoming: IncomingReferral, file: String, format: String, sha: String, dryRun: Bool) throws -> ImportOutcome {
        try database.write { tx in
            let match = try matchPatient(incoming.patient, tx)
            var outcome = ImportOutcome(file: file, status: .created, format: format, detail: "", warnings: incoming.warnings)
            let patientID: Int64
            switch match {
            case .conflict(let why):
                outcome.status = .conflict
                outcome.detail = "patient match is doubtful: \(why); nothing written"
                return outcome
            case .existing(let id, let how):
                patientID = id
                outcome.status = .matched
                outcome.detail = "filed for patient \(try tx.patient(id: id)!.recordNumber) (matched \(how))"
            case .new:
                var p = incoming.patient
                p.id = nil
                p.recordNumber = ""
                p.alerts = []
                let saved = try tx.insertPatient(p, actor: actor)
                patientID = saved.id!
                outcome.patients = 1
                outcome.detail = "new patient \(saved.recordNumber)"
            }
            var referral = incoming.referral
            referral.patientID = patientID
            let saved = try tx.insertReferral(referral, actor: actor)
            outcome.referrals = 1
            let existing = try tx.patient(id: patientID)!.alerts
            for alert in incoming.proposedAlerts where !existing.contains(where: { $0.kind == alert.kind && $0.status != .dismissed }) {
                var a = alert
                a.status = .proposed
                try tx.insertAlert(a, patientID: patientID, actor: actor)
                outcome.proposedAlerts += 1
            }
            try tx.recordImportedDocument(sha256: sha, kind: format)
            try tx.appendAudit(AuditEvent(actor: actor, action: .import, entity: "referral", entityID: saved.id, patientID: patientID,
                                          detail: "sha256 \(sha)"))
            outcome.detail += "; referral #\(saved.id!)" + (outcome.proposedAlerts > 0 ? "; \(outcome.proposedAlerts) alert(s) proposed for review" : "")
            if dryRun { throw DryRun(outcome: outcome) }
            return outcome
        }
    }
}

/// Thrown to roll a dry run back after it has checked everything.
struct DryRun: Error { var outcome: ImportOutcome }
