import Foundation
import Testing
import ClinicTestSupport

/// Moving a clinic between stores as an administrator does it, through the built `knot`: the
/// demo clinic (every kind of record) exported from SQLite, imported into a fresh PostgreSQL
/// database and exported back out byte for byte, and the reverse; `knot migrate-store --to` in
/// one step either way; a target that holds a clinic refused; a move that fails leaves nothing.
/// The PostgreSQL cases run where `KNOT_TEST_POSTGRES` names a server (skipped, saying so, without).
@Suite("moving a clinic between stores")
struct StoreMoveTests {
    let home = TemporaryDirectory(prefix: "knot-move")

    func knot(_ args: [String], db: String, as practitioner: String? = "mchen") throws -> KnotProcess.Result {
        var env = ["KNOT_DATABASE": db]
        if let practitioner { env["KNOT_PRACTITIONER"] = practitioner }
        return try KnotProcess.run(args, home: home.path, environment: env)
    }

    func contents(_ path: String) -> String {
        String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
    }

    /// The demo clinic (accounts, patients, referrals, visits with every entry kind, plans,
    /// amendments, strikes, an audit trail) on a new SQLite file; its export without and with the trail.
    func demoClinic() throws -> (db: String, records: String, withAudit: String) {
        let db = home.file("demo.sqlite")
        let demo = try knot(["demo"], db: db, as: nil)
        try #require(demo.status == 0, "\(demo.stderr)")
        let records = home.file("demo.xml"), withAudit = home.file("demo-audit.xml")
        try #require(try knot(["export", "--output", records, "--no-audit"], db: db).status == 0)
        try #require(try knot(["export", "--output", withAudit], db: db).status == 0)
        return (db, records, withAudit)
    }

    /// Exports `db` twice (without and with the trail) into `name`.xml and `name`-audit.xml.
    func export(_ db: String, _ name: String) throws -> (records: String, withAudit: String) {
        let records = home.file("\(name).xml"), withAudit = home.file("\(name)-audit.xml")
        let a = try knot(["export", "--output", records, "--no-audit"], db: db)
        try #require(a.status == 0, "\(a.stderr)")
        let b = try knot(["export", "--output", withAudit], db: db)
        try #require(b.status == 0, "\(b.stderr)")
        return (records, withAudit)
    }

