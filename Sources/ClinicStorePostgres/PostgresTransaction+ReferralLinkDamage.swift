import Foundation
import ClinicModel
import PostgresNIO

/// Damage a database can carry from outside Knot: visits linked to another patient's referral
/// (Sources/ClinicStore/ReferralLinkDamage.swift). On PostgreSQL one trigger guards both insert
/// and update (`visit_referral_same_patient`, PGMigration+Rules.swift).
extension PostgresTransaction {
    /// Visits linked to a referral of another patient (possible only where the trigger was
    /// dropped or disabled), and the safety trigger when it is missing.
    public func referralLinkDamage() throws -> [String] {
        var problems = try query("""
            SELECT v.id, r.id, vp.record_number, rp.record_number
            FROM visit v JOIN referral r ON r.id = v.referral_id
            JOIN patient vp ON vp.id = v.patient_id JOIN patient rp ON rp.id = r.patient_id
            WHERE r.patient_id <> v.patient_id ORDER BY v.id
            """).map { row -> String in
            let (visit, referral, own, other) = try decode(row, (Int64, Int64, String, String).self, table: "visit")
            return "visit \(visit) (patient \(own)) is linked to referral \(referral) of another patient (\(other))"
        }
        // A disabled one is named by the store's integrity check, with every other disabled trigger.
        let name = "visit_referral_same_patient"
        if try value("""
            SELECT 1 FROM pg_trigger t WHERE t.tgrelid = 'visit'::regclass AND t.tgname = \(name) AND NOT t.tgisinternal
            """, as: Int32.self, table: "pg_trigger") == nil {
            problems.append("the safety trigger \(name) is missing (a visit could be linked to another patient's referral)")
        }
        return problems
    }
}
