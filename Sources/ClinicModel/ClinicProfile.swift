import Foundation

/// The clinic's own details, as its letterhead and its patients' plans carry them: who the
/// clinic is, how to reach it, which number to call in an emergency, and the days it is open.
///
/// Stored as clinic settings (one row per field) and changed with `knot clinic set`; every field
/// but the name is optional, and a clinic that has set nothing prints as "Knot clinic" with the
/// emergency number of Australia, where Knot started.
public struct ClinicProfile: Sendable, Codable, Equatable {
    /// The clinic's name, printed on plans and letters (one line, up to 120 characters).
    public var name: String
    /// Postal address; lines separated by newlines or commas, printed as given.
    public var address: String?
    /// A phone number: digits, spaces and + - ( ) only, up to 40 characters.
    public var phone: String?
    /// An email address (reception@clinic.example), up to 254 characters.
    public var email: String?
    /// A web address (clinic.example), up to 200 characters.
    public var website: String?
    /// The clinic's business number (ABN in Australia, NZBN, EIN, company number...), printed on letters.
    public var businessNumber: String?
    /// ISO 3166 two-letter country code (AU, NZ, GB, US...), which chooses the default emergency number.
    public var country: String?
    /// The number named in every "get help urgently" line; set outright, or following `country`
    /// (or, with no country set, the country of the clinic's time zone, `countryFromTimeZone`).
    /// Nil when none of these names one: plans then say "your local emergency number"
    /// (`emergencyCall`) and Knot warns, rather than give a number that may be another country's.
    public var emergencyNumber: String?
    /// The country `emergencyNumber` followed when no country is set: the one the clinic's time
    /// zone lies in (`country(timeZone:)`), nil otherwise. Not stored; shown by `knot clinic show`.
    public var countryFromTimeZone: String?
    /// The weekdays the clinic sees patients, 0 = Sunday ... 6 = Saturday; a review never falls
    /// on another day.
    public var openWeekdays: Set<Int>

    /// The name a clinic has until one is set ("Knot clinic").
    public static let defaultName = "Knot clinic"
    /// Every weekday, 0 (Sunday) to 6 (Saturday): the opening days until others are set.
    public static let everyDay: Set<Int> = Set(0...6)

    /// A profile; every field but the name may be left out. A nil `emergencyNumber` follows
    /// `country`, or with no country `timeZone`'s country (`country(timeZone:)`); nil when neither names one.
    public init(name: String = ClinicProfile.defaultName, address: String? = nil, phone: String? = nil, email: String? = nil,
                website: String? = nil, businessNumber: String? = nil, country: String? = nil,
                emergencyNumber: String? = nil, openWeekdays: Set<Int> = ClinicProfile.everyDay, timeZone: String? = nil) {
        self.name = name; self.address = address; self.phone = phone; self.email = email; self.website = website
        self.businessNumber = businessNumber; self.country = country
        self.countryFromTimeZone = country == nil && emergencyNumber == nil ? Self.country(timeZone: timeZone) : nil
        self.emergencyNumber = emergencyNumber ?? Self.emergencyNumber(country: country ?? countryFromTimeZone)
        self.openWeekdays = openWeekdays
    }

    /// What a plan's red flags tell the patient to call: the emergency number, or "your local
    /// emergency number" when the clinic has none (no number, no country, a time zone that names none).
    public var emergencyCall: String { emergencyNumber ?? Self.localEmergencyNumber }

    /// The words a plan uses when the clinic's emergency number is not known.
    public static let localEmergencyNumber = "your local emergency number"

    /// The emergency number a country's patients call (ambulance); nil for a country not listed
    /// (or none): Knot never guesses one country's number for another.
    public static func emergencyNumber(country: String?) -> String? {
        switch country?.uppercased() {
        case "AU": "000"
        case "NZ": "111"
        case "GB", "UK", "HK", "SG", "MY": "999"
        case "US", "CA", "MX", "PH": "911"
        case "IE", "DE", "FR", "NL", "BE", "ES", "IT", "PT", "AT", "SE", "DK", "FI", "NO", "CH", "PL", "GR", "CZ": "112"
        case "ZA": "10177"
        default: nil
        }
    }

    /// The country of `emergencyNumber(country:)`'s list a time zone lies in, when the zone is in
    /// one country only (every `Australia/...` zone is AU; `Europe/London` GB; `America/Chicago`
    /// US); nil for any other zone, such as `Etc/UTC` or `America/Sao_Paulo`.
    public static func country(timeZone identifier: String?) -> String? {
        guard let zone = identifier else { return nil }
        if zone.hasPrefix("Australia/") { return "AU" }
        if zone.hasPrefix("US/") { return "US" }
        if zone.hasPrefix("Canada/") { return "CA" }
        if zone.hasPrefix("America/Indiana/") || zone.hasPrefix("America/Kentucky/") || zone.hasPrefix("America/North_Dakota/") { return "US" }
        return zonesByCountry.first { $0.zones.contains(zone) }?.country
    }

