import Foundation
import Testing
import ClinicModel
import ClinicServices
@testable import ClinicStore
import ClinicTestSupport

/// The whole-clinic import checks the file's SHA-256 and signature beside its reading and
/// writing (`ExportAdmission`), not before: what a user relies on is unchanged. A forged,
/// untrusted or unsigned file is refused with the signature's message and nothing written,
/// even when the reading met an XML error or a refused record first; a file imported before is
/// skipped; and in a file the check admits, a refused record is still reported naming the file,
/// line and path.
@Suite struct ExportAdmissionTests {
    /// What a clinic holds after an import: patients, audit events, whether the file is on record.
    struct Held: Equatable {
        var patients: Int, auditEvents: Int, fileRecorded: Bool
    }

    /// Imports `export` into `db` (a new clinic unless given) and says what the clinic then holds.
    static func importInto(_ export: String, untrusted: Bool = false, db given: ClinicDatabase? = nil) throws -> (ImportOutcome, Held) {
        let dir = TemporaryDirectory(prefix: "knot-admission")
        let db = try given ?? ClinicDatabase(path: dir.file("clinic.sqlite"))
        defer { if given == nil { try? db.close() } }
        var options = ImportOptions()
        options.untrusted = untrusted
        let outcome = ClinicSession.maintenance(database: db, actor: "test").importFile(export, options: options)
        let sha = try LetterDigestProbe.sha256(of: export)
        let held = try db.read {
            Held(patients: try $0.patientCount(includeArchived: true), auditEvents: try $0.auditLog(patientID: nil, limit: 1_000_000).count,
                 fileRecorded: try $0.wasImported(sha256: sha))
        }
        return (outcome, held)
    }

    static let nothing = Held(patients: 0, auditEvents: 0, fileRecorded: false)

    /// The export with its closing `</audit>` misspelt: an XML error after every patient was read and written.
    static func brokenAtTheEnd(_ text: String) -> String {
        text.replacingOccurrences(of: "</audit>", with: "</audt>")
    }

    @Test("a forged export is refused with the signature's message, and nothing is left written")
    func forgedRefusedNothingWritten() throws {
        let (dir, path) = try SignedExportTests.forged { $0.replacingOccurrences(of: "<complaint>Plantar", with: "<complaint>Nothing") }
        _ = dir
        for untrusted in [false, true] {
            let (outcome, held) = try Self.importInto(path, untrusted: untrusted)
            #expect(outcome.status == .rejected)
            #expect(outcome.detail.hasPrefix("the export's signature does not verify") && outcome.detail.contains("the file was changed after signing"),
                    "\(outcome.detail)")
            #expect(held == Self.nothing, "\(held)")
        }
    }

    @Test("an XML error at the end of a forged or unsigned export: the signature's refusal is reported, as when it was checked first")
    func signatureRefusalBeforeAnXMLError() throws {
        let (forgedDir, forged) = try SignedExportTests.forged(Self.brokenAtTheEnd)
        _ = forgedDir
        let (refused, heldForged) = try Self.importInto(forged)
        #expect(refused.status == .rejected)
        #expect(refused.detail.hasPrefix("the export's signature does not verify"), "\(refused.detail)")
        #expect(heldForged == Self.nothing)

        let (unsignedDir, unsigned) = try SignedExportTests.forged(Self.brokenAtTheEnd, signature: .some(nil))
        _ = unsignedDir
        let (notSigned, heldUnsigned) = try Self.importInto(unsigned)
        #expect(notSigned.status == .rejected)
        #expect(notSigned.detail.hasPrefix("the export is not signed (no clinic.xml.sig beside it)"), "\(notSigned.detail)")
        #expect(heldUnsigned == Self.nothing)

        // Admitted (--untrusted), the XML error is what is reported, and nothing is written either.
        let (xmlError, heldXML) = try Self.importInto(unsigned, untrusted: true)
        #expect(xmlError.status == .rejected)
        #expect(xmlError.detail.contains("clinic.xml:") && xmlError.detail.contains("audt"), "\(xmlError.detail)")
        #expect(heldXML == Self.nothing)
    }

    @Test("a record the model refuses, in a file the check admits: refused naming file, line and path, nothing written")
    func modelRefusalNamesFileLineAndPath() throws {
        let original = try String(contentsOfFile: SignedExportTests.exported.1, encoding: .utf8)
        let pattern = #"needlesInserted="(\d+)" needlesRemoved="(\d+)""#
        let regex = try NSRegularExpression(pattern: pattern)
        let whole = NSRange(original.startIndex..., in: original)
        let match = try #require(regex.firstMatch(in: original, range: whole), "the demo export has a needling entry")
        let inserted = Int((original as NSString).substring(with: match.range(at: 1)))!
        let broken = (original as NSString).replacingCharacters(
            in: match.range, with: #"needlesInserted="\#(inserted)" needlesRemoved="\#(inserted + 1)""#)
        let line = (original as NSString).substring(to: match.range.location).filter { $0 == "\n" }.count + 1
        let (dir, path) = try SignedExportTests.forged({ _ in broken }, signature: .some(nil))
        _ = dir
        let (outcome, held) = try Self.importInto(path, untrusted: true)
        #expect(outcome.status == .rejected)
        #expect(outcome.detail.contains("clinic.xml:\(line): /clinicRecords/") && outcome.detail.contains("needlesRemoved"), "\(outcome.detail)")
        #expect(held == Self.nothing, "\(held)")
        // Without --untrusted the same file is refused as unsigned: the signature's refusal comes first.
        let (unsigned, _) = try Self.importInto(path)
        #expect(unsigned.detail.hasPrefix("the export is not signed"), "\(unsigned.detail)")
    }

    @Test("an export imported before is skipped, and the second import writes nothing")
    func importedBeforeIsSkipped() throws {
        let dir = TemporaryDirectory(prefix: "knot-admission-twice")
        let db = try ClinicDatabase(path: dir.file("clinic.sqlite"))
        defer { try? db.close() }
        let (first, afterFirst) = try Self.importInto(SignedExportTests.exported.1, db: db)
        #expect(first.status == .created, "\(first.detail)")
        #expect(afterFirst.fileRecorded && afterFirst.patients > 0)
        let (second, afterSecond) = try Self.importInto(SignedExportTests.exported.1, db: db)
        #expect(second.status == .skipped)
        #expect(second.detail == "already imported (same SHA-256); nothing written")
        #expect(afterSecond == afterFirst)
    }
}

/// The SHA-256 of a file as the import takes it (lower-case hex).
enum LetterDigestProbe {
    static func sha256(of path: String) throws -> String {
        try SQLiteProbe.python("import hashlib, sys\nprint(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())", [path])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
