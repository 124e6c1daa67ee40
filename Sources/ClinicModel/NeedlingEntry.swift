import Foundation

/// The needle used at a site: brand, gauge and length, lot number.
public struct Needle: Sendable, Hashable, Codable {
    /// The maker's brand name, as on the box.
    public var brand: String
    /// Diameter in mm, e.g. 0.25 (0.12 to 0.40 for dry-needling needles).
    public var gaugeMm: Double
    /// Length in mm, e.g. 40 (7 to 125).
    public var lengthMm: Double
    /// The lot number from the box, for tracing a faulty batch.
    public var lot: String

    /// A needle as recorded; gauge and length are checked against `gaugeRange` and `lengthRange` when its
    /// entry is validated.
    public init(brand: String, gaugeMm: Double, lengthMm: Double, lot: String) {
        self.brand = brand; self.gaugeMm = gaugeMm; self.lengthMm = lengthMm; self.lot = lot
    }

    /// The gauges (diameter, mm) Knot accepts: 0.12 to 0.40.
    public static let gaugeRange = 0.12...0.40
    /// The lengths (mm) Knot accepts: 7 to 125.
    public static let lengthRange = 7.0...125.0

    /// "0.25 x 40 mm".
    public var size: String {
        String(format: "%.2f", gaugeMm) + " x " + BiomechanicalMeasure.number(lengthMm) + " mm"
    }

    /// Parses a size like `0.25x40` or `0.25 x 40 mm`.
    public static func parseSize(_ text: String) throws(ValidationError) -> (gauge: Double, length: Double) {
        let cleaned = text.lowercased().replacingOccurrences(of: "mm", with: "").replacingOccurrences(of: " ", with: "")
        let parts = cleaned.split(separator: "x")
        guard parts.count == 2, let g = Double(parts[0]), let l = Double(parts[1]) else {
            throw ValidationError.badValue(field: "needle.size", value: text, rule: "is not a needle size like 0.25x40 (gauge x length, mm)")
        }
        return (g, l)
    }

    func validate(into v: inout Validator) {
        v.required("needle.brand", brand); v.singleLine("needle.brand", brand); v.maxLength("needle.brand", brand, 80)
        v.required("needle.lot", lot); v.singleLine("needle.lot", lot); v.maxLength("needle.lot", lot, 40)
        if !Needle.gaugeRange.contains(gaugeMm) {
            v.badValue("needle.gauge", "\(gaugeMm)", "is out of range: needle gauge is 0.12 to 0.40 mm")
        }
        if !Needle.lengthRange.contains(lengthMm) {
            v.badValue("needle.length", "\(lengthMm)", "is out of range: needle length is 7 to 125 mm")
        }
    }
}

/// How the needle was used.
public enum NeedlingTechnique: Sendable, Hashable, Codable {
    /// Left in situ.
    case staticInSitu
    /// Fast-in fast-out.
    case pistoning
    /// With electrical stimulation; settings as written (frequency, intensity, duration).
    case electricalStimulation(settings: String)

    /// The stored code: `static`, `pistoning` or `electrical`.
    public var code: String {
        switch self {
        case .staticInSitu: "static"
        case .pistoning: "pistoning"
        case .electricalStimulation: "electrical"
        }
    }

    /// Reads a technique code (`static`, `pistoning`, `electrical`, and the spellings `piston`, `estim`,
    /// `e-stim`); `settings` goes with electrical stimulation.
    /// - Throws: `ValidationError` on `technique` for any other code.
    public init(code: String, settings: String?) throws(ValidationError) {
        switch code.lowercased() {
        case "static": self = .staticInSitu
        case "pistoning", "piston": self = .pistoning
        case "electrical", "estim", "e-stim":
            self = .electricalStimulation(settings: settings ?? "")
        default: throw ValidationError.badValue(field: "technique", value: code, rule: "is not a technique (static, pistoning, electrical)")
        }
    }
}

