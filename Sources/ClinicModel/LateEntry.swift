import Foundation

/// The mark on a record written after the event it describes: when it was written and by whom.
///
/// A visit written up the next morning is allowed, but the record must say so. The entry keeps
/// the time it happened as its own date (`recordedAt`, or the visit's date for needling); this
/// mark keeps the time it was typed and the practitioner who typed it.
public struct LateEntry: Sendable, Hashable, Codable {
    /// When the entry was written.
    public var writtenAt: Date
    /// The practitioner (id) who wrote it.
    public var writtenBy: Int64

    /// A mark that the entry was written at `writtenAt` by practitioner `writtenBy`.
    public init(writtenAt: Date, writtenBy: Int64) {
        self.writtenAt = writtenAt; self.writtenBy = writtenBy
    }

    /// What is wrong with the time an entry is said to have happened, or nil: never in the
    /// future (a minute's grace for clocks) and never before the patient was born. `field` is
    /// the option or field to name.
    public static func problem(happened: Date, now: Date, dateOfBirth: LocalDate, field: String = "--at") -> ValidationError? {
        if happened > now.addingTimeInterval(60) {
            return ValidationError(field: field, value: Self.describe(happened),
                                   rule: "is in the future: a late entry is dated when it happened, which has already passed")
        }
        if LocalDate(happened) < dateOfBirth {
            return ValidationError(field: field, value: Self.describe(happened),
                                   rule: "is before the patient's birth (\(dateOfBirth))")
        }
        return nil
    }

    /// The mark for an entry that happened at `happened` and is written at `now` by `practitioner`:
    /// nil when it is written as it happens (within 15 minutes).
    public static func mark(happened: Date, now: Date, by practitioner: Int64) -> LateEntry? {
        now.timeIntervalSince(happened) > 15 * 60 ? LateEntry(writtenAt: now, writtenBy: practitioner) : nil
    }

    /// "2026-12-05 14:30" in the local time zone.
    public static func describe(_ date: Date) -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: .current, from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    /// "late entry, written 2026-12-06 08:10 by Amy Nguyen".
    public func description(writer: String) -> String {
        "late entry, written \(Self.describe(writtenAt)) by \(writer)"
    }
}
