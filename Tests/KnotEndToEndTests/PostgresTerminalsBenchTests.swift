import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicTestSupport

/// The concurrency phase of `knot-bench` (issue 20): terminals, each its own process and
/// session, writing visits at once on one PostgreSQL clinic. Small (4 terminals for 2 s) and
/// only with a server (`KNOT_TEST_POSTGRES`; skipped, saying so, without one). The bench's own
/// verdict is not taken on trust: the database is counted behind its back.
@Suite("terminals writing visits at once on PostgreSQL")
struct PostgresTerminalsBenchTests {
    @Test("4 terminals for 2 s: every visit a terminal was told was recorded is in the database, signed, with its needles out; no error shown; the audit chain verifies")
    func fourTerminals() throws {
        let clinic = try TestStore.postgres.newClinic()
        let bench = try #require(BenchmarkSmokeTests.benchExecutable, "knot-bench was not built beside the tests")
        let work = TemporaryDirectory(prefix: "knot-bench-terminals")
        var environment = ["HOME": work.path, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TZ": "UTC",
                           "XDG_CONFIG_HOME": work.file("config")]
        if let passfile = ProcessInfo.processInfo.environment["PGPASSFILE"] { environment["PGPASSFILE"] = passfile }
        let (status, stdout, stderr) = try BenchmarkSmokeTests.run(
            bench, ["terminals", "--location", clinic.location, "--terminals", "4", "--seconds", "2",
                    "--work", work.file("run"), "--json", work.file("figures.json")], environment: environment)

        #expect(status == 0, "knot-bench terminals was not clean:\n\(stdout)\n\(stderr)")
        #expect(stdout.contains("lost 0;") && stdout.contains("errors shown 0;"), "\(stdout)")
        let json = try #require(FileManager.default.contents(atPath: work.file("figures.json")), "no figures:\n\(stdout)\n\(stderr)")
        let figures = try JSONDecoder().decode([String: Double].self, from: json)
        let recorded = Int(figures["recorded"] ?? -1)
        #expect(recorded > 0, "no visit was recorded: \(stdout)")
        #expect(figures["errors"] == 0 && figures["lost"] == 0 && figures["failedTerminals"] == 0, "\(figures)")

        // Behind the bench's back: as many visits as the terminals were told, every one signed,
        // each with its one needling entry of two needles, both out.
        #expect(try StoreProbe.scalar(clinic.location, "SELECT count(*) FROM visit") == "\(recorded)")
        #expect(try StoreProbe.scalar(clinic.location, "SELECT count(*) FROM visit WHERE status = 'signed'") == "\(recorded)")
        #expect(try StoreProbe.scalar(clinic.location,
                                      "SELECT count(*) FROM needling_entry WHERE inserted = 2 AND removed = 2") == "\(recorded)")
        // And the trail: intact, through a session of its own.
        let session = try ClinicSession.open(path: clinic.location, handle: "amy", create: false, environment: [:])
        let verification = try session.verifyAudit()
        #expect(verification.firstProblem == nil, "\(verification)")
        #expect(verification.eventsChecked >= 3 * recorded, "each visit: opened, needled, signed, each audited")
    }

    @Test("knot-bench --postgres URL --smoke: every step side by side, what is not built on PostgreSQL named, both terminal runs clean; its databases dropped")
    func sideBySideSmoke() throws {
        _ = try TestStore.postgres.newClinic()  // skipped, saying why, without a server
        let server = try #require(TestStore.postgresURL)
        let bench = try #require(BenchmarkSmokeTests.benchExecutable, "knot-bench was not built beside the tests")
        let work = TemporaryDirectory(prefix: "knot-bench-stores")
        var environment = ["HOME": work.path, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TZ": "UTC"]
        if let passfile = ProcessInfo.processInfo.environment["PGPASSFILE"] { environment["PGPASSFILE"] = passfile }
        let (status, stdout, stderr) = try BenchmarkSmokeTests.run(
            bench, ["--postgres", server, "--smoke", "--seconds", "1", "--work", work.file("run"), "--json", work.file("figures.json")],
            environment: environment)
        #expect(status == 0, "\(stdout)\n\(stderr)")
        for row in ["| adding patients", "| patient search", "| recording a visit", "| reading a chart", "| visit timeline",
                    "| reading one visit", "| audit verify", "| throughput", "| lost / errors shown | 0 / 0 | 0 / 0 |"] {
            #expect(stdout.contains(row), "no '\(row)' in:\n\(stdout)")
        }
        let figures = try JSONDecoder().decode([String: Double].self, from: try #require(FileManager.default.contents(atPath: work.file("figures.json"))))
        #expect(figures["stores.sqlite.visit.count"] == 20 && figures["stores.postgres.visit.count"] == 20, "\(figures)")
        #expect(figures["stores.postgres.verify.intact"] == 1 && figures["terminals.postgres.lost"] == 0, "\(figures)")
        // The bench's databases are gone from the server.
        let left = try StoreProbe.scalar(server, "SELECT count(*) FROM pg_database WHERE datname LIKE 'knot_bench_%'")
        #expect(left == "0")
    }
}
