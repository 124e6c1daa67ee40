import Foundation

/// A rule that a value broke, naming the field, the offending value and the rule.
///
/// Every check in the model throws this (or a list of them), so the command line and the
/// terminal front end can tell the practitioner exactly what to fix. Its `kind` says whether
/// the value itself is not one the field accepts (out of its range, or not in its form: bad
/// input, exit 65 at the command line) or a clinical or record rule refused it in its context
/// (exit 1).
public struct ValidationError: Error, Sendable, Equatable, Hashable, CustomStringConvertible {
    /// What was wrong: the value itself, or a rule about it.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The value is outside what the field accepts, whatever else is recorded: out of its
        /// range (an NPRS of 11, a negative depth, more needles removed than inserted) or not in
        /// its form (not a number, a date, a side, an email address).
        case badValue
        /// A clinical or record rule refused a value the field accepts (a side that does not
        /// apply to the muscle, a depth missing over the lung fields, a consent without the
        /// risks explained, a reason missing).
        case rule
    }

    /// Dotted path of the field, e.g. `pain.now` or `needling[2].needle.gauge`.
    public var field: String
    /// The value as the user gave it (never patient-identifying in logs: callers log `rule` only).
    public var value: String
    /// The rule in plain words, e.g. `must be between 0 and 10 (NPRS)`.
    public var rule: String
    /// Whether the value itself is bad input or a rule refused it.
    public var kind: Kind

    /// An error saying `value` of `field` breaks `rule` (a rule refused it unless `kind` says the
    /// value itself is bad input).
    public init(field: String, value: String, rule: String, kind: Kind = .rule) {
        self.field = field
        self.value = value
        self.rule = rule
        self.kind = kind
    }

    /// A value outside what `field` accepts (its range or its form): bad input, not a rule refused.
    public static func badValue(field: String, value: String, rule: String) -> ValidationError {
        ValidationError(field: field, value: value, rule: rule, kind: .badValue)
    }

    public var description: String {
        value.isEmpty ? "\(field): \(rule)" : "\(field): '\(value)' \(rule)"
    }

    /// The same error with its field placed under a parent path (`parent.field`).
    public func nested(under parent: String) -> ValidationError {
        renamed(parent.isEmpty ? field : "\(parent).\(field)")
    }

    /// The same error under another field name (a model field as the option the user typed).
    public func renamed(_ field: String) -> ValidationError {
        ValidationError(field: field, value: value, rule: rule, kind: kind)
    }
}

/// Several rule violations found at once (a form is checked whole, not one field at a time).
public struct ValidationErrors: Error, Sendable, Equatable, CustomStringConvertible {
    /// The errors, in the order found.
    public var errors: [ValidationError]
    /// Errors found together; throw it only when the list is not empty.
    public init(_ errors: [ValidationError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
    /// Bad input when any value is outside what its field accepts (it is fixed before any rule
    /// can be judged); a rule refused otherwise.
    public var kind: ValidationError.Kind { errors.contains { $0.kind == .badValue } ? .badValue : .rule }
}

/// Collects rule violations while a value is checked, then throws them together.
public struct Validator: Sendable {
    /// The errors found so far.
    public private(set) var errors: [ValidationError] = []
    /// An empty validator.
    public init() {}

    /// Records one error.
    public mutating func add(_ error: ValidationError) { errors.append(error) }
    /// Records that `value` of `field` breaks `rule` (a rule refused it unless `kind` says otherwise).
    public mutating func add(_ field: String, _ value: String, _ rule: String, kind: ValidationError.Kind = .rule) {
        errors.append(ValidationError(field: field, value: value, rule: rule, kind: kind))
    }
    /// Records a value outside what the field accepts (its range or its form): bad input.
    public mutating func badValue(_ field: String, _ value: String, _ rule: String) {
        add(field, value, rule, kind: .badValue)
    }
    /// Runs a nested check and records its errors under `parent`.
    public mutating func check(_ parent: String, _ body: () throws -> Void) {
        do { try body() } catch let e as ValidationErrors {
            errors += e.errors.map { $0.nested(under: parent) }
        } catch let e as ValidationError {
            errors.append(e.nested(under: parent))
        } catch {
            errors.append(ValidationError(field: parent, value: "", rule: "\(error)"))
        }
    }
    /// Records an error when `value` is nil or blank.
    public mutating func required(_ field: String, _ value: String?) {
        // Most values start with a letter: no Foundation trimming needed to know they are not blank.
        if let first = value?.utf8.first, first > 0x20, first < 0x80 { return }
        if (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            add(field, "", "is required")
        }
    }
    /// Records an error when `value` is longer than `limit` characters.
    public mutating func maxLength(_ field: String, _ value: String?, _ limit: Int) {
        // Counting characters walks the text; no more UTF-8 bytes than the limit means no more characters.
        if let value, value.utf8.count > limit, value.count > limit {
            badValue(field, String(value.prefix(20)) + "…", "is longer than \(limit) characters")
        }
    }
    /// Refuses control characters (terminal escape sequences hide in them) in a one-line field.
    public mutating func singleLine(_ field: String, _ value: String?) {
        guard let value else { return }
        if Self.holdsControl(value, besidesLineBreaksAndTabs: false) {
            badValue(field, "", "must not contain control characters or line breaks")
        }
    }
    /// Refuses control characters other than line breaks and tabs in free text.
    public mutating func freeText(_ field: String, _ value: String?, limit: Int = 20_000) {
        guard let value else { return }
        maxLength(field, value, limit)
        if Self.holdsControl(value, besidesLineBreaksAndTabs: true) {
            badValue(field, "", "must not contain control characters")
        }
    }

    /// Whether `value` holds a control character (general category Cc: exactly U+0000-U+001F and
    /// U+007F-U+009F), line feed, carriage return and tab aside when `besidesLineBreaksAndTabs`.
    /// Read as UTF-8 bytes: C0 controls and DEL are those bytes, C1 controls are C2 80-C2 9F (a
    /// C2 byte always starts a character).
    static func holdsControl(_ value: String, besidesLineBreaksAndTabs allowed: Bool) -> Bool {
        var afterC2 = false
        for byte in value.utf8 {
            if afterC2, byte >= 0x80, byte <= 0x9F { return true }
            afterC2 = byte == 0xC2
            if byte == 0x7F { return true }
            if byte < 0x20, !(allowed && (byte == 0x0A || byte == 0x09 || byte == 0x0D)) { return true }
        }
        return false
    }
    /// Throws the errors found together, if any.
    /// - Throws: `ValidationErrors` when any rule was broken.
    public func finish() throws(ValidationErrors) {
        if !errors.isEmpty { throw ValidationErrors(errors) }
    }
}
