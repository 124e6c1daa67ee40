import Foundation
import Testing
import ClinicModel
import ClinicTestSupport
@testable import ClinicStore

/// Opening a clinic an older Knot made upgrades it: every row is verified, migrated and sealed
/// again, minutes for a large clinic. The opener is told when that starts (with the migrations
/// and the number of patients) and when it is done (with whether the check before it found a
/// problem); opening a current, new or read-only clinic says nothing.
@Suite struct OpeningNoticeTests {
    /// Opens `path` and returns what it was told.
    static func open(_ path: String, readOnly: Bool = false, create: Bool = false) throws -> [OpeningNotice] {
        let heard = Heard()
        let db = try ClinicDatabase(path: path, create: create, readOnly: readOnly, notice: { heard.add($0) })
        try db.close()
        return heard.notices
    }

    final class Heard {
        var notices: [OpeningNotice] = []
        func add(_ n: OpeningNotice) { notices.append(n) }
    }

    @Test("an upgrade is announced before it starts, with its migrations and the clinic's patients, and after it ends; the next open says nothing")
    func upgradeAnnounced() throws {
        let (dir, path) = try CompactSealTests.clinicBeforeV7()
        defer { withExtendedLifetime(dir) {} }
        let patients = Int(try CompactSealTests.number(path, "SELECT count(*) FROM patient"))
        #expect(patients > 0)
        let heard = try Self.open(path)
        try #require(heard.count == 2, "\(heard)")
        #expect(heard[0] == .upgrading(migrations: ["v7-compact-seals"], patients: patients))
        guard case let .upgraded(seconds, foundProblems) = heard[1] else {
            Issue.record("\(heard[1])"); return
        }
        #expect(seconds >= 0 && seconds < 600)
        #expect(foundProblems == false)
        // Done: every seal is v7 now, and opening again has nothing to say.
        #expect(try CompactSealTests.sealKinds(path).keys.sorted() == ["blob blob"])
        #expect(try Self.open(path).isEmpty)
    }

    @Test("an edit made with sqlite3 before the upgrade: the notice at its end says the check found a problem")
    func upgradeAfterEdit() throws {
        let (dir, path) = try CompactSealTests.clinicBeforeV7()
        defer { withExtendedLifetime(dir) {} }
        let id = try CompactSealTests.patientID(path)
        try SealCoverageTests.edit(path, "UPDATE patient SET family_name = 'Changed' WHERE id = \(id)")
        let heard = try Self.open(path)
        guard case let .upgraded(_, foundProblems)? = heard.last else { Issue.record("\(heard)"); return }
        #expect(foundProblems == true)
    }

    @Test("a new clinic, a current one and an old one opened read-only: no notice (and the read-only one is not upgraded)")
    func quietOpens() throws {
        let dir = TemporaryDirectory(prefix: "knot-notice")
        #expect(try Self.open(dir.file("new.sqlite"), create: true).isEmpty)
        #expect(try Self.open(dir.file("new.sqlite")).isEmpty)
        let (old, path) = try CompactSealTests.clinicBeforeV7()
        #expect(try Self.open(path, readOnly: true).isEmpty)
        #expect(try CompactSealTests.sealKinds(path).keys.sorted() == ["text text"])
        withExtendedLifetime((dir, old)) {}
    }
}
