import Foundation

/// A validated region outcome measure: which questionnaire, how its items are scored and how its
/// total is computed, as published.
///
/// Only short item labels are kept (the questionnaires' wording is the publishers'); the
/// practitioner enters the item scores the patient ticked and Knot computes and checks the total.
public enum OutcomeScale: String, Sendable, Hashable, Codable, CaseIterable {
    /// Lower Extremity Functional Scale: 20 items 0-4, total /80, higher is better (Binkley 1999).
    case lefs
    /// Neck Disability Index: 10 items 0-5, as a percentage, higher is worse (Vernon 1991).
    case ndi
    /// Oswestry Disability Index: 10 items 0-5, as a percentage, higher is worse (Fairbank 2000).
    case odi
    /// Victorian Institute of Sport Assessment - Achilles: 8 items, total /100, higher is better
    /// (Robinson 2001).
    case visaA = "visa-a"
    /// QuickDASH: 11 items 1-5, scored 0-100, higher is worse (Beaton 2005).
    case quickDASH = "quickdash"

    /// The name in messages and letters: "LEFS".
    public var name: String {
        switch self {
        case .lefs: "LEFS"
        case .ndi: "NDI"
        case .odi: "ODI"
        case .visaA: "VISA-A"
        case .quickDASH: "QuickDASH"
        }
    }

    /// What it measures, for a patient: "how your legs manage everyday tasks".
    public var plainName: String {
        switch self {
        case .lefs: "leg function score (LEFS)"
        case .ndi: "neck disability score (NDI)"
        case .odi: "back disability score (ODI)"
        case .visaA: "Achilles score (VISA-A)"
        case .quickDASH: "arm, shoulder and hand score (QuickDASH)"
        }
    }

    /// Short item labels, in questionnaire order.
    public var itemLabels: [String] {
        switch self {
        case .lefs: [
            "usual work or school", "hobbies and sport", "in and out of the bath", "walking between rooms",
            "shoes or socks", "squatting", "lifting from the floor", "light home activities", "heavy home activities",
            "in and out of a car", "walking 2 blocks", "walking a mile", "10 stairs up and down", "standing 1 hour",
            "sitting 1 hour", "running on even ground", "running on uneven ground", "sharp turns running fast",
            "hopping", "rolling over in bed",
        ]
        case .ndi: [
            "pain intensity", "personal care", "lifting", "reading", "headaches", "concentration", "work",
            "driving", "sleeping", "recreation",
        ]
        case .odi: [
            "pain intensity", "personal care", "lifting", "walking", "sitting", "standing", "sleeping",
            "sex life", "social life", "travelling",
        ]
        case .visaA: [
            "morning stiffness", "pain stretching the calf", "pain after walking 30 minutes", "pain walking downstairs",
            "pain with 10 heel raises", "single-leg hops", "sport or activity now", "activity with pain",
        ]
        case .quickDASH: [
            "open a tight jar", "heavy household chores", "carry a shopping bag", "wash your back", "cut food",
            "forceful recreation", "social activities", "work and daily activities", "pain", "tingling", "sleep",
        ]
        }
    }

    /// The scores an item accepts, as published.
    public func allowedScores(item index: Int) -> ClosedRange<Int> {
        switch self {
        case .lefs: 0...4
        case .ndi, .odi: 0...5
        case .visaA: index == 7 ? 0...30 : 0...10
        case .quickDASH: 1...5
        }
    }

    /// Items left blank that still give a valid score (NDI and ODI one section, QuickDASH one item).
    public var missingAllowed: Int {
        switch self {
        case .lefs, .visaA: 0
        case .ndi, .odi, .quickDASH: 1
        }
    }

    /// The highest total, in the scale's units (80 for LEFS, 100 for the others).
    public var maximum: Double { self == .lefs ? 80 : 100 }

    /// NDI and ODI are reported as a percentage.
    public var isPercentage: Bool { self == .ndi || self == .odi }

    /// True for LEFS and VISA-A, where a higher score means better function; false for NDI, ODI and
    /// QuickDASH.
    public var higherIsBetter: Bool { self == .lefs || self == .visaA }

    /// The minimal clinically important difference, in the scale's units (see `ClinicalImportance`).
    public var mcid: Double {
        switch self {
        case .lefs: 9
        case .ndi: 10
        case .odi: 10
        case .visaA: 6.5
        case .quickDASH: 8
        }
    }

