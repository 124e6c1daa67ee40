import Foundation
import ClinicModel
internal import ClinicStore
import ClinicXML
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
    /// The default needle stock, nil when none is set.
    public var needleStock: NeedleStock?
    /// "image/png, 2048 bytes", nil when the clinic has no logo.
    public var logo: String?
}

/// The clinic's default needles: what `knot needle add` takes when the practitioner gives no
/// brand, size or lot; a lot past its expiry is refused at needling.
public struct NeedleStock: Sendable, Codable, Equatable {
    /// The default needle brand.
    public var brand: String?
    /// "0.25x40" (gauge x length, mm).
    public var size: String?
    /// The default lot number.
    public var lot: String?
    /// The last day the default lot may be used.
    public var lotExpiry: LocalDate?

    /// Whether the stock lot may not be used on `date` (used after its expiry day).
    public func isExpired(on date: LocalDate) -> Bool { lotExpiry.map { $0 < date } ?? false }
}

/// A change to the clinic's details: nil leaves a field as it is; `clear` removes fields
/// (named by their option without dashes, e.g. "website") so they fall back to their default.
public struct ClinicSettingsChange: Sendable, Hashable {
    /// The clinic's name.
    public var name: String?
    /// The postal address.
    public var address: String?
    /// The phone number.
    public var phone: String?
    /// The email address.
    public var email: String?
    /// The web address.
    public var website: String?
    /// The business number (ABN, NZBN, EIN...).
    public var businessNumber: String?
    /// The two-letter country code, which chooses the default emergency number.
    public var country: String?
    /// The emergency number named in "get help urgently" lines.
    public var emergencyNumber: String?
    /// "mon-fri", "mon,tue,thu"...
    public var openDays: String?
    /// Days to the review for an acute visit.
    public var acuteDays: Int?
    /// Days to the review otherwise.
    public var chronicDays: Int?
    /// 0 turns the high-pain trigger off.
    public var acutePainAtLeast: Int?
    /// Days to the review after a serious adverse event.
    public var seriousAdverseEventDays: Int?
    /// Days to the review after a significant adverse event.
    public var significantAdverseEventDays: Int?
    /// The default needle brand.
    public var needleBrand: String?
    /// "0.25x40".
    public var needleSize: String?
    /// The default needle lot number.
    public var needleLot: String?
    /// YYYY-MM-DD.
    public var needleLotExpiry: String?
    /// A PNG or SVG for the HTML letterhead (checked by `ClinicLogo`).
    public var logo: Data?
    /// Fields to remove so they fall back to their default (names from `clearable`).
    public var clear: Set<String> = []

    /// A change that changes nothing; set the fields to change.
    public init() {}

    /// The fields `clear` accepts.
    public static let clearable = ["name", "address", "phone", "email", "website", "business-number", "country",
                                   "emergency-number", "open-days", "review-rules",
                                   "needle-brand", "needle-size", "needle-lot", "needle-lot-expiry", "logo"]

    /// True when the change sets and clears nothing.
    public var isEmpty: Bool { self == ClinicSettingsChange() }
}

extension ClinicRecordReader {
    /// The clinic's details from its settings; defaults for what is not set.
    /// The clinic's logo (base64 and media type), nil when none is stored.
    func clinicLogo() throws -> (base64: String, type: String)? {
        let s = try clinicSettings()
        guard let data = s[ClinicSettingName.logo], let type = s[ClinicSettingName.logoType],
              ["image/png", "image/svg+xml"].contains(type) else { return nil }
        return (data, type)
    }

    func clinicProfile() throws -> ClinicProfile {
        let s = try clinicSettings()
        let days = s[ClinicSettingName.openDays].flatMap { try? ClinicProfile.parseWeekdays($0, field: "open_days") } ?? ClinicProfile.everyDay
        return ClinicProfile(name: s[ClinicSettingName.name] ?? ClinicProfile.defaultName, address: s[ClinicSettingName.address],
                             phone: s[ClinicSettingName.phone], email: s[ClinicSettingName.email], website: s[ClinicSettingName.website],
                             businessNumber: s[ClinicSettingName.businessNumber], country: s[ClinicSettingName.country],
                             emergencyNumber: s[ClinicSettingName.emergencyNumber], openWeekdays: days,
                             timeZone: s[ClinicSettingName.timeZone] ?? TimeZone.current.identifier)
    }

}

extension ClinicSession {
    /// The zone stored with the clinic, nil when none is (or the stored name is not a zone:
    /// `knot clinic show` and `knot check` say so rather than refusing to open the records).
    static func storedTimeZone(_ tx: any ClinicRecordReader) throws -> TimeZone? {
        try tx.clinicSettings()[ClinicSettingName.timeZone].flatMap { TimeZone(identifier: $0) }
    }

