import Foundation
import ClinicModel
import PostgresNIO

/// Referrals on PostgreSQL. Reading and filing referrals is not built yet; what is here lets a
/// visit be recorded for a patient who has none (the common case at a first consultation).
extension PostgresTransaction {
    /// A patient's referrals with sessions used, newest first. Built only for a patient without
    /// referrals (an empty list); a patient with any is refused as not built, never shown
    /// without them.
    public func referralStatuses(patientID: Int64, withLetters: Bool) throws -> [ReferralStatus] {
        let count = try value("SELECT count(*) FROM referral WHERE patient_id = \(patientID)", as: Int64.self, table: "referral") ?? 0
        if count > 0 { throw PostgresStoreError.notBuilt("referrals and imported documents", "referralStatuses(patientID:withLetters:)") }
        return []
    }
}