    private static let zonesByCountry: [(country: String, zones: Set<String>)] = [
        ("NZ", ["Pacific/Auckland", "Pacific/Chatham", "NZ", "NZ-CHAT"]),
        ("GB", ["Europe/London", "Europe/Belfast", "GB", "GB-Eire"]),
        ("IE", ["Europe/Dublin", "Eire"]),
        ("US", ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Phoenix",
                "America/Anchorage", "America/Detroit", "America/Boise", "America/Juneau", "America/Sitka",
                "America/Menominee", "America/Nome", "America/Yakutat", "America/Metlakatla", "America/Adak",
                "Pacific/Honolulu"]),
        ("CA", ["America/Toronto", "America/Vancouver", "America/Edmonton", "America/Winnipeg", "America/Halifax",
                "America/St_Johns", "America/Regina", "America/Moncton", "America/Whitehorse", "America/Yellowknife",
                "America/Iqaluit", "America/Glace_Bay", "America/Goose_Bay", "America/Swift_Current", "America/Dawson_Creek",
                "America/Dawson", "America/Fort_Nelson", "America/Inuvik", "America/Cambridge_Bay", "America/Rankin_Inlet",
                "America/Resolute", "America/Creston", "America/Atikokan", "America/Blanc-Sablon"]),
        ("MX", ["America/Mexico_City", "America/Monterrey", "America/Cancun", "America/Merida", "America/Tijuana",
                "America/Chihuahua", "America/Hermosillo", "America/Mazatlan", "America/Matamoros", "America/Ojinaga",
                "America/Bahia_Banderas", "America/Ciudad_Juarez"]),
        ("HK", ["Asia/Hong_Kong", "Hongkong"]), ("SG", ["Asia/Singapore", "Singapore"]),
        ("MY", ["Asia/Kuala_Lumpur", "Asia/Kuching"]), ("PH", ["Asia/Manila"]),
        ("DE", ["Europe/Berlin", "Europe/Busingen"]), ("FR", ["Europe/Paris"]), ("NL", ["Europe/Amsterdam"]),
        ("BE", ["Europe/Brussels"]), ("ES", ["Europe/Madrid", "Africa/Ceuta", "Atlantic/Canary"]), ("IT", ["Europe/Rome"]),
        ("PT", ["Europe/Lisbon", "Atlantic/Madeira", "Atlantic/Azores", "Portugal"]), ("AT", ["Europe/Vienna"]),
        ("SE", ["Europe/Stockholm"]), ("DK", ["Europe/Copenhagen"]), ("FI", ["Europe/Helsinki"]), ("NO", ["Europe/Oslo"]),
        ("CH", ["Europe/Zurich"]), ("PL", ["Europe/Warsaw", "Poland"]), ("GR", ["Europe/Athens"]), ("CZ", ["Europe/Prague"]),
        ("ZA", ["Africa/Johannesburg"]),
    ]

    /// The address split into its lines (newlines kept; otherwise one line).
    public var addressLines: [String] {
        (address ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The letterhead under the clinic's name: the address on one line, then the ways to reach
    /// the clinic, then its business number; empty when none is set.
    public var letterheadLines: [String] {
        var lines: [String] = []
        let address = addressLines.joined(separator: ", ")
        if !address.isEmpty { lines.append(address) }
        let contact = [phone.map { "Phone \($0)" }, email, website].compactMap { $0 }
        if !contact.isEmpty { lines.append(contact.joined(separator: " · ")) }
        if let businessNumber { lines.append(businessNumberLabel + " " + businessNumber) }
        return lines
    }

    /// "ABN" in Australia, "NZBN" in New Zealand, "EIN" in the US, "Company no." in the UK.
    public var businessNumberLabel: String {
        switch country?.uppercased() {
        case "AU", nil: "ABN"
        case "NZ": "NZBN"
        case "US": "EIN"
        case "GB", "UK": "Company no."
        default: "Business no."
        }
    }

    private enum CodingKeys: String, CodingKey {
        case name, address, phone, email, website, businessNumber, country, emergencyNumber, openWeekdays
    }

    /// Open days as a sorted list, so `knot clinic show --json` prints the same every time.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(address, forKey: .address)
        try c.encodeIfPresent(phone, forKey: .phone)
        try c.encodeIfPresent(email, forKey: .email)
        try c.encodeIfPresent(website, forKey: .website)
        try c.encodeIfPresent(businessNumber, forKey: .businessNumber)
        try c.encodeIfPresent(country, forKey: .country)
        try c.encodeIfPresent(emergencyNumber, forKey: .emergencyNumber)
        try c.encode(openWeekdays.sorted(), forKey: .openWeekdays)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let country = try c.decodeIfPresent(String.self, forKey: .country)
        self.init(name: try c.decodeIfPresent(String.self, forKey: .name) ?? Self.defaultName,
                  address: try c.decodeIfPresent(String.self, forKey: .address), phone: try c.decodeIfPresent(String.self, forKey: .phone),
                  email: try c.decodeIfPresent(String.self, forKey: .email), website: try c.decodeIfPresent(String.self, forKey: .website),
                  businessNumber: try c.decodeIfPresent(String.self, forKey: .businessNumber), country: country,
                  emergencyNumber: try c.decodeIfPresent(String.self, forKey: .emergencyNumber),
                  openWeekdays: Set(try c.decodeIfPresent([Int].self, forKey: .openWeekdays) ?? Array(Self.everyDay)))
    }

    // MARK: - Opening days

    /// Three-letter day codes, index 0 = Sunday, as stored and printed.
    public static let weekdayCodes = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    /// 0 = Sunday ... 6 = Saturday.
    public static func weekday(_ date: LocalDate) -> Int { ((date.dayNumber + 4) % 7 + 7) % 7 }

    /// "mon,tue,wed,thu,fri" (the stored and printed form).
    public static func weekdaysText(_ days: Set<Int>) -> String {
        days.sorted().map { weekdayCodes[$0] }.joined(separator: ",")
    }

    /// Parses "mon-fri", "mon,tue,thu", "mon-fri,sat" (three-letter English day names, any case).
    public static func parseWeekdays(_ text: String, field: String) throws(ValidationError) -> Set<Int> {
        var days: Set<Int> = []
        func index(_ s: Substring) throws(ValidationError) -> Int {
            let code = s.trimmingCharacters(in: .whitespaces).lowercased().prefix(3)
            guard let i = weekdayCodes.firstIndex(of: String(code)) else {
                throw ValidationError.badValue(field: field, value: text, rule: "names days as mon,tue,wed,thu,fri,sat,sun or a range such as mon-fri")
            }
            return i
        }
        for part in text.split(separator: ",") where !part.trimmingCharacters(in: .whitespaces).isEmpty {
            let ends = part.split(separator: "-", maxSplits: 1)
            if ends.count == 2 {
                let from = try index(ends[0]), to = try index(ends[1])
                var d = from
                while true { days.insert(d); if d == to { break }; d = (d + 1) % 7 }
            } else {
                days.insert(try index(part))
            }
        }
        guard !days.isEmpty else { throw ValidationError.badValue(field: field, value: text, rule: "must name at least one day the clinic is open") }
        return days
    }

    /// The first open day on or after `date` (the date itself when every day is closed, which
    /// settings refuse).
    public func openOnOrAfter(_ date: LocalDate) -> LocalDate {
        for offset in 0..<7 where openWeekdays.contains(Self.weekday(date.adding(days: offset))) { return date.adding(days: offset) }
        return date
    }

    /// The last open day on or before `date`, nil when the week before it is closed.
    public func openOnOrBefore(_ date: LocalDate) -> LocalDate? {
        for offset in 0..<7 where openWeekdays.contains(Self.weekday(date.adding(days: -offset))) { return date.adding(days: -offset) }
        return nil
    }

    // MARK: - Checks

    /// The rules each field keeps, with the option that set it named in the error.
    public func validate() -> [ValidationError] {
        var errors: [ValidationError] = []
        func check(_ field: String, _ value: String?, max: Int, _ ok: (String) -> Bool = { _ in true }, rule: String = "") {
            guard let value else { return }
            if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                errors.append(ValidationError.badValue(field: field, value: value, rule: "must not be blank (leave it out instead)"))
            } else if value.count > max {
                errors.append(ValidationError.badValue(field: field, value: String(value.prefix(40)) + "…", rule: "must be at most \(max) characters"))
            } else if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" }) {
                errors.append(ValidationError.badValue(field: field, value: value, rule: "must not contain control characters"))
            } else if !ok(value) {
                errors.append(ValidationError.badValue(field: field, value: value, rule: rule))
            }
        }
        check("--name", name, max: 120, { !$0.contains("\n") }, rule: "must be one line")
        check("--address", address, max: 300)
        check("--phone", phone, max: 40, { $0.allSatisfy { $0.isNumber || " +-()".contains($0) } && $0.contains(where: \.isNumber) },
              rule: "must be digits, spaces and + - ( ) only")
        check("--email", email, max: 254, { v in
            let parts = v.split(separator: "@", omittingEmptySubsequences: false)
            return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !v.contains(where: \.isWhitespace)
        }, rule: "must be an address such as reception@clinic.example")
        check("--website", website, max: 200, { !$0.contains(where: \.isWhitespace) && $0.contains(".") }, rule: "must be a web address such as clinic.example or https://clinic.example")
        check("--business-number", businessNumber, max: 40, { !$0.contains("\n") }, rule: "must be one line")
        check("--country", country, max: 2, { $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isLetter } }, rule: "must be a two-letter country code such as AU, NZ, GB or US")
        check("--emergency-number", emergencyNumber, max: 6, { $0.count >= 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } },
              rule: "must be 2 to 6 digits (000, 111, 999, 911, 112...)")
        if openWeekdays.isEmpty || !openWeekdays.isSubset(of: Self.everyDay) {
            errors.append(ValidationError.badValue(field: "--open-days", value: Self.weekdaysText(openWeekdays.intersection(Self.everyDay)),
                                          rule: "must name at least one day the clinic is open"))
        }
        return errors
    }
}
