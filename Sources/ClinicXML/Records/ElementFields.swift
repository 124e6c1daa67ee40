import Foundation
import ClinicModel
import LibXML

/// Typed reads of one element's attributes and child texts, refusing with the element's line
/// and path when a value is missing or unreadable.
///
/// Documents reach it already valid against their schema, so a refusal here means the schema
/// and the Swift mapping disagree, or a value the schema allows breaks a model range.
struct ElementFields<Element: RecordsElement> {
    let element: Element
    let file: String?

    init(_ element: Element, file: String?) {
        self.element = element
        self.file = file
    }

    func refusal(_ message: String, _ kind: ClinicXMLError.Kind = .ruleBroken) -> ClinicXMLError {
        element.rule(kind, message, file: file)
    }

    // MARK: Attributes

    func optional(_ name: String) -> String? {
        element.attribute(name, namespace: nil)
    }

    func required(_ name: String) throws -> String {
        guard let value = element.attribute(name, namespace: nil) else {
            throw refusal("<\(element.name)> has no \(name) attribute")
        }
        return value
    }

    func int(_ name: String) throws -> Int {
        try parse(name, try required(name), XMLValueFormat.parseInt, "a whole number")
    }

    func optionalInt(_ name: String) throws -> Int? {
        try optional(name).map { try parse(name, $0, XMLValueFormat.parseInt, "a whole number") }
    }

    func int64(_ name: String) throws -> Int64 {
        try parse(name, try required(name), XMLValueFormat.parseInt64, "a whole number")
    }

    func optionalInt64(_ name: String) throws -> Int64? {
        try optional(name).map { try parse(name, $0, XMLValueFormat.parseInt64, "a whole number") }
    }

    func double(_ name: String) throws -> Double {
        try parse(name, try required(name), FieldText.number, "a decimal number")
    }

    func optionalDouble(_ name: String) throws -> Double? {
        try optional(name).map { try parse(name, $0, FieldText.number, "a decimal number") }
    }

    func optionalBool(_ name: String) throws -> Bool? {
        try optional(name).map { try parse(name, $0, XMLValueFormat.parseBool, "true or false") }
    }

    func bool(_ name: String) throws -> Bool {
        try parse(name, try required(name), XMLValueFormat.parseBool, "true or false")
    }

    func date(_ name: String) throws -> LocalDate {
        try localDate(name, try required(name))
    }

    func optionalDate(_ name: String) throws -> LocalDate? {
        try optional(name).map { try localDate(name, $0) }
    }

    func instant(_ name: String) throws -> Date {
        try parse(name, try required(name), FieldText.instant, "a UTC instant like 2026-03-04T09:15:00.000Z")
    }

    func optionalInstant(_ name: String) throws -> Date? {
        try optional(name).map { try parse(name, $0, FieldText.instant, "a UTC instant like 2026-03-04T09:15:00.000Z") }
    }

    func code<E: RawRepresentable>(_ name: String, _ type: E.Type) throws -> E where E.RawValue == String {
        try enumValue(name, try required(name), type)
    }

    func optionalCode<E: RawRepresentable>(_ name: String, _ type: E.Type) throws -> E? where E.RawValue == String {
        try optional(name).map { try enumValue(name, $0, type) }
    }

