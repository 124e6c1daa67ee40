import Foundation

/// One referral filed from a version of a CDA letter (the letters share a setId): the referral's
/// id and the letter's version number, when it gave one.
public struct ReferralVersion: Sendable, Hashable, Codable {
    /// The referral's id.
    public var id: Int64
    /// The letter's `versionNumber`, nil when it had none.
    public var version: Int?

    /// A referral with the version of the letter it was filed from.
    public init(id: Int64, version: Int?) {
        self.id = id; self.version = version
    }
}
