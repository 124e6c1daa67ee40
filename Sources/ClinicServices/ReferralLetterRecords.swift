import Foundation
import ClinicModel
internal import ClinicStore

/// The reads behind "the same letter is the same letter" and letters held for a person to file.
///
/// Part of `ClinicRecordReader` (declared apart so that the letter-identity reads sit together).
public protocol ReferralLetterReader {
    /// The referral filed from a letter with this identity (`Referral.letterKey`), if any.
    func referralID(letterKey: String) throws -> Int64?
    /// The referrals filed from versions of one CDA letter (same setId), highest version first.
    func referralVersions(setID: String) throws -> [ReferralVersion]
    /// A held letter, resolved or not.
    func heldReferralLetter(id: Int64) throws -> HeldReferralLetter?
    /// Letters still waiting for a person to file them, oldest first.
    func openReferralConflicts() throws -> [HeldReferralLetter]
    /// Visits linked to another patient's referral, and missing safety triggers (for `knot check`).
    func referralLinkDamage() throws -> [String]
}

/// The writes for letters held for a person to file. Part of `ClinicRecords`.
public protocol ReferralLetterWriter {
    /// Holds a letter whose patient match is doubtful; returns its id (the same open letter keeps its id).
    func holdReferralLetter(_ letter: HeldReferralLetter, actor: String) throws -> Int64
    /// Marks a held letter filed as `referralID`.
    func markReferralConflictResolved(id: Int64, referralID: Int64, actor: String) throws
}
