import ClinicModel

/// One record read from a clinic export, in document order: practitioners, then patients, then
/// the audit trail.
public enum RecordsItem: Sendable, Hashable {
    /// A practitioner account.
    case practitioner(Practitioner)
    /// One patient's whole record.
    case patient(PatientRecord)
    /// One event of the audit trail.
    case audit(AuditEntry)
}
