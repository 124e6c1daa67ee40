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
    public func referralConflicts() throws -> [ReferralConflict] {
        try database.read { tx in
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
    /// with who decided. Throws when the letter is unknown or already filed.
    public func resolveReferralConflict(id: Int64, _ filing: ReferralFiling) throws -> ImportOutcome {
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
                                       filing: filing, heldID: id)
        if outcome.status == .skipped {
            throw ServiceError.refused(action: "resolve conflict \(id)", reasons: [outcome.detail])
        }
        return outcome
    }
}
