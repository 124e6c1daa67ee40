import Foundation
import ClinicModel
import LibXML

/// Reading HL7 v3 elements the way real CDA documents write them.
///
/// Every lookup is namespace-aware (a `cda:` prefix or the default namespace read the same) and
/// every value treats `nullFlavor` as absent, so a sender's "unknown" never becomes data.
/// Methods carry a `cda` prefix because `XMLElementCursor` extensions are shared by the whole module.
extension XMLElementCursor {
    /// HL7 children with this local name.
    func cdaChildren(_ name: String) -> [XMLElementCursor] {
        children(named: name, namespace: CDACodes.hl7Namespace)
    }

    /// The first HL7 child with this local name.
    func cdaChild(_ name: String) -> XMLElementCursor? {
        firstChild(named: name, namespace: CDACodes.hl7Namespace)
    }

    /// Follows a path of HL7 child names, taking the first match at each step.
    func cdaFirst(_ names: String...) -> XMLElementCursor? {
        var current: XMLElementCursor? = self
        for name in names { current = current?.cdaChild(name) }
        return current
    }

    /// Children in the Australian extension namespace with this local name.
    func cdaExtensionChildren(_ name: String) -> [XMLElementCursor] {
        children(named: name, namespace: CDACodes.australianExtensionNamespace)
    }

    /// Every descendant (not this element) with this local name and namespace, in document order.
    func cdaDescendants(_ name: String, namespace: String? = CDACodes.hl7Namespace) -> [XMLElementCursor] {
        descendants(named: name, namespace: namespace)
    }

    /// Whether the sender said "no value" (any nullFlavor).
    var cdaIsNull: Bool { attribute("nullFlavor") != nil }

    /// An attribute's value, trimmed, nil when empty or when the element has a nullFlavor.
    func cdaValue(_ attributeName: String) -> String? {
        guard !cdaIsNull, let value = attribute(attributeName)?.cdaTrimmed else { return nil }
        return value
    }

    /// The element's text with runs of white space collapsed, nil when empty or null.
    var cdaText: String? {
        guard !cdaIsNull else { return nil }
        return textContent.cdaCollapsed
    }

    /// `xsi:type` without its prefix ("CD", "IVL_TS"), if any.
    var cdaXSIType: String? {
        guard let value = attribute("type", namespace: "http://www.w3.org/2001/XMLSchema-instance") else { return nil }
        return value.split(separator: ":").last.map(String.init)
    }

    /// The element with this `ID` attribute in this subtree (narrative `<content ID="med1">`).
    func cdaElement(withID id: String) -> XMLElementCursor? {
        firstElement(withAttribute: "ID", equalTo: id)
    }
}

extension String {
    /// Trimmed, or nil when nothing is left.
    var cdaTrimmed: String? {
        // Foundation trims only when an end may be white space (see `trimmedWhitespaceAndNewlines`).
        let trimmed = trimmedWhitespaceAndNewlines
        return trimmed.isEmpty ? nil : trimmed
    }

    /// White space runs (newlines included) collapsed to one space, control characters dropped,
    /// trimmed; nil when empty.
    var cdaCollapsed: String? {
        // Plain text (`NarrativeBytes.plainness`: printable ASCII, tabs, line feeds, accented Latin
        // and CJK letters, as in names): no controls, each scalar a character of its own, and
        // the only white space tab, line feed and space; split on those bytes alone, no `Character`s.
        if NarrativeBytes.plainness(of: self) != .other {
            var collapsed: [UInt8] = []
            collapsed.reserveCapacity(utf8.count)
            for word in utf8.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A }) {
                if !collapsed.isEmpty { collapsed.append(0x20) }
                collapsed += word
            }
            return collapsed.isEmpty ? nil : String(decoding: collapsed, as: UTF8.self)
        }
        return cdaWithoutControls.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ").cdaTrimmed
    }

    /// Without control characters other than line feed and tab: XML 1.0 allows C1 controls
    /// (U+0080-U+009F), and a terminal would obey one as an escape sequence.
    var cdaWithoutControls: String {
        if !utf8.cdaMayHoldControls { return self }
        return String(filter { ch in
            ch == "\n" || ch == "\r\n" || ch == "\t" || !ch.unicodeScalars.contains { $0.properties.generalCategory == .control }
        })
    }
}

