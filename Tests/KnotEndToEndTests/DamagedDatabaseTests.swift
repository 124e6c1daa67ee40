import Foundation
import Testing
import ClinicTestSupport

/// A database changed outside Knot (a cell of the wrong type, an unparsable date, an enum value
/// Knot does not know, a negative count, JSON that does not decode) never crashes Knot: every
/// read command reports the damage with its table, row and column and exits 65, and
/// `knot audit verify` reports a damaged audit row as a break.
@Suite("damaged databases", .serialized)
struct DamagedDatabaseTests {
    let home = TemporaryDirectory(prefix: "knot-damaged")

    /// Exit codes Knot gives on purpose: anything else (4 SIGILL, 5 SIGTRAP, 6 SIGABRT, 11
    /// SIGSEGV as Foundation reports a signal) is a crash.
    static let knotCodes: Set<Int32> = [0, 1, 3, 64, 65, 66, 73, 74, 75, 77]
    static let crashWording = ["Fatal error", "Swift runtime failure", "Illegal instruction", "Trace/breakpoint"]

    func knot(_ args: [String], db: String) throws -> KnotProcess.Result {
        try KnotProcess.run(args, home: home.path, environment: ["KNOT_DATABASE": db, "KNOT_PRACTITIONER": "mchen"])
    }

