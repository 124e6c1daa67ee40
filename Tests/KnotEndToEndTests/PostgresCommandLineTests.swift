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
            ["consent", "record", "K1", "--risks", "bruising,soreness,fainting", "--benefits-explained"],
            ["screen", "record", "K1", "--valid-days", "90", "--none-present"],
            ["needle", "add", visit, "--muscle", "gastrocnemius-medial", "--side", "left", "--technique", "pistoning", "--sharps-disposed",
             "--size", "0.25x40", "--brand", "Seirin", "--lot", "L1", "--inserted", "2", "--removed", "2", "--twitches", "0", "--no-adverse"],
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

    /// A file of Import/, copied into `folder`.
    static func example(_ name: String, into folder: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = (folder as NSString).appendingPathComponent(name)
        try FileManager.default.copyItem(atPath: root.appendingPathComponent("Import").appendingPathComponent(name).path, toPath: path)
        return path
    }

    @Test("a folder of Knot, CDA and FHIR letters filed, again a no-op; referral list/show, a held letter filed, the needling log, the recall list, check and trust: the same on both stores",
          arguments: TestStore.all)
    func lettersNeedlingRecallOnEitherStore(store: TestStore) throws {
        let clinic = try EndToEndClinic(store: store)
        try clinic.setUp()
        let inbox = clinic.home.file("inbox")
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        let names = ["referral-au-gp-anticoagulant.xml", "cda-au-ereferral.xml", "fhir-au-erequesting-bundle.xml"]
        let letters = try names.map { try Self.example($0, into: inbox) }
        let first = try clinic.knot(["import", inbox])
        #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        #expect(try StoreProbe.scalar(clinic.db, "SELECT count(*) FROM referral") == "3")
        #expect(try StoreProbe.scalar(clinic.db, "SELECT count(*) FROM imported_document") == "3")
        let again = try clinic.knot(["import", inbox])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try StoreProbe.scalar(clinic.db, "SELECT count(*) FROM referral") == "3", "a second import files nothing")
        #expect(try StoreProbe.scalar(clinic.db, "SELECT count(*) FROM patient") == "3")

        // The referral of the first letter, as reception and the chart see it, and its letter byte for byte.
        let filedFrom = try #require(try StoreProbe.scalar(clinic.db, "SELECT p.record_number FROM referral r JOIN patient p ON p.id = r.patient_id WHERE r.id = 1"))
        let list = try clinic.knot(["referral", "list", filedFrom, "--json"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("\"sessionsUsed\" : 0"), "\(list.stdout)")
        let show = try clinic.knot(["referral", "show", "1"])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("Referral #1"), "\(show.stdout)")
        let original = try clinic.knot(["referral", "show", "1", "--original"])
        #expect(original.status == 0, "\(original.stderr)")
        func text(_ s: String) -> String { s.replacingOccurrences(of: "\u{FEFF}", with: "").trimmingCharacters(in: .whitespacesAndNewlines) }
        let received = try letters.map { String(decoding: try Data(contentsOf: URL(fileURLWithPath: $0)), as: UTF8.self) }
        #expect(received.contains { text($0) == text(original.stdout) }, "the letter as received: \(original.stdout.prefix(200))")

        // A needled, signed visit in the needling log; its final plan on the recall list.
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        for step in [["consent", "record", "K1", "--risks", "bruising,soreness,fainting", "--benefits-explained"],
                     ["screen", "record", "K1", "--valid-days", "90", "--none-present"],
                     ["visit", "new", "K1", "--complaint", "Left calf pain", "--pain-now", "4"],
                     ["needle", "add", "1", "--muscle", "gastrocnemius-medial", "--side", "left", "--technique", "pistoning", "--sharps-disposed",
                      "--size", "0.25x40", "--brand", "Seirin", "--lot", "L2411", "--inserted", "2", "--removed", "2", "--depth", "12", "--twitches", "0", "--no-adverse"],
                     ["visit", "sign", "1"],
                     ["plan", "1", "--final"]] {
            let r = try clinic.knot(step)
            try #require(r.status == 0, "\(step.joined(separator: " ")): \(r.stderr)")
        }
        let log = try clinic.knot(["log", "needling", "--from", "2000-01-01"])
        #expect(log.status == 0, "\(log.stderr)")
        #expect(log.stdout.contains("K1") && log.stdout.contains("L2411"), "\(log.stdout)")
        let recall = try clinic.knot(["reviews", "--due-by", "2099-12-31", "--json"])
        #expect(recall.status == 0, "\(recall.stderr)")
        #expect(recall.stdout.contains("\"K1\"") && recall.stdout.contains("\"dueInDays\" : 7"), "\(recall.stdout)")
        #expect(try clinic.knot(["reviews"]).stdout.contains("No reviews due by"))

        // A letter for someone who may be K1 is held, not filed, until a person files it.
        let doubtful = clinic.home.file("joanna-smith.xml")
        try Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <referral xmlns="urn:knot:referral:1" version="1">
              <referrer><name>Dr Ann Lee</name><organisation>Harbour GP</organisation></referrer>
              <date>2026-11-01</date>
              <patient><givenNames>Joanna</givenNames><familyName>Smith</familyName><dateOfBirth>1980-05-17</dateOfBirth></patient>
              <reason>Calf pain for six weeks, please assess and treat.</reason>
            </referral>
            """.utf8).write(to: URL(fileURLWithPath: doubtful))
        let held = try clinic.knot(["import", doubtful])
        #expect(held.stdout.contains("doubtful") || held.stderr.contains("doubtful"), "\(held.stdout)\n\(held.stderr)")
        #expect(try StoreProbe.scalar(clinic.db, "SELECT count(*) FROM referral") == "3", "nothing filed on a doubtful match")
        let waiting = try clinic.knot(["referral", "conflicts"])
        #expect(waiting.status == 0 && waiting.stdout.contains("#1 joanna-smith.xml") && waiting.stdout.contains("candidate: K1"),
                "\(waiting.stdout)\n\(waiting.stderr)")
        // The letter is about Joanna, K1 is Jo: filed for K1 only when confirmed.
        #expect(try clinic.knot(["referral", "resolve", "1", "--patient", "K1"]).status == 1)
        let resolved = try clinic.knot(["referral", "resolve", "1", "--patient", "K1", "--confirm-different-patient"])
        #expect(resolved.status == 0, "\(resolved.stderr)")
        #expect(try clinic.knot(["referral", "conflicts"]).stdout.contains("No letters are waiting"))
        #expect(try StoreProbe.scalar(clinic.db, "SELECT count(*) FROM referral r JOIN patient p ON p.id = r.patient_id WHERE p.record_number = 'K1'") == "1")

        let check = try clinic.knot(["check"])
        #expect(check.status == 0, "\(check.stdout)\n\(check.stderr)")
        #expect(check.stdout.contains("Audit trail: intact"), "\(check.stdout)")

        // Another clinic's signing key, trusted (once, audited); a malformed key refused.
        let keyFile = clinic.home.file("other-clinic.pub")
        let otherKey = String(repeating: "ab", count: 32)
        try Data((otherKey + "\n").utf8).write(to: URL(fileURLWithPath: keyFile))
        let trust = try clinic.knot(["clinic", "trust", keyFile])
        #expect(trust.status == 0, "\(trust.stderr)")
        #expect(trust.stdout.contains("Trusted signing key \(otherKey)"), "\(trust.stdout)")
        let badFile = clinic.home.file("bad.pub")
        try Data("not a key\n".utf8).write(to: URL(fileURLWithPath: badFile))
        let bad = try clinic.knot(["clinic", "trust", badFile])
        #expect(bad.status != 0 && bad.stderr.contains("no public signing key in it"), "\(bad.status) \(bad.stderr)")
        let key = try clinic.knot(["clinic", "key"])
        #expect(key.status == 0, "\(key.stderr)")
        #expect(try clinic.knot(["audit", "verify"]).status == 0)
        guard store == .postgres else { return }
        #expect(trust.stdout.contains("trusted_export_key"), "\(trust.stdout)")
        #expect(try StoreProbe.scalar(clinic.db, "SELECT count(*) FROM trusted_export_key") == "1")
        #expect(key.stdout.contains("Key file: none (a clinic on PostgreSQL has no key file"), "\(key.stdout)")
        #expect(!key.stdout.contains("MISSING"), "\(key.stdout)")
    }
}

/// `knot --database postgres://...?sslmode=...` against a server that speaks TLS
/// (`.ci/postgres-tls`, started by the test run; skipped, saying so, without PostgreSQL's
/// server or openssl): a clinic made and used over verify-full with the clinic's CA; a wrong
/// host name and `sslmode=disable` refused in words that name the trouble, without a crash.
@Suite("knot on PostgreSQL over TLS", .enabled(if: PostgresTLSServer.isAvailable, PostgresTLSServer.skipped))
struct PostgresTLSCommandLineTests {
    @Test("init and patient add over verify-full; the wrong host name and sslmode=disable refused, saying why")
    func aClinicOverTLS() async throws {
        let server = try await PostgresTLSServer.shared.value
        let database = try await server.newDatabase()
        let clinic = EndToEndClinic()
        let verified = server.url(database: database, "sslmode=verify-full&sslrootcert=\(server.certificateAuthority)")
        let made = try clinic.knot(["init", "--handle", "amy", "--name", "Amy Physio"], as: nil, database: verified)
        try #require(made.status == 0, "\(made.stderr)")
        let added = try clinic.knot(["patient", "add", "--given", "Mary", "--family", "Müller", "--dob", "1980-03-14", "--record", "K1"],
                                    database: verified)
        #expect(added.status == 0, "\(added.stderr)")
        let listed = try clinic.knot(["patient", "list"], database: verified)
        #expect(listed.status == 0 && listed.stdout.contains("Müller"), "\(listed.status) \(listed.stderr)")

        let wrongHost = server.url(host: "127.0.0.2", database: database, "sslmode=verify-full&sslrootcert=\(server.certificateAuthority)")
        let refused = try clinic.knot(["patient", "list"], database: wrongHost)
        #expect(refused.status == 73, "\(refused.status) \(refused.stderr)")
        #expect(refused.stderr.contains("certificate does not name the host 127.0.0.2"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("Müller") && !refused.stdout.contains("Müller"))

        let plain = try clinic.knot(["patient", "list"], database: server.url(database: database, "sslmode=disable"))
        #expect(plain.status == 73, "\(plain.status) \(plain.stderr)")
        #expect(plain.stderr.contains("the server takes only TLS logins here: use sslmode=require"), "\(plain.stderr)")
    }
}
