import ArgumentParser
import Foundation
import ClinicModel
import ClinicServices
import FollowUpPlans

// Options with a fixed set of values are the model's own enums, read by the argument parser:
// the help lists the values, and a value outside them exits 65 naming the option and the values
// (ErrorReport.parserRefusal). Values are read as the model spells them (lower case, hyphens).

extension Profession: ExpressibleByArgument {}
extension Role: ExpressibleByArgument {}
extension Treatment.Kind: ExpressibleByArgument {}
extension TriggerPointFinding.Activity: ExpressibleByArgument {}
extension PlanFormat: ExpressibleByArgument {}
extension PlanAudience: ExpressibleByArgument {}
extension LikelyCause: ExpressibleByArgument {}
extension Consent.Risk: ExpressibleByArgument {}
extension Precaution: ExpressibleByArgument {}
extension GaitObservation: ExpressibleByArgument {}

extension Sex: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

extension OutcomeScale: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

/// A side: `left`, `right`, `midline`, `bilateral`, or their first letters (any case).
extension Side: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
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
        guard let kind = BiomechanicalMeasure.Kind(rawValue: argument) else { return nil }
        self = .measure(kind)
    }

    static var allValueStrings: [String] { allCases.map(\.argument) }
    var defaultValueDescription: String { argument }
}

/// A comma-separated list of an enum's values (`--causes overuse,posture`, `--present a,b`):
/// the one place such lists are read. Blank items are skipped; an unknown one fails the whole
/// option, and the parser names the option and the values it accepts.
struct EnumList<Value: ExpressibleByArgument & Hashable>: ExpressibleByArgument {
    var values: [Value]

    init(_ values: [Value] = []) { self.values = values }

    init?(argument: String) {
        var values: [Value] = []
        for item in argument.split(separator: ",") {
            let text = item.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            guard let value = Value(argument: text) else { return nil }
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
            throw KnotCommandError("is not \(Self.accepted)", .badInput)
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

/// A whole number in a range, checked while parsing (`@Option(transform: Bounded(1...50).parse)`):
/// a number outside it, or no number, exits 65 naming the option and the range.
struct Bounded: Sendable {
    let range: ClosedRange<Int>
    let unit: String
    init(_ range: ClosedRange<Int>, _ unit: String = "") { self.range = range; self.unit = unit }

    func parse(_ text: String) throws -> Int {
        guard let n = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(n) else {
            throw KnotCommandError("must be a whole number from \(range.lowerBound) to \(range.upperBound)\(unit.isEmpty ? "" : " " + unit)", .badInput)
        }
        return n
    }
}

/// An alert's kind: `allergy`, `other`, or a precaution (`anticoagulant` or `precaution:anticoagulant`).
extension PatientAlert.Kind: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
    public static var allValueStrings: [String] { ["allergy", "other"] + Precaution.allCases.map(\.rawValue) }
}
extension BiomechanicalMeasure.Kind: ExpressibleByArgument {}

/// `--technique`: how the needle was used, as `NeedlingTechnique(code:settings:)` reads it
/// (electrical stimulation takes its settings from `--estim`).
enum TechniqueArgument: String, CaseIterable, ExpressibleByArgument {
    case `static`, pistoning, electrical

    init?(argument: String) {
        switch argument.lowercased() {
        case "static": self = .static
        case "pistoning", "piston": self = .pistoning
        case "electrical", "estim", "e-stim": self = .electrical
        default: return nil
        }
    }
}

/// `knot log needling --format`.
enum LogFormat: String, CaseIterable, ExpressibleByArgument {
    case table, csv, json
}