    /// The total from answered items (nil = left blank), as published: LEFS and VISA-A the sum;
    /// NDI and ODI the sum over 5 × answered items as a percentage; QuickDASH (mean − 1) × 25.
    func score(_ items: [Int?]) -> Double {
        let answered = items.compactMap { $0 }
        let sum = Double(answered.reduce(0, +))
        guard !answered.isEmpty else { return 0 }
        switch self {
        case .lefs, .visaA: return sum
        case .ndi, .odi: return sum / Double(5 * answered.count) * 100
        case .quickDASH: return (sum / Double(answered.count) - 1) * 25
        }
    }

    /// "52/80", "36%", "27.3/100".
    public func format(_ score: Double) -> String {
        let rounded = (score * 10).rounded() / 10
        let number = rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
        return isPercentage ? "\(number)%" : "\(number)/\(Int(maximum))"
    }

    /// A change in the scale's units, worded: "12 points", "10 percentage points", "6.5 points".
    public func formatChange(_ amount: Double) -> String {
        let a = (abs(amount) * 10).rounded() / 10
        let number = a == a.rounded() ? String(Int(a)) : String(format: "%.1f", a)
        let unit = isPercentage ? "percentage point" : "point"
        return "\(number) \(unit)\(a == 1 ? "" : "s")"
    }
}

/// One completed outcome questionnaire at a visit: the item scores and the computed total.
public struct OutcomeMeasure: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64?
    /// The questionnaire.
    public var scale: OutcomeScale
    /// Item scores in questionnaire order; nil where the patient left the item blank.
    public var items: [Int?]

    /// A measure whose items are checked against the published scoring (count, each item's
    /// range, how many may be left blank); the error names the item by number and label.
    public init(id: Int64? = nil, scale: OutcomeScale, items: [Int?], field: String = "items") throws(ValidationErrors) {
        self.init(unchecked: scale, items: items, id: id)
        try validate(field: field)
    }

    /// A measure as stored; `validate()` checks it.
    public init(unchecked scale: OutcomeScale, items: [Int?], id: Int64? = nil) {
        self.id = id; self.scale = scale; self.items = items
    }

    /// Parses "4,3,2,-,1": item scores separated by commas, "-" or nothing for a blank item.
    public init(scale: OutcomeScale, parsing text: String, field: String = "--items") throws(ValidationErrors) {
        var parsed: [Int?] = []
        var v = Validator()
        for (i, raw) in text.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            let t = raw.trimmingCharacters(in: .whitespaces)
            if t.isEmpty || t == "-" { parsed.append(nil); continue }
            if let n = Int(t) { parsed.append(n) } else {
                v.badValue("\(field).item\(i + 1)", t, "is not a number (\(scale.name) item \(i + 1) is \(scale.allowedScores(item: i).lowerBound) to \(scale.allowedScores(item: i).upperBound), or '-' if left blank)")
                parsed.append(nil)
            }
        }
        try v.finish()
        try self.init(scale: scale, items: parsed, field: field)
    }

    /// The total in the scale's units (see `OutcomeScale.score`).
    public var score: Double { scale.score(items) }

    /// "LEFS 52/80".
    public var summary: String { "\(scale.name) \(scale.format(score))" }

    /// Checks the item count, each item's range and how many items may be blank.
    /// - Throws: `ValidationErrors` naming `field` or `field.itemN` with the scale's rule.
    public func validate(field: String = "items") throws(ValidationErrors) {
        var v = Validator()
        let expected = scale.itemLabels.count
        if items.count != expected {
            v.badValue(field, "\(items.count) items", "\(scale.name) has \(expected) items")
            try v.finish()
        }
        for (i, item) in items.enumerated() {
            guard let item else { continue }
            let range = scale.allowedScores(item: i)
            if !range.contains(item) {
                v.badValue("\(field).item\(i + 1)", "\(item)",
                      "is out of range: \(scale.name) item \(i + 1) (\(scale.itemLabels[i])) is \(range.lowerBound) to \(range.upperBound)")
            } else if scale == .visaA, i == 6, ![0, 4, 7, 10].contains(item) {
                v.badValue("\(field).item\(i + 1)", "\(item)", "is not a VISA-A item 7 answer (0, 4, 7 or 10)")
            }
        }
        let blank = items.filter { $0 == nil }.count
        if blank > scale.missingAllowed {
            v.badValue(field, "\(blank) blank", scale.missingAllowed == 0
                  ? "\(scale.name) needs every item answered"
                  : "\(scale.name) allows at most \(scale.missingAllowed) blank item")
        }
        try v.finish()
    }
}
