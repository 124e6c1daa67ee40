import ClinicModel

/// One record read from a clinic export, in document order: practitioners, then patients, then
/// the audit trail.
public enum RecordsItem: Sendable, Hashable {
    case practitioner(Practitioner)
    case patient(PatientRecord)
    case audit(AuditEntry)
}
