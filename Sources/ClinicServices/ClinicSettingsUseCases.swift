import Foundation
import ClinicModel
import ClinicStore

/// The clinic's settings as `knot clinic show` prints them.
public struct ClinicSettingsSummary: Sendable, Codable, Equatable {
    /// The zone dates and times are shown in (the machine's when none is stored).
    public var timeZone: String
    /// Whether `timeZone` is stored with the clinic (false: the machine's zone is used).
    public var timeZoneStored: Bool
}

extension ClinicSession {
    /// The zone stored with the clinic, nil when none is (or the stored name is not a zone:
    /// `knot clinic show` and `knot check` say so rather than refusing to open the records).
    static func storedTimeZone(_ tx: any ClinicRecordReader) throws -> TimeZone? {
        try tx.clinicSettings()[ClinicSettingName.timeZone].flatMap { TimeZone(identifier: $0) }
    }

    /// The clinic's settings.
    public func clinicSettings() throws -> ClinicSettingsSummary {
        try database.read { tx in
            let stored = try Self.storedTimeZone(tx)
            return ClinicSettingsSummary(timeZone: (stored ?? TimeZone.current).identifier, timeZoneStored: stored != nil)
        }
    }

    /// Sets the clinic's time zone (an IANA name such as `Australia/Sydney`), audited, and uses
    /// it for the rest of this process. Clinic administrators only: it changes the dates every record shows.
    @discardableResult
    public func setTimeZone(_ identifier: String) throws -> TimeZone {
        let zone: TimeZone
        do { zone = try ClinicTimeZone.named(identifier, field: "--time-zone") } catch { throw ValidationErrors([error]) }
        // An empty clinic (at `knot init`) has nobody to require yet.
        let empty = try database.read { tx in try tx.practitioners().isEmpty }
        if !empty { try authorize(.changeClinicSettings) }
        try database.write { tx in try tx.setClinicSetting(name: ClinicSettingName.timeZone, value: zone.identifier, actor: actor) }
        ClinicTimeZone.use(zone)
        return zone
    }
}
