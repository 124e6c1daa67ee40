import Foundation

/// The clinic's time zone: every date, time and weekday derived from an instant is shown,
/// written and exported in it, whatever zone the viewer's machine or terminal has.
///
/// A visit at 09:00 in Sydney is on the Sydney date in the chart, the letter and the export even
/// when `knot` runs with `TZ=UTC`. The zone is a clinic setting (`knot init --time-zone`,
/// `knot clinic set --time-zone`); `ClinicSession.open` installs it for the process when it
/// opens the database, so `LocalDate(_:)`, `LocalDate.today()` and the date formatters of the
/// command line and the front end all follow it without each call site carrying it. One
/// process serves one clinic (one database per `knot` run or front-end session); until a
/// database is opened, and for a database with no zone set, it is the machine's zone.
public enum ClinicTimeZone {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var zone: TimeZone?

    /// The clinic's zone, or the machine's when none has been installed.
    public static var current: TimeZone {
        lock.lock(); defer { lock.unlock() }
        return zone ?? TimeZone.current
    }

    /// Installs the clinic's zone for this process (nil: the machine's).
    public static func use(_ timeZone: TimeZone?) {
        lock.lock(); defer { lock.unlock() }
        zone = timeZone
    }

    /// The zone named by an IANA identifier (`Australia/Sydney`, `UTC`), or a `ValidationError`.
    public static func named(_ identifier: String, field: String = "time zone") throws(ValidationError) -> TimeZone {
        let id = identifier.trimmingCharacters(in: .whitespaces)
        guard !id.isEmpty, id.count <= 64, let zone = TimeZone(identifier: id) else {
            throw ValidationError.badValue(field: field, value: identifier,
                                  rule: "is not a time zone name like Australia/Sydney, Pacific/Auckland, Europe/London or UTC")
        }
        return zone
    }

    /// A calendar in the clinic's zone (Gregorian, so the same everywhere).
    public static var calendar: Calendar {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = current
        return cal
    }
}
