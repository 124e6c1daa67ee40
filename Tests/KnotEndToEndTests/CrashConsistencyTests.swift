import Foundation
import Testing
import SeededRandom
import ClinicTestSupport

/// A multi-document import killed with SIGKILL at many moments: after each kill the database
/// must pass its integrity checks, every document must be wholly present or wholly absent, and
/// every clinical row must have its audit row.
///
/// Kill points are spread evenly (with seeded jitter) over the import's progress, measured by the
/// growth of its journal, so they land before, inside and between the per-document transactions,
/// in the middle of the big records transaction, and during commits. 50 points in the normal
/// suite, 300 with `KNOT_LONG_TESTS=1`.
@Suite("crash consistency", .serialized)
struct CrashConsistencyTests {
    /// A records document (one patient exported with their visits) and what it brings when present.
    struct RecordsDocument: Codable {
        var path: String
        var familyName: String
        var givenNames: String
        var dateOfBirth: String
        var visits: Int
    }

    @Test("an import killed at many points leaves whole documents, a sound database and a complete audit trail")
    func killedImport() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        let importDir = clinic.home.file("import")
        let letters = try EndToEndClinic.writeReferrals(count: 16, into: importDir, padding: 40)

        // Records documents, named among the letters: the demo clinic's four patients with the
        // most visits, each exported alone (each import is one transaction with many rows). The
        // import files whole-clinic exports first, then the letters in one batch, so the stages a
        // kill can leave are: nothing, each records document, then everything.
        let demoDB = clinic.home.file("demo.sqlite")
        try #require(clinic.knot(["demo"], as: nil, database: demoDB).status == 0)
        let busiest = try SQLiteProbe.query(demoDB, """
            SELECT p.record_number, p.family_name, p.given_names, p.date_of_birth, count(v.id) AS n
            FROM patient p JOIN visit v ON v.patient_id = p.id GROUP BY p.id ORDER BY n DESC, p.id LIMIT 4
            """)
        try #require(busiest.count == 4)
        var records: [RecordsDocument] = []
        for (i, row) in busiest.enumerated() {
            let path = (importDir as NSString).appendingPathComponent(String(format: "letter-%05d-records.xml", i * 4 + 1))
            let exp = try clinic.knot(["export", "-o", path, "--patient", row[0]], as: "mchen", database: demoDB)
            try #require(exp.status == 0, "\(exp.stderr)")
            records.append(RecordsDocument(path: path, familyName: row[1], givenNames: row[2], dateOfBirth: row[3], visits: Int(row[4]) ?? -1))
        }
        try #require(records.allSatisfy { $0.visits > 0 })

        // The starting database, checkpointed (knot leaves no -wal behind when it closes cleanly).
        let template = try Data(contentsOf: URL(fileURLWithPath: clinic.db))
        let leftoverWAL = FileManager.default.contents(atPath: clinic.db + "-wal") ?? Data()
        #expect(leftoverWAL.isEmpty, "knot left a WAL behind after a clean exit")

        // Run a whole import once, watching how far its journal (the -wal file) grows.
        let fullDB = clinic.home.file("full.sqlite")
        try template.write(to: URL(fileURLWithPath: fullDB))
        let started = Date()
        let fullRun = try RunningKnot(["import", importDir], home: clinic.home.path,
                                      environment: ["KNOT_DATABASE": fullDB, "KNOT_PRACTITIONER": "amy"])
        var walPeak = 0
        while fullRun.process.isRunning {
            walPeak = max(walPeak, Self.fileSize(fullDB + "-wal"))
            usleep(300)
        }
        let full = fullRun.wait()
        let duration = Date().timeIntervalSince(started)
        try #require(full.status == 0, "\(full.stdout)\(full.stderr)")
        try #require(walPeak > 0, "the import's journal was never seen")
        try verify([fullDB], records: records, letters: letters, clinic: clinic, requireComplete: true)

