import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicDemo
@testable import ClinicStore
import ClinicTestSupport

/// Signed clinic exports: `EXPORT.sig` beside each export; an import refuses a forged export
/// (changed after signing), one signed by a key the clinic does not trust, and an unsigned one,
/// saying why; `--untrusted` imports the last two marked UNTRUSTED in the audit trail.
@Suite struct SignedExportTests {
    /// The demo clinic exported once, with its signature.
    static let exported: (TemporaryDirectory, String) = {
        let dir = TemporaryDirectory(prefix: "knot-signed-export")
        let db = try! ClinicDatabase(path: dir.file("demo.sqlite"))
        _ = try! DemoClinic.load(into: db, actor: "demo", today: try! LocalDate(year: 2026, month: 6, day: 30))
        let path = dir.file("clinic.xml")
        _ = try! ClinicSession.maintenance(database: db, actor: "test").export(to: path)
        try! db.close()
        return (dir, path)
    }()

    /// Imports `export` into a new clinic; returns the outcome and the import's audit detail.
    static func importInto(_ export: String, untrusted: Bool = false) throws -> (ImportOutcome, String?) {
        let dir = TemporaryDirectory(prefix: "knot-signed-import")
        let db = try ClinicDatabase(path: dir.file("clinic.sqlite"))
        defer { try? db.close() }
        var options = ImportOptions()
        options.untrusted = untrusted
        let outcome = ClinicSession.maintenance(database: db, actor: "test").importFile(export, options: options)
        let detail = try db.read { try $0.auditLog(patientID: nil, limit: 1).first?.event.detail }
        return (outcome, detail)
    }

    /// A copy of the export with `edit` applied to its text, and the original signature beside it
    /// unless `signature` says otherwise.
    static func forged(_ edit: (String) -> String, signature: String?? = .none) throws -> (TemporaryDirectory, String) {
        let dir = TemporaryDirectory(prefix: "knot-forged")
        let path = dir.file("clinic.xml")
        let text = try String(contentsOfFile: exported.1, encoding: .utf8)
        try edit(text).write(toFile: path, atomically: true, encoding: .utf8)
        switch signature {
        case .none: try FileManager.default.copyItem(atPath: exported.1 + ".sig", toPath: path + ".sig")
        case .some(.none): break
        case .some(.some(let sig)): try sig.write(toFile: path + ".sig", atomically: true, encoding: .utf8)
        }
        return (dir, path)
    }

    /// The export with its audit trail cut to the first `keep` events.
    static func cutTrail(_ text: String, keep: Int) -> String {
        guard let start = text.range(of: "<audit>"), let end = text.range(of: "</audit>") else { return text }
        let events = text[start.upperBound..<end.lowerBound].components(separatedBy: "</event>")
        let kept = events.prefix(keep).joined(separator: "</event>") + (keep > 0 ? "</event>\n  " : "\n  ")
        return String(text[..<start.upperBound]) + kept + String(text[end.lowerBound...])
    }

    @Test("an export is signed beside it, and a clinic of this Knot account imports it as trusted, with no false alarm")
    func signedRoundTrip() throws {
        let sig = try String(contentsOfFile: Self.exported.1 + ".sig", encoding: .utf8)
        #expect(sig.hasPrefix("knot-export-signature 1\nsha256 "))
        let (outcome, detail) = try Self.importInto(Self.exported.1)
        #expect(outcome.status == .created, "\(outcome.detail)")
        #expect(detail?.contains("signed by trusted key") == true, "\(detail ?? "")")
    }

    @Test("forgery 1: a signed complaint changed (the trail re-hashed or not) no longer matches the signature and is refused")
    func changedComplaint() throws {
        let (dir, path) = try Self.forged { $0.replacingOccurrences(of: "<complaint>Plantar", with: "<complaint>Nothing", options: [], range: nil) }
        _ = dir
        let (outcome, _) = try Self.importInto(path)
        #expect(outcome.status == .rejected)
        #expect(outcome.detail.contains("the export's signature does not verify") && outcome.detail.contains("the file was changed after signing"), "\(outcome.detail)")
        // Even with --untrusted: a forged signature is refused always.
        #expect(try Self.importInto(path, untrusted: true).0.status == .rejected)
    }

    @Test("forgery 2: a trail cut and re-signed with another key is refused as not trusted; --untrusted marks it")
    func cutAndResigned() throws {
        let keyDir = TemporaryDirectory(prefix: "knot-attacker")
        let attacker = try ClinicKey.create(path: keyDir.file("attacker.key"))
        let (dir, path) = try Self.forged({ Self.cutTrail($0, keep: 2_001) }, signature: .some(nil))
        _ = dir
        let sha = try SQLiteProbe.python("import hashlib, sys\nprint(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())", [path])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try ExportSignature.text(sha256: sha, key: attacker).write(toFile: path + ".sig", atomically: true, encoding: .utf8)
        let (outcome, _) = try Self.importInto(path)
        #expect(outcome.status == .rejected)
        #expect(outcome.detail.contains("signed by a clinic key this clinic does not trust (\(attacker.publicSigningKey))"), "\(outcome.detail)")
        let (marked, detail) = try Self.importInto(path, untrusted: true)
        #expect(marked.status == .created, "\(marked.detail)")
        #expect(detail?.contains("UNTRUSTED: signed by a key this clinic does not trust") == true, "\(detail ?? "")")
        #expect(marked.warnings.contains { $0.hasPrefix("UNTRUSTED") })
    }

    @Test("forgery 3: an export with an empty trail and no signature is refused as unsigned; --untrusted marks it")
    func emptyTrailUnsigned() throws {
        let (dir, path) = try Self.forged({ Self.cutTrail($0, keep: 0) }, signature: .some(nil))
        _ = dir
        let (outcome, _) = try Self.importInto(path)
        #expect(outcome.status == .rejected)
        #expect(outcome.detail.contains("the export is not signed (no clinic.xml.sig beside it)"), "\(outcome.detail)")
        let (marked, detail) = try Self.importInto(path, untrusted: true)
        #expect(marked.status == .created, "\(marked.detail)")
        #expect(detail?.contains("UNTRUSTED: unsigned") == true, "\(detail ?? "")")
    }
}
