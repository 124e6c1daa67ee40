import Foundation
import GRDB
import Testing
import ClinicModel
@testable import ClinicStore

/// The clinic's settings (v5-clinic-settings): one row per name, changes audited, and a database
/// from before settings reads as "none set" rather than failing.
@Suite struct ClinicSettingsStoreTests {
    @Test func aSettingIsStoredChangedAndEveryChangeAudited() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        #expect(try clinic.db.read { try $0.clinicSettings() } == [:])
        try clinic.db.write { try $0.setClinicSetting(name: ClinicSettingName.timeZone, value: "Australia/Sydney", actor: "mchen") }
        try clinic.db.write { try $0.setClinicSetting(name: ClinicSettingName.timeZone, value: "Australia/Sydney", actor: "mchen") }
        try clinic.db.write { try $0.setClinicSetting(name: ClinicSettingName.timeZone, value: "Pacific/Auckland", actor: "mchen") }
        #expect(try clinic.db.read { try $0.clinicSettings() } == ["time_zone": "Pacific/Auckland"])
        let changes = try clinic.db.read { try $0.auditLog() }.filter { $0.event.entity == "clinic-setting" }.map(\.event)
        #expect(changes.map(\.detail) == ["time_zone: Australia/Sydney → Pacific/Auckland", "time_zone: Australia/Sydney"],
                "newest first; setting the same value again is not a change")
        #expect(changes.map(\.action) == [.update, .create])
    }

    @Test func theSchemaRefusesANameThatIsNotASettingNameAndAnEmptyValue() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        for (name, value) in [("Time Zone", "UTC"), ("", "UTC"), ("time_zone", "")] {
            #expect(throws: (any Error).self) {
                try clinic.db.write { try $0.setClinicSetting(name: name, value: value, actor: "mchen") }
            }
        }
        #expect(try clinic.db.read { try $0.clinicSettings() } == [:])
    }

    @Test func aDatabaseFromBeforeSettingsHasNoneUntilMigrated() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("clinic.sqlite")
        let q = try DatabaseQueue(path: path)
        var v1 = DatabaseMigrator()
        v1.registerMigration("v1-clinic") { db in try ClinicMigrations.v1ForTests(db) }
        try v1.migrate(q)
        try q.close()
        // Opened read-only (no migration): no table, no settings, no error.
        let old = try ClinicDatabase(path: path, create: false, readOnly: true)
        #expect(try old.read { try $0.clinicSettings() } == [:])
        try old.close()
        let db = try ClinicDatabase(path: path)
        defer { try? db.close() }
        #expect(try db.appliedMigrations().contains("v5-clinic-settings"))
        #expect(try db.read { try $0.clinicSettings() } == [:])
    }
}
