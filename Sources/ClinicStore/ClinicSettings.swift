import Foundation
import GRDB
import ClinicModel

/// The names of the clinic's settings (`clinic_setting.name`).
///
/// One row per setting so that new ones (the clinic's name, address, phone) need no new table.
public enum ClinicSettingName {
    /// The clinic's time zone, an IANA identifier such as `Australia/Sydney`.
    public static let timeZone = "time_zone"
    /// The clinic's details on every plan and letter (`ClinicProfile`).
    public static let name = "clinic_name"
    public static let address = "address"
    public static let phone = "phone"
    public static let email = "email"
    public static let website = "website"
    public static let businessNumber = "business_number"
    public static let country = "country"
    public static let emergencyNumber = "emergency_number"
    /// "mon,tue,wed,thu,fri": the days a review may fall on.
    public static let openDays = "open_days"
    /// The clinic's default needle stock: brand, size ("0.25x40"), lot and the lot's expiry
    /// (YYYY-MM-DD); `knot needle add` takes them when not given, and refuses the lot once expired.
    public static let needleBrand = "needle_brand"
    public static let needleSize = "needle_size"
    public static let needleLot = "needle_lot"
    public static let needleLotExpiry = "needle_lot_expiry"
    /// The HTML letterhead's logo, base64, and its media type (image/png or image/svg+xml).
    public static let logo = "logo"
    public static let logoType = "logo_type"
    /// The review-interval rules as JSON (`ReviewRules`).
    public static let reviewRules = "review_rules"
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

    /// Removes one clinic setting (it falls back to its default), audited.
    public func removeClinicSetting(name: String, actor: String) throws {
        guard let old = try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM clinic_setting WHERE name = ?"), arguments: [name]) else { return }
        try db.cachedStatement(sql: "DELETE FROM clinic_setting WHERE name = ?").execute(arguments: [name])
        try appendAudit(AuditEvent(actor: actor, action: .update, entity: "clinic-setting", detail: "\(name): \(old) → (not set)"))
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
