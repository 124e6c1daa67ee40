import Foundation

/// A value with a clinical range, checked when it is made.
///
/// Each measure type below names its range and unit once; `init(_:field:)` refuses a value
/// outside it with a `ValidationError` that says which field and which scale.
public protocol ClinicalMeasure: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The raw type of the value (`Int` for scores, `Double` for lengths and angles).
    associatedtype Value: Comparable & Sendable & Codable & Hashable & LosslessStringConvertible
    /// The values the scale allows; a value outside is refused by `init(_:field:)`.
    static var range: ClosedRange<Value> { get }
    /// The scale's name in messages, e.g. "NPRS".
    static var scaleName: String { get }
    /// The unit suffix when printed, e.g. " cm" (empty for scores).
    static var unitSuffix: String { get }
    /// The value on the scale, within `range`.
    var value: Value { get }
    /// Wraps a value without checking the range (for values already checked, such as rows Knot wrote).
    init(unchecked value: Value)
}

extension ClinicalMeasure {
    /// The measure, or a `ValidationError` naming `field` and the range.
    public init(_ value: Value, field: String) throws(ValidationError) {
        guard Self.range.contains(value) else {
            throw ValidationError.badValue(field: field, value: "\(value)",
                                  rule: "is out of range: \(Self.scaleName) is \(Self.range.lowerBound) to \(Self.range.upperBound)\(Self.unitSuffix)")
        }
        self.init(unchecked: value)
    }
    /// Parses user text (a score typed at the terminal).
    public init(parsing text: String, field: String) throws(ValidationError) {
        guard let v = Value(text.trimmingCharacters(in: .whitespaces)) else {
            throw ValidationError.badValue(field: field, value: text, rule: "is not a number (\(Self.scaleName) is \(Self.range.lowerBound) to \(Self.range.upperBound)\(Self.unitSuffix))")
        }
        try self.init(v, field: field)
    }
    public var description: String { "\(value)\(Self.unitSuffix)" }
    public static func < (a: Self, b: Self) -> Bool { a.value < b.value }
    public init(from decoder: Decoder) throws {
        let v = try decoder.singleValueContainer().decode(Value.self)
        guard Self.range.contains(v) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "\(v) is out of range for \(Self.scaleName)"))
        }
        self.init(unchecked: v)
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}

/// Numeric Pain Rating Scale, 0 (no pain) to 10 (worst imaginable). Its MCID (2 points) is
/// `ClinicalImportance.mcid(.nprs)`.
public struct NPRS: ClinicalMeasure {
    public static let range = 0...10
    public static let scaleName = "NPRS"
    public static let unitSuffix = ""
    public let value: Int
    public init(unchecked value: Int) { self.value = value }
}

/// Visual analogue scale in millimetres along a 100 mm line.
public struct VAS: ClinicalMeasure {
    public static let range = 0...100
    public static let scaleName = "VAS"
    public static let unitSuffix = " mm"
    public let value: Int
    public init(unchecked value: Int) { self.value = value }
}

/// A Patient-Specific Functional Scale activity score, 0 (unable) to 10 (as before). Its MCID is
/// `ClinicalImportance.mcid(.psfs)`.
public struct PSFSScore: ClinicalMeasure {
    public static let range = 0...10
    public static let scaleName = "PSFS"
    public static let unitSuffix = ""
    public let value: Int
    public init(unchecked value: Int) { self.value = value }
}

/// One Foot Posture Index item, -2 (supinated) to +2 (pronated).
public struct FPIItemScore: ClinicalMeasure {
    public static let range = -2...2
    public static let scaleName = "FPI-6 item"
    public static let unitSuffix = ""
    public let value: Int
    public init(unchecked value: Int) { self.value = value }
}

/// Manual muscle test grade (Oxford scale) 0 to 5.
public struct StrengthGrade: ClinicalMeasure {
    public static let range = 0...5
    public static let scaleName = "strength grade"
    public static let unitSuffix = ""
    public let value: Int
    public init(unchecked value: Int) { self.value = value }
}