/// An adverse event after needling, with its severity and the action taken.
public struct AdverseEvent: Sendable, Hashable, Codable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        // The common ones first (Brady et al. 2014): bruising 7.6%, bleeding 4.7%, pain during 3.0%, after 2.2%.
        /// Bruising, and bleeding at the site: the commonest events (Brady et al. 2014).
        case bruising, bleeding
        /// Pain during the treatment.
        case painDuringTreatment = "pain-during"
        /// Soreness after the treatment.
        case postNeedlingSoreness = "soreness-after"
        /// A vasovagal reaction (faintness), and nausea.
        case vasovagal, nausea
        /// A needle that could not be withdrawn freely.
        case needleStuck = "needle-stuck"
        /// A needle that bent.
        case needleBent = "needle-bent"
        /// A needle that broke (a fragment may remain).
        case needleBroken = "needle-broken"
        /// A suspected pneumothorax: send for urgent care.
        case suspectedPneumothorax = "suspected-pneumothorax"
        /// Anything else, described in `action`.
        case other
    }
    /// How serious the event was, ordered `mild < significant < serious`.
    public enum Severity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
        /// In order of severity; a significant or serious event brings the review forward (`ReviewRules`).
        case mild, significant, serious
        public static func < (a: Self, b: Self) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }
    /// What happened.
    public var kind: Kind
    /// How serious it was.
    public var severity: Severity
    /// What the practitioner did about it, in their words.
    public var action: String?

    /// An event of `kind` (mild unless told otherwise), with the action taken.
    public init(kind: Kind, severity: Severity = .mild, action: String? = nil) {
        self.kind = kind; self.severity = severity; self.action = action
    }
}

/// One dry-needling site at a visit: what went in, how, and that every needle came out.
public struct NeedlingEntry: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64?
    /// The needled muscle's catalogue id (`Muscle.id`).
    public var muscleID: String
    /// The side needled.
    public var side: Side
    /// Which trigger point, in the clinic's words (optional).
    public var triggerPoint: String?
    /// The needle used.
    public var needle: Needle
    /// How many needles went in at this site (1-50).
    public var needlesInserted: Int
    /// How many came out (0 to the number inserted); the visit is signed only when these balance.
    public var needlesRemoved: Int
    /// Static, pistoning or electrical stimulation.
    public var technique: NeedlingTechnique
    /// How deep the needle went, in mm.
    public var depth: DepthMillimetres?
    /// How long the needle stayed in, in seconds.
    public var timeInSitu: Seconds?
    /// Local twitch responses seen (0-100).
    public var twitchResponses: Int
    /// How the patient responded, in the practitioner's words.
    public var patientResponse: String?
    /// Empty means "none".
    public var adverseEvents: [AdverseEvent]
    /// True once the needles went into a sharps container; every site needs it before signing.
    public var sharpsDisposed: Bool
    /// When the needling was done, when given (a late entry says it; otherwise the visit's time).
    public var performedAt: Date?
    /// Set when the entry was written after the visit.
    public var lateEntry: LateEntry?

    /// An entry; the visit's practitioner records it after consent and screen
    /// (`NeedlingSafety.checkMayNeedle`).
    public init(id: Int64? = nil, muscleID: String, side: Side, triggerPoint: String? = nil, needle: Needle,
                needlesInserted: Int, needlesRemoved: Int, technique: NeedlingTechnique = .pistoning,
                depth: DepthMillimetres? = nil, timeInSitu: Seconds? = nil, twitchResponses: Int = 0,
                patientResponse: String? = nil, adverseEvents: [AdverseEvent] = [], sharpsDisposed: Bool = true,
                performedAt: Date? = nil, lateEntry: LateEntry? = nil) {
        self.id = id; self.muscleID = muscleID; self.side = side; self.triggerPoint = triggerPoint
        self.needle = needle; self.needlesInserted = needlesInserted; self.needlesRemoved = needlesRemoved
        self.technique = technique; self.depth = depth; self.timeInSitu = timeInSitu
        self.twitchResponses = twitchResponses; self.patientResponse = patientResponse
        self.adverseEvents = adverseEvents; self.sharpsDisposed = sharpsDisposed
        self.performedAt = performedAt; self.lateEntry = lateEntry
    }

    /// Needles inserted at one site.
    public static let insertedRange = 1...50
    /// Local twitch responses counted at one site.
    public static let twitchRange = 0...100
    /// Time in situ, seconds.
    public static let timeInSituRange = 0...3600

    /// The depths allowed with this entry's needle, in mm: over the lung fields at least 1 mm
    /// (a depth is required there), never beyond the needle's length.
    public var depthRange: ClosedRange<Double> {
        (muscle?.overLungFields == true ? 1 : 0)...max(1, needle.lengthMm)
    }

    /// "1-40 mm (needle length 40 mm)", the range shown beside the depth and named in its error.
    public static func depthRangeText(overLung: Bool, needleLength: Double?) -> String {
        guard let length = needleLength else { return overLung ? "required, 1 mm to the needle's length" : "0 mm to the needle's length" }
        let n = BiomechanicalMeasure.number(length)
        return "\(overLung ? 1 : 0)-\(n) mm (needle length \(n) mm)"
    }

    /// The muscle from the catalogue; nil when `muscleID` names none.
    public var muscle: Muscle? { MuscleCatalogue.muscle(id: muscleID) }

    /// Needles still unaccounted for (inserted minus removed); zero when the count balances.
    public var needlesOutstanding: Int { needlesInserted - needlesRemoved }

    /// Field rules for one entry (the visit-level safety rules are in `NeedlingSafety`).
    public func validate() throws(ValidationErrors) {
        var v = Validator()
        validateMuscleAndSide(muscleID: muscleID, side: side, into: &v)
        if side == .bilateral { v.add("side", side.rawValue, "record one needling entry per side") }
        needle.validate(into: &v)
        if !Self.insertedRange.contains(needlesInserted) {
            v.badValue("needlesInserted", "\(needlesInserted)", "must be between 1 and 50")
        }
        if needlesRemoved < 0 || needlesRemoved > needlesInserted {
            v.badValue("needlesRemoved", "\(needlesRemoved)", "must be between 0 and the \(needlesInserted) inserted")
        }
        if !Self.twitchRange.contains(twitchResponses) {
            v.badValue("twitchResponses", "\(twitchResponses)", "must be between 0 and 100")
        }
        let rangeText = Self.depthRangeText(overLung: muscle?.overLungFields == true, needleLength: needle.lengthMm)
        if let m = muscle, m.overLungFields {
            if let d = depth {
                // Over the lung fields the depth's range is a safety rule (pneumothorax), not the value's own range.
                if !depthRange.contains(d.value) {
                    v.add("depth", BiomechanicalMeasure.number(d.value),
                          "over the lung fields the depth must be \(rangeText): \(m.name), pneumothorax risk")
                }
            } else {
                v.add("depth", "", "is required: \(m.name) lies over the lung fields (pneumothorax risk); the depth must be \(rangeText)")
            }
        } else if let d = depth, d.value > needle.lengthMm {
            v.badValue("depth", BiomechanicalMeasure.number(d.value), "is deeper than the needle: the depth must be \(rangeText)")
        }
        if case .electricalStimulation(let s) = technique, s.trimmingCharacters(in: .whitespaces).isEmpty {
            v.add("technique", "electrical", "electrical stimulation needs its settings recorded")
        }

        v.freeText("triggerPoint", triggerPoint, limit: 200)
        v.freeText("patientResponse", patientResponse, limit: 2000)
        for (i, e) in adverseEvents.enumerated() {
            v.freeText("adverseEvents[\(i)].action", e.action, limit: 2000)
            if e.severity != .mild, (e.action ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                v.add("adverseEvents[\(i)].action", "", "a \(e.severity.rawValue) adverse event needs the action taken")
            }
        }
        try v.finish()
    }
}

