import Foundation
import Testing
import ClinicTestSupport

/// A clinic moved (`knot migrate-store`, SQLite to SQLite or to PostgreSQL) or made again from its
/// export (`knot export`, `knot init --from`) keeps who may claim each account (its
/// operating-system login) and which records came from an export it could not trust: an account
/// bound to another login stays refused (exit 77), an untrusted record keeps its banner, and the
/// moved clinic's audit trail verifies. A signed re-export of untrusted records, imported by a
/// clinic that trusts the re-exporting clinic, keeps them marked (no laundering).
@Suite("moving a clinic keeps account logins and untrusted-import marks")
struct MoveKeepsOriginTests {
    /// The login this test runs as.
    static var me: String {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "" }
        return String(cString: name)
    }
    static let other = "nobody-\(getpid())"

    /// A clinic whose `amy` is bound to this login and `bob` to another, holding patient K7 with
    /// a signed visit imported with --untrusted from another clinic's export; the visit's id.
    func untrustedClinic() throws -> (EndToEndClinic, Int64) {
        let source = EndToEndClinic()
        try source.setUp()
        let record = try source.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K7")
        _ = try source.signedVisit(record)
        let export = source.home.file("smith.xml")
        try #require(try source.knot(["export", "--output", export]).status == 0)
        // Unsigned: no clinic can trust it.
        try FileManager.default.removeItem(atPath: export + ".sig")

        let clinic = EndToEndClinic()
        try #require(try clinic.knot(["init", "--handle", "amy", "--name", "Amy Physio"], as: nil).status == 0)
        try #require(try clinic.knot(["practitioner", "add", "--handle", "bob", "--name", "Bob Other", "--os-user", Self.other]).status == 0)
        let imported = try clinic.knot(["import", "--untrusted", export])
        try #require(imported.status == 0, "\(imported.stdout) \(imported.stderr)")
        let chart = try clinic.json(clinic.knot(["patient", "show", "K7", "--json"]))
        let visits = try #require(chart["visits"] as? [[String: Any]])
        let visitID = try #require((visits.first?["id"] as? NSNumber)?.int64Value)
        return (clinic, visitID)
    }

    /// What a user checks on a clinic at `db` that must hold what `untrustedClinic()` made.
    func expectKept(_ clinic: EndToEndClinic, db: String, visitID: Int64, config: [String: String] = [:]) throws {
        let list = try clinic.knot(["practitioner", "list"], database: db, environment: config)
        #expect(list.status == 0, "\(list.stderr)")
        let bobLine = list.stdout.split(separator: "\n").first { $0.hasPrefix("bob ") }.map(String.init) ?? ""
        #expect(bobLine.contains(Self.other), "bob's login is gone: \(list.stdout)")
        let amyLine = list.stdout.split(separator: "\n").first { $0.hasPrefix("amy ") }.map(String.init) ?? ""
        #expect(amyLine.contains(Self.me) && !amyLine.contains("(any)"), "amy's login is gone: \(list.stdout)")
        let claimed = try clinic.knot(["patient", "list"], as: "bob", database: db, environment: config)
        #expect(claimed.status == 77, "bob's account was claimed by \(Self.me): \(claimed.status) \(claimed.stderr)")
        let show = try clinic.knot(["patient", "show", "K7"], database: db, environment: config)
        #expect(show.stdout.contains("!! UNTRUSTED IMPORT: this record came from"), "\(show.stdout) \(show.stderr)")
        let visit = try clinic.knot(["visit", "show", String(visitID)], database: db, environment: config)
        #expect(visit.stdout.contains("!! UNTRUSTED IMPORT: this record came from"), "\(visit.stdout) \(visit.stderr)")
        let verify = try clinic.knot(["audit", "verify"], database: db, environment: config)
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
    }

    @Test("migrate-store to SQLite and to PostgreSQL keeps the accounts' logins and the untrusted marks, and the trail verifies",
          arguments: TestStore.all)
    func migrateStoreKeepsThem(store: TestStore) throws {
        let (clinic, visitID) = try untrustedClinic()
        // Kept to the end: a released PostgreSQL place drops its database.
        let place = store == .sqlite ? nil : try store.newClinic()
        let target = place?.location ?? clinic.home.file("moved.sqlite")
        let moved = try clinic.knot(["migrate-store", "--to", target])
        try #require(moved.status == 0, "\(moved.stdout) \(moved.stderr)")
        try expectKept(clinic, db: target, visitID: visitID)
        withExtendedLifetime(place) {}
    }

    @Test("export then init --from keeps the logins and marks; a trusting clinic importing the signed re-export keeps the marks")
    func exportKeepsThem() throws {
        let (clinic, visitID) = try untrustedClinic()
        let export = clinic.home.file("clinic.xml")
        try #require(try clinic.knot(["export", "--output", export]).status == 0)
        let made = clinic.home.file("made.sqlite")
        // Another configuration folder: the new clinic does not trust the export's key.
        let config = ["XDG_CONFIG_HOME": clinic.home.file("config-made")]
        let created = try clinic.knot(["init", "--from", export, "--untrusted"], as: nil, database: made, environment: config)
        try #require(created.status == 0, "\(created.stdout) \(created.stderr)")
        try expectKept(clinic, db: made, visitID: visitID, config: config)

        // A clinic that trusts this clinic's key imports its signed export: still untrusted.
        let key = try clinic.knot(["clinic", "key"])
        let publicKey = try #require(key.stdout.split(separator: "\n").first { $0.hasPrefix("Public signing key: ") }?
            .dropFirst("Public signing key: ".count))
        let keyFile = clinic.home.file("clinic.pub")
        try String(publicKey).write(toFile: keyFile, atomically: true, encoding: .utf8)
        let trusting = EndToEndClinic()
        try trusting.setUp()
        try #require(try trusting.addPatient("Ann", "Lee", dob: "1970-01-02", record: "K1") == "K1")
        try #require(try trusting.knot(["clinic", "trust", keyFile]).status == 0)
        let imported = try trusting.knot(["import", export])
        #expect(imported.status == 0 && !imported.stdout.contains("UNTRUSTED"), "\(imported.stdout) \(imported.stderr)")
        let show = try trusting.knot(["patient", "show", "K7"])
        #expect(show.stdout.contains("!! UNTRUSTED IMPORT: this record came from"), "laundered: \(show.stdout) \(show.stderr)")
        let chart = try trusting.json(trusting.knot(["patient", "show", "K7", "--json"]))
        let visits = try #require(chart["visits"] as? [[String: Any]])
        let visit = try #require((visits.first?["id"] as? NSNumber)?.int64Value)
        #expect(try trusting.knot(["visit", "show", String(visit)]).stdout.contains("!! UNTRUSTED IMPORT"))
        #expect(!(try trusting.knot(["patient", "show", "K1"]).stdout.contains("UNTRUSTED")), "the clinic's own record stays unmarked")
        #expect(try trusting.knot(["audit", "verify"]).status == 0)
    }
}
