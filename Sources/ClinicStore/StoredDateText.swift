import Foundation
import GRDB
import ClinicModel

/// A `Date` as GRDB stores it (`Date.databaseValue`: "yyyy-MM-dd HH:mm:ss.SSS" in UTC, through
/// a `DateFormatter`, the time rounded to the nearest millisecond), written without the
/// formatter: it was 2% of filing a letter, with seven dates per letter (issue 19).
///
/// Only for the years 2000 to 2099 (the clock of anything filed now), and not for a time that
/// lies within a microsecond of half a millisecond, where rounding could go either way: those
/// go through GRDB's formatter as before, so the stored text is the same byte for byte.
enum StoredDateText {
    static func databaseValue(_ date: Date) -> DatabaseValue {
        text(date).map { $0.databaseValue } ?? date.databaseValue
    }

    /// The text, or nil when GRDB's formatter must write it.
    static func text(_ date: Date) -> String? {
        let ms = (date.timeIntervalSinceReferenceDate + 978_307_200) * 1000
        guard ms >= 946_684_800_000, ms < 4_102_444_800_000 else { return nil }  // 2000-01-01 to 2100-01-01
        let whole = ms.rounded(.down)
        let fraction = ms - whole
        guard abs(fraction - 0.5) > 0.001 else { return nil }
        let total = Int64(whole) + (fraction > 0.5 ? 1 : 0)
        let days = total / 86_400_000, inDay = total % 86_400_000
        let date = LocalDate(dayNumber: Int(days))
        let year = Int64(date.year), month = Int64(date.month), day = Int64(date.day)
        var out = [UInt8](repeating: 0, count: 23)
        func put(_ value: Int64, at start: Int, digits: Int) {
            var v = value
            for i in stride(from: start + digits - 1, through: start, by: -1) {
                out[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            }
        }
        put(year, at: 0, digits: 4)
        out[4] = UInt8(ascii: "-")
        put(month, at: 5, digits: 2)
        out[7] = UInt8(ascii: "-")
        put(day, at: 8, digits: 2)
        out[10] = UInt8(ascii: " ")
        put(inDay / 3_600_000, at: 11, digits: 2)
        out[13] = UInt8(ascii: ":")
        put(inDay / 60_000 % 60, at: 14, digits: 2)
        out[16] = UInt8(ascii: ":")
        put(inDay / 1000 % 60, at: 17, digits: 2)
        out[19] = UInt8(ascii: ".")
        put(inDay % 1000, at: 20, digits: 3)
        return String(decoding: out, as: UTF8.self)
    }
}
