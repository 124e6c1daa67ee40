import Foundation
import ClinicModel
import ClinicStore
import FollowUpPlans

/// The clinic's settings as `knot clinic show` prints them.
public struct ClinicSettingsSummary: Sendable, Codable, Equatable {
    /// The zone dates and times are shown in (the machine's when none is stored).
    public var timeZone: String
    /// Whether `timeZone` is stored with the clinic (false: the machine's zone is used).
    public var timeZoneStored: Bool
    /// The clinic's details on every plan and letter, with its emergency number and open days.
    public var clinic: ClinicProfile
    /// When patients come back (`knot clinic set --acute-days ...`).
    public var reviewRules: ReviewRules
}

/// A change to the clinic's details: nil leaves a field as it is; `clear` removes fields
/// (named by their option without dashes, e.g. "website") so they fall back to their default.
public struct ClinicSettingsChange: Sendable, Equatable {
    public var name: String?
    public var address: String?
    public var phone: String?
    public var email: String?
    public var website: String?
    public var businessNumber: String?
    public var country: String?
    public var emergencyNumber: String?
    /// "mon-fri", "mon,tue,thu"...
    public var openDays: String?
    public var acuteDays: Int?
    public var chronicDays: Int?
    /// 0 turns the high-pain trigger off.
    public var acutePainAtLeast: Int?
    public var seriousAdverseEventDays: Int?
    public var significantAdverseEventDays: Int?
    public var clear: Set<String> = []

    public init() {}

    /// The fields `clear` accepts.
    public static let clearable = ["name", "address", "phone", "email", "website", "business-number", "country",
                                   "emergency-number", "open-days", "review-rules"]

    public var isEmpty: Bool { self == ClinicSettingsChange() }
}

extension ClinicRecordReader {
    /// The clinic's details from its settings; defaults for what is not set.
    func clinicProfile() throws -> ClinicProfile {
        let s = try clinicSettings()
        let days = s[ClinicSettingName.openDays].flatMap { try? ClinicProfile.parseWeekdays($0, field: "open_days") } ?? ClinicProfile.everyDay
        return ClinicProfile(name: s[ClinicSettingName.name] ?? ClinicProfile.defaultName, address: s[ClinicSettingName.address],
                             phone: s[ClinicSettingName.phone], email: s[ClinicSettingName.email], website: s[ClinicSettingName.website],
                             businessNumber: s[ClinicSettingName.businessNumber], country: s[ClinicSettingName.country],
                             emergencyNumber: s[ClinicSettingName.emergencyNumber], openWeekdays: days)
    }

}

extension ClinicSession {
    /// The zone stored with the clinic, nil when none is (or the stored name is not a zone:
    /// `knot clinic show` and `knot check` say so rather than refusing to open the records).
    static func storedTimeZone(_ tx: any ClinicRecordReader) throws -> TimeZone? {
        try tx.clinicSettings()[ClinicSettingName.timeZone].flatMap { TimeZone(identifier: $0) }
    }

    /// The clinic's review rules from its settings, the standard ones when none are stored
    /// (or the stored ones no longer read).
    static func storedReviewRules(_ tx: any ClinicRecordReader) throws -> ReviewRules {
        guard let json = try tx.clinicSettings()[ClinicSettingName.reviewRules] else { return .standard }
        return (try? JSONDecoder().decode(ReviewRules.self, from: Data(json.utf8))) ?? .standard
    }

    /// The clinic's settings.
    public func clinicSettings() throws -> ClinicSettingsSummary {
        try database.read { tx in
            let stored = try Self.storedTimeZone(tx)
            return ClinicSettingsSummary(timeZone: (stored ?? TimeZone.current).identifier, timeZoneStored: stored != nil,
                                         clinic: try tx.clinicProfile(), reviewRules: try Self.storedReviewRules(tx))
        }
    }

