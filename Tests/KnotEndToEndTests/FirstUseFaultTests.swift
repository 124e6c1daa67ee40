import Foundation
import Testing
import ClinicTestSupport

/// Issue 14, first use and faults: creating a database is atomic; an empty or cut file is
/// damaged, not a new clinic; a read-only database still answers reads and says why writes
/// fail; a `-shm` left unwritable by a read-only episode is repaired or named.
@Suite("first use and faults", .serialized)
struct FirstUseFaultTests {
    @Test("eight processes creating one database at once all succeed, on one complete clinic")
    func concurrentCreation() throws {
        let home = TemporaryDirectory(prefix: "knot-create8")
        let db = home.file("clinic/clinic.sqlite")
        let results = Mutex8()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            results.set(i, try? KnotProcess.run(["init"], home: home.path, environment: ["KNOT_DATABASE": db]))
        }
        var created = 0
        for i in 0..<8 {
            let r = try #require(results.get(i), "process \(i) did not run")
            #expect(r.status == 0, "process \(i): \(r.status) \(r.stderr)")
            if r.stdout.contains("Created the clinic database") { created += 1 }
        }
        #expect(created == 1, "one process made it, the others found it ready")
        // The first account (the administrator) on the clinic they made together, then a check as her.
        #expect(try KnotProcess.run(["init", "--handle", "amy", "--name", "Amy Physio"], home: home.path,
                                    environment: ["KNOT_DATABASE": db]).status == 0)
        let check = try KnotProcess.run(["check"], home: home.path, environment: ["KNOT_DATABASE": db, "KNOT_PRACTITIONER": "amy"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: home.file("clinic")).filter { $0.contains("creating") }
        #expect(left.isEmpty, "private build files left behind: \(left)")
    }

    @Test("a zero-byte or cut database file is refused as damaged by every command, never made a new clinic")
    func emptyAndCutFiles() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        #expect(try clinic.knot(["check"]).status == 0)
        let real = try Data(contentsOf: URL(fileURLWithPath: clinic.db))
        let pageSize = 4096
        let variants: [(String, Data)] = [("empty", Data()), ("last page cut", real.prefix(real.count - pageSize)),
                                          ("header only", real.prefix(100))]
        for (what, bytes) in variants {
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: clinic.db + suffix) }
            try bytes.write(to: URL(fileURLWithPath: clinic.db))
            for args in [["patient", "list"], ["init"], ["patient", "add", "--given", "Al", "--family", "Ro", "--dob", "1970-01-01"], ["demo"]] {
                let r = try clinic.knot(args)
                #expect(r.status != 0 && r.status < 128, "\(args) on \(what): \(r.status)")
                #expect(r.stderr.contains(what == "empty" ? "the file is empty (0 bytes)" : "damaged"), "\(args) on \(what): \(r.stderr)")
                #expect(try Data(contentsOf: URL(fileURLWithPath: clinic.db)) == bytes, "\(args) changed the \(what) file")
            }
        }
    }

    @Test("a read-only database answers reads, refuses writes saying why, and a stale 0400 -shm is repaired afterwards")
    func readOnlyThenWritable() throws {
        try #require(ConstrainedKnot.canDropPrivileges)
        let clinic = EndToEndClinic()
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        chmod(clinic.db, 0o400)
        defer { chmod(clinic.db, 0o600) }
        let env = ["KNOT_DATABASE": clinic.db, "KNOT_PRACTITIONER": "amy"]
        let before = KnotProcess.fingerprint(clinic.db)
        for args in [["patient", "list"], ["patient", "search", "smi"], ["check"]] {
            let r = try ConstrainedKnot.run(args, home: clinic.home.path, environment: env, unprivileged: true)
            #expect(r.status == 0, "\(args) on a read-only database: \(r.stderr)")
            if args[0] == "patient" { #expect(r.stdout.contains("K1")) }
        }
        let add = try ConstrainedKnot.run(["patient", "add", "--given", "Al", "--family", "Ro", "--dob", "1970-01-01"],
                                          home: clinic.home.path, environment: env, unprivileged: true)
        #expect(add.status == 77)
        #expect(add.stderr.contains("read-only: the file is not writable by this user (permission denied, mode 400)"), "\(add.stderr)")
        #expect(KnotProcess.fingerprint(clinic.db) == before)
        #expect(try posixMode(clinic.db) == 0o400, "a file made read-only on purpose stays so")

        // The read-only episode leaves a -shm of mode 0400; once the file is writable again it is repaired.
        let shm = clinic.db + "-shm"
        if !FileManager.default.fileExists(atPath: shm) {
            try Data(count: 32_768).write(to: URL(fileURLWithPath: shm))
        }
        chmod(shm, 0o400)
        chmod(clinic.db, 0o600)
        let again = try ConstrainedKnot.run(["patient", "add", "--given", "Al", "--family", "Ro", "--dob", "1970-01-01", "--record", "K2"],
                                            home: clinic.home.path, environment: env, unprivileged: true)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM patient") == "2")
    }

    @Test("a stale -shm this user cannot repair is named with what to do")
    func foreignStaleSharedMemory() throws {
        try #require(getuid() == 0 && ConstrainedKnot.canDropPrivileges, "needs root to give the -shm to another user")
        let clinic = EndToEndClinic()
        try clinic.setUp()
        let shm = clinic.db + "-shm"
        try Data(count: 32_768).write(to: URL(fileURLWithPath: shm))
        chown(shm, 65_534, 65_534)
        chmod(shm, 0o400)
        defer { chown(shm, 0, 0); chmod(shm, 0o600) }
        let r = try ConstrainedKnot.run(["patient", "list"], home: clinic.home.path, environment: ["KNOT_DATABASE": clinic.db], unprivileged: true)
        #expect(r.status != 0 && r.status < 128)
        #expect(r.stderr.contains("the shared-memory file \(shm) is not writable by this user (mode 400)"), "\(r.stderr)")
        #expect(r.stderr.contains("chmod 600 \(shm)"))
    }

    func posixMode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) & 0o777
    }
}

/// Results gathered from concurrent processes.
final class Mutex8: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Int: KnotProcess.Result] = [:]
    func set(_ i: Int, _ r: KnotProcess.Result?) { lock.lock(); results[i] = r; lock.unlock() }
    func get(_ i: Int) -> KnotProcess.Result? { lock.lock(); defer { lock.unlock() }; return results[i] }
}
