import Foundation

/// Gait observations from a coded list (free text goes beside them).
public enum GaitObservation: String, Sendable, Hashable, Codable, CaseIterable {
    /// Antalgic gait: a shortened stance on the painful side.
    case antalgic
    /// Over-pronation of the foot through stance.
    case overpronation = "over-pronation"
    /// Supination (an inverted, lateral-loading foot) through stance.
    case supination
    /// Early heel rise: the heel lifts sooner than usual in stance.
    case earlyHeelRise = "early-heel-rise"
    /// Abductory twist: the heel whips medially as it lifts.
    case abductoryTwist = "abductory-twist"
    /// Reduced arm swing.
    case reducedArmSwing = "reduced-arm-swing"
    /// Trendelenburg gait: the pelvis drops on the side of the swinging leg.
    case trendelenburg
    /// Circumduction: the swinging leg arcs outwards.
    case circumduction
    /// Toe walking: no heel strike.
    case toeWalking = "toe-walking"
    /// Foot drop: the foot slaps or drags in swing.
    case footDrop = "foot-drop"
    /// Reduced first MTP (hallux) extension at toe-off.
    case reducedHalluxExtension = "reduced-hallux-extension"
    /// A wide base of support.
    case wideBase = "wide-base"
}

/// A typed biomechanical measurement or observation, with its unit and range.
public enum BiomechanicalMeasure: Sendable, Hashable, Codable {
    /// Foot Posture Index for one foot.
    case footPostureIndex(FootPostureIndex)
    /// Weight-bearing lunge (knee-to-wall) in cm.
    case lunge(LungeCentimetres)
    /// Leg length difference in mm (side = the longer leg).
    case legLengthDifference(LegLengthMillimetres)
    /// First MTP (hallux) dorsiflexion in degrees.
    case halluxDorsiflexion(Degrees)
    /// Gait observations from the coded list.
    case gait([GaitObservation])
    /// Manual muscle test of a movement or muscle, 0-5.
    case strength(movement: String, grade: StrengthGrade)
    /// A joint range in degrees.
    case jointRange(joint: String, movement: String, degrees: Degrees)
    /// Posture, described.
    case posture
    /// Any other measure with its unit.
    case measure(name: String, value: Double, unit: String)

    /// The kind as a stable short code (used in storage and XML).
    public var code: String {
        switch self {
        case .footPostureIndex: "fpi6"
        case .lunge: "lunge"
        case .legLengthDifference: "leg-length"
        case .halluxDorsiflexion: "hallux-dorsiflexion"
        case .gait: "gait"
        case .strength: "strength"
        case .jointRange: "joint-range"
        case .posture: "posture"
        case .measure: "measure"
        }
    }

    /// A one-line human summary, e.g. "FPI-6 +8 (pronated)" or "Lunge 9.5 cm".
    public var summary: String {
        switch self {
        case .footPostureIndex(let f): "FPI-6 \(f.total >= 0 ? "+" : "")\(f.total) (\(f.category.rawValue))"
        case .lunge(let l): "Lunge \(Self.number(l.value)) cm"
        case .legLengthDifference(let d): "Leg length difference \(Self.number(d.value)) mm"
        case .halluxDorsiflexion(let d): "1st MTP dorsiflexion \(Self.number(d.value))°"
        case .gait(let g): "Gait: " + (g.isEmpty ? "unremarkable" : g.map(\.rawValue).joined(separator: ", "))
        case .strength(let m, let g): "Strength \(m) \(g.value)/5"
        case .jointRange(let j, let m, let d): "\(j) \(m) \(Self.number(d.value))°"
        case .posture: "Posture"
        case .measure(let n, let v, let u): "\(n) \(Self.number(v)) \(u)"
        }
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v)
    }
}

/// A biomechanical finding: the measure, the side, and free text.
public struct BiomechanicalFinding: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64?
    /// What was measured or observed, with its value.
    public var measure: BiomechanicalMeasure
    /// The side the finding is on (for leg length, the longer leg).
    public var side: Side
    /// Free text beside the measure (required for posture), up to 5000 characters.
    public var notes: String?

    /// A finding with an optional store id (nil until stored).
    public init(id: Int64? = nil, measure: BiomechanicalMeasure, side: Side, notes: String? = nil) {
        self.id = id; self.measure = measure; self.side = side; self.notes = notes
    }

    /// Checks the field rules: notes up to 5000 characters, the words a strength, joint range or free-form
    /// measure needs, a finite value within ±1,000,000, notes for posture.
    /// - Throws: `ValidationErrors` naming each field that breaks a rule.
    public func validate() throws(ValidationErrors) {
        var v = Validator()
        v.freeText("notes", notes, limit: 5000)
        switch measure {
        case .strength(let m, _): v.required("movement", m); v.singleLine("movement", m)
        case .jointRange(let j, let m, _):
            v.required("joint", j); v.required("movement", m); v.singleLine("joint", j); v.singleLine("movement", m)
        case .measure(let n, let value, let u):
            v.required("name", n); v.singleLine("name", n); v.singleLine("unit", u)
            if !value.isFinite || abs(value) > 1e6 { v.badValue("value", "\(value)", "must be a finite number within ±1,000,000") }
        case .posture:
            v.required("notes", notes)
        default: break
        }
        try v.finish()
    }
}

