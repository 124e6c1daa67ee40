import ClinicModel
import LibXML

/// The model's rules run on a patient read from a referral letter, for every letter format:
/// a bad phone, email, address, preferred name, general practitioner or identifier is dropped
/// with a warning (the original letter keeps it); a bad name or birth date refuses the letter.
enum IncomingPatientCheck {
    /// - Parameter element: where in the letter a refusal points, for the field that failed.
    static func check(_ patient: inout Patient, file: String?, warnings: inout [String],
                      refusals: inout [ClinicXMLError], element: (_ field: String) -> XMLElement) {
        checkPlaced(&patient, file: file, warnings: &warnings, refusals: &refusals) { field in
            let at = element(field)
            return (at.line, at.path)
        }
    }

    /// As above, for a reader that reads the letter in place (`XMLElementCursor`).
    static func check(_ patient: inout Patient, file: String?, warnings: inout [String],
                      refusals: inout [ClinicXMLError], element: (_ field: String) -> XMLElementCursor) {
        checkPlaced(&patient, file: file, warnings: &warnings, refusals: &refusals) { field in
            let at = element(field)
            return (at.line, at.path)
        }
    }

    /// `place`: the line and path a refusal for that field points to.
    private static func checkPlaced(_ patient: inout Patient, file: String?, warnings: inout [String],
                                    refusals: inout [ClinicXMLError], place: (_ field: String) -> (line: Int, path: String)) {
        var probe = patient
        probe.recordNumber = "pending"
        do {
            try probe.validate()
        } catch {
            var dropped: Set<Int> = []
            for violation in error.errors {
                let field = violation.field
                switch field {
                case "phone": patient.phone = nil
                case "email": patient.email = nil
                case "address": patient.address = nil
                case "preferredName": patient.preferredName = nil
                case "generalPractitioner": patient.generalPractitioner = nil
                case "dateOfBirth" where patient.dateOfBirth == CDAPatientReader.unknownBirthDate:
                    continue
                default:
                    if field.hasPrefix("identifiers["), let index = Int(field.dropFirst("identifiers[".count).prefix { $0.isNumber }) {
                        dropped.insert(index)
                    } else {
                        let at = place(field)
                        refusals.append(ClinicXMLError(kind: .clinicalValue, file: file, line: at.line, path: at.path,
                                                       message: "patient \(violation.description)"))
                        continue
                    }
                }
                warnings.append("The patient's \(violation.description); left out (it stays in the original letter)")
            }
            patient.identifiers = patient.identifiers.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
        }
    }
}
