import Foundation

/// Everything Knot holds for one patient, as one value: the unit of export and import.
public struct PatientRecord: Sendable, Hashable, Codable {
    /// The patient's demographics and alerts.
    public var patient: Patient
    /// The referrals received for the patient.
    public var referrals: [Referral]
    /// Consents to dry needling.
    public var consents: [Consent]
    /// Precaution screens.
    public var screens: [PrecautionScreen]
    /// Visits with their findings, treatments and needling entries, oldest first.
    public var visits: [Visit]
    /// Amendments to signed visits, oldest first.
    public var amendments: [Amendment]
    /// Follow-up plans, every version.
    public var plans: [FollowUpPlan]
    /// The record number of the patient this record was merged into (`knot patient merge`);
    /// such a record is archived and holds nothing of its own.
    public var mergedInto: String?

    /// A patient's whole record; every list may be empty.
    public init(patient: Patient, referrals: [Referral] = [], consents: [Consent] = [],
                screens: [PrecautionScreen] = [], visits: [Visit] = [], amendments: [Amendment] = [],
                plans: [FollowUpPlan] = []) {
        self.patient = patient; self.referrals = referrals; self.consents = consents
        self.screens = screens; self.visits = visits; self.amendments = amendments; self.plans = plans
    }
}

/// A referral letter read from a file, before it is matched to a patient: the patient as the
/// letter describes them, the referral, and alerts it proposes (e.g. an anticoagulant).
public struct IncomingReferral: Sendable, Hashable, Codable {
    /// The patient as the letter describes them, before matching.
    public var patient: Patient
    /// `patientID` is 0 until the letter is matched or a patient is created.
    public var referral: Referral
    /// Alerts the letter proposes (`proposed`), for a practitioner to confirm or dismiss.
    public var proposedAlerts: [PatientAlert]
    /// What the reader left out or could not read, in words (no patient data).
    public var warnings: [String]

    /// A letter as read, before it is matched to a patient.
    public init(patient: Patient, referral: Referral, proposedAlerts: [PatientAlert] = [], warnings: [String] = []) {
        self.patient = patient; self.referral = referral; self.proposedAlerts = proposedAlerts; self.warnings = warnings
    }
}
