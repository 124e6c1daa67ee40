import Foundation
import Testing
import ClinicTestSupport

/// An import that runs out of room: a disk that fills, or a file-size limit (`ulimit -f`). The
/// import stops at the first failed write, says "disk full" (exit 74), and reports the letters
/// it did not file as "not filed", not "rejected" (the letters are fine; the disk is not).
@Suite("import faults", .serialized)
struct ImportFaultTests {
    func clinicWithData() throws -> EndToEndClinic {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        try clinic.signedVisit("K1")
        return clinic
    }

    func expectNotFiled(_ r: KnotProcess.Result, letters: [String], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == 74, "\(what): exit \(r.status) \(r.stdout)\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains("disk full"), "\(what): \(r.stderr)", sourceLocation: sourceLocation)
        #expect(!r.stdout.contains("REJECTED"), "\(what): a good letter reported rejected: \(r.stdout)", sourceLocation: sourceLocation)
        for letter in letters {
            #expect(r.stdout.contains("NOT FILED \(letter)"), "\(what): \(letter) not reported 'not filed': \(r.stdout)", sourceLocation: sourceLocation)
        }
        #expect(r.stdout.contains("\(letters.count) not filed"), "\(what): \(r.stdout)", sourceLocation: sourceLocation)
    }

    @Test("a file-size limit (ulimit -f, SIGXFSZ not ignored by the shell): disk full, exit 74, letters not filed, no signal")
    func fileSizeLimit() throws {
        let clinic = try clinicWithData()
        let folder = clinic.home.file("letters")
        let letters = try EndToEndClinic.writeReferrals(count: 3, into: folder, padding: 2_700)
        let env = ["KNOT_DATABASE": clinic.db, "KNOT_PRACTITIONER": "amy"]
        let r = try ConstrainedKnot.run(["import", folder], home: clinic.home.path, environment: env,
                                        fileSizeLimit: 65_536, shellIgnoresXFSZ: false)
        expectNotFiled(r, letters: letters, "import under ulimit -f")
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM patient") == "1")
        let check = try clinic.knot(["check"])
        #expect(check.status == 0, "knot check after the fault: \(check.stdout)\(check.stderr)")

        // Once the limit is lifted, the same import files every letter.
        let again = try clinic.knot(["import", folder])
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM patient") == "4")
    }

    /// Whether a tmpfs can be mounted here (root in a container that allows it).
    static let canMount: Bool = {
        guard getuid() == 0 else { return false }
        let dir = NSTemporaryDirectory() + "knot-mount-probe-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir]) == 0 else { return false }
        _ = run("/bin/umount", [dir])
        return true
    }()

    @discardableResult
    static func run(_ program: String, _ args: [String]) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }

    @Test("a full disk (a small tmpfs): the import stops at the first failed write, disk full, exit 74, the rest not filed",
          .enabled(if: ImportFaultTests.canMount, "needs root and permission to mount a tmpfs (skipped: mount is not permitted here)"))
    func fullTmpfs() throws {
        let clinic = try clinicWithData()
        let folder = clinic.home.file("letters")
        let letters = try EndToEndClinic.writeReferrals(count: 3, into: folder, padding: 2_700)
        let disk = clinic.home.file("disk")
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        try #require(Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", disk]) == 0)
        defer { Self.run("/bin/umount", [disk]) }
        let db = (disk as NSString).appendingPathComponent("clinic.sqlite")
        try FileManager.default.copyItem(atPath: clinic.db, toPath: db)
        // Fill the disk, then give back 96 KB: room to open the clinic, not to file a letter.
        let filler = (disk as NSString).appendingPathComponent("filler")
        _ = FileManager.default.createFile(atPath: filler, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: filler))
        let block = Data(count: 4096)
        while (try? handle.write(contentsOf: block)) != nil {}
        let size = try handle.offset()
        try handle.truncate(atOffset: size > 98_304 ? size - 98_304 : 0)
        try handle.close()

        let env = ["KNOT_DATABASE": db, "KNOT_PRACTITIONER": "amy"]
        let r = try KnotProcess.run(["import", folder], home: clinic.home.path, environment: env)
        expectNotFiled(r, letters: letters, "import on a full tmpfs")
        #expect(try SQLiteProbe.scalar(db, "SELECT count(*) FROM patient") == "1")

        // With room again, the same import files every letter.
        try FileManager.default.removeItem(atPath: filler)
        let again = try KnotProcess.run(["import", folder], home: clinic.home.path, environment: env)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(try SQLiteProbe.scalar(db, "SELECT count(*) FROM patient") == "4")
    }
}