        // Kill points follow the import's progress, not the clock, so a loaded machine moves them
        // nowhere: kill k waits until the journal has reached k/points of its peak size (plus a
        // seeded jitter of up to 2 ms), which lands before the first commit, inside commits (frames
        // written, commit frame not yet), between documents and inside the records transaction.
        let points = longTests ? 300 : 50
        var generator = SplitMix64(state: 0x4B4E_4F54)
        var databases: [String] = []
        var killedMidway = 0
        // The killed databases live on tmpfs when there is one (a SIGKILL loses nothing the kernel
        // holds, so the disk adds only time); the long run keeps them on the real disk.
        let killFolder = !longTests && FileManager.default.isWritableFile(atPath: "/dev/shm")
            ? TemporaryDirectory(prefix: "knot-kill", base: "/dev/shm/") : TemporaryDirectory(prefix: "knot-kill")
        let loopStart = Date()
        for k in 0..<points {
            let db = killFolder.file("kill-\(k).sqlite")
            try template.write(to: URL(fileURLWithPath: db))
            var threshold = Int((Double(k) + Double.random(in: 0..<1, using: &generator)) / Double(points) * Double(walPeak))
            var jitter = UInt32.random(in: 0..<2_000, using: &generator)
            // The first kill lands as the journal first appears, with no jitter: the import's first
            // transaction (a records document) can commit within the 2 ms a jitter may add, and then
            // no kill would catch the clinic as it was before anything was filed.
            if k == 0 { threshold = 1; jitter = 0 }
            let run = try RunningKnot(["import", importDir], home: clinic.home.path,
                                      environment: ["KNOT_DATABASE": db, "KNOT_PRACTITIONER": "amy"])
            while run.process.isRunning && Self.fileSize(db + "-wal") < max(threshold, 1) { usleep(300) }
            usleep(jitter)
            run.kill()
            let r = run.wait()
            if run.wasKilled { killedMidway += 1 } else { #expect(r.status == 0, "unkilled import failed: \(r.stderr)") }
            databases.append(db)
        }
        let loopSeconds = Date().timeIntervalSince(loopStart)
        try verify(databases, records: records, letters: letters, clinic: clinic, requireComplete: false)
        // Most kills must really land while the import runs, or the test proves little.
        #expect(killedMidway >= points / 2, "only \(killedMidway) of \(points) kills landed during the import")
        print("crash consistency: \(points) kill points over a \(String(format: "%.2f", duration)) s import (journal peak \(walPeak) bytes), \(killedMidway) killed mid-import; kill loop \(String(format: "%.1f", loopSeconds)) s")
    }

    /// A file's size by stat(2) (0 when missing): cheap enough to poll every few hundred microseconds.
    static func fileSize(_ path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : 0
    }

