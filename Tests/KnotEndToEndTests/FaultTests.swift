import Foundation
import Testing
import SeededRandom
import ClinicTestSupport

/// What a practitioner sees when the machine lets Knot down: a full disk, a read-only database,
/// a `-wal` file Knot may not write, a database file replaced by garbage. Each must give a clear
/// message and a non-zero exit, leave the database intact, and write nothing by halves.
@Suite("faults", .serialized)
struct FaultTests {
    /// Words that must never reach a practitioner: raw SQLite wording or a crash.
    static let rawWording = ["database is locked", "Fatal error", "SQLite error", "SQLITE_", "Swift runtime failure"]

    func expectClear(_ r: KnotProcess.Result, _ what: String, mentions: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let text = r.stdout + r.stderr
        #expect(r.status != 0, "\(what) should fail", sourceLocation: sourceLocation)
        #expect(r.status < 128, "\(what) ended by a signal (\(r.status))", sourceLocation: sourceLocation)
        #expect(mentions.contains { text.localizedCaseInsensitiveContains($0) }, "\(what): \(text)", sourceLocation: sourceLocation)
        for w in Self.rawWording { #expect(!text.contains(w), "\(what) leaked '\(w)': \(text)", sourceLocation: sourceLocation) }
    }

    /// The clinic with one patient and one signed visit; returns the patient count.
    func clinicWithData() throws -> EndToEndClinic {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        try clinic.signedVisit("K1")
        return clinic
    }

    func expectIntact(_ clinic: EndToEndClinic, patients: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let check = try clinic.knot(["check"])
        #expect(check.status == 0, "knot check after the fault: \(check.stdout)\(check.stderr)", sourceLocation: sourceLocation)
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM patient") == String(patients), sourceLocation: sourceLocation)
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM imported_document") == "0", sourceLocation: sourceLocation)
    }

    @Test("a full disk: the import is refused with a clear message and nothing of it is written")
    func fullDisk() throws {
        let clinic = try clinicWithData()
        let folder = clinic.home.file("letters")
        let letters = try EndToEndClinic.writeReferrals(count: 1, into: folder, padding: 2_700)  // about 100 KB of history
        let env = ["KNOT_DATABASE": clinic.db, "KNOT_PRACTITIONER": "amy"]
        // The disk "fills" at 64 KB: the letter's pages (kept verbatim, plus its sections) cannot all reach the journal.
        let r = try ConstrainedKnot.run(["import", letters[0]], home: clinic.home.path, environment: env, fileSizeLimit: 65_536)
        expectClear(r, "import on a full disk", mentions: ["is the disk full"])
        #expect(r.stdout.contains("nothing was saved") || r.stderr.contains("nothing was saved"), "\(r.stdout)\(r.stderr)")
        try expectIntact(clinic, patients: 1)

        // A small write when not even the journal can grow.
        let r2 = try ConstrainedKnot.run(["patient", "add", "--given", "Al", "--family", "Full", "--dob", "1970-01-01"],
                                         home: clinic.home.path, environment: env, fileSizeLimit: 1_024)
        expectClear(r2, "patient add on a full disk", mentions: ["is the disk full"])
        try expectIntact(clinic, patients: 1)

        // Once there is room again, the same import goes through whole.
        let ok = try clinic.knot(["import", letters[0]])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM patient") == "2")
    }

    @Test("a read-only database file: writes are refused as read-only, reads still work, nothing changes")
    func readOnlyFile() throws {
        try #require(ConstrainedKnot.canDropPrivileges)
        let clinic = try clinicWithData()
        chmod(clinic.db, 0o400)
        defer { chmod(clinic.db, 0o600) }
        let before = KnotProcess.fingerprint(clinic.db)
        let env = ["KNOT_DATABASE": clinic.db, "KNOT_PRACTITIONER": "amy"]
        let add = try ConstrainedKnot.run(["patient", "add", "--given", "Al", "--family", "Ro", "--dob", "1970-01-01"],
                                          home: clinic.home.path, environment: env, unprivileged: true)
        expectClear(add, "patient add on a read-only database", mentions: ["read-only", "permission"])
        let visit = try ConstrainedKnot.run(["visit", "new", "K1", "--complaint", "neck"], home: clinic.home.path, environment: env, unprivileged: true)
        expectClear(visit, "visit new on a read-only database", mentions: ["read-only", "permission"])
        #expect(KnotProcess.fingerprint(clinic.db) == before)
        chmod(clinic.db, 0o600)
        try expectIntact(clinic, patients: 1)
    }

    @Test("a read-only folder: the journal cannot be created, so writes are refused and nothing changes")
    func readOnlyFolder() throws {
        try #require(ConstrainedKnot.canDropPrivileges)
        let clinic = EndToEndClinic()
        let folder = clinic.home.file("ro")
        let db = folder + "/clinic.sqlite"
        try #require(clinic.knot(["init", "--handle", "amy", "--name", "Amy Physio"], as: nil, database: db).status == 0)
        try #require(clinic.knot(["patient", "add", "--given", "Jo", "--family", "Smith", "--dob", "1980-05-17", "--record", "K1"], database: db).status == 0)
        let before = KnotProcess.fingerprint(db)
        // No journal files: Knot would have to create them (a reader such as the fingerprint leaves them).
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        chmod(folder, 0o500)
        defer { chmod(folder, 0o700) }
        let env = ["KNOT_DATABASE": db, "KNOT_PRACTITIONER": "amy"]
        let add = try ConstrainedKnot.run(["patient", "add", "--given", "Al", "--family", "Ro", "--dob", "1970-01-01"],
                                          home: clinic.home.path, environment: env, unprivileged: true)
        expectClear(add, "patient add in a read-only folder", mentions: ["read-only", "permission", "cannot open"])
        chmod(folder, 0o700)
        #expect(KnotProcess.fingerprint(db) == before)
        #expect(try SQLiteProbe.scalar(db, "SELECT count(*) FROM patient") == "1")
    }

    @Test("a -wal file Knot may not write: a clear refusal, the database untouched")
    func walWithoutPermission() throws {
        try #require(ConstrainedKnot.canDropPrivileges)
        let clinic = try clinicWithData()
        let wal = clinic.db + "-wal"
        try? FileManager.default.removeItem(atPath: wal)
        try? FileManager.default.removeItem(atPath: clinic.db + "-shm")
        #expect(FileManager.default.createFile(atPath: wal, contents: Data(), attributes: [.posixPermissions: 0o000]))
        defer { chmod(wal, 0o600) }
        let before = try Data(contentsOf: URL(fileURLWithPath: clinic.db))
        let env = ["KNOT_DATABASE": clinic.db, "KNOT_PRACTITIONER": "amy"]
        for args in [["patient", "add", "--given", "Al", "--family", "Wal", "--dob", "1970-01-01"], ["patient", "list"]] {
            let r = try ConstrainedKnot.run(args, home: clinic.home.path, environment: env, unprivileged: true)
            expectClear(r, args.joined(separator: " ") + " with an unwritable -wal", mentions: ["permission", "read-only", "cannot open"])
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: clinic.db)) == before)
        chmod(wal, 0o600)
        try expectIntact(clinic, patients: 1)
    }

    @Test("a database file replaced by garbage is refused by every command and left byte for byte")
    func garbage() throws {
        let clinic = try clinicWithData()
        var rng = SplitMix64(state: 7)
        let random = Data((0..<65_536).map { _ in UInt8.random(in: 0...255, using: &rng) })
        // Random bytes; an SQLite header over random pages; a real database cut in half.
        let real = try Data(contentsOf: URL(fileURLWithPath: clinic.db))
        let variants: [(String, Data)] = [
            ("random bytes", random),
            ("an SQLite header over garbage", Data("SQLite format 3\0".utf8) + random),
            ("a truncated database", real.prefix(real.count / 2)),
        ]
        // What each must be called: garbage is not a database; a cut Knot database is damaged.
        let words = ["random bytes": ["not a Knot database"], "an SQLite header over garbage": ["not a Knot database"],
                     "a truncated database": ["damaged", "PROBLEMS"]]
        for (what, bytes) in variants {
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: clinic.db + suffix) }
            try bytes.write(to: URL(fileURLWithPath: clinic.db))
            for args in [["patient", "list"], ["patient", "add", "--given", "Al", "--family", "Gar", "--dob", "1970-01-01"],
                         ["visit", "new", "K1"], ["init"], ["check"], ["backup", clinic.home.file("b-\(what.count).sqlite")]] {
                let r = try clinic.knot(args)
                expectClear(r, "\(args.first!) on \(what)", mentions: words[what]!)
                #expect(try Data(contentsOf: URL(fileURLWithPath: clinic.db)) == bytes, "\(args) on \(what) changed the file")
            }
        }
    }
}