    /// The demo clinic with its triggers dropped (so that cells can be edited as an outside tool
    /// would), checkpointed into one file.
    func demoTemplate() throws -> String {
        let db = home.file("template.sqlite")
        let made = try knot(["demo"], db: db)
        try #require(made.status == 0, "\(made.stderr)")
        _ = try SQLiteProbe.python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            for (name,) in c.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
                c.execute('DROP TRIGGER "%s"' % name)
            c.commit()
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            c.close()
            """, [db])
        return db
    }

    func copy(_ template: String, to name: String) throws -> String {
        let db = home.file(name)
        try? FileManager.default.removeItem(atPath: db)
        try FileManager.default.copyItem(atPath: template, toPath: db)
        return db
    }

    /// Runs one statement as an outside tool would (CHECK constraints not enforced), committed.
    func execute(_ db: String, _ sql: String) throws {
        _ = try SQLiteProbe.python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1]); c.execute("PRAGMA ignore_check_constraints = ON"); c.execute(sys.argv[2]); c.commit()
            """, [db, sql])
    }

    func expectNoCrash(_ r: KnotProcess.Result, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(Self.knotCodes.contains(r.status), "\(what) ended with \(r.status) (a signal?): \(r.stderr)", sourceLocation: sourceLocation)
        for w in Self.crashWording {
            #expect(!(r.stdout + r.stderr).contains(w), "\(what) crashed: \(r.stderr)", sourceLocation: sourceLocation)
        }
    }

    @Test("an audit timestamp edited to text: audit verify reports the break with row and column, no crash")
    func auditTimestamp() throws {
        let db = try copy(try demoTemplate(), to: "audit.sqlite")
        try execute(db, "UPDATE audit_event SET at = 'yesterday' WHERE id = 3")
        let r = try knot(["audit", "verify"], db: db)
        expectNoCrash(r, "audit verify")
        #expect(r.status == 3, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("BROKEN"), "\(r.stdout)")
        #expect(r.stdout.contains("audit event 3, column at: 'yesterday' is not a timestamp"), "\(r.stdout)")
    }

    @Test("a visit's start edited to text: visit show, history and patient show name table, row and column (exit 65)")
    func visitStartedAt() throws {
        let db = try copy(try demoTemplate(), to: "visit.sqlite")
        let row = try #require(try SQLiteProbe.query(db, "SELECT v.id, v.patient_id FROM visit v ORDER BY v.id LIMIT 1").first)
        try execute(db, "UPDATE visit SET started_at = 'yesterday' WHERE id = \(row[0])")
        for args in [["visit", "show", row[0]], ["history", row[1]], ["patient", "show", row[1]], ["export", "-o", home.file("v.xml")]] {
            let r = try knot(args, db: db)
            expectNoCrash(r, args.joined(separator: " "))
            #expect(r.status == 65, "\(args): \(r.status) \(r.stdout)\(r.stderr)")
            #expect(r.stderr.contains("visit \(row[0]), column started_at: 'yesterday' is not a timestamp"), "\(args): \(r.stderr)")
        }
    }

    @Test("impossible values: an unknown enum value, a negative count, JSON that does not decode, an out-of-range score")
    func impossibleValues() throws {
        let template = try demoTemplate()
        let needling = try #require(try SQLiteProbe.query(template, "SELECT id, visit_id FROM needling_entry ORDER BY id LIMIT 1").first)
        let cases: [(sql: String, visit: String, mentions: String)] = [
            ("UPDATE visit SET status = 'lost' WHERE id = \(needling[1])", needling[1], "column status: 'lost' is not a known value"),
            ("UPDATE needling_entry SET inserted = -4 WHERE id = \(needling[0])", needling[1],
             "needling entry \(needling[0]), column inserted: -4 is negative"),
            ("UPDATE needling_entry SET adverse_events_json = '{not json' WHERE id = \(needling[0])", needling[1],
             "needling entry \(needling[0]), column adverse_events_json: is not valid JSON"),
            ("UPDATE visit SET pain_now = 42 WHERE id = \(needling[1])", needling[1], "column pain_now: 42 is outside the NPRS range"),
        ]
        for (i, c) in cases.enumerated() {
            let db = try copy(template, to: "impossible-\(i).sqlite")
            try execute(db, c.sql)
            let r = try knot(["visit", "show", c.visit], db: db)
            expectNoCrash(r, c.sql)
            #expect(r.status == 65, "\(c.sql): \(r.status) \(r.stdout)\(r.stderr)")
            #expect(r.stderr.contains(c.mentions), "\(c.sql): \(r.stderr)")
        }
    }

    /// Random cells of every table of the demo clinic set to hostile values, then every read
    /// command run: none may trap. Seeded; a few rounds by default, many with KNOT_LONG_TESTS.
    @Test("random damage to every table: every read command reports it or carries on, never a crash")
    func randomDamage() throws {
        let long = ProcessInfo.processInfo.environment["KNOT_LONG_TESTS"] != nil
        let rounds = long ? 120 : 6
        let template = try demoTemplate()
        var decodeReports = 0
        for round in 0..<rounds {
            let db = try copy(template, to: "round.sqlite")
            try? FileManager.default.removeItem(atPath: home.file("export.xml"))
            // Mutates 4 cells; prints "table|rowid|column|value|patient id|visit id|referral id" per mutation.
            let out = try SQLiteProbe.python(Self.mutator, [db, String(round * 7919 + 17), "4"])
            let mutations = out.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
            let patient = mutations.compactMap { $0.count > 4 && !$0[4].isEmpty ? $0[4] : nil }.first ?? "1"
            let visit = try mutations.compactMap { $0.count > 5 && !$0[5].isEmpty ? $0[5] : nil }.first
                ?? (try SQLiteProbe.scalar(db, "SELECT id FROM visit WHERE patient_id = \(Int(patient) ?? 1) ORDER BY id LIMIT 1") ?? "1")
            let referral = try mutations.compactMap { $0.count > 6 && !$0[6].isEmpty ? $0[6] : nil }.first
                ?? (try SQLiteProbe.scalar(db, "SELECT id FROM referral ORDER BY id LIMIT 1") ?? "1")
            let commands: [[String]] = [
                ["patient", "list"], ["patient", "search", "a"], ["patient", "show", patient], ["visit", "show", visit],
                ["history", patient], ["log", "needling", "--from", "2000-01-01"], ["reviews"],
                ["referral", "list", patient], ["referral", "show", referral], ["audit", "verify"], ["check"],
                ["export", "-o", home.file("export.xml")], ["plan", visit],
            ]
            for args in commands {
                let r = try knot(args, db: db)
                let what = "round \(round) [\(out.replacingOccurrences(of: "\n", with: "; "))] knot \(args.joined(separator: " "))"
                expectNoCrash(r, what)
                if r.status == 65 && r.stderr.contains(", column ") {
                    decodeReports += 1
                    // "visit 12, column started_at: …": a table, a row and a column.
                    #expect(r.stderr.range(of: #"[a-z ]+ ('?[^ ,]*'?|\?), column [a-z_0-9]+: "#, options: .regularExpression) != nil, "\(what): \(r.stderr)")
                }
            }
        }
        #expect(decodeReports > 0, "no damage was reported by row and column in \(rounds) rounds")
    }

    /// Python: sets `count` random cells (a random row of a random table with rows, a random
    /// column) to hostile values, bypassing CHECK constraints; NOT NULL and UNIQUE refusals are
    /// retried with another cell. FTS tables are SQLite's own index, left alone.
    static let mutator = """
        import random, sqlite3, sys
        db, seed, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
        rnd = random.Random(seed)
        c = sqlite3.connect(db)
        c.execute("PRAGMA ignore_check_constraints = ON")
        tables = [n for (n, sql) in c.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
                  if not n.startswith("sqlite_") and "_fts" not in n and "VIRTUAL" not in (sql or "").upper()
                  and "WITHOUT ROWID" not in (sql or "").upper()]
        tables = [t for t in tables if c.execute('SELECT count(*) FROM "%s"' % t).fetchone()[0] > 0]
        values = ["yesterday", -7, 3.5, None, b"\\x00\\xff", "{not json", "bogus", 99999999999, "", "2026-13-45", "[1,2", -1, "0"]
        done, tries = 0, 0
        while done < count and tries < 200:
            tries += 1
            t = rnd.choice(tables)
            cols = [r[1] for r in c.execute('PRAGMA table_info("%s")' % t).fetchall()]
            col = rnd.choice(cols)
            rowid = c.execute('SELECT rowid FROM "%s" ORDER BY random() LIMIT 1' % t).fetchone()
            if rowid is None: continue
            rowid = rowid[0]
            row = dict(zip(cols, c.execute('SELECT * FROM "%s" WHERE rowid = ?' % t, (rowid,)).fetchone()))
            pid = row.get("patient_id") if t != "patient" else row.get("id")
            vid = row.get("visit_id") if t != "visit" else row.get("id")
            if vid is not None and pid is None:
                r = c.execute("SELECT patient_id FROM visit WHERE id = ?", (vid,)).fetchone()
                pid = r[0] if r else None
            rid = row.get("referral_id") if t != "referral" else row.get("id")
            v = rnd.choice(values)
            try:
                c.execute('UPDATE "%s" SET "%s" = ? WHERE rowid = ?' % (t, col), (v, rowid))
            except sqlite3.Error:
                continue
            done += 1
            def s(x): return "" if x is None or not isinstance(x, int) else str(x)
            print("%s|%s|%s|%r|%s|%s|%s" % (t, rowid, col, v, s(pid), s(vid), s(rid)))
        c.commit()
        c.close()
        """
}