    /// The clinic's default needle stock, nil when none of it is set.
    static func storedNeedleStock(_ tx: any ClinicRecordReader) throws -> NeedleStock? {
        let s = try tx.clinicSettings()
        let stock = NeedleStock(brand: s[ClinicSettingName.needleBrand], size: s[ClinicSettingName.needleSize],
                                lot: s[ClinicSettingName.needleLot],
                                lotExpiry: s[ClinicSettingName.needleLotExpiry].flatMap { try? LocalDate(parsing: $0) })
        return stock == NeedleStock() ? nil : stock
    }

    /// The clinic's default needle stock (for `knot needle add`); any account.
    public func needleStock() throws -> NeedleStock? {
        try authorize(.readClinicSettings)
        return try database.read { tx in try Self.storedNeedleStock(tx) }
    }

    /// The clinic's review rules from its settings, the standard ones when none are stored
    /// (or the stored ones no longer read).
    static func storedReviewRules(_ tx: any ClinicRecordReader) throws -> ReviewRules {
        guard let json = try tx.clinicSettings()[ClinicSettingName.reviewRules] else { return .standard }
        return (try? JSONDecoder().decode(ReviewRules.self, from: Data(json.utf8))) ?? .standard
    }

    /// The clinic's settings; any account (not patient data, but no one uses Knot without an account).
    public func clinicSettings() throws -> ClinicSettingsSummary {
        try authorize(.readClinicSettings)
        return try database.read { tx in
            let stored = try Self.storedTimeZone(tx)
            return ClinicSettingsSummary(timeZone: (stored ?? TimeZone.current).identifier, timeZoneStored: stored != nil,
                                         clinic: try tx.clinicProfile(), reviewRules: try Self.storedReviewRules(tx),
                                         needleStock: try Self.storedNeedleStock(tx), logo: try tx.clinicLogo().map { logo in
                                             "\(logo.type), \(Data(base64Encoded: logo.base64)?.count ?? 0) bytes"
                                         })
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
            errors.append(ValidationError.badValue(field: "--clear", value: field, rule: "is not one of \(ClinicSettingsChange.clearable.joined(separator: ", "))"))
        }
        var days: Set<Int>?
        if let text = change.openDays {
            do { days = try ClinicProfile.parseWeekdays(text, field: "--open-days") } catch { errors.append(error) }
        }
        if let size = change.needleSize {
            do { _ = try Needle.parseSize(size) } catch { errors.append(ValidationError(field: "--needle-size", value: size, rule: error.rule, kind: error.kind)) }
        }
        if let expiry = change.needleLotExpiry, (try? LocalDate(parsing: expiry)) == nil {
            errors.append(ValidationError.badValue(field: "--needle-lot-expiry", value: expiry, rule: "is not a date (YYYY-MM-DD)"))
        }
        for (option, value) in [("--needle-brand", change.needleBrand), ("--needle-lot", change.needleLot)] {
            if let value, value.trimmingCharacters(in: .whitespaces).isEmpty || value.count > 60 {
                errors.append(ValidationError.badValue(field: option, value: value, rule: "must be 1 to 60 characters"))
            }
        }
        var logoType: String?
        if let logo = change.logo {
            do { logoType = try ClinicLogo.check(logo) } catch { errors.append(error) }
        }
        if let name = change.name, name.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.append(ValidationError.badValue(field: "--name", value: name, rule: "must not be blank"))
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
                ("needle-brand", ClinicSettingName.needleBrand, change.needleBrand),
                ("needle-size", ClinicSettingName.needleSize, change.needleSize),
                ("needle-lot", ClinicSettingName.needleLot, change.needleLot),
                ("needle-lot-expiry", ClinicSettingName.needleLotExpiry, change.needleLotExpiry),
                ("logo", ClinicSettingName.logo, logoType != nil ? change.logo?.base64EncodedString() : nil),
                ("logo", ClinicSettingName.logoType, logoType),
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
                else { errors.append(ValidationError.badValue(field: option, value: String(value), rule: "must be \(range.lowerBound) to \(range.upperBound) days")) }
            }
            setDays(change.acuteDays, "--acute-days", 1...90, into: \.acuteDays)
            setDays(change.chronicDays, "--chronic-days", 1...365, into: \.chronicDays)
            setDays(change.seriousAdverseEventDays, "--serious-adverse-event-days", 1...7, into: \.seriousAdverseEventDays)
            setDays(change.significantAdverseEventDays, "--significant-adverse-event-days", 1...14, into: \.significantAdverseEventDays)
            if let pain = change.acutePainAtLeast {
                if (0...10).contains(pain) { rules.acutePainAtLeast = pain == 0 ? nil : pain }
                else { errors.append(ValidationError.badValue(field: "--acute-pain-at-least", value: String(pain), rule: "must be 1 to 10 (NPRS), or 0 to turn the trigger off")) }
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
