import Foundation
import Testing
import ClinicModel
import ClinicDemo
import ClinicStore
import ClinicTestSupport

/// `knot-bench phase floor`: the SQLite floor, the peer that says what SQLite alone costs to store
/// the rows Knot stored. Its figure means something only if it really copies every row into the
/// same schema, full-text index included: checked here with Python's `sqlite3` (an independent
/// reader) on a small synthetic clinic, in one transaction and cut into several.
@Suite("knot-bench SQLite floor")
struct BenchmarkFloorTests {
    @Test("phase floor copies every row of every table in the journal asked for, and the copy's full-text index finds the same patients",
          arguments: [(1, "wal"), (7, "wal"), (1, "truncate")])
    func floorCopiesEveryRow(transactions: Int, journal: String) throws {
        let bench = try #require(BenchmarkSmokeTests.benchExecutable, "knot-bench was not built beside the tests")
        let dir = TemporaryDirectory(prefix: "knot-bench-floor")
        let source = dir.file("clinic.sqlite")
        let db = try ClinicDatabase(path: source)
        _ = try SyntheticClinic.generate(into: db, patients: 40, visitsPerPatient: 2, seed: 11,
                                         today: try LocalDate(year: 2026, month: 6, day: 30))
        try db.close()

        let copy = dir.file("floor.sqlite"), result = dir.file("floor.json")
        let (status, stdout, stderr) = try BenchmarkSmokeTests.run(
            bench, ["phase", "floor", "--from", source, "--db", copy, "--result", result, "--transactions", "\(transactions)"]
                + (journal == "wal" ? [] : ["--journal", journal]),
            environment: ["HOME": dir.path, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TZ": "UTC"])
        #expect(status == 0, "phase floor failed:\n\(stderr)\n\(stdout)")
        let figures = try JSONDecoder().decode(PhaseFigures.self, from: try #require(FileManager.default.contents(atPath: result))).figures

        // Every table Knot keeps (not the full-text table's own shadow tables, not SQLite's):
        // the same number of rows in the copy as in the source, and the figure says so.
        let tables = try SQLiteProbe.query(source, """
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
              AND name NOT LIKE 'patient_fts%' ORDER BY name
            """).map { $0[0] }
        #expect(tables.contains("patient") && tables.contains("visit") && tables.contains("row_seal") && tables.contains("patient_search_prefix"))
        var total = 0
        for table in tables {
            let n = try #require(Int(try SQLiteProbe.scalar(source, "SELECT count(*) FROM \"\(table)\"") ?? ""))
            let copied = try SQLiteProbe.scalar(copy, "SELECT count(*) FROM \"\(table)\"")
            #expect(copied == "\(n)", "\(table): \(n) rows in the clinic, \(copied ?? "none") in the copy")
            total += n
        }
        #expect(try SQLiteProbe.scalar(source, "SELECT count(*) FROM patient") == "40")
        #expect(Int(figures["rows"] ?? 0) == total)
        #expect(Int(figures["transactions"] ?? 0) == transactions)
        #expect((figures["seconds"] ?? 0) > 0 && (figures["cpuSeconds"] ?? -1) >= 0 && (figures["bytes"] ?? 0) > 0)

        // The copy's rows are the source's, column for column (here: every patient and every seal).
        for sql in ["SELECT * FROM patient ORDER BY id", "SELECT * FROM row_seal ORDER BY 1, 2",
                    "SELECT * FROM patient_search_prefix ORDER BY 1, 2, 3"] {
            #expect(try SQLiteProbe.query(copy, sql) == SQLiteProbe.query(source, sql), "\(sql)")
        }

        // The full-text index was filled by its trigger as the patients were copied: each family
        // name finds the same patients in both.
        let names = try SQLiteProbe.query(source, "SELECT family_name FROM patient GROUP BY family_name ORDER BY min(id) LIMIT 8").map { $0[0] }
        #expect(names.count == 8)
        for name in names {
            let query = "SELECT rowid FROM patient_fts WHERE patient_fts MATCH '\"\(name.replacingOccurrences(of: "'", with: "''").replacingOccurrences(of: "\"", with: "\"\""))\"' ORDER BY rowid"
            let found = try SQLiteProbe.query(copy, query)
            #expect(!found.isEmpty, "no patient found for \(name) in the copy")
            #expect(found == (try SQLiteProbe.query(source, query)), "\(name)")
        }
        #expect(try SQLiteProbe.scalar(copy, "SELECT count(*) FROM patient_fts") == "40")
        // The journal asked for: the clinic's WAL, or the rollback journal a load into an empty
        // clinic uses (not kept in the file: a new connection reports SQLite's default, "delete").
        #expect(try SQLiteProbe.scalar(copy, "PRAGMA journal_mode") == (journal == "wal" ? "wal" : "delete"))
        #expect(try SQLiteProbe.scalar(copy, "PRAGMA page_size") == SQLiteProbe.scalar(source, "PRAGMA page_size"))
    }

    @Test("phase floor copies into a new database only: a file at --db is refused and left as it was")
    func floorRefusesAnExistingFile() throws {
        let bench = try #require(BenchmarkSmokeTests.benchExecutable, "knot-bench was not built beside the tests")
        let dir = TemporaryDirectory(prefix: "knot-bench-floor")
        let source = dir.file("clinic.sqlite")
        let db = try ClinicDatabase(path: source)
        _ = try SyntheticClinic.generate(into: db, patients: 5, visitsPerPatient: 1, seed: 12,
                                         today: try LocalDate(year: 2026, month: 6, day: 30))
        try db.close()
        let before = try #require(FileManager.default.contents(atPath: source))
        let (status, _, stderr) = try BenchmarkSmokeTests.run(
            bench, ["phase", "floor", "--from", source, "--db", source, "--result", dir.file("r.json")],
            environment: ["HOME": dir.path, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TZ": "UTC"])
        #expect(status != 0)
        #expect(stderr.contains("a file is there"), "\(stderr)")
        #expect(FileManager.default.contents(atPath: source) == before)
        #expect(try SQLiteProbe.scalar(source, "SELECT count(*) FROM patient") == "5")
    }

    /// The phase's result file (`PhaseResult` in knot-bench).
    struct PhaseFigures: Decodable {
        var figures: [String: Double]
    }
}
