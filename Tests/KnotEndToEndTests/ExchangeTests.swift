import Foundation
import Testing
import ClinicTestSupport

/// Import and export as a new user tries them: `knot import Import/`, then a round trip.
@Suite("knot import and export")
struct ExchangeTests {
    let home = TemporaryDirectory(prefix: "knot-exchange")

    /// The package's Import/ folder.
    static let importFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Import").path

    /// As `mreid` by default, an account in Import/'s example clinic export (Knot has no
    /// anonymous use: each call names whom it works as).
    func knot(_ args: [String], db: String, practitioner: String? = "mreid") throws -> KnotProcess.Result {
        var env = ["KNOT_DATABASE": db]
        if let practitioner { env["KNOT_PRACTITIONER"] = practitioner }
        return try KnotProcess.run(args, home: home.path, environment: env)
    }

    @Test("every file in Import/ imports on a fresh database; a second import is a no-op")
    func importFolder() throws {
        let db = home.file("clinic.sqlite")
        // A new clinic and its administrator, who may import a whole-clinic export beside the letters.
        #expect(try knot(["init", "--handle", "amy", "--name", "Amy Nguyen"], db: db, practitioner: nil).status == 0)
        // The example clinic export is not signed by any key this clinic trusts.
        let first = try knot(["import", "--untrusted", Self.importFolder, "--json"], db: db, practitioner: "amy")
        #expect(first.status == 0, "\(first.stderr)")
        let outcomes = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [[String: Any]])
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.importFolder).filter { $0.hasSuffix(".xml") }
        #expect(outcomes.count == files.count)
        for o in outcomes {
            let status = o["status"] as? String
            #expect(status == "created" || status == "matched", "\(o["file"] ?? "?"): \(o["detail"] ?? "")")
        }
        #expect(outcomes.contains { $0["format"] as? String == "cda" })
        #expect(outcomes.contains { $0["format"] as? String == "knot-records" })
        #expect(outcomes.filter { $0["format"] as? String == "fhir" }.count == 3)
        let again = try knot(["import", Self.importFolder, "--json"], db: db, practitioner: "amy")
        let second = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [[String: Any]])
        #expect(second.allSatisfy { $0["status"] as? String == "skipped" })

        // The chart of a patient filed from a CDA letter: referral, sections, proposed alerts.
        let search = try knot(["patient", "search", "Whitlock", "--json"], db: db)
        let found = try #require(try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [[String: Any]])
        let record = try #require(found.first?["recordNumber"] as? String)
        let show = try knot(["patient", "show", record, "--json"], db: db)
        let chart = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let referrals = try #require(chart["referrals"] as? [[String: Any]])
        let referral = try #require(referrals.first?["referral"] as? [String: Any])
        #expect(referral["format"] as? String == "cda")
        let sections = try #require(referral["sections"] as? [[String: Any]])
        #expect(sections.contains { $0["kind"] as? String == "medications" })
        let alerts = try #require((chart["patient"] as? [String: Any])?["alerts"] as? [[String: Any]])
        #expect(alerts.contains { ($0["kind"] as? String) == "precaution:anticoagulant" && ($0["status"] as? String) == "proposed" })
        // The original letter comes back byte for byte.
        let id = try #require(referral["id"] as? Int)
        let original = try knot(["referral", "show", String(id), "--original"], db: db)
        #expect(original.stdout.contains("ClinicalDocument"))

        // A patient filed from a FHIR bundle: the referral shown as any other, alerts proposed.
        let fhirSearch = try knot(["patient", "search", "Pettersen", "--json"], db: db)
        let fhirFound = try #require(try JSONSerialization.jsonObject(with: Data(fhirSearch.stdout.utf8)) as? [[String: Any]])
        let fhirRecord = try #require(fhirFound.first?["recordNumber"] as? String)
        let fhirChart = try #require(try JSONSerialization.jsonObject(with: Data(try knot(["patient", "show", fhirRecord, "--json"], db: db).stdout.utf8)) as? [String: Any])
        let fhirReferral = try #require(((fhirChart["referrals"] as? [[String: Any]])?.first?["referral"]) as? [String: Any])
        #expect(fhirReferral["format"] as? String == "fhir")
        #expect(fhirReferral["sessionsAllowed"] as? Int == 5)
        let fhirAlerts = try #require((fhirChart["patient"] as? [String: Any])?["alerts"] as? [[String: Any]])
        #expect(Set(fhirAlerts.compactMap { $0["kind"] as? String }) == ["precaution:anticoagulant", "precaution:metal-allergy"])
        let shown = try knot(["referral", "show", String(try #require(fhirReferral["id"] as? Int))], db: db)
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("fhir") && shown.stdout.contains("Dr Lucia Ferreira") && shown.stdout.contains("MEDICATIONS"), "\(shown.stdout)")
    }

    @Test("export, init --from the export, export again: identical bytes (the audit trail gains only the import)")
    func roundTrip() throws {
        let db = home.file("demo.sqlite")
        #expect(try knot(["demo"], db: db, practitioner: nil).status == 0)
        let a = home.file("a.xml"), b = home.file("b.xml"), a2 = home.file("a2.xml"), b2 = home.file("b2.xml")
        #expect(try knot(["export", "--output", a, "--no-audit"], db: db, practitioner: "mchen").status == 0)
        #expect(try knot(["export", "--output", a2], db: db, practitioner: "mchen").status == 0)
        let mode = try FileManager.default.attributesOfItem(atPath: a)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let copy = home.file("copy.sqlite")
        // A new clinic from an export needs no account: it brings the clinic's own.
        let imported = try knot(["init", "--from", a2], db: copy, practitioner: nil)
        #expect(imported.status == 0, "\(imported.stdout) \(imported.stderr)")
        #expect(try knot(["export", "--output", b, "--no-audit"], db: copy, practitioner: "mchen").status == 0)
        #expect(FileManager.default.contents(atPath: a) == FileManager.default.contents(atPath: b))
        #expect(try knot(["export", "--output", b2], db: copy, practitioner: "mchen").status == 0)
        let withAuditA = String(decoding: FileManager.default.contents(atPath: a2)!, as: UTF8.self)
        let withAuditB = String(decoding: FileManager.default.contents(atPath: b2)!, as: UTF8.self)
        let importEvents = withAuditB.components(separatedBy: "action=\"import\" entity=\"clinic\"").count - 1
        #expect(importEvents == withAuditA.components(separatedBy: "action=\"import\" entity=\"clinic\"").count - 1 + 1)
        #expect(withAuditB.hasPrefix(String(withAuditA.prefix(upTo: withAuditA.range(of: "</audit>")!.lowerBound))))
        #expect(try knot(["audit", "verify"], db: copy, practitioner: "mchen").status == 0)
    }

    @Test("a hostile document is refused with a clear message and the database is unchanged")
    func hostile() throws {
        let db = home.file("clinic.sqlite")
        #expect(try knot(["init", "--handle", "mreid", "--name", "M Reid"], db: db).status == 0)
        let before = KnotProcess.fingerprint(db)
        var refused = 0
        // Wrapped as a referral letter (read whole) and as a clinic export (streamed from disk).
        let cases = HostileXMLCorpus.cases() + HostileXMLCorpus.cases(rootName: "clinicRecords", namespace: "urn:knot:records:1")
            + HostileXMLCorpus.cases(rootName: "Bundle", namespace: "http://hl7.org/fhir")
        for c in cases where c.expectation != .acceptable {
            let path = home.file("hostile-\(refused).xml")
            try c.data.write(to: URL(fileURLWithPath: path))
            let r = try knot(["import", path], db: db)
            #expect(r.status == 65, "\(c.name) should be rejected: \(r.stdout)")
            #expect(r.stdout.contains("REJECTED"), "\(c.name)")
            #expect(!r.stdout.contains("root:x:0:0") && !r.stderr.contains("root:x:0:0"), "\(c.name) leaked a file")
            refused += 1
        }
        #expect(refused >= 120)
        #expect(KnotProcess.fingerprint(db) == before)
    }
}
