import Foundation

/// A precaution or contraindication to dry needling, asked in the screen before the first needle.
public enum Precaution: String, Sendable, Hashable, Codable, CaseIterable {
    /// Taking an anticoagulant (warfarin, a DOAC): bleeding risk.
    case anticoagulant
    /// Taking an antiplatelet (aspirin, clopidogrel): bleeding risk.
    case antiplatelet
    /// A bleeding disorder (haemophilia, low platelets).
    case bleedingDisorder = "bleeding-disorder"
    /// Pregnancy.
    case pregnancy
    /// Fear of needles.
    case needlePhobia = "needle-phobia"
    /// A weakened immune system: infection risk.
    case immunocompromise
    /// Diabetes or another cause of poor healing.
    case diabetesPoorHealing = "diabetes-poor-healing"
    /// Lymphoedema in the area.
    case lymphoedema
    /// An allergy to the needle's metal (nickel).
    case metalAllergy = "metal-allergy"
    /// A skin lesion, infection or wound at the site.
    case localSkinLesion = "local-skin-lesion"
    /// Epilepsy: the risk of a seizure while needles are in.
    case epilepsy
    /// The patient cannot give informed consent: a stop, needling does not go ahead.
    case inabilityToConsent = "inability-to-consent"

    /// A stop: needling must not go ahead at all while it is present.
    public var isStop: Bool { self == .inabilityToConsent }

    /// The precaution's name in words, as screens and letters print it.
    public var displayName: String {
        switch self {
        case .anticoagulant: "anticoagulant medicine"
        case .antiplatelet: "antiplatelet medicine"
        case .bleedingDisorder: "bleeding disorder"
        case .pregnancy: "pregnancy"
        case .needlePhobia: "needle phobia"
        case .immunocompromise: "immunocompromise or infection risk"
        case .diabetesPoorHealing: "diabetes with poor healing"
        case .lymphoedema: "lymphoedema"
        case .metalAllergy: "metal allergy"
        case .localSkinLesion: "local skin lesion at the site"
        case .epilepsy: "epilepsy"
        case .inabilityToConsent: "unable to consent"
        }
    }
}

/// Informed consent for dry needling: who gave it, when, what was explained, how long it stands.
///
/// The risks explained are named, never implied: there is no default set. A patient under 18
/// consents with a parent or guardian (`guardian`), unless the practitioner records that the
/// young person understands fully (`matureMinorAssessment`).
public struct Consent: Sendable, Hashable, Codable, Identifiable {
    /// Risks that must have been explained before consent counts.
    public enum Risk: String, Sendable, Hashable, Codable, CaseIterable {
        /// Bruising, soreness, fainting (these three are required), bleeding, infection, pneumothorax,
        /// nerve irritation.
        case bruising, soreness, fainting, bleeding, infection, pneumothorax, nerveIrritation = "nerve-irritation"
    }
    /// The parent or guardian who consented for a minor.
    public struct Guardian: Sendable, Hashable, Codable {
        /// The guardian's full name (up to 100 characters).
        public var name: String
        /// "mother", "father", "legal guardian"...
        public var relationship: String
        /// A guardian by name and relationship to the patient.
        public init(name: String, relationship: String) { self.name = name; self.relationship = relationship }
    }
    public var id: Int64?
    /// The patient who consented.
    public var patientID: Int64
    /// The practitioner who took the consent.
    public var practitionerID: Int64
    /// When consent was given (for a late entry: when it happened, not when it was typed).
    public var recordedAt: Date
    /// The risks explained; bruising, soreness and fainting are required.
    public var risksExplained: Set<Risk>
    /// True when the practitioner stated that the benefits were explained (required for consent
    /// to count; never assumed: every caller states it).
    public var benefitsExplained: Bool
    /// Written (signed form) rather than verbal.
    public var written: Bool
    /// A standing consent lasts until this date; nil means the day it was given only (it covers
    /// every visit that day: consent is not bound to one visit).
    public var validUntil: LocalDate?
    /// Free text (up to 2000 characters).
    public var notes: String?
    /// The parent or guardian who consented, for a patient under 18.
    public var guardian: Guardian?
    /// Why a patient under 18 consents alone: the practitioner's mature-minor assessment.
    public var matureMinorAssessment: String?
    /// Set when the consent was written after it was given.
    public var lateEntry: LateEntry?

    /// A consent; `validUntil` nil means the day it was given only. `benefitsExplained` has no
    /// default: whether the benefits were explained is the practitioner's statement, so every
    /// caller says it (it defaulted to true, and every consent claimed an answer nobody gave).
    public init(id: Int64? = nil, patientID: Int64, practitionerID: Int64, recordedAt: Date = Date(),
                risksExplained: Set<Risk>, benefitsExplained: Bool,
                written: Bool = false, validUntil: LocalDate? = nil, notes: String? = nil,
                guardian: Guardian? = nil, matureMinorAssessment: String? = nil, lateEntry: LateEntry? = nil) {
        self.id = id; self.patientID = patientID; self.practitionerID = practitionerID
        self.recordedAt = recordedAt; self.risksExplained = risksExplained
        self.benefitsExplained = benefitsExplained; self.written = written
        self.validUntil = validUntil; self.notes = notes
        self.guardian = guardian; self.matureMinorAssessment = matureMinorAssessment; self.lateEntry = lateEntry
    }