    /// An export's text without its header's untrusted-import marks (one line each).
    func withoutUntrustedMarks(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("<untrustedImport ") }.joined(separator: "\n")
    }

    /// The moved trail begins with every event of `original`'s, unchanged (ids, hashes).
    func trailExtends(_ moved: String, _ original: String) {
        let a = withoutUntrustedMarks(contents(original)), b = withoutUntrustedMarks(contents(moved))
        guard let end = a.range(of: "</audit>") else { Issue.record("no audit trail in \(original)"); return }
        #expect(b.hasPrefix(String(a[..<end.lowerBound])), "the moved trail does not begin with the original one")
    }

    @Test("SQLite → export → a new clinic on PostgreSQL from it (init --from) → export: byte-identical; and back from PostgreSQL to SQLite")
    func exportImportRoundTrip() throws {
        let postgres = try TestStore.postgres.newClinic()
        let (sqlite, records, withAudit) = try demoClinic()
        // A new clinic on the server from the export; the server's clinic trusts no key yet,
        // so the import is marked untrusted (in the trail, and each record in the export's header).
        let made = try knot(["init", "--from", withAudit, "--untrusted"], db: postgres.location, as: nil)
        #expect(made.status == 0, "\(made.stdout) \(made.stderr)")
        let onServer = try export(postgres.location, "pg")
        #expect(contents(onServer.records).contains("<untrustedImport entity=\"patient\""), "the untrusted marks travel with the records")
        #expect(withoutUntrustedMarks(contents(onServer.records)) == contents(records), "the export from PostgreSQL differs from the SQLite one")
        trailExtends(onServer.withAudit, withAudit)
        let verify = try knot(["audit", "verify"], db: postgres.location)
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")

        // Back: PostgreSQL's export (unsigned: no clinic key there) into a new SQLite file.
        let back = home.file("back.sqlite")
        let returned = try knot(["init", "--from", onServer.withAudit, "--untrusted"], db: back, as: nil)
        #expect(returned.status == 0, "\(returned.stdout) \(returned.stderr)")
        let onFile = try export(back, "back")
        #expect(contents(onFile.records) == contents(onServer.records), "the export back on SQLite differs from PostgreSQL's (marks included)")
        #expect(withoutUntrustedMarks(contents(onFile.records)) == contents(records), "the export back on SQLite differs from the first")
        trailExtends(onFile.withAudit, onServer.withAudit)
        #expect(try knot(["audit", "verify"], db: back).status == 0)
        _ = sqlite
    }

    @Test("knot import of a clinic export into a PostgreSQL clinic already running: merged in with new ids, the trail verifying")
    func importIntoRunningClinic() throws {
        let postgres = try TestStore.postgres.newClinic()
        let (_, _, withAudit) = try demoClinic()
        #expect(try knot(["init", "--handle", "amy", "--name", "Amy Physio"], db: postgres.location, as: nil).status == 0)
        #expect(try knot(["patient", "add", "--given", "Jo", "--family", "Smith", "--dob", "1980-05-17", "--record", "K1"],
                         db: postgres.location, as: "amy").status == 0)
        let merged = try knot(["import", "--untrusted", withAudit], db: postgres.location, as: "amy")
        #expect(merged.status == 0, "\(merged.stdout) \(merged.stderr)")
        #expect(merged.stdout.contains("50 patient(s)") && merged.stdout.contains("merged with new ids"), "\(merged.stdout)")
        #expect(try StoreProbe.scalar(postgres.location, "SELECT count(*) FROM patient") == "51")
        let verify = try knot(["audit", "verify"], db: postgres.location, as: "amy")
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        // A second import of the same file is a no-op.
        let again = try knot(["import", "--untrusted", withAudit], db: postgres.location, as: "amy")
        #expect(again.status == 0 && again.stdout.contains("skipped"), "\(again.stdout) \(again.stderr)")
    }

    @Test("knot migrate-store --to: SQLite to PostgreSQL and back, the same clinic and the same trail, verifying; patient show and check work there")
    func migrateBothWays() throws {
        let postgres = try TestStore.postgres.newClinic()
        let (sqlite, records, withAudit) = try demoClinic()
        let moved = try knot(["migrate-store", "--to", postgres.location, "--json"], db: sqlite)
        #expect(moved.status == 0, "\(moved.stdout) \(moved.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(moved.stdout.utf8)) as? [String: Any])
        #expect((summary["patients"] as? Int ?? 0) > 10)
        let onServer = try export(postgres.location, "pg")
        #expect(contents(onServer.records) == contents(records), "the clinic on PostgreSQL differs from the SQLite one")
        trailExtends(onServer.withAudit, withAudit)
        #expect(contents(onServer.withAudit).contains("knot migrate-store"), "the move's own import event names it")
        let verify = try knot(["audit", "verify"], db: postgres.location)
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        // The clinic works there: a chart, and the database check.
        let show = try knot(["patient", "show", "K00001"], db: postgres.location)
        #expect(show.status == 0, "\(show.stderr)")
        let check = try knot(["check"], db: postgres.location)
        #expect(check.status == 0, "\(check.stdout) \(check.stderr)")

        // And back to a new SQLite file.
        let back = home.file("back/clinic.sqlite")
        let returned = try knot(["migrate-store", "--to", back], db: postgres.location)
        #expect(returned.status == 0, "\(returned.stdout) \(returned.stderr)")
        #expect(returned.stdout.contains("Audit trail verified on the new store"), "\(returned.stdout)")
        let onFile = try export(back, "back")
        #expect(contents(onFile.records) == contents(records))
        trailExtends(onFile.withAudit, onServer.withAudit)
        #expect(try knot(["audit", "verify"], db: back).status == 0)
    }

    @Test("migrate-store refuses a target holding a clinic and a non-administrator; a refused move leaves nothing", arguments: TestStore.all)
    func refusals(target: TestStore) throws {
        let place = try target.newClinic()
        let source = home.file("source.sqlite")
        #expect(try knot(["init", "--handle", "amy", "--name", "Amy Physio"], db: source, as: nil).status == 0)
        #expect(try knot(["practitioner", "add", "--handle", "rec", "--name", "Rita Reception", "--role", "reception"], db: source, as: "amy").status == 0)
        #expect(try knot(["patient", "add", "--given", "Jo", "--family", "Smith", "--dob", "1980-05-17", "--record", "K1"], db: source, as: "amy").status == 0)

        // Not an administrator: refused before anything is made.
        let reception = try knot(["migrate-store", "--to", place.location], db: source, as: "rec")
        #expect(reception.status == 77, "\(reception.stderr)")
        if target == .sqlite { #expect(!FileManager.default.fileExists(atPath: place.location)) }

        // A record changed behind Knot's back: the import's origin check refuses it, naming it,
        // and the target is left without a clinic (no file; on the server no row).
        _ = try SQLiteProbe.python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute("UPDATE patient SET date_of_birth = '1950-01-01' WHERE record_number = 'K1'")
            c.commit()
            """, [source])
        let tampered = try knot(["migrate-store", "--to", place.location, "--scratch", home.path], db: source, as: "amy")
        #expect(tampered.status == 65, "\(tampered.stdout) \(tampered.stderr)")
        #expect(tampered.stderr.contains("patient 1") && tampered.stderr.contains("nothing was imported")
                && tampered.stderr.contains("knot audit verify") && !tampered.stderr.contains("--untrusted"), "\(tampered.stderr)")
        switch target {
        case .sqlite:
            #expect(!FileManager.default.fileExists(atPath: place.location), "a refused move left a file")
        case .postgres:
            #expect(try StoreProbe.scalar(place.location, "SELECT count(*) FROM patient") == "0")
            #expect(try StoreProbe.scalar(place.location, "SELECT count(*) FROM practitioner") == "0")
            #expect(try StoreProbe.scalar(place.location, "SELECT count(*) FROM audit_event") == "0")
        }
        // No scratch export is left behind.
        let scratch = (try? FileManager.default.contentsOfDirectory(atPath: home.path)) ?? []
        #expect(!scratch.contains { $0.hasPrefix("knot-migrate-") }, "\(scratch)")

        // A target that holds a clinic is refused and left as it was.
        #expect(try knot(["init", "--handle", "zed", "--name", "Zed Admin"], db: place.location, as: nil).status == 0)
        let before = try StoreProbe.scalar(place.location, "SELECT count(*) FROM audit_event")
        let occupied = try knot(["migrate-store", "--to", place.location], db: source, as: "amy")
        #expect(occupied.status == 73, "\(occupied.stderr)")
        #expect(occupied.stderr.contains(target == .sqlite ? "a file is already there" : "already holds a clinic"), "\(occupied.stderr)")
        #expect(try StoreProbe.scalar(place.location, "SELECT count(*) FROM audit_event") == before)
        #expect(try StoreProbe.scalar(place.location, "SELECT count(*) FROM patient") == "0")
    }
}
