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

    /// An error saying `value` of `field` breaks `rule`.
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
    /// The errors, in the order found.
    public var errors: [ValidationError]
    /// Errors found together; throw it only when the list is not empty.
    public init(_ errors: [ValidationError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Collects rule violations while a value is checked, then throws them together.
public struct Validator: Sendable {
    /// The errors found so far.
    public private(set) var errors: [ValidationError] = []
    /// An empty validator.
    public init() {}

    /// Records one error.
    public mutating func add(_ error: ValidationError) { errors.append(error) }
    /// Records that `value` of `field` breaks `rule`.
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
    /// Records an error when `value` is nil or blank.
    public mutating func required(_ field: String, _ value: String?) {
        if (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            add(field, "", "is required")
        }
    }
    /// Records an error when `value` is longer than `limit` characters.
    public mutating func maxLength(_ field: String, _ value: String?, _ limit: Int) {
        if let value, value.count > limit {
            add(field, String(value.prefix(20)) + "…", "is longer than \(limit) characters")
        }
    }
    /// Refuses control characters (terminal escape sequences hide in them) in a one-line field.
    public mutating func singleLine(_ field: String, _ value: String?) {
        guard let value else { return }
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            add(field, "", "must not contain control characters or line breaks")
        }
    }
    /// Refuses control characters other than line breaks and tabs in free text.
    public mutating func freeText(_ field: String, _ value: String?, limit: Int = 20_000) {
        guard let value else { return }
        maxLength(field, value, limit)
        if value.unicodeScalars.contains(where: {
            $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" && $0 != "\r"
        }) {
            add(field, "", "must not contain control characters")
        }
    }
    /// Throws the errors found together, if any.
    /// - Throws: `ValidationErrors` when any rule was broken.
    public func finish() throws(ValidationErrors) {
        if !errors.isEmpty { throw ValidationErrors(errors) }
    }
}
