import ClinicModel

/// A visit as the visit editor redraws it after every change: the visit with its findings and
/// needling, the draft's revision, and what decides whether needling may start (the patient's
/// consents and precaution screens, and the precautions confirmed on the chart).
///
/// Read in one transaction, so the needle count and the revision agree with each other.
public struct DraftSnapshot: Sendable, Hashable {
    /// The draft visit with its entries.
    public var visit: Visit
    /// The draft's revision in the store (findings and needling bump it too).
    public var revision: Int
    /// The patient's consents.
    public var consents: [Consent]
    /// The patient's precaution screens.
    public var screens: [PrecautionScreen]
    /// Precautions confirmed on the patient's chart (empty when the patient is not found).
    public var confirmedPrecautions: [Precaution]
    /// The patient's alerts, proposed ones included (a proposed precaution is an open question).
    public var alerts: [PatientAlert] = []
    /// The patient's date of birth (a minor consents with a guardian), nil when not found.
    public var dateOfBirth: LocalDate?
}

extension ClinicSession {
    /// The visit, its revision and the patient's consent and screen records, for the editor.
    /// Not audited as a view (the editor opened the chart already).
    public func draftSnapshot(visitID id: Int64) throws -> DraftSnapshot {
        try authorize(.readClinicalNotes)
        return try database.read { tx in
            guard let visit = try tx.visit(id: id) else { throw ServiceError.notFound("no visit \(id)") }
            let patient = try tx.patient(id: visit.patientID)
            return DraftSnapshot(visit: visit, revision: try tx.visitRevision(id: id),
                                 consents: try tx.consents(patientID: visit.patientID),
                                 screens: try tx.screens(patientID: visit.patientID),
                                 confirmedPrecautions: patient?.confirmedPrecautions ?? [],
                                 alerts: patient?.alerts ?? [], dateOfBirth: patient?.dateOfBirth)
        }
    }
}
