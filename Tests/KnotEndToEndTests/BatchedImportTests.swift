import Foundation
import Testing
import ClinicTestSupport
import ClinicServices

/// `knot import FOLDER` files letters many to a transaction (`--batch`), each letter in its own
/// savepoint: these tests hold it to every promise the letter-by-letter import made.
@Suite("batched import", .serialized)
struct BatchedImportTests {
    /// The per-file lines of a report (the summary line apart), in order.
    static func lines(_ stdout: String) -> [String] {
        stdout.split(separator: "\n").map(String.init).filter { !$0.contains(" file(s): ") }
    }

    /// A folder with good letters, the same letter twice (other name, same bytes), a letter that
    /// is not well-formed, and a letter that matches a patient only doubtfully.
    static func mixedFolder(_ clinic: EndToEndClinic) throws -> String {
        let dir = clinic.home.file("mixed")
        let letters = try EndToEndClinic.writeReferrals(count: 9, into: dir)
        try FileManager.default.copyItem(atPath: letters[2], toPath: (dir as NSString).appendingPathComponent("letter-00002-copy.xml"))
        try Data("<referral xmlns=\"urn:knot:referral:1\"><unclosed>".utf8)
            .write(to: URL(fileURLWithPath: (dir as NSString).appendingPathComponent("letter-00004-broken.xml")))
        // Same family name and birth date as letter 5, other given names: a doubtful match.
        let five = try String(contentsOfFile: letters[5], encoding: .utf8)
        try Data(five.replacingOccurrences(of: "<givenNames>Given", with: "<givenNames>Other").replacingOccurrences(of: "(letter 5)", with: "(letter 5b)").utf8)
            .write(to: URL(fileURLWithPath: (dir as NSString).appendingPathComponent("letter-00007-doubt.xml")))
        return dir
    }

