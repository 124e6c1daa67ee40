import Foundation
import ClinicModel
internal import ClinicStore
import ClinicXML
import LibXML

/// A letter held because its patient match was doubtful, as `knot referral conflicts` lists it.
public struct ReferralConflict: Sendable, Codable, Hashable {
    /// The held letter's id (`knot referral resolve ID`).
    public var id: Int64
    /// The file name the letter arrived under.
    public var fileName: String
    /// The format the letter arrived in.
    public var format: String
    /// Why the match was doubtful, in words.
    public var reason: String
    /// When the letter arrived.
    public var receivedAt: Date?
    /// The patients on file it might be about.
    public var candidates: [ImportCandidate]
}

extension ClinicSession {
    /// Letters held for a person to file, oldest first, with the patients each might be about.
    /// Those who may read referrals only (`ClinicAction.readReferral`): it names patients.
    public func referralConflicts() throws -> [ReferralConflict] {
        try authorize(.readReferral)
        return try database.read { tx in
            try tx.openReferralConflicts().map { held in
                ReferralConflict(id: held.id ?? 0, fileName: held.fileName, format: held.format, reason: held.reason,
                                 receivedAt: held.receivedAt, candidates: try held.candidateIDs.compactMap { id in
                                     try tx.patient(id: id).map { ImportCandidate(recordNumber: $0.recordNumber, name: $0.displayName, dateOfBirth: $0.dateOfBirth) }
                                 })
            }
        }
    }

    /// Files a held letter as a person decided (`knot referral resolve ID --patient K00001` or
    /// `--new-patient`): read again from the bytes kept, written whole or not at all, audited
    /// with who decided. Throws when the letter is unknown or already filed. Those who may
    /// resolve referrals only (`ClinicAction.resolveReferral`).
    ///
    /// A patient who is not one of the letter's candidates, or whose name or birth date is not
    /// the letter's, is refused (`ChosenPatientDiffers`, nothing written) unless
    /// `confirmingDifferentPatient` (`--confirm-different-patient`).
    public func resolveReferralConflict(id: Int64, _ filing: ReferralFiling, confirmingDifferentPatient: Bool = false) throws -> ImportOutcome {
        try authorize(.resolveReferral)
        guard let held = try database.read({ try $0.heldReferralLetter(id: id) }) else {
            throw ServiceError.notFound("no held referral letter \(id) (knot referral conflicts lists them)")
        }
        if let filed = held.referralID {
            throw ServiceError.refused(action: "resolve conflict \(id)",
                                       reasons: ["it was filed already, as referral #\(filed), by \(held.resolvedBy ?? "someone")"])
        }
        if case .patient(let key) = filing, try database.read({ try $0.patient(key: key) }) == nil {
            throw ServiceError.notFound("no patient \(key)")
        }
        let options = ParseOptions(maxBytes: max(ParseOptions.defaultMaxBytes, held.letter.count), fileName: held.fileName)
        let incoming: IncomingReferral
        let format: String
        do {
            switch held.format {
            case "cda":
                incoming = try CDAReferralReader.read(held.letter, fileName: held.fileName, options: options)
                format = "cda"
            case "fhir":
                incoming = try FHIRReferralReader.read(held.letter, fileName: held.fileName, options: options)
                format = "fhir"
            default:
                incoming = try KnotReferralReader.read(held.letter, fileName: held.fileName, options: options)
                format = "knot-referral"
            }
        } catch {
            throw ServiceError.input("held letter \(id) (\(held.fileName)) can no longer be read: \(Self.describe(error))")
        }
        let outcome = try fileReferral(incoming, file: held.fileName, format: format, sha: held.sha256, dryRun: false,
                                       filing: filing, heldID: id, candidates: held.candidateIDs,
                                       confirmedDifferentPatient: confirmingDifferentPatient)
        if outcome.status == .skipped {
            throw ServiceError.refused(action: "resolve conflict \(id)", reasons: [outcome.detail])
        }
        return outcome
    }
}

/// A patient chosen by hand for a referral letter who may not be the letter's patient: not one
/// of the patients it might be about, or another name or date of birth. Nothing is filed until
/// the user confirms (`knot referral resolve --confirm-different-patient`, `y` in the inbox).
public struct ChosenPatientDiffers: Error, Sendable, CustomStringConvertible {
    /// The patient chosen.
    public var recordNumber: String
    /// What differs, one phrase each ("the letter's date of birth is 2000-01-01, K00001's is 1951-03-02").
    public var differences: [String]

    /// The refusal in words: who was chosen, what differs, and that nothing was filed.
    public var description: String {
        "\(recordNumber) may not be the letter's patient: \(differences.joined(separator: "; ")); nothing was filed"
    }
}

extension ClinicSession {
    /// What sets `chosen` apart from the letter's patient: not among `candidates`, another
    /// family name, given names (compared as names are matched: case and accents aside) or
    /// date of birth. Empty when none.
    static func differences(chosen: Patient, letter: Patient, candidates: [Int64], _ tx: any ClinicRecordReader) throws -> [String] {
        var out: [String] = []
        let number = chosen.recordNumber
        if let id = chosen.id, !candidates.contains(id) {
            let numbers = try candidates.compactMap { try tx.patient(id: $0)?.recordNumber }
            out.append("\(number) is not one of the patients the letter might be about"
                       + (numbers.isEmpty ? " (it named none on file)" : " (\(numbers.joined(separator: ", ")))"))
        }
        if !PersonNameKey.same(chosen.familyName, letter.familyName) || !PersonNameKey.same(chosen.givenNames, letter.givenNames) {
            out.append("the letter is about \(letter.displayName), \(number) is \(chosen.displayName)")
        }
        if letter.dateOfBirth == CDAReferralReader.unknownBirthDate {
            out.append("the letter gives no usable date of birth, \(number) was born \(chosen.dateOfBirth)")
        } else if chosen.dateOfBirth != letter.dateOfBirth {
            out.append("the letter's date of birth is \(letter.dateOfBirth), \(number)'s is \(chosen.dateOfBirth)")
        }
        return out
    }
}
