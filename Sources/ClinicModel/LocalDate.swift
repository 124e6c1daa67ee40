import Foundation

/// A calendar date with no time or zone (a date of birth, a referral's expiry, a review date).
///
/// Stored and exchanged as `YYYY-MM-DD`; comparing and counting days uses the proleptic
/// Gregorian calendar in UTC so that the same record reads the same everywhere.
public struct LocalDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The year, e.g. 2026.
    public let year: Int
    /// The month, 1-12.
    public let month: Int
    /// The day of the month, 1-31.
    public let day: Int

    /// A real date, or a `ValidationError` naming `field`.
    public init(year: Int, month: Int, day: Int, field: String = "date") throws(ValidationError) {
        guard (1800...9999).contains(year), (1...12).contains(month),
              (1...LocalDate.daysIn(month: month, year: year)).contains(day)
        else {
            throw ValidationError.badValue(field: field, value: String(format: "%04d-%02d-%02d", year, month, day),
                                  rule: "is not a real calendar date")
        }
        self.year = year; self.month = month; self.day = day
    }

    /// Parses `YYYY-MM-DD` strictly.
    public init(parsing text: String, field: String = "date") throws(ValidationError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { throw ValidationError.badValue(field: field, value: text, rule: "is not a date in the form YYYY-MM-DD") }
        try self.init(year: y, month: m, day: d, field: field)
    }

    /// The calendar date of an instant, in the given time zone (default: the clinic's,
    /// `ClinicTimeZone.current`, never the viewer's).
    public init(_ date: Date, timeZone: TimeZone = ClinicTimeZone.current) {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        let c = cal.dateComponents([.year, .month, .day], from: date)
        year = c.year!; month = c.month!; day = c.day!
    }

    /// Today in the clinic's zone (default), whatever the viewer's zone.
    public static func today(timeZone: TimeZone = ClinicTimeZone.current) -> LocalDate { today(at: Date(), timeZone: timeZone) }

    /// The date of `instant` in `timeZone`, as `init(_:timeZone:)` gives it, from the day last
    /// asked for when `instant` falls within that day in the same zone.
    ///
    /// Why: a calendar's date components were 3% of reading a letter, asked for up to four
    /// times per letter (the model's checks default to today) for the same day.
    static func today(at instant: Date, timeZone: TimeZone) -> LocalDate {
        if let day = TodayCache.day(containing: instant, in: timeZone) { return day }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let date = LocalDate(instant, timeZone: timeZone)
        if let interval = calendar.dateInterval(of: .day, for: instant), interval.start <= instant, instant < interval.end {
            TodayCache.remember(date, from: interval.start, to: interval.end, in: timeZone)
        }
        return date
    }

    /// `YYYY-MM-DD`, the same text as `String(format: "%04d-%02d-%02d")`, written digit by digit:
    /// the formatted version was about 2% of filing a letter (every date bound to an insert or a
    /// lookup is this text). Years outside 0-9999 (never a valid date) still go through `String(format:)`.
    public var description: String {
        guard (0...9999).contains(year), (0...99).contains(month), (0...99).contains(day) else {
            return String(format: "%04d-%02d-%02d", year, month, day)
        }
        let (y, m, d) = (year, month, day)
        return String(unsafeUninitializedCapacity: 10) { out in
            let digits: [Int] = [y / 1000, y / 100 % 10, y / 10 % 10, y % 10, -1, m / 10, m % 10, -1, d / 10, d % 10]
            for (i, v) in digits.enumerated() { out[i] = v < 0 ? UInt8(ascii: "-") : UInt8(48 + v) }
            return 10
        }
    }

    /// Days since 1970-01-01 (negative before).
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The date `dayNumber` days after 1970-01-01 (negative for earlier dates).
    public init(dayNumber z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0); month = m; day = d
    }

    /// The date `days` days later (earlier when negative).
    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }
    /// Days from this date to `other`, negative when `other` is earlier.
    public func days(until other: LocalDate) -> Int { other.dayNumber - dayNumber }

    /// Whole years from this date to `other` (an age when this is a birth date).
    public func years(until other: LocalDate) -> Int {
        var years = other.year - year
        if (other.month, other.day) < (month, day) { years -= 1 }
        return years
    }

    /// The same day `n` years later (earlier when negative); 29 February becomes 28 February in a common
    /// year.
    public func adding(years n: Int) -> LocalDate {
        let y = year + n
        let d = min(day, LocalDate.daysIn(month: month, year: y))
        return (try? LocalDate(year: y, month: month, day: d)) ?? self
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// The last day `LocalDate.today` worked out: its zone and the instants it spans there
/// (`Calendar.dateInterval(of: .day, for:)`: 23 or 25 hours across a daylight-saving change).
private enum TodayCache {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var last: (zone: TimeZone, start: Date, end: Date, date: LocalDate)?

    static func day(containing instant: Date, in zone: TimeZone) -> LocalDate? {
        lock.lock(); defer { lock.unlock() }
        guard let last, last.start <= instant, instant < last.end, last.zone == zone else { return nil }
        return last.date
    }

    static func remember(_ date: LocalDate, from start: Date, to end: Date, in zone: TimeZone) {
        lock.lock(); defer { lock.unlock() }
        last = (zone, start, end, date)
    }
}
