import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import ClinicTestSupport

/// Several terminals on one database at once: every write lands, nobody is told "database is
/// locked", and two sessions saving the same draft are told so instead of one silently
/// overwriting the other.
@Suite("several terminals at once", .serialized)
struct ConcurrencyTests {
    /// A folder for the database: on tmpfs when there is one (the test is about locking, not
    /// about the disk), else the system temporary folder.
    static func workFolder() -> TemporaryDirectory {
        FileManager.default.isWritableFile(atPath: "/dev/shm") ? TemporaryDirectory(prefix: "knot-conc", base: "/dev/shm/")
            : TemporaryDirectory(prefix: "knot-conc")
    }

    /// `knot-bench` (its `stress-writer` subcommand) built beside `knot`.
    static var benchExecutable: String? {
        if let explicit = ProcessInfo.processInfo.environment["KNOT_BENCH_BINARY"] { return explicit }
        let candidate = (KnotProcess.executable as NSString).deletingLastPathComponent + "/knot-bench"
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }

    @Test("4 processes each record and sign 500 visits on one database: every write is there, nobody sees 'locked'")
    func fourWriters() throws {
        let bench = try #require(Self.benchExecutable, "knot-bench is not built beside knot (swift build builds it)")
        // The long run writes to the real disk, with an fsync per commit as in the clinic.
        let folder = longTests ? TemporaryDirectory(prefix: "knot-conc") : Self.workFolder()
        let db = folder.file("clinic.sqlite")
        let env = ["KNOT_DATABASE": db, "KNOT_PRACTITIONER": "amy"]
        try #require(KnotProcess.run(["init", "--handle", "amy", "--name", "Amy Physio"], home: folder.path, environment: env).status == 0)
        let writers = 4
        let visits = 500
        for w in 1...writers {
            try #require(KnotProcess.run(["practitioner", "add", "--handle", "w\(w)", "--name", "Writer \(EndToEndClinic.letters(w))"],
                                         home: folder.path, environment: env).status == 0)
        }
        try #require(KnotProcess.run(["patient", "add", "--given", "Jo", "--family", "Smith", "--dob", "1980-05-17", "--record", "K1"],
                                     home: folder.path, environment: env).status == 0)
        let started = Date()
        let running = try (1...writers).map { w in
            try RunningKnot(["stress-writer", "--database", db, "--visits", String(visits), "--handle", "w\(w)"],
                            home: folder.path, executable: bench)
        }
        let results = running.map { $0.wait() }
        let seconds = Date().timeIntervalSince(started)
        for (w, r) in results.enumerated() {
            #expect(r.status == 0, "writer \(w + 1): \(r.stdout) \(r.stderr)")
            #expect(!(r.stdout + r.stderr).contains("locked"), "writer \(w + 1) saw a lock error: \(r.stdout)")
            let report = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            #expect(report?["visits"] as? Int == visits)
            #expect(report?["signed"] as? Int == visits)
        }
        // Every write is present, each exactly once, with its audit rows and an intact chain.
        let total = writers * visits
        #expect(try SQLiteProbe.scalar(db, "SELECT count(*) FROM visit WHERE status = 'signed'") == String(total))
        #expect(try SQLiteProbe.scalar(db, "SELECT count(DISTINCT complaint) FROM visit") == String(total))
        #expect(try SQLiteProbe.scalar(db, "SELECT count(*) FROM audit_event WHERE entity = 'visit' AND action = 'create'") == String(total))
        #expect(try SQLiteProbe.scalar(db, "SELECT count(*) FROM audit_event WHERE entity = 'visit' AND action = 'sign'") == String(total))
        for w in 1...writers {
            let mine = try SQLiteProbe.scalar(db, "SELECT count(*) FROM visit v JOIN practitioner p ON p.id = v.practitioner_id WHERE p.handle = 'w\(w)'")
            #expect(mine == String(visits))
        }
        let check = try KnotProcess.run(["check"], home: folder.path, environment: env)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        print("concurrency: \(writers) writers × \(visits) visits (+ sign) = \(total * 2) write transactions in \(String(format: "%.1f", seconds)) s")
    }

    @Test("4 shells running the real knot at once: every command succeeds")
    func fourShellsOfKnot() throws {
        let folder = Self.workFolder()
        let db = folder.file("clinic.sqlite")
        let env = ["KNOT_DATABASE": db, "KNOT_PRACTITIONER": "amy"]
        try #require(KnotProcess.run(["init", "--handle", "amy", "--name", "Amy Physio"], home: folder.path, environment: env).status == 0)
        try #require(KnotProcess.run(["patient", "add", "--given", "Jo", "--family", "Smith", "--dob", "1980-05-17", "--record", "K1"],
                                     home: folder.path, environment: env).status == 0)
        let perShell = longTests ? 200 : 15
        // Each shell opens visits, adds a finding and signs, one knot process per step.
        let script = """
            set -e
            for i in $(seq 1 \(perShell)); do
              id=$("$0" visit new K1 --complaint "shell $1 visit $i" --json | sed -n 's/^  "id" : \\([0-9]*\\).*/\\1/p')
              "$0" finding add "$id" --muscle soleus --side left --latent --taut-band --no-twitch --no-referred > /dev/null
              "$0" visit sign "$id" > /dev/null
            done
            """
        let shells = try (1...4).map { s in
            try RunningKnot(["-c", script, KnotProcess.executable, String(s)], home: folder.path, environment: env, executable: "/bin/sh")
        }
        for (s, r) in shells.map({ $0.wait() }).enumerated() {
            #expect(r.status == 0, "shell \(s + 1): \(r.stderr)")
            #expect(!r.stderr.contains("locked") && !r.stderr.contains("busy"), "shell \(s + 1): \(r.stderr)")
        }
        #expect(try SQLiteProbe.scalar(db, "SELECT count(*) FROM visit WHERE status = 'signed'") == String(4 * perShell))
        #expect(try SQLiteProbe.scalar(db, "SELECT count(*) FROM trigger_point") == String(4 * perShell))
    }

    @Test("two sessions saving the same draft: the second is refused with a clear message, nothing overwritten")
    func draftConflict() throws {
        let folder = Self.workFolder()
        let db = folder.file("clinic.sqlite")
        let env = ["KNOT_DATABASE": db, "KNOT_PRACTITIONER": "amy"]
        try #require(KnotProcess.run(["init", "--handle", "amy", "--name", "Amy Physio"], home: folder.path, environment: env).status == 0)
        try #require(KnotProcess.run(["patient", "add", "--given", "Jo", "--family", "Smith", "--dob", "1980-05-17", "--record", "K1"],
                                     home: folder.path, environment: env).status == 0)
        // Two terminals, each with its own connection to the file.
        let front = try ClinicSession.open(path: db, handle: "amy", create: false)
        let back = try ClinicSession.open(path: db, handle: "amy", create: false)
        let opened = try front.newVisit(patientKey: "K1", complaint: "neck", pain: PainScores())
        let id = try #require(opened.id)
        var mine = try #require(try front.database.read { try $0.visit(id: id) })
        var theirs = try #require(try back.database.read { try $0.visit(id: id) })
        let revision = try front.database.read { try $0.visitRevision(id: id) }
        #expect(try back.database.read { try $0.visitRevision(id: id) } == revision)

        mine.complaint = "neck and shoulder (front desk terminal)"
        let next = try front.saveDraft(mine, expectedRevision: revision)
        #expect(next == revision + 1)
        theirs.complaint = "neck only (treatment room terminal)"
        #expect {
            try back.saveDraft(theirs, expectedRevision: revision)
        } throws: { error in
            guard let e = error as? StorageError, case .draftConflict(let v) = e else { return false }
            return v == id && e.description.contains("changed in another session") && e.description.contains("nothing was overwritten")
        }
        // The first save stands; reopening (reading the new revision) lets the second terminal save.
        #expect(try SQLiteProbe.scalar(db, "SELECT complaint FROM visit WHERE id = \(id)") == "neck and shoulder (front desk terminal)")
        let fresh = try back.database.read { try $0.visitRevision(id: id) }
        #expect(try back.saveDraft(theirs, expectedRevision: fresh) == fresh + 1)
        try front.database.close()
        try back.database.close()
    }
}
