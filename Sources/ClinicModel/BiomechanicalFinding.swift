import Foundation

/// Gait observations from a coded list (free text goes beside them).
public enum GaitObservation: String, Sendable, Hashable, Codable, CaseIterable {
    case antalgic
    case overpronation = "over-pronation"
    case supination
    case earlyHeelRise = "early-heel-rise"
    case abductoryTwist = "abductory-twist"
    case reducedArmSwing = "reduced-arm-swing"
    case trendelenburg
    case circumduction
    case toeWalking = "toe-walking"
    case footDrop = "foot-drop"
    case reducedHalluxExtension = "reduced-hallux-extension"
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
    public var measure: BiomechanicalMeasure
    public var side: Side
    public var notes: String?

    public init(id: Int64? = nil, measure: BiomechanicalMeasure, side: Side, notes: String? = nil) {
        self.id = id; self.measure = measure; self.side = side; self.notes = notes
    }

    public func validate() throws(ValidationErrors) {
        var v = Validator()
        v.freeText("notes", notes, limit: 5000)
        switch measure {
        case .strength(let m, _): v.required("movement", m); v.singleLine("movement", m)
        case .jointRange(let j, let m, _):
            v.required("joint", j); v.required("movement", m); v.singleLine("joint", j); v.singleLine("movement", m)
        case .measure(let n, let value, let u):
            v.required("name", n); v.singleLine("name", n); v.singleLine("unit", u)
            if !value.isFinite || abs(value) > 1e6 { v.add("value", "\(value)", "must be a finite number within ±1,000,000") }
        case .posture:
            v.required("notes", notes)
        default: break
        }
        try v.finish()
    }
}
