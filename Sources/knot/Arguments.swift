import ArgumentParser
import Foundation
import ClinicModel
import ClinicServices
import FollowUpPlans

/// A value the command line refused while it was parsed: a bad enum value, date, number or
/// structured text.
///
/// The argument parser reports such a value as a usage error (64) with a message naming the
/// option, the value and what it accepts; for Knot it is bad input (65). Every argument type
/// Knot reads records its refusal here (`init?(argument:)` returning nil, a `transform:`
/// throwing `refuse(_:)`'s error), and `Knot.main` exits 65 when parsing failed after one. So the
/// parser's error is read only through its public API (`Knot.message(for:)`), never its shape.
enum RefusedArgument {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var refused = false

    /// Whether a value was refused since the process started.
    static var happened: Bool {
        lock.lock(); defer { lock.unlock() }
        return refused
    }

    static func record() {
        lock.lock(); defer { lock.unlock() }
        refused = true
    }

    /// Records a refusal and returns the error a `transform:` throws: `rule` says what the option
    /// accepts (the parser puts the option and the value in front of it).
    static func refuse(_ rule: String) -> KnotCommandError {
        record()
        return KnotCommandError(rule, .badInput)
    }

    /// `value`, recording a refusal when it is nil (for `init?(argument:)`).
    static func noting<Value>(_ value: Value?) -> Value? {
        if value == nil { record() }
        return value
    }
}

// Options with a fixed set of values are the model's own enums, read by the argument parser:
// the help lists the values, and a value outside them exits 65 naming the option and the values.
// Values are read as the model spells them (lower case, hyphens).

/// A model enum read by its raw value; a value that is none of them is recorded as refused.
/// (Public only because the argument parser's protocol is: `init?(argument:)` must be.)
public protocol ModelValueArgument: ExpressibleByArgument, CaseIterable, RawRepresentable where RawValue == String {}

extension ModelValueArgument {
    public init?(argument: String) {
        guard let value = RefusedArgument.noting(Self(rawValue: argument)) else { return nil }
        self = value
    }
}

extension Profession: ModelValueArgument {}
extension Role: ModelValueArgument {}
extension Treatment.Kind: ModelValueArgument {}
extension TriggerPointFinding.Activity: ModelValueArgument {}
extension PlanFormat: ModelValueArgument {}
extension PlanAudience: ModelValueArgument {}
extension LikelyCause: ModelValueArgument {}
extension Consent.Risk: ModelValueArgument {}
extension Precaution: ModelValueArgument {}
extension GaitObservation: ModelValueArgument {}
extension BiomechanicalMeasure.Kind: ModelValueArgument {}

extension Sex: ExpressibleByArgument {
    public init?(argument: String) {
        guard let value = RefusedArgument.noting(Self(rawValue: argument.lowercased())) else { return nil }
        self = value
    }
}

extension OutcomeScale: ExpressibleByArgument {
    public init?(argument: String) {
        guard let value = RefusedArgument.noting(Self(rawValue: argument.lowercased())) else { return nil }
        self = value
    }
}

/// A side: `left`, `right`, `midline`, `bilateral`, or their first letters (any case).
extension Side: ExpressibleByArgument {
    public init?(argument: String) {
        guard let value = RefusedArgument.noting(try? Self(parsing: argument)) else { return nil }
        self = value
    }
}

/// What `knot finding add --kind` records: a trigger point or one of the biomechanical measures.
enum FindingKind: Equatable, CaseIterable, ExpressibleByArgument {
    case triggerPoint
    case measure(BiomechanicalMeasure.Kind)

    static var allCases: [FindingKind] { [.triggerPoint] + BiomechanicalMeasure.Kind.allCases.map(FindingKind.measure) }

    var argument: String {
        switch self {
        case .triggerPoint: "trigger-point"
        case .measure(let kind): kind.rawValue
        }
    }

    init?(argument: String) {
        if argument == "trigger-point" { self = .triggerPoint; return }
        guard let kind = BiomechanicalMeasure.Kind(argument: argument) else { return nil }
        self = .measure(kind)
    }

    static var allValueStrings: [String] { allCases.map(\.argument) }
    var defaultValueDescription: String { argument }
}

/// A comma-separated list of an enum's values (`--causes overuse,posture`, `--present a,b`):
/// the one place such lists are read. Blank items are skipped; an unknown one fails the whole
/// option (the item's own type records the refusal), and the parser names the option and the
/// values it accepts.
struct EnumList<Value: ExpressibleByArgument & Hashable>: ExpressibleByArgument {
    var values: [Value]

    init(_ values: [Value] = []) { self.values = values }

    init?(argument: String) {
        var values: [Value] = []
        for item in argument.split(separator: ",") {
            let text = item.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            guard let value = RefusedArgument.noting(Value(argument: text)) else { return nil }
            values.append(value)
        }
        self.values = values
    }

    static var allValueStrings: [String] { Value.allValueStrings }
    var defaultValueDescription: String { values.map(\.defaultValueDescription).joined(separator: ",") }

    /// Several occurrences of a repeatable option, joined.
    static func joined(_ lists: [EnumList]) -> [Value] { lists.flatMap(\.values) }
}

