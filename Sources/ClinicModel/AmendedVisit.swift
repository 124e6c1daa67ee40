import Foundation

/// A signed visit as its amendments corrected it, with, for each corrected field, the value in
/// the signed note and when it was last amended.
///
/// Every output that shows a signed visit (the visit view, chart, history, plans, letters, the
/// needling log) reads `visit` from here and marks the fields in `corrections`, so a correction
/// shows everywhere and the original is one step away. The signed note itself is never changed.
public struct AmendedVisit: Sendable, Hashable, Codable {
    /// One corrected field: the signed value and the latest amendment that changed it.
    public struct Correction: Sendable, Hashable, Codable {
        /// The field that was corrected.
        public var field: AmendableField
        /// The value in the signed note ("" when it was not recorded).
        public var original: String
        /// The value now.
        public var value: String
        /// The id of the latest amendment that changed the field (nil before it is stored).
        public var amendmentID: Int64?
        /// When that amendment was made.
        public var amendedAt: Date
        /// Why the practitioner made that amendment, in their words.
        public var reason: String
    }

    /// The visit with every amendment applied, oldest first.
    public var visit: Visit
    /// The corrected fields in the order they were first amended.
    public var corrections: [Correction]

    /// A visit with its amendments already applied, and the fields they corrected.
    public init(visit: Visit, corrections: [Correction]) {
        self.visit = visit; self.corrections = corrections
    }

    /// True when any field was corrected.
    public var isAmended: Bool { !corrections.isEmpty }

    /// The correction of `field`, if it was amended.
    public func correction(_ field: AmendableField) -> Correction? {
        corrections.first { $0.field == field }
    }

    /// The corrections of one entry (`needle` 2), for a line that shows the entry.
    public func corrections(of entry: AmendableField.Entry, _ index: Int) -> [Correction] {
        corrections.filter { $0.field.entry == entry && $0.field.index == index }
    }

    /// The text mark after an amended value: ` (amended from 4, 2026-12-06)`; "" when not amended.
    public func mark(_ field: AmendableField) -> String {
        correction(field).map(Self.mark) ?? ""
    }

    /// ` (amended from 4, 2026-12-06)`, or `(amended from –, ...)` when the signed note had none.
    public static func mark(_ c: Correction) -> String {
        " (amended from \(c.original.isEmpty ? "–" : c.original), \(LocalDate(c.amendedAt)))"
    }

    /// A line per corrected entry field, for outputs that show an entry in one line:
    /// `depth 15 (amended from 12, 2026-12-06)`.
    public func notes(of entry: AmendableField.Entry, _ index: Int) -> [String] {
        corrections(of: entry, index).map { "\($0.field.attribute) \($0.value.isEmpty ? "–" : $0.value)" + Self.mark($0) }
    }
}

extension Visit {
    /// The visit as its amendments corrected it (oldest first, each change in order).
    ///
    /// A change that names no amendable field, or whose value no longer passes the field's
    /// rules (an amendment stored before Knot checked them), is kept in the amendment list but
    /// not applied: the signed value stands. A change whose value is blank clears the field.
    public func applying(_ amendments: [Amendment]) -> AmendedVisit {
        var current = self
        var order: [AmendableField] = []
        var latest: [AmendableField: Amendment] = [:]
        for amendment in amendments.sorted(by: { ($0.amendedAt, $0.id ?? 0) < ($1.amendedAt, $1.id ?? 0) }) {
            let changes: [(field: AmendableField, text: String)] = amendment.changes.compactMap { change in
                guard let field = AmendableField(stored: change.field), field.exists(in: current) else { return nil }
                return (field, change.after)
            }
            var applied: [AmendableField] = []
            // An amendment's changes go in together and are checked once, as they were when it was
            // recorded (a needle moved onto a muscle over the lung fields, with its depth); one that
            // does not pass so is applied change by change, each where it still passes on its own.
            var together = current
            if (try? AmendableField.set(changes, in: &together)) != nil {
                current = together
                applied = changes.map(\.field)
            } else {
                for change in changes {
                    var next = current
                    do { try change.field.set(change.text, in: &next) } catch { continue }
                    current = next
                    applied.append(change.field)
                }
            }
            for field in applied {
                if latest[field] == nil { order.append(field) }
                latest[field] = amendment
            }
        }
        let corrections = order.compactMap { field -> AmendedVisit.Correction? in
            let original = field.currentValue(in: self)
            let value = field.currentValue(in: current)
            guard let a = latest[field], value != original else { return nil }
            return AmendedVisit.Correction(field: field, original: original, value: value, amendmentID: a.id,
                                           amendedAt: a.amendedAt, reason: a.reason)
        }
        return AmendedVisit(visit: current, corrections: corrections)
    }
}