    /// Checks each database with an independent reader (Python's sqlite3) and with `knot check`.
    func verify(_ databases: [String], records: [RecordsDocument], letters: [String], clinic: EndToEndClinic, requireComplete: Bool) throws {
        let script = #"""
        import hashlib, json, sqlite3, sys
        spec = json.loads(sys.argv[1])
        letters = {}
        for path in spec["letters"]:
            letters[path] = hashlib.sha256(open(path, "rb").read()).hexdigest()
        report = []
        for db in spec["databases"]:
            c = sqlite3.connect(db)
            problems = []
            ic = [r[0] for r in c.execute("PRAGMA integrity_check")]
            if ic != ["ok"]: problems.append("integrity_check: %s" % ic[:3])
            fk = c.execute("PRAGMA foreign_key_check").fetchall()
            if fk: problems.append("foreign_key_check: %s" % fk[:3])
            present = 0
            for path, sha in letters.items():
                doc = c.execute("SELECT count(*) FROM imported_document WHERE sha256 = ?", (sha,)).fetchone()[0]
                ref = c.execute("SELECT count(*) FROM referral WHERE original_sha256 = ?", (sha,)).fetchone()[0]
                aud = c.execute("SELECT count(*) FROM audit_event WHERE action = 'import' AND (detail = ? OR detail LIKE ?)", ("sha256 " + sha, "sha256 " + sha + ";%")).fetchone()[0]
                pats = c.execute("SELECT count(*) FROM patient p JOIN referral r ON r.patient_id = p.id WHERE r.original_sha256 = ?", (sha,)).fetchone()[0]
                if not (doc == ref == aud == pats) or doc > 1:
                    problems.append("%s half-imported: document %d, referral %d, import audit %d, patient %d" % (path, doc, ref, aud, pats))
                present += doc
            rec = 0
            for doc in spec["records"]:
                sha = hashlib.sha256(open(doc["path"], "rb").read()).hexdigest()
                flag = c.execute("SELECT count(*) FROM imported_document WHERE sha256 = ?", (sha,)).fetchone()[0]
                aud = c.execute("SELECT count(*) FROM audit_event WHERE action = 'import' AND (detail = ? OR detail LIKE ?)", ("sha256 " + sha, "sha256 " + sha + ";%")).fetchone()[0]
                pats = c.execute("SELECT id FROM patient WHERE family_name = ? AND given_names = ? AND date_of_birth = ?",
                                 (doc["familyName"], doc["givenNames"], doc["dateOfBirth"])).fetchall()
                visits = sum(c.execute("SELECT count(*) FROM visit WHERE patient_id = ?", p).fetchone()[0] for p in pats)
                if not (flag == aud == len(pats)) or flag > 1 or visits != flag * doc["visits"]:
                    problems.append("%s half-imported: document %d, import audit %d, patients %d, visits %d of %d" % (doc["path"], flag, aud, len(pats), visits, doc["visits"]))
                rec += flag
            patients = c.execute("SELECT count(*) FROM patient").fetchone()[0]
            if patients != present + rec:
                problems.append("%d patients for %d letters and %d records documents present" % (patients, present, rec))
            for table, entity in [("patient", "patient"), ("referral", "referral"), ("visit", "visit"), ("patient_alert", "alert"),
                                  ("consent", "consent"), ("precaution_screen", "screen"), ("amendment", None), ("follow_up_plan", "plan")]:
                if table == "patient_alert":
                    # An alert proposed by a letter has its own event; one that came with its patient is
                    # covered by the patient's creation event (as a visit's findings are by the visit's).
                    q = "SELECT count(*) FROM patient_alert t WHERE NOT EXISTS (SELECT 1 FROM audit_event e WHERE e.action = 'create' AND ((e.entity = 'alert' AND e.entity_id = t.id) OR (e.entity = 'patient' AND e.entity_id = t.patient_id)))"
                elif entity is None:
                    q = "SELECT count(*) FROM amendment a WHERE NOT EXISTS (SELECT 1 FROM audit_event e WHERE e.action = 'amend' AND e.entity = 'visit' AND e.entity_id = a.visit_id)"
                else:
                    q = "SELECT count(*) FROM %s t WHERE NOT EXISTS (SELECT 1 FROM audit_event e WHERE e.action = 'create' AND e.entity = '%s' AND e.entity_id = t.id)" % (table, entity)
                missing = c.execute(q).fetchone()[0]
                if missing: problems.append("%d %s row(s) without an audit row" % (missing, table))
            report.append({"db": db, "problems": problems, "letters": present, "records": rec})
            c.close()
        print(json.dumps(report))
        """#
        let recordSpecs = try records.map { try JSONSerialization.jsonObject(with: JSONEncoder().encode($0)) }
        let spec: [String: Any] = ["letters": letters, "records": recordSpecs, "databases": databases]
        let specJSON = String(decoding: try JSONSerialization.data(withJSONObject: spec), as: UTF8.self)
        let out = try SQLiteProbe.python(script, [specJSON])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]])
        #expect(report.count == databases.count)
        var states = Set<String>()
        for entry in report {
            let problems = entry["problems"] as? [String] ?? ["no report"]
            #expect(problems.isEmpty, "\(entry["db"] ?? ""): \(problems.joined(separator: "; "))")
            states.insert("\(entry["letters"] ?? 0)+\(entry["records"] ?? 0)")
            if requireComplete {
                #expect(entry["letters"] as? Int == letters.count)
                #expect(entry["records"] as? Int == records.count)
            }
        }
        if !requireComplete {
            // The kills must have caught the import at several different stages.
            #expect(states.count >= 5, "kills landed at only \(states.count) distinct stages: \(states.sorted())")
            print("crash consistency: \(databases.count) databases after kills, \(states.count) distinct stages (letters+records present)")
        }
        // The product's own check (integrity, foreign keys, the audit hash chain) agrees.
        for db in databases {
            let check = try clinic.knot(["check", "--json"], database: db)
            #expect(check.status == 0, "knot check on \(db): \(check.stdout) \(check.stderr)")
        }
    }
}