// MARK: - JSON shape

/// A technique in JSON is its code, with the settings for electrical stimulation:
/// `{"kind": "pistoning"}`, `{"kind": "electrical", "settings": "2 Hz, 8 mA, 10 min"}`. Reading
/// also takes the shape Knot wrote before 25 November 2026 (`{"pistoning": {}}`,
/// `{"electricalStimulation": {"settings": "..."}}`).
extension NeedlingTechnique {
    private enum Key: String, CodingKey { case kind, settings }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        guard c.contains(.kind) else {
            self = try LegacyNeedlingTechnique(from: decoder).technique
            return
        }
        let kind = try c.decode(String.self, forKey: .kind)
        do {
            self = try NeedlingTechnique(code: kind, settings: try c.decodeIfPresent(String.self, forKey: .settings))
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "\(error)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(code, forKey: .kind)
        if case .electricalStimulation(let settings) = self { try c.encode(settings, forKey: .settings) }
    }
}

/// The shape Swift's own coding gave `NeedlingTechnique` before it had its own, read only.
private enum LegacyNeedlingTechnique: Decodable {
    case staticInSitu
    case pistoning
    case electricalStimulation(settings: String)

    var technique: NeedlingTechnique {
        switch self {
        case .staticInSitu: .staticInSitu
        case .pistoning: .pistoning
        case .electricalStimulation(let s): .electricalStimulation(settings: s)
        }
    }
}
