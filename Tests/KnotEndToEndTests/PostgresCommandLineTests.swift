import Foundation
import Testing
import ClinicTestSupport

/// `knot --database postgres://...` as a user meets it, through the built `knot`, on a fresh
/// database of the server `KNOT_TEST_POSTGRES` names (skipped, saying so, without it): a
/// database without a clinic is refused until `knot init`; accounts, patients, search and the
/// audit trail work; a visit's entries are added, corrected and struck out, read back the same
/// on both stores; `knot backup` names the server's tools.
@Suite("knot on PostgreSQL")
struct PostgresCommandLineTests {
    @Test("init, practitioner add, patient add, search and show, audit verify: the same on both stores; on PostgreSQL, backup refused clearly",
          arguments: TestStore.all)
    func aClinicOnEitherStore(store: TestStore) throws {
        let clinic = try EndToEndClinic(store: store)
        let missing = try clinic.knot(["patient", "list"])
        #expect(missing.status == 66, "\(missing.stderr)")
        #expect(missing.stderr.contains("there is no clinic database at \(clinic.db)"), "\(missing.stderr)")

        try clinic.setUp()
        try clinic.addPatient("Mary", "Müller", dob: "1980-03-14", record: "K1")
        try clinic.addPatient("Sean", "O'Brien", dob: "1975-01-02", record: "K2")
        for (query, found) in [("mul", "K1"), ("obrien", "K2"), ("o'brien", "K2"), ("14/03/1980", "K1"), ("1975-01-02", "K2")] {
            let r = try clinic.knot(["patient", "search", query, "--json"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("\"\(found)\""), "\(query): \(r.stdout)")
        }
        let duplicate = try clinic.knot(["patient", "add", "--given", "MARY", "--family", "Muller", "--dob", "1980-03-14"])
        #expect(duplicate.status == 1, "\(duplicate.stderr)")
        #expect(try StoreProbe.scalar(clinic.db, "SELECT count(*) FROM patient") == "2")

        let verify = try clinic.knot(["audit", "verify"])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("Audit trail intact: 6 event(s)"), "\(verify.stdout)")
        let show = try clinic.knot(["patient", "show", "K1"])
        #expect(show.status == 0 && show.stdout.contains("Müller"), "\(show.status) \(show.stderr)")
        guard store == .postgres else { return }
        #expect(verify.stdout.contains("no keyed seals on PostgreSQL: the server's roles guard the rows"), "\(verify.stdout)")

        let backup = try clinic.knot(["backup", clinic.home.file("copy.sqlite")])
        #expect(backup.status != 0)
        #expect(backup.stderr.contains("pg_dump") && backup.stderr.contains("pg_basebackup"), "\(backup.stderr)")
        #expect(!FileManager.default.fileExists(atPath: clinic.home.file("copy.sqlite")))
    }

    @Test("finding, treatment, needle and outcome add; edit and strike each; visit show and sign; audit verify: the same on both stores",
          arguments: TestStore.all)
    func aVisitsEntriesOnEitherStore(store: TestStore) throws {
        let clinic = try EndToEndClinic(store: store)
        let visit = try clinic.draftVisit()
        func ok(_ args: [String]) throws -> String {
            let r = try clinic.knot(args)
            #expect(r.status == 0, "\(args): \(r.status) \(r.stderr)")
            return r.stdout
        }
        for args in [
            ["finding", "add", visit, "--muscle", "gastrocnemius-medial", "--side", "left", "--active", "--taut-band", "--twitch", "--no-referred",
             "--tenderness", "7", "--causes", "injury"],
            ["finding", "add", visit, "--kind", "lunge", "--side", "right", "--value", "8.5"],
            ["treatment", "add", visit, "--kind", "stretching"],
            ["treatment", "add", visit, "--kind", "ischaemic-compression", "--muscle", "soleus", "--side", "left", "--hold", "60", "--cycles", "3"],
            ["consent", "record", "K1", "--risks", "bruising,soreness,fainting"],
            ["screen", "record", "K1", "--none-present"],
            ["needle", "add", visit, "--muscle", "gastrocnemius-medial", "--side", "left", "--technique", "pistoning", "--sharps-disposed",
             "--size", "0.25x40", "--brand", "Seirin", "--lot", "L1", "--inserted", "2", "--removed", "2"],
            ["outcome", "add", visit, "--measure", "lefs", "--items", "2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2"],
            ["outcome", "add", visit, "--measure", "ndi", "--items", "2,2,2,2,2,2,2,2,2,2"],
        ] { _ = try ok(args) }
        let shown = try ok(["visit", "show", visit])
        for part in ["Gastrocnemius (medial head) L — active, taut band, LTR, tenderness 7/10", "Lunge 8.5 cm R", "1. stretching",
                     "ischaemic-compression Soleus L, 60 s holds × 3", "LEFS 40/80", "NDI 40%", "2 in / 2 out"] {
            #expect(shown.contains(part), "\(part): \(shown)")
        }
        // Corrections: an edit in place, and a strike of each kind (kept, listed under the note).
        _ = try ok(["finding", "edit", visit, "1", "--tenderness", "5"])
        _ = try ok(["treatment", "edit", visit, "2", "--cycles", "5"])
        _ = try ok(["treatment", "strike", visit, "1", "--reason", "not given"])
        _ = try ok(["finding", "strike", visit, "2", "--reason", "other patient's"])
        _ = try ok(["outcome", "strike", visit, "2", "--reason", "entered for the wrong visit"])
        let json = try clinic.json(clinic.knot(["visit", "show", visit, "--json"]))
        let v = try #require(json["visit"] as? [String: Any], "\(json.keys)")
        let points = try #require(v["triggerPoints"] as? [[String: Any]])
        #expect(points.count == 1 && (points[0]["tenderness"] as? NSNumber)?.intValue == 5)
        #expect((v["biomechanics"] as? [Any])?.isEmpty == true)
        let treatments = try #require(v["treatments"] as? [[String: Any]])
        #expect(treatments.count == 1 && (treatments[0]["cycles"] as? NSNumber)?.intValue == 5)
        #expect((v["outcomes"] as? [[String: Any]])?.map { $0["scale"] as? String } == ["lefs"])
        let after = try ok(["visit", "show", visit])
        #expect(after.contains("Struck out while a draft") && after.contains("not given") && after.contains("entered for the wrong visit"), "\(after)")
        let trend = try ok(["outcome", "list", "K1"])
        #expect(trend.contains("LEFS") && !trend.contains("NDI"), "the struck NDI leaves the trend: \(trend)")
        _ = try ok(["needle", "strike", visit, "1", "--reason", "entered twice"])
        // Signed, the visit refuses corrections; the trail verifies.
        _ = try ok(["visit", "sign", visit])
        let late = try clinic.knot(["finding", "edit", visit, "1", "--tenderness", "2"])
        #expect(late.status == 1 && late.stderr.contains("amend it instead"), "\(late.status) \(late.stderr)")
        let verify = try clinic.knot(["audit", "verify"])
        #expect(verify.status == 0 && verify.stdout.contains("Audit trail intact"), "\(verify.stdout) \(verify.stderr)")
        #expect(try StoreProbe.scalar(clinic.db, "SELECT count(*) FROM treatment WHERE struck_at IS NOT NULL") == "1")
    }
}
