import ClinicModel
import ClinicServices

/// The patient form's database work: register or correct, through `ClinicSession` so the
/// same validation, duplicate checks and audit apply as on the command line.
extension EffectPerformer {
    func savePatient(_ patient: Patient, allowDuplicate: Bool = false) throws -> EffectResult {
        guard let id = patient.id else {
            do {
                return .patientSaved(try session.addPatient(patient, today: today, allowDuplicate: allowDuplicate), created: true)
            } catch let duplicates as PossibleDuplicatePatient {
                return .possibleDuplicates(duplicates.candidateLines)
            }
        }
        // Only the form's fields are copied onto the stored patient, so an alert or an
        // identifier added meanwhile (another terminal, an import) is kept.
        let saved = try session.editPatient(key: String(id), today: today) { stored in
            stored.familyName = patient.familyName
            stored.givenNames = patient.givenNames
            stored.preferredName = patient.preferredName
            stored.dateOfBirth = patient.dateOfBirth
            stored.sex = patient.sex
            stored.phone = patient.phone
            stored.email = patient.email
            stored.address = patient.address
            stored.generalPractitioner = patient.generalPractitioner
            stored.identifiers.removeAll { $0.system == .medicare }
            stored.identifiers += patient.identifiers.filter { $0.system == .medicare }
        }
        return .patientSaved(saved, created: false)
    }
}
