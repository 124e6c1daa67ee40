import Foundation
import Testing
import ClinicTestSupport

/// Hostile input beyond XML, through the command line: overlong fields, control characters and
/// terminal escape sequences, SQL metacharacters, impossible dates and enormous numbers. Each is
/// refused with a message naming the field, or stored verbatim and displayed safely; none may
/// crash Knot, reach the terminal raw, or change the database when refused.
@Suite("hostile input")
struct HostileInputTests {
    /// Terminal controls that must never be printed raw: ESC, BEL, C1 CSI, the bidi overrides and
    /// isolates, and the line and paragraph separators.
    static let forbiddenOnScreen: [Character] = ["\u{1B}", "\u{07}", "\u{9B}", "\u{202E}", "\u{0}",
                                                 "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}", "\u{2028}", "\u{2029}"]

    func expectSafeOutput(_ r: KnotProcess.Result, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for c in Self.forbiddenOnScreen {
            #expect(!r.stdout.contains(c) && !r.stderr.contains(c),
                    "\(what) printed U+\(String(c.unicodeScalars.first!.value, radix: 16)) raw", sourceLocation: sourceLocation)
        }
        #expect(r.status < 128, "\(what) died by a signal", sourceLocation: sourceLocation)
        #expect(!r.stderr.contains("Fatal error"), "\(what) crashed: \(r.stderr)", sourceLocation: sourceLocation)
    }

    func clinic() throws -> EndToEndClinic {
        let c = EndToEndClinic()
        try c.setUp()
        try c.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        return c
    }

    @Test("refused input names the field, exits non-zero, and leaves the database byte for byte")
    func refusals() throws {
        let c = try clinic()
        try #require(c.knot(["visit", "new", "K1", "--complaint", "calf"]).status == 0)
        let before = KnotProcess.fingerprint(c.db)
        let long = String(repeating: "x", count: 101)
        let cases: [[String]] = [
            // Overlong names and identifiers.
            ["patient", "add", "--given", long, "--family", "Long", "--dob", "1980-01-01"],
            ["patient", "add", "--given", "Al", "--family", String(repeating: "y", count: 5_000), "--dob", "1980-01-01"],
            ["patient", "add", "--given", "Al", "--family", "Rec", "--dob", "1980-01-01", "--record", String(repeating: "9", count: 40)],
            // Control characters and escape sequences in names.
            ["patient", "add", "--given", "Al\u{1B}]0;owned\u{07}", "--family", "Esc", "--dob", "1980-01-01"],
            ["patient", "add", "--given", "Al", "--family", "Csi\u{9B}2J", "--dob", "1980-01-01"],
            ["patient", "add", "--given", "Al", "--family", "Nul\u{1}x", "--dob", "1980-01-01"],
            // Impossible dates.
            ["patient", "add", "--given", "Al", "--family", "Date", "--dob", "1980-13-01"],
            ["patient", "add", "--given", "Al", "--family", "Date", "--dob", "2023-02-29"],
            ["patient", "add", "--given", "Al", "--family", "Date", "--dob", "0000-00-00"],
            ["patient", "add", "--given", "Al", "--family", "Date", "--dob", "99999-01-01"],
            ["patient", "add", "--given", "Al", "--family", "Date", "--dob", "1800-01-01"],
            ["patient", "add", "--given", "Al", "--family", "Date", "--dob", "yesterday"],
            ["patient", "add", "--given", "Al", "--family", "Date", "--dob", "1980-01-01'; DROP TABLE patient; --"],
            ["visit", "new", "K1", "--at", "2026-11-25T25:61"],
            ["visit", "new", "K1", "--at", "2026-02-30"],
            ["log", "needling", "--from", "2026-02-30"],
            ["export", "-o", c.home.file("x.xml"), "--since", "not-a-date"],
            ["reviews", "--due-by", "9999999-01-01"],
            // Enormous and negative numbers.
            ["visit", "new", "K1", "--pain-now", "99999999999999999999"],
            ["visit", "new", "K1", "--pain-now", "-1"],
            ["visit", "new", "K1", "--pain-now", "9223372036854775807"],
            ["visit", "new", "K1", "--psfs", "walking=9223372036854775807"],
            ["finding", "add", "1", "--muscle", "soleus", "--side", "left", "--latent", "--taut-band", "--no-twitch", "--no-referred", "--tenderness", "2147483648"],
            ["needle", "add", "1", "--muscle", "soleus", "--side", "left", "--technique", "pistoning", "--twitches", "0", "--no-adverse", "--sharps-disposed", "--inserted", "9223372036854775807"],
            ["visit", "show", "99999999999999999999"],
            ["visit", "sign", "-9223372036854775808"],
            ["import", "--max-mb", "9223372036854775807", c.home.file("none.xml")],
        ]
        for args in cases {
            let r = try c.knot(args)
            #expect(r.status != 0, "\(args) should be refused: \(r.stdout)")
            #expect(!r.stderr.isEmpty, "\(args) refused without a word")
            expectSafeOutput(r, "\(args)")
        }
        #expect(KnotProcess.fingerprint(c.db) == before, "a refused command changed the database")
        #expect(try SQLiteProbe.scalar(c.db, "SELECT count(*) FROM patient") == "1")
    }

    @Test("SQL metacharacters are stored and found verbatim, and change nothing else")
    func sqlMetacharacters() throws {
        let c = try clinic()
        let family = "O'Brien\"; DROP TABLE patient; --"
        let add = try c.knot(["patient", "add", "--given", "Róisín", "--family", family, "--dob", "1970-03-03", "--record", "Q1"])
        #expect(add.status == 0, "\(add.stderr)")
        let note = "'); DELETE FROM visit; UPDATE audit_event SET actor='x'; -- %_ \\ ' \""
        let v = try c.knot(["visit", "new", "Q1", "--complaint", note, "--notes", note])
        #expect(v.status == 0, "\(v.stderr)")
        #expect(try SQLiteProbe.scalar(c.db, "SELECT family_name FROM patient WHERE record_number = 'Q1'") == family)
        #expect(try SQLiteProbe.scalar(c.db, "SELECT notes FROM visit WHERE patient_id = (SELECT id FROM patient WHERE record_number = 'Q1')") == note)
        #expect(try c.knot(["patient", "show", "Q1"]).stdout.contains("O'Brien"))
        // Search with LIKE wildcards and full-text syntax: no error, never a wider match than typed.
        // Text with nothing searchable in it (only punctuation) is an empty search: the plain list.
        let plainList = try c.knot(["patient", "list"]).stdout
        for query in ["o'brien", "O'Brien\";", "%", "_", "*", "\"", "(", "smith OR 1=1", "NEAR(a b)", "-smith", "a:b", "^", "'; DROP TABLE patient; --"] {
            let r = try c.knot(["patient", "search", query])
            #expect(r.status == 0, "search \(query): \(r.stderr)")
            #expect(!r.stderr.contains("syntax"), "search \(query): \(r.stderr)")
            if ["%", "_", "*", "^", "(", "\""].contains(query) {
                #expect(r.stdout == plainList, "search '\(query)' is not the empty search")
            }
            if query == "smith OR 1=1" { #expect(!r.stdout.contains("Q1"), "OR was taken as an operator") }
            expectSafeOutput(r, "search \(query)")
        }
        #expect(try c.knot(["patient", "search", "o'brien"]).stdout.contains("Q1"))
        #expect(try SQLiteProbe.scalar(c.db, "SELECT count(*) FROM patient") == "2")
        #expect(try c.knot(["check"]).status == 0)
    }

    @Test("control characters and escape sequences in notes and letters are stored but never reach the terminal raw")
    func escapesDisplayedSafely() throws {
        let c = try clinic()
        // A bidi override in a name: refused, or stored and shown as '?'.
        let bidi = try c.knot(["patient", "add", "--given", "Al", "--family", "Bidi\u{202E}evil", "--dob", "1980-01-01", "--record", "B1"])
        expectSafeOutput(bidi, "patient add with a bidi override")
        if bidi.status == 0 {
            for args in [["patient", "list"], ["patient", "show", "B1"], ["patient", "search", "bidi"]] {
                expectSafeOutput(try c.knot(args), args.joined(separator: " "))
            }
        }
        let hostile = "before\u{1B}[2J\u{1B}]0;pwned\u{07}\u{9B}31m\u{202E}reversed\u{1}after"
            + " \u{2066}isolate\u{2067}rtl\u{2068}first\u{2069}pop line\u{2028}sep\u{2029}para"
        let v = try c.knot(["visit", "new", "K1", "--complaint", hostile, "--notes", hostile, "--json"])
        expectSafeOutput(v, "visit new")
        if v.status == 0 {
            // Stored: then every display of it is safe, and JSON escapes it.
            for args in [["visit", "show", "1"], ["history", "K1"], ["patient", "show", "K1"], ["visit", "show", "1", "--json"],
                         ["audit", "log"], ["plan", "1"]] {
                let r = try c.knot(args)
                expectSafeOutput(r, args.joined(separator: " "))
            }
            #expect(try c.knot(["visit", "show", "1"]).stdout.contains("before"))
            // knot prints through TerminalKit's one safe-text function: each isolate and
            // separator is shown as '?', the text around it kept.
            #expect(try c.knot(["visit", "show", "1"]).stdout.contains("?isolate?rtl?first?pop line?sep?para"))
        } else {
            #expect(v.stderr.contains("control"), "\(v.stderr)")
        }
        // A referral letter carrying C1 controls and a bidi override in its text (legal in XML 1.0).
        let letter = c.home.file("hostile.xml")
        try Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <referral xmlns="urn:knot:referral:1" version="1">
              <referrer><name>Dr Evil&#x9B;2J</name></referrer>
              <date>2026-11-20</date>
              <patient><givenNames>Mal</givenNames><familyName>Ware</familyName><dateOfBirth>1970-01-01</dateOfBirth></patient>
              <reason>Neck pain &#x202E;gnirts desrever&#x9B;31m and more &#x85; text</reason>
            </referral>
            """.utf8).write(to: URL(fileURLWithPath: letter))
        let imp = try c.knot(["import", letter])
        expectSafeOutput(imp, "import")
        for args in [["patient", "list"], ["patient", "search", "ware"], ["patient", "show", "K1"]] + (imp.status == 0 ? [["patient", "show", "2"]] : []) {
            expectSafeOutput(try c.knot(args), args.joined(separator: " "))
        }
    }

    @Test("an overlong note is refused or stored whole, never truncated silently")
    func overlongNotes() throws {
        let c = try clinic()
        let note = String(repeating: "Calf tight after long runs. ", count: 4_000)  // about 112 KB
        let r = try c.knot(["visit", "new", "K1", "--notes", note])
        expectSafeOutput(r, "visit new with a long note")
        if r.status == 0 {
            #expect(try SQLiteProbe.scalar(c.db, "SELECT length(notes) FROM visit") == String(note.count))
            let show = try c.knot(["visit", "show", "1"])
            #expect(show.status == 0)
        } else {
            #expect(r.stderr.contains("notes"), "\(r.stderr)")
            #expect(try SQLiteProbe.scalar(c.db, "SELECT count(*) FROM visit") == "0")
        }
    }
}

/// Files in an import folder that are not letters to read whole: a named pipe (nobody writes to
/// it), a character device, and a symbolic link to a file over the size cap. Each is refused
/// with its reason before a byte is read (the cap applies to the file the link leads to), the
/// import never waits, and the good letter beside them is filed.
@Suite struct ImportFileKindTests {
    @Test("a pipe, /dev/zero and a link to a file over --max-mb: each rejected with its reason, at once; the good letter filed; the same for each file named alone")
    func notLettersToRead() throws {
        let c = EndToEndClinic()
        try c.setUp()
        let folder = c.home.file("inbox")
        let good = try EndToEndClinic.writeReferrals(count: 1, into: folder)
        #expect(good.count == 1)
        let pipe = (folder as NSString).appendingPathComponent("pipe.xml")
        #expect(mkfifo(pipe, 0o600) == 0)
        let device = (folder as NSString).appendingPathComponent("zero.xml")
        try FileManager.default.createSymbolicLink(atPath: device, withDestinationPath: "/dev/zero")
        let big = c.home.file("big.xml")
        try Data(repeating: UInt8(ascii: " "), count: 2 * 1_048_576).write(to: URL(fileURLWithPath: big))
        let link = (folder as NSString).appendingPathComponent("link.xml")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: big)

        // Under `timeout`: an import that waits on the pipe fails the test (124) instead of hanging it.
        func knot(_ args: [String]) throws -> KnotProcess.Result {
            try KnotProcess.runProgram("/usr/bin/timeout", ["-s", "KILL", "30", KnotProcess.executable] + args, home: c.home.path,
                                       environment: ["KNOT_DATABASE": c.db, "KNOT_PRACTITIONER": "amy"])
        }
        let r = try knot(["import", "--max-mb", "1", folder])
        #expect(r.status == 65, "\(r.status) \(r.stdout) \(r.stderr)")
        #expect(r.stdout.contains("REJECTED \(pipe)\n         not a regular file (a device, pipe or socket): not read"), "\(r.stdout)")
        #expect(r.stdout.contains("REJECTED \(device)\n         not a regular file (a device, pipe or socket): not read"), "\(r.stdout)")
        #expect(r.stdout.contains("REJECTED \(link)\n         the file is 2097152 bytes, over the 1048576-byte limit (--max-mb)"), "\(r.stdout)")
        #expect(r.stdout.contains("4 file(s): 1 created, 0 matched, 0 skipped, 0 conflict(s), 3 rejected."), "\(r.stdout)")

        for (file, reason) in [(pipe, "not a regular file"), (device, "not a regular file"), (link, "over the 1048576-byte limit")] {
            for dryRun in [false, true] {
                let one = try knot(["import", "--max-mb", "1"] + (dryRun ? ["--dry-run"] : []) + [file])
                #expect(one.status == 65 && one.stdout.contains(reason), "\(file) \(dryRun): \(one.stdout) \(one.stderr)")
            }
        }
    }
}
