/// The fields of a signed visit an amendment can correct, and how each one's signed value
/// reads (the "before" an amendment records).
///
/// One list for every front end: `knot visit amend --set FIELD=...` and the terminal's
/// amendment form offer the same fields and record the same "before" text.
public enum AmendableField: String, Sendable, Hashable, Codable, CaseIterable {
    case complaint
    case notes
    case painNow = "pain.now"
    case painBest = "pain.best"
    case painWorst = "pain.worst"

    /// The name a practitioner reads ("Pain now").
    public var label: String {
        switch self {
        case .complaint: "Complaint"
        case .notes: "Notes"
        case .painNow: "Pain now"
        case .painBest: "Pain best"
        case .painWorst: "Pain worst"
        }
    }

    /// True for the NPRS scores (a whole number from 0 to 10).
    public var isPainScore: Bool {
        switch self {
        case .painNow, .painBest, .painWorst: true
        case .complaint, .notes: false
        }
    }

    /// The field's value in the signed note, as text ("" when not recorded).
    public func currentValue(in v: Visit) -> String {
        switch self {
        case .complaint: v.complaint ?? ""
        case .notes: v.notes ?? ""
        case .painNow: v.pain.now.map { String($0.value) } ?? ""
        case .painBest: v.pain.best.map { String($0.value) } ?? ""
        case .painWorst: v.pain.worst.map { String($0.value) } ?? ""
        }
    }

    /// The value of the field named `field` in the signed note; "" for a name not in the list.
    public static func currentValue(of field: String, in v: Visit) -> String {
        AmendableField(rawValue: field)?.currentValue(in: v) ?? ""
    }
}
