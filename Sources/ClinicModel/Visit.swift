import Foundation

/// Pain scores for a visit (NPRS now, best and worst over the last week).
public struct PainScores: Sendable, Hashable, Codable {
    /// Pain now, NPRS 0-10.
    public var now: NPRS?
    /// The best pain over the last week.
    public var best: NPRS?
    /// The worst pain over the last week.
    public var worst: NPRS?
    /// Scores as recorded; any may be missing.
    public init(now: NPRS? = nil, best: NPRS? = nil, worst: NPRS? = nil) {
        self.now = now; self.best = best; self.worst = worst
    }
}

/// One Patient-Specific Functional Scale activity and its score.
public struct PSFSItem: Sendable, Hashable, Codable {
    /// The activity the patient finds hard, in their words.
    public var activity: String
    /// How well they can do it, 0 (unable) to 10 (as before).
    public var score: PSFSScore
    /// An activity and its score.
    public init(activity: String, score: PSFSScore) { self.activity = activity; self.score = score }
}

/// The state of a visit note: drafts change freely; signed notes are only amended.
public enum VisitStatus: String, Sendable, Hashable, Codable {
    /// A draft (changes freely) or signed (only amended).
    case draft, signed
}

/// A visit: what the patient said, what was found, what was done.
public struct Visit: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64?
    /// The patient seen.
    public var patientID: Int64
    /// The practitioner who saw them; only they may sign the note.
    public var practitionerID: Int64
    /// The referral the visit is under, if any.
    public var referralID: Int64?
    /// When the visit started.
    public var startedAt: Date
    /// The presenting complaint (up to 2000 characters).
    public var complaint: String?
    /// Pain now, best and worst.
    public var pain: PainScores
    /// Patient-Specific Functional Scale items (at most five).
    public var psfs: [PSFSItem]
    /// Free-text notes (up to 20,000 characters).
    public var notes: String?
    /// The practitioner's notes on likely causes (up to 5000 characters).
    public var likelyCauseNotes: String?
    /// The clinical impression or working diagnosis (the referrer letter leads with it).
    public var impression: ClinicalImpression?
    /// Draft or signed.
    public var status: VisitStatus
    /// When the note was signed (nil for a draft).
    public var signedAt: Date?

    /// Trigger points found.
    public var triggerPoints: [TriggerPointFinding]
    /// Biomechanical findings.
    public var biomechanics: [BiomechanicalFinding]
    /// Treatments other than needling.
    public var treatments: [Treatment]
    /// Needling entries, one per site.
    public var needling: [NeedlingEntry]
    /// Region outcome measures completed at the visit (LEFS, NDI, ODI, VISA-A, QuickDASH).
    public var outcomes: [OutcomeMeasure]

    /// A visit; by default a draft with no entries.
    public init(id: Int64? = nil, patientID: Int64, practitionerID: Int64, referralID: Int64? = nil,
                startedAt: Date = Date(), complaint: String? = nil, pain: PainScores = PainScores(),
                psfs: [PSFSItem] = [], notes: String? = nil, likelyCauseNotes: String? = nil,
                status: VisitStatus = .draft, signedAt: Date? = nil,
                triggerPoints: [TriggerPointFinding] = [], biomechanics: [BiomechanicalFinding] = [],
                treatments: [Treatment] = [], needling: [NeedlingEntry] = [],
                impression: ClinicalImpression? = nil, outcomes: [OutcomeMeasure] = []) {
        self.impression = impression; self.outcomes = outcomes
        self.id = id; self.patientID = patientID; self.practitionerID = practitionerID
        self.referralID = referralID; self.startedAt = startedAt; self.complaint = complaint
        self.pain = pain; self.psfs = psfs; self.notes = notes; self.likelyCauseNotes = likelyCauseNotes
        self.status = status; self.signedAt = signedAt; self.triggerPoints = triggerPoints
        self.biomechanics = biomechanics; self.treatments = treatments; self.needling = needling
    }

    /// The visit's date: the calendar day of `startedAt` in the clinic's time zone.
    public var date: LocalDate { LocalDate(startedAt) }

    /// Needles inserted and removed across all sites; they must balance before signing.
    public var needleCount: (inserted: Int, removed: Int) {
        needling.reduce((0, 0)) { ($0.0 + $1.needlesInserted, $0.1 + $1.needlesRemoved) }
    }

    /// True when as many needles came out as went in.
    public var needlesBalance: Bool { needleCount.inserted == needleCount.removed }

    /// Field rules for the visit header.
    public func validateHeader() throws(ValidationErrors) {
        var v = Validator()
        v.freeText("complaint", complaint, limit: 2000)
        v.freeText("notes", notes, limit: 20_000)
        v.freeText("likelyCauseNotes", likelyCauseNotes, limit: 5000)
        if psfs.count > 5 { v.badValue("psfs", "\(psfs.count) items", "PSFS has at most five activities") }
        for (i, item) in psfs.enumerated() {
            v.required("psfs[\(i)].activity", item.activity)
            v.singleLine("psfs[\(i)].activity", item.activity)
            v.maxLength("psfs[\(i)].activity", item.activity, 200)
        }
        // Scores made with `init(unchecked:)` are checked here, so the rule is the model's, not only the schema's.
        for (field, score) in [("pain.now", pain.now), ("pain.best", pain.best), ("pain.worst", pain.worst)] {
            if let score, !NPRS.range.contains(score.value) {
                v.badValue(field, "\(score.value)", "is out of range: NPRS is 0 to 10")
            }
        }
        for (i, item) in psfs.enumerated() where !PSFSScore.range.contains(item.score.value) {
            v.badValue("psfs[\(i)].score", "\(item.score.value)", "is out of range: PSFS is 0 to 10")
        }
        if let impression {
            do { try impression.validate() } catch { for e in error.errors { v.add(e) } }
        }
        if let b = pain.best, let w = pain.worst, b > w {
            v.add("pain.best", "\(b.value)", "is worse than pain.worst (\(w.value))")
        }
        if startedAt.timeIntervalSinceNow > 24 * 3600 {
            v.add("startedAt", ISO8601DateFormatter().string(from: startedAt), "is in the future")
        }
        try v.finish()
    }
}