extension UInt8 {
    /// A printable ASCII character other than space (0x21-0x7E).
    var cdaIsASCIIText: Bool { self > 0x20 && self < 0x7F }
}

extension String.UTF8View {
    /// False when the text holds no control character `cdaWithoutControls` would drop and no
    /// carriage return: no byte below 0x20 but tab and line feed, no DEL, no C1 control
    /// (U+0080-U+009F, encoded 0xC2 0x80-0x9F). One pass over the bytes, no `Character`s.
    var cdaMayHoldControls: Bool {
        var previous: UInt8 = 0
        for byte in self {
            if byte < 0x20 && byte != 0x09 && byte != 0x0A { return true }
            if byte == 0x7F || (previous == 0xC2 && byte >= 0x80 && byte <= 0x9F) { return true }
            previous = byte
        }
        return false
    }
}

/// HL7 timestamps (`TS`): `YYYY[MM[DD[HHMM[SS[.S]]]]][+/-ZZZZ]`.
enum CDATime {
    /// How much of a date a timestamp gave.
    enum Precision: Sendable, Equatable { case year, month, day }

    /// The calendar date as the sender wrote it (the sender's local date; the time and zone are
    /// not applied), with how precise it was; nil when it is not a date at all.
    static func date(_ value: String?) -> (date: LocalDate, precision: Precision)? {
        guard let value else { return nil }
        // ASCII: the leading digits are bytes 0-9 (each character one byte; CR LF is no digit).
        if value.utf8.allSatisfy({ $0 < 0x80 }) {
            var numbers: [Int] = []
            for byte in value.utf8 {
                guard byte >= 0x30 && byte <= 0x39 else { break }
                numbers.append(Int(byte - 0x30))
            }
            func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + numbers[$1] } }
            guard numbers.count >= 4 else { return nil }
            let precision: Precision = numbers.count >= 8 ? .day : numbers.count >= 6 ? .month : .year
            let month = numbers.count >= 6 ? number(4..<6) : 1
            let day = numbers.count >= 8 ? number(6..<8) : 1
            guard let date = try? LocalDate(year: number(0..<4), month: month, day: day) else { return nil }
            return (date, precision)
        }
        return dateThroughCharacters(value)
    }

    /// `date` read through `Character`s: its leading ASCII numerals (a digit with a combining
    /// mark is not one, so text beyond ASCII is read this way; the tests' reference for the bytes).
    static func dateThroughCharacters(_ value: String) -> (date: LocalDate, precision: Precision)? {
        let digits = value.prefix { $0.isASCII && $0.isNumber }
        guard digits.count >= 4, let year = Int(digits.prefix(4)) else { return nil }
        var month = 1, day = 1
        var precision = Precision.year
        if digits.count >= 6 {
            guard let m = Int(digits.dropFirst(4).prefix(2)) else { return nil }
            month = m
            precision = .month
        }
        if digits.count >= 8 {
            guard let d = Int(digits.dropFirst(6).prefix(2)) else { return nil }
            day = d
            precision = .day
        }
        guard let date = try? LocalDate(year: year, month: month, day: day) else { return nil }
        return (date, precision)
    }

    /// `date` plus `months` calendar months, the day clamped to the month's end.
    static func adding(months: Int, to date: LocalDate) -> LocalDate {
        let total = date.year * 12 + (date.month - 1) + months
        let year = total / 12, month = total % 12 + 1
        for day in stride(from: date.day, through: 1, by: -1) {
            if let result = try? LocalDate(year: year, month: month, day: day) { return result }
        }
        return date
    }

    /// `date` plus an amount in a UCUM or plain-English unit ("mo", "a", "wk", "d", "months"...).
    static func adding(_ amount: Int, unit: String, to date: LocalDate) -> LocalDate? {
        switch unit.lowercased() {
        case "d", "day", "days": date.adding(days: amount)
        case "wk", "week", "weeks": date.adding(days: 7 * amount)
        case "mo", "month", "months": adding(months: amount, to: date)
        case "a", "y", "yr", "year", "years": adding(months: 12 * amount, to: date)
        default: nil
        }
    }
}