    @Test("the batched report is the report of importing each file on its own, exit status included")
    func sameReport() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        let dir = try Self.mixedFolder(clinic)
        let template = try Data(contentsOf: URL(fileURLWithPath: clinic.db))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".xml") }.sorted()
            .map { (dir as NSString).appendingPathComponent($0) }

        // Before: each file in its own `knot import` (one transaction each, as imports always were).
        let oneByOne = clinic.home.file("one-by-one.sqlite")
        try template.write(to: URL(fileURLWithPath: oneByOne))
        var expected: [String] = []
        var worst: Int32 = 0
        for f in files {
            let r = try clinic.knot(["import", f], database: oneByOne)
            expected += Self.lines(r.stdout)
            worst = max(worst, r.status)
        }
        // Now: the whole folder in one run, batches of 4 and the default.
        for batch in ["4", "200"] {
            let db = clinic.home.file("batch-\(batch).sqlite")
            try template.write(to: URL(fileURLWithPath: db))
            let r = try clinic.knot(["import", "--batch", batch, dir], database: db)
            #expect(Self.lines(r.stdout) == expected, "--batch \(batch):\n\(r.stdout)")
            #expect(r.stdout.contains("12 file(s): 9 created, 0 matched, 1 skipped, 1 conflict(s), 1 rejected."), "\(r.stdout)")
            // The worst of rejected (65) and conflict (1) wins, as before.
            #expect(r.status == 65 && worst == 65, "\(r.status) \(worst): \(r.stderr)")
            let rows = try SQLiteProbe.query(db, "SELECT (SELECT count(*) FROM patient), (SELECT count(*) FROM referral), (SELECT count(*) FROM referral_conflict)")
            #expect(rows == [["9", "9", "1"]])
        }
    }

    @Test("a letter refused while it is filed leaves no trace; the letters around it in the batch go in")
    func refusedLetterLeavesNoTrace() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        let dir = clinic.home.file("letters")
        let letters = try EndToEndClinic.writeReferrals(count: 10, into: dir)
        // The patient of letter 4 is written, then its referral is refused (a fault injected
        // into the database): the savepoint must take the patient back out.
        let refused = "Family\(EndToEndClinic.letters(4))"
        _ = try SQLiteProbe.python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute("CREATE TRIGGER test_refuse BEFORE INSERT ON referral WHEN (SELECT family_name FROM patient WHERE id = NEW.patient_id) = ? BEGIN SELECT RAISE(ABORT, 'refused for the test'); END".replace("?", "'%s'" % sys.argv[2]))
            c.commit()
            """, [clinic.db, refused])
        let r = try clinic.knot(["import", "--batch", "50", dir])
        #expect(r.status == 65, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("10 file(s): 9 created, 0 matched, 0 skipped, 0 conflict(s), 1 rejected."), "\(r.stdout)")
        #expect(r.stdout.contains("REJECTED letter-00004.xml") || r.stdout.contains("REJECTED \(letters[4])"), "\(r.stdout)")
        let trace = try SQLiteProbe.query(clinic.db, """
            SELECT (SELECT count(*) FROM patient WHERE family_name = '\(refused)'),
                   (SELECT count(*) FROM patient), (SELECT count(*) FROM referral),
                   (SELECT count(*) FROM imported_document),
                   (SELECT count(*) FROM audit_event WHERE action = 'import')
            """)
        #expect(trace == [["0", "9", "9", "9", "9"]])
        // Once the fault is gone, importing again files that letter alone.
        _ = try SQLiteProbe.python("import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute('DROP TRIGGER test_refuse')\nc.commit()", [clinic.db])
        let again = try clinic.knot(["import", dir])
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stdout.contains("10 file(s): 1 created, 0 matched, 9 skipped, 0 conflict(s), 0 rejected."), "\(again.stdout)")
        #expect(try clinic.knot(["check"]).status == 0)
    }

    @Test("kill -9 during a batched import, then import again: every letter filed exactly once")
    func killedThenReimported() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        let dir = clinic.home.file("letters")
        // Batches of 33, then the last 24: each indexes its new patients once as it ends (the
        // full-text insert trigger held off by a row of patient_fts_hold written and deleted inside
        // the transaction), so a kill lands in a batch holding it, and no hold may survive.
        let count = 90, batch = 33
        #expect(count % batch >= ClinicSession.searchIndexBatchMinimum)
        let letters = try EndToEndClinic.writeReferrals(count: count, into: dir, padding: 20)
        let template = try Data(contentsOf: URL(fileURLWithPath: clinic.db))

        // How far the journal grows in a whole run, so that kills follow progress, not the clock.
        let fullDB = clinic.home.file("full.sqlite")
        try template.write(to: URL(fileURLWithPath: fullDB))
        let fullRun = try RunningKnot(["import", "--batch", String(batch), dir], home: clinic.home.path,
                                      environment: ["KNOT_DATABASE": fullDB, "KNOT_PRACTITIONER": "amy"])
        var walPeak = 0
        while fullRun.process.isRunning {
            walPeak = max(walPeak, CrashConsistencyTests.fileSize(fullDB + "-wal"))
            usleep(300)
        }
        try #require(fullRun.wait().status == 0)
        try #require(walPeak > 0)

        let points = longTests ? 40 : 8
        var killedMidway = 0
        var partial = Set<Int>()
        for k in 0..<points {
            let db = clinic.home.file("kill-\(k).sqlite")
            try template.write(to: URL(fileURLWithPath: db))
            let threshold = max(1, walPeak * (2 * k + 1) / (2 * points))
            let run = try RunningKnot(["import", "--batch", String(batch), dir], home: clinic.home.path,
                                      environment: ["KNOT_DATABASE": db, "KNOT_PRACTITIONER": "amy"])
            while run.process.isRunning && CrashConsistencyTests.fileSize(db + "-wal") < threshold { usleep(300) }
            run.kill()
            _ = run.wait()
            if run.wasKilled { killedMidway += 1 }
            // What survived the kill is whole batches: a multiple of the batch, or everything.
            let filed = Int(try SQLiteProbe.scalar(db, "SELECT count(*) FROM referral") ?? "") ?? -1
            #expect(filed % batch == 0 || filed == count, "\(filed) letters after a kill, not whole batches of \(batch)")
            partial.insert(filed)
            // Import again: it completes what the kill cut short, and nothing twice.
            let again = try clinic.knot(["import", "--batch", String(batch), dir], database: db)
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            #expect(again.stdout.contains("\(count) file(s): \(count - filed) created, 0 matched, \(filed) skipped"), "\(again.stdout)")
            let script = """
                import hashlib, sqlite3, sys
                c = sqlite3.connect(sys.argv[1])
                bad = []
                for path in sys.argv[2:]:
                    sha = hashlib.sha256(open(path, "rb").read()).hexdigest()
                    n = [c.execute(q, (sha,)).fetchone()[0] for q in (
                        "SELECT count(*) FROM imported_document WHERE sha256 = ?",
                        "SELECT count(*) FROM referral WHERE original_sha256 = ?",
                        "SELECT count(*) FROM audit_event WHERE action = 'import' AND detail = 'sha256 ' || ?")]
                    if n != [1, 1, 1]: bad.append("%s %s" % (path, n))
                total = c.execute("SELECT count(*) FROM patient").fetchone()[0]
                if total != len(sys.argv) - 2: bad.append("%d patients" % total)
                indexed = c.execute("SELECT count(*) FROM patient_fts").fetchone()[0]
                if indexed != total: bad.append("%d patients in the full-text index" % indexed)
                prefixed = c.execute("SELECT count(DISTINCT patient_id) FROM patient_search_prefix").fetchone()[0]
                if prefixed != total: bad.append("%d patients with search prefixes" % prefixed)
                if c.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'patient_fts_insert'").fetchone()[0] != 1:
                    bad.append("the full-text insert trigger is gone")
                if c.execute("SELECT count(*) FROM patient_fts_hold").fetchone()[0] != 0:
                    bad.append("the full-text insert trigger is still held off")
                print("; ".join(bad))
                """
            let bad = try SQLiteProbe.python(script, [db] + letters).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(bad.isEmpty, "kill \(k): \(bad)")
            #expect(try clinic.knot(["check"], database: db).status == 0)
        }
        #expect(killedMidway >= points / 2, "only \(killedMidway) of \(points) kills landed during the import")
        #expect(partial.count >= 2, "the kills all left the same state: \(partial.sorted())")
    }
}
