import Foundation

/// A field of a signed visit an amendment can correct: a field of the note itself
/// (`complaint`, `pain.now`) or a field of one of its entries, addressed as
/// `KIND.N.FIELD` where N is the entry's number as `knot visit show` prints it (1 for the first):
///
/// - `trigger-point.N.` muscle, side, location, activity, taut-band, twitch, referred-pain,
///   tenderness, causes, notes
/// - `finding.N.` value, side, notes (biomechanical findings, numbered on after the trigger
///   points as `knot visit show` lists findings; value in the measure's unit)
/// - `treatment.N.` kind, muscle, side, hold, cycles, notes
/// - `needle.N.` muscle, side, trigger-point, brand, size, lot, inserted, removed, technique,
///   depth, time, twitches, response, sharps
///
/// One list for every front end: `knot visit amend --set FIELD=...` and the terminal's
/// amendment form offer the same fields, parse values with the same rules as when recorded, and
/// record the same "before" text.
public struct AmendableField: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The kind of entry a field belongs to (none for the note's own fields).
    public enum Entry: String, Sendable, Hashable, Codable, CaseIterable {
        /// A trigger-point finding (`trigger-point.N.FIELD`).
        case triggerPoint = "trigger-point"
        /// A biomechanical finding (`finding.N.FIELD`), numbered on after the trigger points.
        case finding
        /// A manual or exercise treatment (`treatment.N.FIELD`).
        case treatment
        /// A needling entry (`needle.N.FIELD`).
        case needle

        /// The name a practitioner reads ("Trigger point").
        public var label: String {
            switch self {
            case .triggerPoint: "Trigger point"
            case .finding: "Finding"
            case .treatment: "Treatment"
            case .needle: "Needling"
            }
        }

        /// The fields of one entry of this kind, in the order forms show them.
        public var attributes: [String] {
            switch self {
            case .triggerPoint:
                ["muscle", "side", "location", "activity", "taut-band", "twitch", "referred-pain", "tenderness", "causes", "notes"]
            case .finding: ["value", "side", "notes"]
            case .treatment: ["kind", "muscle", "side", "hold", "cycles", "notes"]
            case .needle:
                ["muscle", "side", "trigger-point", "brand", "size", "lot", "inserted", "removed", "technique", "depth",
                 "time", "twitches", "response", "sharps"]
            }
        }

        /// The number `knot visit show` gives the first entry of this kind: findings are numbered
        /// on after the trigger points (as `knot finding edit` counts them), the rest from 1.
        public func firstNumber(in v: Visit) -> Int {
            self == .finding ? v.triggerPoints.count + 1 : 1
        }

        /// The numbers of this kind's entries on the visit, as `knot visit show` prints them.
        public func numbers(in v: Visit) -> Range<Int> {
            firstNumber(in: v)..<(firstNumber(in: v) + count(in: v))
        }

        /// How many entries of this kind the visit has.
        public func count(in v: Visit) -> Int {
            switch self {
            case .triggerPoint: v.triggerPoints.count
            case .finding: v.biomechanics.count
            case .treatment: v.treatments.count
            case .needle: v.needling.count
            }
        }
    }

    /// The entry kind, nil for a field of the note itself.
    public let entry: Entry?
    /// The entry's number (1-based, as printed); 0 for a field of the note.
    public let index: Int
    /// The field's name within the note or entry (`pain.now`, `depth`).
    public let attribute: String

    /// The note's own fields.
    public static let noteAttributes = ["complaint", "notes", "pain.now", "pain.best", "pain.worst", "likely-cause-notes",
                                        "impression", "impression-code"]

    /// The presenting complaint (`complaint`).
    public static let complaint = AmendableField(note: "complaint")
    /// The free-text notes of the visit (`notes`).
    public static let notes = AmendableField(note: "notes")
    /// The NPRS score now, 0-10 (`pain.now`).
    public static let painNow = AmendableField(note: "pain.now")
    /// The best NPRS score over the last week, 0-10 (`pain.best`).
    public static let painBest = AmendableField(note: "pain.best")
    /// The worst NPRS score over the last week, 0-10 (`pain.worst`).
    public static let painWorst = AmendableField(note: "pain.worst")
    /// The practitioner's notes on likely causes (`likely-cause-notes`).
    public static let likelyCauseNotes = AmendableField(note: "likely-cause-notes")
    /// The clinical impression's text (`impression`).
    public static let impression = AmendableField(note: "impression")
    /// The clinical impression's code, as `SYSTEM:CODE` (`impression-code`).
    public static let impressionCode = AmendableField(note: "impression-code")

    /// The note's own fields, in the order forms show them.
    public static let noteFields: [AmendableField] = noteAttributes.map { AmendableField(note: $0) }

    private init(note attribute: String) { entry = nil; index = 0; self.attribute = attribute }

    /// A field of entry number `index` (1-based) of kind `entry`.
    public init(_ entry: Entry, _ index: Int, _ attribute: String) {
        self.entry = entry; self.index = index; self.attribute = attribute
    }

    /// Parses a field name (`pain.now`, `needle.2.depth`); nil when it names no amendable field
    /// of any visit (whether this visit has that entry is `fields(of:)`'s business).
    public init?(rawValue: String) {
        let name = rawValue.trimmingCharacters(in: .whitespaces).lowercased()
        if Self.noteAttributes.contains(name) { self.init(note: name); return }
        let parts = name.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let entry = Entry(rawValue: parts[0]), let index = Int(parts[1]), index >= 1,
              entry.attributes.contains(parts[2]) else { return nil }
        self.init(entry, index, parts[2])
    }

    /// A field name as stored in an amendment: today's names, and the `triggerPoints[0].side`
    /// form some older amendments carry (0-based list index, same field name).
    public init?(stored name: String) {
        if let field = AmendableField(rawValue: name) { self = field; return }
        let lists: [(String, Entry)] = [("triggerPoints[", .triggerPoint), ("biomechanics[", .finding),
                                        ("treatments[", .treatment), ("needling[", .needle)]
        for (prefix, entry) in lists where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            guard let close = rest.firstIndex(of: "]"), let i = Int(rest[..<close]), i >= 0 else { return nil }
            let attribute = rest[rest.index(after: close)...].drop { $0 == "." }
            let known = ["muscleID": "muscle", "triggerPoint": "trigger-point", "patientResponse": "response"][String(attribute)] ?? String(attribute)
            guard entry.attributes.contains(known) else { return nil }
            self.init(entry, i + 1, known)
            return
        }
        return nil
    }

    /// The name as typed after `--set` (`needle.2.depth`).
    public var rawValue: String {
        guard let entry else { return attribute }
        return "\(entry.rawValue).\(index).\(attribute)"
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let field = AmendableField(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(text) is not an amendable field"))
        }
        self = field
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }

    /// Every field an amendment can correct on this visit: the note's, then each entry's.
    public static func fields(of v: Visit) -> [AmendableField] {
        var out = noteFields
        for entry in Entry.allCases {
            for n in entry.numbers(in: v) { out += entry.attributes.map { AmendableField(entry, n, $0) } }
        }
        return out
    }

    /// True when the visit has this field (the entry exists).
    public func exists(in v: Visit) -> Bool {
        guard let entry else { return true }
        return entry.numbers(in: v).contains(index)
    }

    /// The field's name alone, as a practitioner reads it ("Pain now", "Depth").
    public var attributeLabel: String {
        switch attribute {
        case "complaint": "Complaint"
        case "notes": "Notes"
        case "pain.now": "Pain now"
        case "pain.best": "Pain best"
        case "pain.worst": "Pain worst"
        case "likely-cause-notes": "Likely causes"
        case "impression": "Impression"
        case "impression-code": "Impression code"
        case "taut-band": "Taut band"
        case "twitch": "Twitch (LTR)"
        case "referred-pain": "Referred pain"
        case "trigger-point": "Trigger point"
        case "hold": "Hold (s)"
        case "depth": "Depth (mm)"
        case "time": "Time in situ (s)"
        case "twitches": "Twitches (LTR)"
        case "inserted": "Needles in"
        case "removed": "Needles out"
        case "response": "Patient response"
        case "sharps": "Sharps disposed"
        default: attribute.prefix(1).uppercased() + attribute.dropFirst()
        }
    }

    /// The full name a practitioner reads ("Pain now", "Needling 2 depth (mm)").
    public var label: String {
        guard let entry else { return attributeLabel }
        return "\(entry.label) \(index) \(attributeLabel.prefix(1).lowercased() + attributeLabel.dropFirst())"
    }

    /// True for the NPRS scores (a whole number from 0 to 10).
    public var isPainScore: Bool { entry == nil && attribute.hasPrefix("pain.") || attribute == "tenderness" }

    /// What a value must be, in words ("NPRS 0-10", "left, right, midline, bilateral").
    public var hint: String {
        switch attribute {
        case "pain.now", "pain.best", "pain.worst", "tenderness": "NPRS 0-10"
        case "side": "left, right, midline, bilateral"
        case "activity": "active or latent"
        case "taut-band", "twitch", "referred-pain", "sharps": "yes or no"
        case "causes": "comma-separated: " + LikelyCause.allCases.map(\.rawValue).joined(separator: ", ")
        case "muscle": "a muscle id from the catalogue (knot muscles SEARCH)"
        case "kind": Treatment.Kind.allCases.map(\.rawValue).joined(separator: ", ")
        case "hold", "time": "seconds"
        case "cycles": "1-50"
        case "depth": "mm"
        case "size": "gauge x length, e.g. 0.25x40"
        case "inserted": "1-50"
        case "removed": "0 to the number inserted"
        case "twitches": "0-100"
        case "technique": "static, pistoning, or electrical: SETTINGS"
        case "value": "the measure in its unit"
        default: "text"
        }
    }
}