// MARK: - JSON shape

/// A measure in JSON says what it is and its unit: `{"kind": "lunge", "cm": 7}`,
/// `{"kind": "fpi6", "items": [2, 1, -1, 2, 2, 2], "total": 8, "category": "pronated"}`,
/// `{"kind": "strength", "movement": "hip abduction", "grade": 4}`. It is stored that way and
/// printed by `--json`. Reading also takes the shape Knot wrote before 25 November 2026
/// (Swift's own enum coding, `{"lunge": {"_0": 7}}`), so databases and files from then still open.
extension BiomechanicalMeasure {
    private enum Key: String, CodingKey {
        case kind, items, total, category, cm, mm, degrees, observations, movement, grade, joint, name, value, unit
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        guard c.contains(.kind) else {
            self = try LegacyBiomechanicalMeasure(from: decoder).measure
            return
        }
        switch try c.decode(String.self, forKey: .kind) {
        case "fpi6":
            do {
                self = .footPostureIndex(try FootPostureIndex(items: try c.decode([Int].self, forKey: .items)))
            } catch let error as ValidationErrors {
                throw DecodingError.dataCorruptedError(forKey: .items, in: c, debugDescription: "\(error)")
            }
        case "lunge": self = .lunge(try c.decode(LungeCentimetres.self, forKey: .cm))
        case "leg-length": self = .legLengthDifference(try c.decode(LegLengthMillimetres.self, forKey: .mm))
        case "hallux-dorsiflexion": self = .halluxDorsiflexion(try c.decode(Degrees.self, forKey: .degrees))
        case "gait": self = .gait(try c.decode([GaitObservation].self, forKey: .observations))
        case "strength":
            self = .strength(movement: try c.decode(String.self, forKey: .movement), grade: try c.decode(StrengthGrade.self, forKey: .grade))
        case "joint-range":
            self = .jointRange(joint: try c.decode(String.self, forKey: .joint), movement: try c.decode(String.self, forKey: .movement),
                               degrees: try c.decode(Degrees.self, forKey: .degrees))
        case "posture": self = .posture
        case "measure":
            self = .measure(name: try c.decode(String.self, forKey: .name), value: try c.decode(Double.self, forKey: .value),
                            unit: try c.decode(String.self, forKey: .unit))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "\(other) is not a biomechanical measure")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(code, forKey: .kind)
        switch self {
        case .footPostureIndex(let f):
            try c.encode(f.items.map(\.value), forKey: .items)
            try c.encode(f.total, forKey: .total)
            try c.encode(f.category.rawValue, forKey: .category)
        case .lunge(let l): try c.encode(l, forKey: .cm)
        case .legLengthDifference(let d): try c.encode(d, forKey: .mm)
        case .halluxDorsiflexion(let d): try c.encode(d, forKey: .degrees)
        case .gait(let g): try c.encode(g, forKey: .observations)
        case .strength(let m, let g):
            try c.encode(m, forKey: .movement)
            try c.encode(g, forKey: .grade)
        case .jointRange(let j, let m, let d):
            try c.encode(j, forKey: .joint)
            try c.encode(m, forKey: .movement)
            try c.encode(d, forKey: .degrees)
        case .posture: break
        case .measure(let n, let v, let u):
            try c.encode(n, forKey: .name)
            try c.encode(v, forKey: .value)
            try c.encode(u, forKey: .unit)
        }
    }
}

/// The shape Swift's own coding gave `BiomechanicalMeasure` before it had its own (same case
/// names and labels), read only so that older databases and files still open.
private enum LegacyBiomechanicalMeasure: Decodable {
    case footPostureIndex(FootPostureIndex)
    case lunge(LungeCentimetres)
    case legLengthDifference(LegLengthMillimetres)
    case halluxDorsiflexion(Degrees)
    case gait([GaitObservation])
    case strength(movement: String, grade: StrengthGrade)
    case jointRange(joint: String, movement: String, degrees: Degrees)
    case posture
    case measure(name: String, value: Double, unit: String)

    var measure: BiomechanicalMeasure {
        switch self {
        case .footPostureIndex(let f): .footPostureIndex(f)
        case .lunge(let l): .lunge(l)
        case .legLengthDifference(let d): .legLengthDifference(d)
        case .halluxDorsiflexion(let d): .halluxDorsiflexion(d)
        case .gait(let g): .gait(g)
        case .strength(let m, let g): .strength(movement: m, grade: g)
        case .jointRange(let j, let m, let d): .jointRange(joint: j, movement: m, degrees: d)
        case .posture: .posture
        case .measure(let n, let v, let u): .measure(name: n, value: v, unit: u)
        }
    }
}