    /// A space-separated list of codes (empty when the attribute is absent).
    func codes<E: RawRepresentable>(_ name: String, _ type: E.Type) throws -> [E] where E.RawValue == String {
        let text = optional(name) ?? ""
        // All ASCII (every list Knot writes): split on the bytes `Character.isWhitespace` means
        // there (tab, line feed, vertical tab, form feed, carriage return, space), the same parts
        // without asking Unicode about every character.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return try text.utf8.split(whereSeparator: { $0 == 0x20 || (0x09...0x0D).contains($0) })
                .map { try enumValue(name, String(Substring($0)), type) }
        }
        return try text.split(whereSeparator: \.isWhitespace).map { try enumValue(name, String($0), type) }
    }

    /// A measure with a clinical range (NPRS, seconds...), refused as a clinical value when out of it.
    func measure<M: ClinicalMeasure>(_ name: String, _ type: M.Type) throws -> M? where M.Value == Int {
        guard let raw = try optionalInt(name) else { return nil }
        return try checked(name) { () throws(ValidationError) in try M(raw, field: name) }
    }

    func decimalMeasure<M: ClinicalMeasure>(_ name: String, _ type: M.Type) throws -> M? where M.Value == Double {
        guard let raw = try optionalDouble(name) else { return nil }
        return try checked(name) { () throws(ValidationError) in try M(raw, field: name) }
    }

    /// `measure`, refused with the element's line and path when the attribute is absent (the
    /// schema requires it, but the decoder reads a record before the schema's findings are thrown).
    func requiredMeasure<M: ClinicalMeasure>(_ name: String, _ type: M.Type) throws -> M where M.Value == Int {
        guard let value = try measure(name, type) else { throw refusal("<\(element.name)> has no \(name) attribute") }
        return value
    }

    /// `decimalMeasure`, refused as `requiredMeasure` when the attribute is absent.
    func requiredDecimalMeasure<M: ClinicalMeasure>(_ name: String, _ type: M.Type) throws -> M where M.Value == Double {
        guard let value = try decimalMeasure(name, type) else { throw refusal("<\(element.name)> has no \(name) attribute") }
        return value
    }

    func checked<T, Failure: Error & CustomStringConvertible>(_ name: String, _ make: () throws(Failure) -> T) throws -> T {
        do {
            return try make()
        } catch {
            throw refusal(error.description, .clinicalValue)
        }
    }

    // MARK: Children

    func children(_ name: String) -> [Element] {
        element.children(named: name)
    }

    func optionalChild(_ name: String) -> Element? {
        element.firstChild(named: name)
    }

    func child(_ name: String) throws -> Element {
        guard let child = element.firstChild(named: name) else {
            throw refusal("<\(element.name)> has no <\(name)>")
        }
        return child
    }

    /// The text of child `name`, exactly as written (nil when the child is absent).
    func optionalText(_ name: String) -> String? {
        element.firstChild(named: name)?.textContent
    }

    func text(_ name: String) throws -> String {
        try child(name).textContent
    }

    /// This element's own text, exactly as written.
    var ownText: String { element.textContent }

    /// Bytes carried as base64 `<part>` children.
    var binaryParts: Data {
        get throws {
            var data = Data()
            for part in children("part") {
                guard let bytes = Data(base64Encoded: part.textContent, options: .ignoreUnknownCharacters) else {
                    throw part.rule(.ruleBroken, "<part> is not base64", file: file)
                }
                data.append(bytes)
            }
            return data
        }
    }

    // MARK: Helpers

    private func parse<T>(_ name: String, _ text: String, _ parser: (String) -> T?, _ expected: String) throws -> T {
        guard let value = parser(text) else {
            throw refusal("\(name) '\(text)' is not \(expected)")
        }
        return value
    }

    private func localDate(_ name: String, _ text: String) throws -> LocalDate {
        try checked(name) { () throws(ValidationError) in
            // "YYYY-MM-DD" in ASCII digits (every date Knot writes): read digit by digit, then
            // checked by the same initializer `LocalDate(parsing:)` ends in; anything else goes
            // through `LocalDate(parsing:)` itself, with its own refusals.
            if let (year, month, day) = FieldText.plainDate(text) {
                return try LocalDate(year: year, month: month, day: day, field: name)
            }
            return try LocalDate(parsing: XMLValueFormat.trimmed(text), field: name)
        }
    }

    private func enumValue<E: RawRepresentable>(_ name: String, _ text: String, _ type: E.Type) throws -> E where E.RawValue == String {
        guard let value = E(rawValue: XMLValueFormat.trimmed(text)) else {
            throw refusal("\(name) '\(text)' is not one of Knot's codes for it")
        }
        return value
    }
}

/// The plain-text shortcuts of `ElementFields` (not generic: shared by every element type).
enum FieldText {
    /// `XMLValueFormat.parseInstant`, read digit by digit when the text is exactly
    /// "DDDD-DD-DDTDD:DD:DD.DDDZ" in ASCII digits (every instant Knot writes): the day checked by
    /// the initializer `LocalDate(parsing:)` ends in, the same ranges and the same arithmetic;
    /// anything else (or anything that fails) goes through `parseInstant` itself.
    static func instant(_ text: String) -> Date? {
        var text = text
        let fast: Date? = text.withUTF8 { b -> Date? in
            guard b.count == 24, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A,
                  b[19] == 0x2E, b[23] == 0x5A else { return nil }
            func digits(_ range: Range<Int>) -> Int? { asciiNumber(b, range) }
            guard let year = digits(0..<4), let month = digits(5..<7), let day = digits(8..<10),
                  let h = digits(11..<13), let m = digits(14..<16), let s = digits(17..<19), let ms = digits(20..<23),
                  h < 24, m < 60, s < 60,
                  let date = try? LocalDate(year: year, month: month, day: day, field: "instant") else { return nil }
            let seconds = Int64(date.dayNumber) * 86_400 + Int64(h * 3600 + m * 60 + s)
            return Date(timeIntervalSince1970: Double(seconds * 1000 + Int64(ms)) / 1000)
        }
        return fast ?? XMLValueFormat.parseInstant(text)
    }

    /// The number spelled by ASCII digits `b[range]`, nil when any is not a digit.
    private static func asciiNumber(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var value = 0
        for i in range {
            let digit = Int(b[i]) - 0x30
            guard (0...9).contains(digit) else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    /// Year, month and day of exactly "DDDD-DD-DD" (ASCII digits), else nil.
    static func plainDate(_ text: String) -> (Int, Int, Int)? {
        var text = text
        return text.withUTF8 { b -> (Int, Int, Int)? in
            guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return nil }
            func digits(_ range: Range<Int>) -> Int? { asciiNumber(b, range) }
            guard let year = digits(0..<4), let month = digits(5..<7), let day = digits(8..<10) else { return nil }
            return (year, month, day)
        }
    }

    /// `XMLValueFormat.parseNumber`, without asking Unicode about each character when every
    /// byte is a digit, '.', '-' or '+' (then there is nothing to trim, and each is ASCII and
    /// allowed): the same answer.
    static func number(_ text: String) -> Double? {
        let plain = !text.isEmpty && text.utf8.allSatisfy { (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B }
        guard plain else { return XMLValueFormat.parseNumber(text) }
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }
}