/// A date and time typed on the command line (`--at 2026-11-25T09:30`, or a date alone): its
/// form is checked while parsing (`@Option(transform: DateTimeArgument.init)`; a bad one exits 65
/// naming the option and the forms); it becomes a `Date` in the clinic's time zone once the
/// database is open (`date()`), so 09:30 is the clinic's 09:30.
struct DateTimeArgument {
    static let forms = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"]
    static let accepted = "a date and time like 2026-11-25T09:30 (YYYY-MM-DDTHH:MM, 'YYYY-MM-DD HH:MM' or YYYY-MM-DD)"
    let text: String

    init(_ argument: String) throws {
        // Checked in UTC, a zone with no missing hours: the clinic's zone is applied in `date()`.
        guard Self.parse(argument, in: TimeZone(identifier: "UTC")!) != nil else {
            throw RefusedArgument.refuse("is not \(Self.accepted)")
        }
        text = argument
    }

    /// The moment in the clinic's time zone (installed by opening the database).
    func date(option: String = "--at") throws -> Date {
        guard let d = Self.parse(text, in: ClinicTimeZone.current) else {
            throw KnotCommandError.badValue(option, text, accepts: Self.accepted + " that exists in the clinic's time zone")
        }
        return d
    }

    static func parse(_ text: String, in zone: TimeZone) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.isLenient = false
        for format in forms {
            f.dateFormat = format
            if let d = f.date(from: text) { return d }
        }
        return nil
    }
}

/// A number in a range, checked while parsing (`@Option(transform: Bounded(1...50).parse)`):
/// a number outside it, or no number, exits 65 naming the option and the range, which the
/// option's help names too.
struct Bounded<Value: Comparable & LosslessStringConvertible & Sendable>: Sendable {
    let range: ClosedRange<Value>
    let unit: String
    init(_ range: ClosedRange<Value>, _ unit: String = "") { self.range = range; self.unit = unit }

    func parse(_ text: String) throws -> Value {
        guard let n = Value(text.trimmingCharacters(in: .whitespaces)), range.contains(n) else {
            let what = Value.self is any BinaryInteger.Type ? "a whole number" : "a number"
            throw RefusedArgument.refuse("must be \(what) from \(range.lowerBound) to \(range.upperBound)\(unit.isEmpty ? "" : " " + unit)")
        }
        return n
    }
}

/// Numbers typed on the command line, read with `transform:` (`@Argument(transform: Number.id)`)
/// so that a word where a number belongs exits 65 naming the option, like any bad value.
enum Number {
    /// A record id (a visit, an entry, an alert): a whole number from 1.
    static func id(_ text: String) throws -> Int64 {
        guard let n = Int64(text.trimmingCharacters(in: .whitespaces)), n > 0 else { throw RefusedArgument.refuse("is not an id (a whole number from 1)") }
        return n
    }
    /// A whole number from 1 (an entry's number as `knot visit show` numbers it).
    static func positive(_ text: String) throws -> Int {
        guard let n = Int(text.trimmingCharacters(in: .whitespaces)), n > 0 else { throw RefusedArgument.refuse("is not a whole number from 1") }
        return n
    }
    /// A decimal number (a measured value).
    static func decimal(_ text: String) throws -> Double {
        guard let n = Double(text.trimmingCharacters(in: .whitespaces)), n.isFinite else { throw RefusedArgument.refuse("is not a number") }
        return n
    }
    /// A whole number (a count, a limit, an item number).
    static func whole(_ text: String) throws -> Int {
        guard let n = Int(text.trimmingCharacters(in: .whitespaces)) else { throw RefusedArgument.refuse("is not a whole number") }
        return n
    }
}

/// A clinical measure typed for an option (`@Option(transform: Measured<NPRS>.parse) var painNow: NPRS?`),
/// checked against the measure's own range while parsing: the message names the scale and range
/// (`is out of range: NPRS is 0 to 10`).
enum Measured<M: ClinicalMeasure> {
    static func parse(_ text: String) throws -> M {
        do { return try M(parsing: text, field: "") } catch { throw RefusedArgument.refuse(error.rule) }
    }
    /// The range as the option's help says it, e.g. `0-10`.
    static var rangeText: String { "\(M.range.lowerBound)-\(M.range.upperBound)\(M.unitSuffix)" }
}

/// An alert's kind: `allergy`, `other`, or a precaution (`anticoagulant` or `precaution:anticoagulant`).
extension PatientAlert.Kind: ExpressibleByArgument {
    public init?(argument: String) {
        guard let value = RefusedArgument.noting(try? Self(parsing: argument)) else { return nil }
        self = value
    }
    public static var allValueStrings: [String] { ["allergy", "other"] + Precaution.allCases.map(\.rawValue) }
}

/// `--technique`: how the needle was used, as `NeedlingTechnique(code:settings:)` reads it
/// (electrical stimulation takes its settings from `--estim`).
enum TechniqueArgument: String, CaseIterable, ExpressibleByArgument {
    case `static`, pistoning, electrical

    init?(argument: String) {
        switch argument.lowercased() {
        case "static": self = .static
        case "pistoning", "piston": self = .pistoning
        case "electrical", "estim", "e-stim": self = .electrical
        default: RefusedArgument.record(); return nil
        }
    }
}

/// `knot log needling --format`.
enum LogFormat: String, CaseIterable, ModelValueArgument {
    case table, csv, json
}
