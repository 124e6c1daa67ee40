import Foundation
import ClinicModel

/// How Knot's XML formats spell values: one spelling per value, so the same records always give
/// the same bytes and read back to the same values.
///
/// - Instants: UTC, milliseconds always written (`2026-03-04T09:15:00.120Z`), rounded to the
///   nearest millisecond (the store keeps milliseconds too); read with 0 to 3 fraction digits.
/// - Numbers: the shortest decimal that reads back to the same `Double`, never an exponent,
///   integers without a fractional part (`40`, `0.25`, `0.000012`).
/// - Booleans: `true` / `false` (read also `1` / `0`, as XML Schema allows).
enum XMLValueFormat {
    // MARK: Instants

    static func instant(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, ms) = floorDivide(millis, 1000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let day = LocalDate(dayNumber: Int(days))
        let h = secondOfDay / 3600, m = (secondOfDay % 3600) / 60, s = secondOfDay % 60
        return day.description + "T" + pad(Int(h), 2) + ":" + pad(Int(m), 2) + ":" + pad(Int(s), 2)
            + "." + pad(Int(ms), 3) + "Z"
    }

    /// Parses `YYYY-MM-DDThh:mm:ss[.f{1,3}]Z`; nil for anything else.
    static func parseInstant(_ text: String) -> Date? {
        let chars = Array(text.utf8)
        guard chars.count >= 20, chars.last == UInt8(ascii: "Z"), chars[10] == UInt8(ascii: "T"),
              chars[13] == UInt8(ascii: ":"), chars[16] == UInt8(ascii: ":")
        else { return nil }
        guard let day = try? LocalDate(parsing: String(decoding: chars[0..<10], as: UTF8.self)),
              let h = digits(chars[11..<13]), let m = digits(chars[14..<16]), let s = digits(chars[17..<19]),
              h < 24, m < 60, s < 60
        else { return nil }
        var ms = 0
        let rest = chars[19..<(chars.count - 1)]
        if !rest.isEmpty {
            guard rest.first == UInt8(ascii: "."), (2...4).contains(rest.count),
                  let f = digits(rest.dropFirst())
            else { return nil }
            ms = f * [100, 10, 1][rest.count - 2]
        }
        let seconds = Int64(day.dayNumber) * 86_400 + Int64(h * 3600 + m * 60 + s)
        // An exact integer divided once: the nearest Double to the decimal instant.
        return Date(timeIntervalSince1970: Double(seconds * 1000 + Int64(ms)) / 1000)
    }

    // MARK: Numbers

    /// The shortest round-trip decimal without exponent; nil for NaN and infinities.
    static func number(_ value: Double) -> String? {
        guard value.isFinite else { return nil }
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        let text = "\(value)"
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        // Shift the decimal point of the shortest digits by the exponent.
        let exponent = Int(text[text.index(after: e)...]) ?? 0
        var mantissa = String(text[..<e])
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa.removeFirst() }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let intDigits = String(parts[0])
        var fracDigits = parts.count > 1 ? String(parts[1]) : ""
        if fracDigits == "0" { fracDigits = "" }
        let allDigits = intDigits + fracDigits
        let point = intDigits.count + exponent
        var result: String
        if point <= 0 {
            result = "0." + String(repeating: "0", count: -point) + allDigits
        } else if point >= allDigits.count {
            result = allDigits + String(repeating: "0", count: point - allDigits.count)
        } else {
            let i = allDigits.index(allDigits.startIndex, offsetBy: point)
            result = allDigits[..<i] + "." + allDigits[i...]
        }
        return (negative ? "-" : "") + result
    }

    static func parseNumber(_ text: String) -> Double? {
        let t = trimmed(text)
        guard !t.isEmpty, t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "+") }),
              let v = Double(t), v.isFinite
        else { return nil }
        return v
    }

    static func parseInt(_ text: String) -> Int? { Int(trimmed(text)) }
    static func parseInt64(_ text: String) -> Int64? { Int64(trimmed(text)) }

    /// `text.trimmingCharacters(in: .whitespaces)`, without Foundation when neither end is
    /// whitespace (as in every value Knot writes): same result, a fraction of the time.
    static func trimmed(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last else { return text }
        func plain(_ byte: UInt8) -> Bool { byte < 0x80 && byte != 0x20 && byte != 0x09 }
        return plain(first) && plain(last) ? text : text.trimmingCharacters(in: .whitespaces)
    }

    // MARK: Booleans

    static func bool(_ value: Bool) -> String { value ? "true" : "false" }

    static func parseBool(_ text: String) -> Bool? {
        switch trimmed(text) {
        case "true", "1": true
        case "false", "0": false
        default: nil
        }
    }

    // MARK: Text XML can carry

    /// The first character XML 1.0 cannot carry (controls other than tab, LF, CR; U+FFFE/FFFF),
    /// so a writer can refuse it with a clear message instead of producing a broken document.
    static func firstUnencodable(_ text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first { s in
            switch s.value {
            case 0x9, 0xA, 0xD: false
            case 0..<0x20: true
            case 0xFFFE, 0xFFFF: true
            default: false
            }
        }
    }

    // MARK: Helpers

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        var q = a / b, r = a % b
        if r < 0 { q -= 1; r += b }
        return (q, r)
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    private static func digits<C: Collection>(_ bytes: C) -> Int? where C.Element == UInt8 {
        guard !bytes.isEmpty else { return nil }
        var n = 0
        for b in bytes {
            guard b >= 48, b <= 57 else { return nil }
            n = n * 10 + Int(b - 48)
        }
        return n
    }
}
