import Foundation
import Testing
import SeededRandom
import ClinicModel
import ClinicServices
import ClinicStore
import ClinicDemo
import ClinicTestSupport

/// `knot import` of a whole-clinic export into an empty clinic writes through SQLite's rollback
/// journal, not the WAL (`ClinicDatabase.withRollbackJournal`). Killed with SIGKILL at moments
/// spread over the import, the clinic must open as a sound WAL clinic holding nothing or the
/// whole export, never part of it, and running the import again must complete it. 10 points in
/// the normal suite, 40 with `KNOT_LONG_TESTS=1`.
@Suite("whole-clinic load killed", .serialized)
struct WholeClinicLoadKillTests {
    @Test("an export imported into an empty clinic and killed at many points leaves the clinic empty or whole, and the import run again completes it")
    func killedLoad() throws {
        let dir = TemporaryDirectory(prefix: "knot-load-kill")
        let home = dir.file("home")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        // The export: a synthetic clinic with its audit trail, written in-process.
        let source = try ClinicDatabase(path: dir.file("source.sqlite"))
        let made = try SyntheticClinic.generate(into: source, patients: 400, visitsPerPatient: 3, seed: 19,
                                                today: try LocalDate(year: 2026, month: 6, day: 30))
        let export = dir.file("clinic.xml")
        _ = try ClinicSession.maintenance(database: source, actor: "test").export(to: export)
        try source.close()
        // An empty clinic (no account, no patient, no audit event), copied for every run.
        let emptyPath = dir.file("empty.sqlite")
        try ClinicDatabase(path: emptyPath).close()
        let empty = try Data(contentsOf: URL(fileURLWithPath: emptyPath))

        // Into the empty clinic no account is needed; once the clinic is whole, its administrator
        // (the synthetic clinic's mchen) imports.
        func importRun(_ db: String, as practitioner: String? = nil) throws -> RunningKnot {
            try RunningKnot(["import", export], home: home,
                            environment: ["KNOT_DATABASE": db].merging(practitioner.map { ["KNOT_PRACTITIONER": $0] } ?? [:]) { $1 })
        }
        func patients(_ db: String) throws -> Int { Int(try SQLiteProbe.scalar(db, "SELECT count(*) FROM patient") ?? "") ?? -1 }

        // One whole run, timed, for where the kills go.
        let wholeDB = dir.file("whole.sqlite")
        try empty.write(to: URL(fileURLWithPath: wholeDB))
        let started = Date()
        let whole = try importRun(wholeDB).wait()
        let duration = Date().timeIntervalSince(started)
        try #require(whole.status == 0, "\(whole.stdout)\(whole.stderr)")
        try #require(try patients(wholeDB) == made.patients)
        // Run again on the whole clinic: already imported, nothing written.
        let repeated = try importRun(wholeDB, as: "mchen").wait()
        #expect(repeated.status == 0 && repeated.stdout.contains("1 skipped"), "\(repeated.stdout)\(repeated.stderr)")
        #expect(try patients(wholeDB) == made.patients)

        let points = longTests ? 40 : 10
        var generator = SplitMix64(state: 0x4C4F_4144)
        var killedMidway = 0, hotJournals = 0, foundEmpty = 0, foundWhole = 0
        for k in 0..<points {
            let db = dir.file("kill-\(k).sqlite")
            try empty.write(to: URL(fileURLWithPath: db))
            // Over the first nine tenths of the whole run's time (a later run may be quicker).
            let at = 0.9 * duration * (Double(k) + Double.random(in: 0..<1, using: &generator)) / Double(points)
            let run = try importRun(db)
            let until = Date().addingTimeInterval(at)
            while run.process.isRunning && Date() < until { usleep(500) }
            run.kill()
            _ = run.wait()
            if run.wasKilled { killedMidway += 1 }
            // A kill inside the transaction leaves a hot rollback journal: the proof the kills
            // caught the journal's transaction, which the next opening must roll back.
            if let size = try? FileManager.default.attributesOfItem(atPath: db + "-journal")[.size] as? Int, size > 0 { hotJournals += 1 }

            // Opened as knot opens a clinic: the hot journal rolled back, the WAL set again.
            let opened = try ClinicDatabase(path: db)
            #expect(try opened.integrityProblems().isEmpty, "kill \(k)")
            try opened.close()
            #expect(try SQLiteProbe.scalar(db, "PRAGMA journal_mode") == "wal", "kill \(k)")
            let count = try patients(db)
            #expect(count == 0 || count == made.patients, "kill \(k): \(count) of \(made.patients) patients")
            if count == 0 { foundEmpty += 1 } else { foundWhole += 1 }

            // Run again, the import completes the clinic, or finds it already imported (the same SHA-256).
            let again = try importRun(db, as: count == 0 ? nil : "mchen").wait()
            #expect(again.status == 0, "kill \(k): \(again.stdout)\(again.stderr)")
            if count != 0 { #expect(again.stdout.contains("1 skipped"), "kill \(k): \(again.stdout)") }
            #expect(try patients(db) == made.patients, "kill \(k)")
            let reopened = try ClinicDatabase(path: db)
            #expect(try ClinicSession.maintenance(database: reopened, actor: "test").verifyAudit().isIntact, "kill \(k)")
            try reopened.close()
        }
        // Most kills must land while the import runs, and some inside its transaction.
        #expect(killedMidway >= points / 2, "only \(killedMidway) of \(points) kills landed during the import")
        #expect(hotJournals >= 1, "no kill left a hot journal: none caught the import's transaction")
        #expect(foundEmpty >= 1)
        print("whole-clinic load killed: \(points) points over a \(String(format: "%.2f", duration)) s import; \(killedMidway) killed mid-run, \(hotJournals) hot journals, \(foundEmpty) empty and \(foundWhole) whole after")
    }
}
