import Foundation

/// A clinical rule that a value broke, naming the field, the offending value and the rule.
///
/// Every check in the model throws this (or a list of them), so the command line and the
/// terminal front end can tell the practitioner exactly what to fix.
public struct ValidationError: Error, Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Dotted path of the field, e.g. `pain.now` or `needling[2].needle.gauge`.
    public var field: String
    /// The value as the user gave it (never patient-identifying in logs: callers log `rule` only).
    public var value: String
    /// The rule in plain words, e.g. `must be between 0 and 10 (NPRS)`.
    public var rule: String

    public init(field: String, value: String, rule: String) {
        self.field = field
        self.value = value
        self.rule = rule
    }

    public var description: String {
        value.isEmpty ? "\(field): \(rule)" : "\(field): '\(value)' \(rule)"
    }

    /// The same error with its field placed under a parent path (`parent.field`).
    public func nested(under parent: String) -> ValidationError {
        ValidationError(field: parent.isEmpty ? field : "\(parent).\(field)", value: value, rule: rule)
    }
}

/// Several rule violations found at once (a form is checked whole, not one field at a time).
public struct ValidationErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public var errors: [ValidationError]
    public init(_ errors: [ValidationError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Collects rule violations while a value is checked, then throws them together.
public struct Validator: Sendable {
    public private(set) var errors: [ValidationError] = []
    public init() {}

    public mutating func add(_ error: ValidationError) { errors.append(error) }
    public mutating func add(_ field: String, _ value: String, _ rule: String) {
        errors.append(ValidationError(field: field, value: value, rule: rule))
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
    public mutating func required(_ field: String, _ value: String?) {
        // Most values start with a letter: no Foundation trimming needed to know they are not blank.
        if let first = value?.utf8.first, first > 0x20, first < 0x80 { return }
        if (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            add(field, "", "is required")
        }
    }
    public mutating func maxLength(_ field: String, _ value: String?, _ limit: Int) {
        // Counting characters walks the text; no more UTF-8 bytes than the limit means no more characters.
        if let value, value.utf8.count > limit, value.count > limit {
            add(field, String(value.prefix(20)) + "…", "is longer than \(limit) characters")
        }
    }
    /// Refuses control characters (terminal escape sequences hide in them) in a one-line field.
    public mutating func singleLine(_ field: String, _ value: String?) {
        guard let value else { return }
        // The control characters (general category Cc) are exactly U+0000-U+001F and U+007F-U+009F.
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
            add(field, "", "must not contain control characters or line breaks")
        }
    }
    /// Refuses control characters other than line breaks and tabs in free text.
    public mutating func freeText(_ field: String, _ value: String?, limit: Int = 20_000) {
        guard let value else { return }
        maxLength(field, value, limit)
        // The control characters (general category Cc) are exactly U+0000-U+001F and U+007F-U+009F.
        if value.unicodeScalars.contains(where: {
            ($0.value < 0x20 || (0x7F...0x9F).contains($0.value)) && $0 != "\n" && $0 != "\t" && $0 != "\r"
        }) {
            add(field, "", "must not contain control characters")
        }
    }
    public func finish() throws(ValidationErrors) {
        if !errors.isEmpty { throw ValidationErrors(errors) }
    }
}