extension Visit {
    /// Decodes a visit saved before impressions and outcome measures existed (a form draft) as
    /// having none.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decodeIfPresent(Int64.self, forKey: .id), patientID: try c.decode(Int64.self, forKey: .patientID),
                  practitionerID: try c.decode(Int64.self, forKey: .practitionerID),
                  referralID: try c.decodeIfPresent(Int64.self, forKey: .referralID),
                  startedAt: try c.decode(Date.self, forKey: .startedAt), complaint: try c.decodeIfPresent(String.self, forKey: .complaint),
                  pain: try c.decode(PainScores.self, forKey: .pain), psfs: try c.decode([PSFSItem].self, forKey: .psfs),
                  notes: try c.decodeIfPresent(String.self, forKey: .notes),
                  likelyCauseNotes: try c.decodeIfPresent(String.self, forKey: .likelyCauseNotes),
                  status: try c.decode(VisitStatus.self, forKey: .status), signedAt: try c.decodeIfPresent(Date.self, forKey: .signedAt),
                  triggerPoints: try c.decode([TriggerPointFinding].self, forKey: .triggerPoints),
                  biomechanics: try c.decode([BiomechanicalFinding].self, forKey: .biomechanics),
                  treatments: try c.decode([Treatment].self, forKey: .treatments),
                  needling: try c.decode([NeedlingEntry].self, forKey: .needling),
                  impression: try c.decodeIfPresent(ClinicalImpression.self, forKey: .impression),
                  outcomes: try c.decodeIfPresent([OutcomeMeasure].self, forKey: .outcomes) ?? [])
    }
}

/// A correction to a signed visit: who, when, why, and what changed. The original stays.
public struct Amendment: Sendable, Hashable, Codable, Identifiable {
    /// One field changed by the amendment.
    public struct Change: Sendable, Hashable, Codable {
        /// The field's name (an `AmendableField` name).
        public var field: String
        /// The value in the note before the amendment ("" when none).
        public var before: String
        /// The value after it ("" clears the field).
        public var after: String
        /// A change of `field` from `before` to `after`.
        public init(field: String, before: String, after: String) {
            self.field = field; self.before = before; self.after = after
        }
    }
    public var id: Int64?
    /// The signed visit corrected.
    public var visitID: Int64
    /// The practitioner who made the amendment.
    public var practitionerID: Int64
    /// When it was made.
    public var amendedAt: Date
    /// Why, in the practitioner's words (required, up to 2000 characters).
    public var reason: String
    /// What changed (at least one field).
    public var changes: [Change]

    /// An amendment to visit `visitID`.
    public init(id: Int64? = nil, visitID: Int64, practitionerID: Int64, amendedAt: Date = Date(),
                reason: String, changes: [Change]) {
        self.id = id; self.visitID = visitID; self.practitionerID = practitionerID
        self.amendedAt = amendedAt; self.reason = reason; self.changes = changes
    }

    /// Checks the amendment has a reason and at least one change, with field names and values of allowed
    /// length.
    /// - Throws: `ValidationErrors` naming each field that breaks a rule.
    public func validate() throws(ValidationErrors) {
        var v = Validator()
        v.required("reason", reason)
        v.freeText("reason", reason, limit: 2000)
        if changes.isEmpty { v.add("changes", "", "an amendment must change something") }
        for (i, c) in changes.enumerated() {
            v.required("changes[\(i)].field", c.field)
            v.freeText("changes[\(i)].after", c.after, limit: 20_000)
        }
        try v.finish()
    }
}
