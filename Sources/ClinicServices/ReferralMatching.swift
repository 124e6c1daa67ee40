import Foundation
import ClinicModel
internal import ClinicStore

/// How a letter's patient relates to the patients on file.
enum PatientMatch {
    case existing(Int64, how: String)
    case new
    /// Doubtful: a person must decide, choosing among `candidates` (patient ids) or a new patient.
    case conflict(String, candidates: [Int64])

    /// The patients on file it names: the one matched, or a conflict's candidates.
    var candidateIDs: [Int64] {
        switch self {
        case .existing(let id, _): [id]
        case .new: []
        case .conflict(_, let candidates): candidates
        }
    }
}

/// Identifier systems whose values name one person each: a different value in the same system
/// means a different person (or an error someone must look at), whatever the name and birth date.
/// A bare root kept as a URI (`urn:ietf:rfc:3986`) names no issuer, so it is left out.
enum IdentifierComparison {
    static func comparable(_ system: PatientIdentifier.System) -> Bool {
        system.rawValue != "urn:ietf:rfc:3986"
    }

    static func normalised(_ value: String) -> String {
        value.filter { !$0.isWhitespace }.uppercased()
    }

    /// The first identifier system in which the letter and the patient on file both have a
    /// value and none of the letter's values is on file, in words (no identifier values: they
    /// are patient data).
    ///
    /// A letter's IHI or Medicare number that failed its check digit (kept under
    /// `PatientIdentifier.System.uncheckedIHI` or `.uncheckedMedicare`) is never looked up, but it
    /// is still compared with the number on file of the system it was meant for: a letter whose
    /// name and birth date match a patient must not be filed to them when its (mistyped) IHI is
    /// not theirs. A person decides.
    static func clash(letter: [PatientIdentifier], onFile: Patient) -> String? {
        for system in letter.map(\.system) where comparable(system) {
            let theirs = Set(letter.filter { $0.system == system }.map { normalised($0.value) })
            let meantFor = system.meantFor
            let ours = Set(onFile.identifiers.filter { $0.system == system || $0.system == meantFor }.map { normalised($0.value) })
            if !ours.isEmpty && ours.isDisjoint(with: theirs) {
                if let meantFor {
                    // Kept under the issuer's OID: its check digit failed, or (an IHI) its shape did.
                    return "the letter's \(label(meantFor)) is not a valid one (its check digit or length) and differs from the \(label(meantFor)) on file for \(onFile.recordNumber)"
                }
                return "the letter's \(label(system)) differs from the \(label(system)) on file for \(onFile.recordNumber)"
            }
        }
        return nil
    }

    static func label(_ system: PatientIdentifier.System) -> String {
        switch system {
        case .ihi: "IHI"
        case .medicare: "Medicare number"
        case .dva: "DVA number"
        case .clinic: "clinic identifier"
        case .other(let issuer): "identifier issued by \(issuer)"
        }
    }
}

extension ClinicSession {
    /// Matches a letter's patient: by identifier, then by name and birth date, names folded by
    /// `PersonNameKey` everywhere. A different identifier of the same system, names that match
    /// only in part, or several candidates make it a conflict for a person to settle.
    func matchPatient(_ p: Patient, _ tx: any ClinicRecordReader) throws -> PatientMatch {
        var byID = Set<Int64>()
        for ident in p.identifiers { if let id = try tx.patientID(identifier: ident) { byID.insert(id) } }
        if byID.count > 1 {
            return .conflict("the letter's identifiers belong to \(byID.count) different patients", candidates: byID.sorted())
        }
        if let id = byID.first {
            guard let onFile = try tx.patient(id: id) else { return .new }
            let sameDOB = onFile.dateOfBirth == p.dateOfBirth
            let sameFamily = PersonNameKey.same(onFile.familyName, p.familyName)
            if !sameDOB || !sameFamily {
                return .conflict("an identifier matches patient \(onFile.recordNumber) but the \(sameDOB ? "family name" : "date of birth") differs",
                                 candidates: [id])
            }
            if let clash = IdentifierComparison.clash(letter: p.identifiers, onFile: onFile) {
                return .conflict(clash, candidates: [id])
            }
            return .existing(id, how: "by identifier")
        }
        let exact = try tx.patientIDs(familyName: p.familyName, givenNames: p.givenNames, dateOfBirth: p.dateOfBirth)
        if exact.count > 1 { return .conflict("\(exact.count) patients share this name and date of birth", candidates: exact) }
        if let id = exact.first, let onFile = try tx.patient(id: id) {
            if let clash = IdentifierComparison.clash(letter: p.identifiers, onFile: onFile) {
                return .conflict("same name and date of birth as \(onFile.recordNumber), but \(clash)", candidates: [id])
            }
            return .existing(id, how: "by name and date of birth")
        }
        let doubtful = try tx.patientIDs(familyName: p.familyName, dateOfBirth: p.dateOfBirth)
        if !doubtful.isEmpty {
            let numbers = try doubtful.compactMap { try tx.patient(id: $0)?.recordNumber }
            return .conflict("a patient with the same family name and date of birth but other given names is on file (\(numbers.joined(separator: ", ")))",
                             candidates: doubtful)
        }
        return .new
    }
}