/// Weight-bearing lunge (knee-to-wall) distance in centimetres (1 cm is about 3.6 degrees).
public struct LungeCentimetres: ClinicalMeasure {
    public static let range = 0.0...30.0
    public static let scaleName = "lunge test"
    public static let unitSuffix = " cm"
    public let value: Double
    public init(unchecked value: Double) { self.value = value }
}

/// Leg length difference in millimetres.
public struct LegLengthMillimetres: ClinicalMeasure {
    public static let range = 0.0...100.0
    public static let scaleName = "leg length difference"
    public static let unitSuffix = " mm"
    public let value: Double
    public init(unchecked value: Double) { self.value = value }
}

/// A joint angle in degrees (first MTP dorsiflexion, joint ranges).
public struct Degrees: ClinicalMeasure {
    public static let range = -180.0...180.0
    public static let scaleName = "angle"
    public static let unitSuffix = "°"
    public let value: Double
    public init(unchecked value: Double) { self.value = value }
}

/// Pressure pain threshold from an algometer, kg/cm².
public struct KilogramsPerSquareCentimetre: ClinicalMeasure {
    public static let range = 0.0...20.0
    public static let scaleName = "pressure pain threshold"
    public static let unitSuffix = " kg/cm²"
    public let value: Double
    public init(unchecked value: Double) { self.value = value }
}

/// A hold or needle time in seconds (up to an hour).
public struct Seconds: ClinicalMeasure {
    public static let range = 0...3600
    public static let scaleName = "time"
    public static let unitSuffix = " s"
    public let value: Int
    public init(unchecked value: Int) { self.value = value }
}

/// Needle insertion depth in millimetres.
public struct DepthMillimetres: ClinicalMeasure {
    public static let range = 0.0...125.0
    public static let scaleName = "needle depth"
    public static let unitSuffix = " mm"
    public let value: Double
    public init(unchecked value: Double) { self.value = value }
}

/// Foot Posture Index (FPI-6): six items each -2..+2, total -12..+12.
public struct FootPostureIndex: Sendable, Hashable, Codable {
    /// Talar head palpation, curves above/below lateral malleoli, calcaneal frontal plane position,
    /// talonavicular prominence, medial arch congruence, forefoot abduction/adduction.
    public static let itemNames = [
        "talar head palpation", "supra/infra lateral malleolar curvature", "calcaneal frontal plane position",
        "talonavicular joint prominence", "medial longitudinal arch congruence", "forefoot abduction/adduction",
    ]
    /// The six item scores, in the order of `itemNames`.
    public let items: [FPIItemScore]

    /// Checks and keeps six item scores, each -2 to +2.
    /// - Throws: `ValidationErrors` naming `field` when there are not six, or `field.itemN` for an item out
    ///   of range.
    public init(items: [Int], field: String = "fpi6") throws(ValidationErrors) {
        var v = Validator()
        if items.count != 6 { v.badValue(field, "\(items.count) items", "needs exactly 6 item scores") }
        var scores: [FPIItemScore] = []
        for (i, raw) in items.enumerated() {
            do { scores.append(try FPIItemScore(raw, field: "\(field).item\(i + 1)")) } catch { v.add(error) }
        }
        try v.finish()
        self.items = scores
    }

    /// The total, -12..+12.
    public var total: Int { items.reduce(0) { $0 + $1.value } }

    /// Redmond's categories for the total.
    public enum Category: String, Sendable, Codable {
        /// Highly supinated (-12 to -5), supinated (-4 to -1), normal (0 to +5), pronated (+6 to +9),
        /// highly pronated (+10 to +12).
        case highlySupinated = "highly supinated", supinated, normal, pronated, highlyPronated = "highly pronated"
    }

    /// Redmond's category for the total.
    public var category: Category {
        switch total {
        case ...(-5): return .highlySupinated
        case -4...(-1): return .supinated
        case 0...5: return .normal
        case 6...9: return .pronated
        default: return .highlyPronated
        }
    }
}
