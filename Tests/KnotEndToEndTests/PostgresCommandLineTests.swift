import Foundation
import Testing
import ClinicTestSupport

/// `knot --database postgres://...` as a user meets it, through the built `knot`, on a fresh
/// database of the server `KNOT_TEST_POSTGRES` names (skipped, saying so, without it): a
/// database without a clinic is refused until `knot init`; accounts, patients, search and the
/// audit trail work; what is not built on PostgreSQL yet says so (exit 74) and `knot backup`
/// names the server's tools.
@Suite("knot on PostgreSQL")
struct PostgresCommandLineTests {
    @Test("init, practitioner add, patient add, patient search, audit verify: the same on both stores; on PostgreSQL, not built yet and backup refused clearly",
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
        guard store == .postgres else { return }
        #expect(verify.stdout.contains("no keyed seals on PostgreSQL: the server's roles guard the rows"), "\(verify.stdout)")

        let show = try clinic.knot(["patient", "show", "K1"])
        #expect(show.status == 74, "\(show.stderr)")
        #expect(show.stderr.contains("is not built on PostgreSQL yet"), "\(show.stderr)")
        let backup = try clinic.knot(["backup", clinic.home.file("copy.sqlite")])
        #expect(backup.status != 0)
        #expect(backup.stderr.contains("pg_dump") && backup.stderr.contains("pg_basebackup"), "\(backup.stderr)")
        #expect(!FileManager.default.fileExists(atPath: clinic.home.file("copy.sqlite")))
    }
}