    /// Changes the clinic's details, open days and review rules, all or nothing, each field
    /// audited with its old and new value. Clinic administrators only (once anyone is registered).
    @discardableResult
    public func changeClinicSettings(_ change: ClinicSettingsChange) throws -> ClinicSettingsSummary {
        let empty = try database.read { tx in try tx.practitioners().isEmpty }
        if !empty { try authorize(.changeClinicSettings) }
        var errors: [ValidationError] = []
        for field in change.clear where !ClinicSettingsChange.clearable.contains(field) {
            errors.append(ValidationError(field: "--clear", value: field, rule: "is not one of \(ClinicSettingsChange.clearable.joined(separator: ", "))"))
        }
        var days: Set<Int>?
        if let text = change.openDays {
            do { days = try ClinicProfile.parseWeekdays(text, field: "--open-days") } catch { errors.append(error) }
        }
        if let name = change.name, name.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.append(ValidationError(field: "--name", value: name, rule: "must not be blank"))
        }
        try database.write { tx in
            let names: [(String, String, String?)] = [
                ("name", ClinicSettingName.name, change.name), ("address", ClinicSettingName.address, change.address),
                ("phone", ClinicSettingName.phone, change.phone), ("email", ClinicSettingName.email, change.email),
                ("website", ClinicSettingName.website, change.website),
                ("business-number", ClinicSettingName.businessNumber, change.businessNumber),
                ("country", ClinicSettingName.country, change.country?.uppercased()),
                ("emergency-number", ClinicSettingName.emergencyNumber, change.emergencyNumber),
                ("open-days", ClinicSettingName.openDays, days.map(ClinicProfile.weekdaysText)),
            ]
            for (option, setting, value) in names {
                if let value {
                    try tx.setClinicSetting(name: setting, value: value.trimmingCharacters(in: .whitespacesAndNewlines), actor: actor)
                } else if change.clear.contains(option) {
                    try tx.removeClinicSetting(name: setting, actor: actor)
                }
            }
            // A country without its own emergency number follows the country's.
            errors += try tx.clinicProfile().validate()

            var rules = change.clear.contains("review-rules") ? ReviewRules.standard : try Self.storedReviewRules(tx)
            func setDays(_ value: Int?, _ option: String, _ range: ClosedRange<Int>, into keyPath: WritableKeyPath<ReviewRules, Int>) {
                guard let value else { return }
                if range.contains(value) { rules[keyPath: keyPath] = value }
                else { errors.append(ValidationError(field: option, value: String(value), rule: "must be \(range.lowerBound) to \(range.upperBound) days")) }
            }
            setDays(change.acuteDays, "--acute-days", 1...90, into: \.acuteDays)
            setDays(change.chronicDays, "--chronic-days", 1...365, into: \.chronicDays)
            setDays(change.seriousAdverseEventDays, "--serious-adverse-event-days", 1...7, into: \.seriousAdverseEventDays)
            setDays(change.significantAdverseEventDays, "--significant-adverse-event-days", 1...14, into: \.significantAdverseEventDays)
            if let pain = change.acutePainAtLeast {
                if (0...10).contains(pain) { rules.acutePainAtLeast = pain == 0 ? nil : pain }
                else { errors.append(ValidationError(field: "--acute-pain-at-least", value: String(pain), rule: "must be 1 to 10 (NPRS), or 0 to turn the trigger off")) }
            }
            if change.clear.contains("review-rules") {
                try tx.removeClinicSetting(name: ClinicSettingName.reviewRules, actor: actor)
            }
            if rules != (try Self.storedReviewRules(tx)) {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                try tx.setClinicSetting(name: ClinicSettingName.reviewRules, value: String(decoding: try encoder.encode(rules), as: UTF8.self), actor: actor)
            }
            // Nothing half-changed: any broken rule rolls the whole change back.
            if !errors.isEmpty { throw ValidationErrors(errors) }
        }
        return try clinicSettings()
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
