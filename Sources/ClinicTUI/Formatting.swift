import Foundation
import ClinicModel

/// How dates and times are written on screen (pain trends: `PainTrend` in ClinicModel).
enum Formatting {
    /// "2026-11-14 09:30" in the clinic's time zone, whatever the terminal's zone.
    static func dateTime(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = ClinicTimeZone.current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    /// Record text for a one-line place (a list row, a heading): line breaks and tabs become
    /// spaces. Anything else unsafe is left for `ScreenBuffer` to replace.
    static func oneLine(_ text: String) -> String {
        guard text.contains(where: { $0.isNewline || $0 == "\t" }) else { return text }
        return text.split(whereSeparator: { $0.isNewline || $0 == "\t" }).joined(separator: " ")
    }

    /// "1 visit", "3 visits".
    static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) " + (n == 1 ? singular : plural ?? singular + "s")
    }
}
