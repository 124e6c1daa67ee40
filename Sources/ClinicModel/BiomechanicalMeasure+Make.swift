import Foundation

extension BiomechanicalMeasure {
    /// The kinds of measure, by the short code the command line's `--kind` takes and storage uses.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Foot Posture Index (six items, -2 to +2 each).
        case fpi6
        /// Weight-bearing lunge (knee-to-wall), in cm.
        case lunge
        /// Leg length difference, in mm.
        case legLength = "leg-length"
        /// First MTP (hallux) dorsiflexion, in degrees.
        case halluxDorsiflexion = "hallux-dorsiflexion"
        /// Gait observations from the coded list.
        case gait
        /// Manual muscle test, grade 0-5.
        case strength
        /// A joint range, in degrees.
        case jointRange = "joint-range"
        /// Posture, described in the notes.
        case posture
        /// Any other measure with its name, value and unit.
        case measure

        /// True for the kinds that describe the whole body, gait and posture: their side is the
        /// midline, so it is never asked. Every other measure is taken on a side, which the
        /// practitioner states (it is never assumed).
        public var hasOneSide: Bool { self == .gait || self == .posture }

        /// What the value is for this kind ("cm", "grade 0-5"; for a free-form measure its unit,
        /// else "value"), or nil when the kind takes no single value (FPI-6, gait, posture).
        public func valueMeaning(unit: String? = nil) -> String? {
            switch self {
            case .lunge: "cm"
            case .legLength: "mm"
            case .halluxDorsiflexion, .jointRange: "degrees"
            case .strength: "grade 0-5"
            case .measure: unit ?? "value"
            case .fpi6, .gait, .posture: nil
            }
        }
    }

    /// The kind of this measure.
    public var kind: Kind { Kind(rawValue: code)! }

    /// The names the raw inputs go by in messages: the command line's options or a form's labels.
    public struct InputNames: Sendable, Hashable {
        /// The name of the value input (`--value`, or a form's label).
        public var value: String
        /// The name of the FPI-6 items input.
        public var fpi: String
        /// The name of the gait observations input.
        public var gait: String
        /// Names for messages; the defaults are plain words, `commandLine` gives the options.
        public init(value: String = "value", fpi: String = "fpi6", gait: String = "gait") {
            self.value = value; self.fpi = fpi; self.gait = gait
        }
        /// `--value`, `--fpi`, `--gait`.
        public static let commandLine = InputNames(value: "--value", fpi: "--fpi", gait: "--gait")
    }

    /// Builds a measure of `kind` from raw inputs as typed, the one place the command line and
    /// the terminal front end turn them into typed, range-checked values.
    ///
    /// `movement`, `joint`, `name` and `unit` are the words strength, joint range and free-form
    /// measures take; their presence is checked by `BiomechanicalFinding.validate`.
    ///
    /// - Parameters:
    ///   - kind: which measure to build.
    ///   - value: the number (cm, mm, degrees, grade, or the measure's unit); required by kinds
    ///     with a `valueMeaning`.
    ///   - fpiItems: FPI-6 item scores as typed, six whole numbers -2..+2.
    ///   - gait: gait observation codes (`GaitObservation` raw values).
    ///   - movement: the movement a strength grade or joint range is for ("Hip abduction").
    ///   - joint: the joint a range is measured at ("Cervical spine").
    ///   - name: a free-form measure's name ("Pain-free grip").
    ///   - unit: a free-form measure's unit ("kg").
    ///   - names: what the inputs are called in messages.
    /// - Throws: `ValidationErrors` naming the input and the rule (the measure types' ranges).
    public static func make(kind: Kind, value: Double? = nil, fpiItems: [String] = [], gait: [String] = [],
                            movement: String? = nil, joint: String? = nil, name: String? = nil, unit: String? = nil,
                            names: InputNames = InputNames()) throws(ValidationErrors) -> BiomechanicalMeasure {
        func required() throws(ValidationErrors) -> Double {
            guard let value else {
                throw ValidationErrors([ValidationError(field: names.value, value: "",
                                                        rule: "is required (\(kind.valueMeaning(unit: unit) ?? "value"))")])
            }
            return value
        }
        func measured<M: ClinicalMeasure>(_ type: M.Type, _ v: M.Value) throws(ValidationErrors) -> M {
            do { return try M(v, field: names.value) } catch { throw ValidationErrors([error]) }
        }
        switch kind {
        case .fpi6:
            var items: [Int] = []
            for (index, text) in fpiItems.enumerated() {
                if text.isEmpty {
                    throw ValidationErrors([ValidationError(field: "\(names.fpi).item\(index + 1)", value: "",
                                                            rule: "is required (-2 to +2)")])
                }
                guard let item = Int(text.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationErrors([ValidationError.badValue(field: names.fpi, value: text, rule: "is not a whole number")])
                }
                items.append(item)
            }
            return .footPostureIndex(try FootPostureIndex(items: items, field: names.fpi))
        case .lunge: return .lunge(try measured(LungeCentimetres.self, try required()))
        case .legLength: return .legLengthDifference(try measured(LegLengthMillimetres.self, try required()))
        case .halluxDorsiflexion: return .halluxDorsiflexion(try measured(Degrees.self, try required()))
        case .gait:
            var observations: [GaitObservation] = []
            for code in gait {
                guard let observation = GaitObservation(rawValue: code.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationErrors([ValidationError.badValue(field: names.gait, value: code, rule: "is not a gait observation code")])
                }
                observations.append(observation)
            }
            return .gait(observations)
        case .strength:
            let grade = try required()
            guard let whole = Int(exactly: grade) else {
                throw ValidationErrors([ValidationError.badValue(field: names.value, value: "\(grade)", rule: "a strength grade is a whole number 0-5")])
            }
            return .strength(movement: movement ?? "", grade: try measured(StrengthGrade.self, whole))
        case .jointRange:
            return .jointRange(joint: joint ?? "", movement: movement ?? "", degrees: try measured(Degrees.self, try required()))
        case .posture:
            return .posture
        case .measure:
            return .measure(name: name ?? "", value: try required(), unit: unit ?? "")
        }
    }
}
