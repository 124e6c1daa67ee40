/// Which side of the body a finding or treatment is on.
public enum Side: String, Sendable, Hashable, Codable, CaseIterable {
    /// Left, right, midline (for an unpaired muscle or the spine), or both sides.
    case left, right, midline, bilateral

    /// Short form for tables: L, R, M, B.
    public var abbreviation: String {
        switch self {
        case .left: "L"
        case .right: "R"
        case .midline: "M"
        case .bilateral: "B"
        }
    }

    /// Parses `left`, `l`, `right`, `r`, `midline`, `m`, `bilateral`, `b` (any case).
    public init(parsing text: String, field: String = "side") throws(ValidationError) {
        switch text.lowercased() {
        case "left", "l": self = .left
        case "right", "r": self = .right
        case "midline", "m", "centre", "center": self = .midline
        case "bilateral", "b", "both": self = .bilateral
        default: throw ValidationError.badValue(field: field, value: text, rule: "is not a side (left, right, midline, bilateral)")
        }
    }
}
