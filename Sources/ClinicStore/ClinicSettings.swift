import Foundation
import GRDB
import ClinicModel

/// The names of the clinic's settings (`clinic_setting.name`).
///
/// One row per setting so that new ones (the clinic's name, address, phone) need no new table.
public enum ClinicSettingName {
    /// The clinic's time zone, an IANA identifier such as `Australia/Sydney`.
    public static let timeZone = "time_zone"
}

extension StoreTransaction {
    /// Every clinic setting by name; empty for a database from before settings existed.
    public func clinicSettings() throws -> [String: String] {
        guard try db.tableExists("clinic_setting") else { return [:] }
        var settings: [String: String] = [:]
        // The schema keeps both columns NOT NULL TEXT; a row edited into another type is skipped,
        // so the setting falls back to its default rather than trapping.
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT name, value FROM clinic_setting")) {
            let name: DatabaseValue = row["name"], value: DatabaseValue = row["value"]
            if let name = String.fromDatabaseValue(name), let value = String.fromDatabaseValue(value) { settings[name] = value }
        }
        return settings
    }

    /// Sets one clinic setting, audited with its old and new value (settings hold no patient data).
    public func setClinicSetting(name: String, value: String, actor: String) throws {
        let old = try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM clinic_setting WHERE name = ?"), arguments: [name])
        guard old != value else { return }
        try db.cachedStatement(sql: """
            INSERT INTO clinic_setting (name, value) VALUES (?, ?)
            ON CONFLICT(name) DO UPDATE SET value = excluded.value
            """).execute(arguments: [name, value])
        try appendAudit(AuditEvent(actor: actor, action: old == nil ? .create : .update, entity: "clinic-setting",
                                   detail: "\(name): \(old.map { "\($0) → " } ?? "")\(value)"))
    }
}