    /// Whether this consent covers needling on `date`.
    public func covers(_ date: LocalDate) -> Bool {
        let given = LocalDate(recordedAt)
        guard date >= given else { return false }
        return date <= (validUntil ?? given)
    }

    /// Whether it stands for a minor: a guardian consented or a mature-minor assessment is recorded.
    public var standsForMinor: Bool {
        guardian != nil || !(matureMinorAssessment ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    /// Checks the consent: the three required risks, benefits explained, a standing consent of at most one
    /// year, the guardian's fields and a mature-minor reason.
    /// - Throws: `ValidationErrors` naming each field that breaks a rule.
    public func validate() throws(ValidationErrors) {
        var v = Validator()
        let minimum: Set<Risk> = [.bruising, .soreness, .fainting]
        let missing = minimum.subtracting(risksExplained)
        if !missing.isEmpty {
            v.add("risksExplained", missing.map(\.rawValue).sorted().joined(separator: ","),
                  "must include bruising, soreness and fainting")
        }
        if !benefitsExplained { v.add("benefitsExplained", "false", "benefits must be explained before consent") }
        if let until = validUntil {
            let given = LocalDate(recordedAt)
            if until < given { v.add("validUntil", until.description, "is before the consent was given") }
            if given.days(until: until) > 366 { v.add("validUntil", until.description, "a standing consent lasts at most one year") }
        }
        v.freeText("notes", notes, limit: 2000)
        if let g = guardian {
            v.required("guardian.name", g.name); v.singleLine("guardian.name", g.name); v.maxLength("guardian.name", g.name, 100)
            v.required("guardian.relationship", g.relationship); v.singleLine("guardian.relationship", g.relationship)
            v.maxLength("guardian.relationship", g.relationship, 60)
        }
        if let m = matureMinorAssessment {
            if m.trimmingCharacters(in: .whitespacesAndNewlines).count < 5 {
                v.add("matureMinorAssessment", m, "needs the reason the young person understands fully (at least 5 characters)")
            }
            v.freeText("matureMinorAssessment", m, limit: 2000)
        }
        try v.finish()
    }
}

/// The precaution screen answered before needling: each precaution yes or no, and a reasoned
/// acknowledgment for every yes.
public struct PrecautionScreen: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64?
    /// The patient screened.
    public var patientID: Int64
    /// The practitioner who asked the questions.
    public var practitionerID: Int64
    /// When the screen was done (for a late entry: when it happened, not when it was typed).
    public var recordedAt: Date
    /// The precautions answered "present". Every precaution not listed was asked and answered "no".
    public var present: Set<Precaution>
    /// The practitioner's reasoned acknowledgment for each present precaution.
    public var acknowledgments: [Precaution: String]
    /// The last day the screen stands: the day it was done plus the days the practitioner stated (1-365).
    public var validUntil: LocalDate
    /// Set when the screen was written after it was done.
    public var lateEntry: LateEntry?

    /// A screen; every precaution not in `present` was asked and answered "no".
    public init(id: Int64? = nil, patientID: Int64, practitionerID: Int64, recordedAt: Date = Date(),
                present: Set<Precaution> = [], acknowledgments: [Precaution: String] = [:],
                validUntil: LocalDate, lateEntry: LateEntry? = nil) {
        self.id = id; self.patientID = patientID; self.practitionerID = practitionerID
        self.recordedAt = recordedAt; self.present = present; self.acknowledgments = acknowledgments
        self.validUntil = validUntil; self.lateEntry = lateEntry
    }

    /// True when the screen stands on `date` (from the day it was done to `validUntil`, inclusive).
    public func covers(_ date: LocalDate) -> Bool { date >= LocalDate(recordedAt) && date <= validUntil }

    /// Present precautions that are stops: needling cannot go ahead.
    public var stops: [Precaution] { present.filter(\.isStop).sorted { $0.rawValue < $1.rawValue } }

    /// Each present precaution with the practitioner's reason, stops first, then by name.
    public var presentWithReasons: [(precaution: Precaution, reason: String)] {
        present.sorted { ($0.isStop ? 0 : 1, $0.rawValue) < ($1.isStop ? 0 : 1, $1.rawValue) }
            .map { ($0, acknowledgments[$0]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") }
    }

    /// The present precautions in words, each with its reason, stops first and called so:
    /// "UNABLE TO CONSENT (stop: no needling): has dementia; needle phobia: fainted before".
    public var findingsText: String {
        presentWithReasons.map { p, reason in
            (p.isStop ? p.displayName.uppercased() + " (stop: no needling)" : p.displayName) + (reason.isEmpty ? "" : ": " + reason)
        }.joined(separator: "; ")
    }

    /// Checks that every present precaution has a reasoned acknowledgment (at least 5 characters, at most
    /// 2000) and that `validUntil` is not before the screen.
    /// - Throws: `ValidationErrors` naming each field that breaks a rule.
    public func validate() throws(ValidationErrors) {
        var v = Validator()
        for p in present.sorted(by: { $0.rawValue < $1.rawValue }) {
            let reason = acknowledgments[p]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if reason.count < 5 {
                v.add("acknowledgments.\(p.rawValue)", reason,
                      "a present precaution (\(p.displayName)) needs a reasoned acknowledgment")
            }
            v.freeText("acknowledgments.\(p.rawValue)", acknowledgments[p], limit: 2000)
        }
        if validUntil < LocalDate(recordedAt) { v.add("validUntil", validUntil.description, "is before the screen was done") }
        try v.finish()
    }
}
