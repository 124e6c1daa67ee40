import Foundation
import Testing
import ClinicModel
@testable import ClinicServices
import ClinicTestSupport

/// `knot init --from` builds the new clinic under a private name beside the path, without the
/// WAL, and links it into place only once whole. What a user relies on: the clinic at the path
/// is an ordinary one (WAL, verifies), nothing private is left beside it, a failed or crashed
/// build leaves no clinic and nothing of its own, and a file that appears at the path meanwhile
/// is never replaced.
@Suite struct NewClinicStagingTests {
    /// The folder's entries other than `keep`.
    static func others(in folder: String, keeping keep: Set<String> = []) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { !keep.contains($0) }.sorted()
    }

    @Test("a clinic built from an export is a WAL clinic at its path that verifies, with nothing left beside it, and an abandoned build's file is removed")
    func builtAndLinked() throws {
        let dir = TemporaryDirectory(prefix: "knot-staging")
        let path = dir.file("clinic.sqlite")
        // What a build killed earlier left (its process is gone): removed by this one.
        var dead: Int32 = 999_999
        while kill(dead, 0) == 0 || errno != ESRCH { dead -= 1 }
        let abandoned = dir.file(".clinic.sqlite.knot-load-\(dead)-0badf00d")
        #expect(FileManager.default.createFile(atPath: abandoned, contents: Data("half a clinic".utf8)))
        let (session, outcome) = try ClinicSession.createClinic(at: path, fromExport: WholeClinicExchangeTests.exported.withAudit, handle: nil)
        #expect(outcome.status == .created && outcome.patients == 80, "\(outcome.detail)")
        let maintenance = ClinicSession.maintenance(database: session.database, actor: "test")
        let verified = try maintenance.verifyAudit()
        #expect(verified.isIntact, "\(verified.firstProblem ?? "")")
        try session.database.close()
        #expect(try SQLiteProbe.scalar(path, "PRAGMA journal_mode") == "wal")
        #expect(try SQLiteProbe.scalar(path, "SELECT count(*) FROM patient") == "80")
        #expect(try SQLiteProbe.scalar(path, "PRAGMA integrity_check") == "ok")
        #expect(try Self.others(in: dir.path, keeping: ["clinic.sqlite", "clinic.sqlite-wal", "clinic.sqlite-shm"]) == [])
    }

    @Test("a refused export leaves neither a clinic nor the private build file in a folder that was there")
    func refusedLeavesNothing() throws {
        let dir = TemporaryDirectory(prefix: "knot-staging-refused")
        let text = try String(contentsOfFile: WholeClinicExchangeTests.exported.withAudit, encoding: .utf8)
        // The last audit event broken: refused after every record was written.
        guard let range = text.range(of: " hash=\"", options: .backwards) else { Issue.record("no hash"); return }
        let broken = dir.file("broken.xml")
        try text.replacingCharacters(in: range, with: " hash=\"XYZ").write(toFile: broken, atomically: true, encoding: .utf8)
        var options = ImportOptions()
        options.untrusted = true
        #expect(throws: NewClinicRefused.self) {
            _ = try ClinicSession.createClinic(at: dir.file("clinic.sqlite"), fromExport: broken, handle: nil, options: options)
        }
        #expect(try Self.others(in: dir.path) == ["broken.xml"])
    }

    @Test("a file that appears at the path while the clinic is built is left as it is, and the build's file removed")
    func neverReplaces() throws {
        let dir = TemporaryDirectory(prefix: "knot-staging-race")
        let path = dir.file("clinic.sqlite")
        let target = try NewClinicTarget.open(path, purpose: "test", staged: true)
        let staging = try #require(target.stagingPath)
        #expect(staging != path && FileManager.default.fileExists(atPath: staging) && !FileManager.default.fileExists(atPath: path))
        try target.store.close()
        #expect(FileManager.default.createFile(atPath: path, contents: Data("someone else's".utf8)))
        #expect(throws: StorageError.self) { try target.publish() }
        target.discard(closing: false)
        #expect(FileManager.default.contents(atPath: path) == Data("someone else's".utf8))
        #expect(try Self.others(in: dir.path) == ["clinic.sqlite"])
    }
}
