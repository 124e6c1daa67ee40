import Foundation
import GRDB
import ClinicModel

/// Damage a database can carry from outside Knot: visits linked to another patient's referral.
extension StoreTransaction {
    /// Visits linked to a referral of another patient (possible only where the v5 triggers were
    /// dropped or an older Knot wrote them), and the safety triggers that are missing.
    public func referralLinkDamage() throws -> [String] {
        var problems = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT v.id AS visit, r.id AS referral, vp.record_number AS visit_patient, rp.record_number AS referral_patient
            FROM visit v JOIN referral r ON r.id = v.referral_id
            JOIN patient vp ON vp.id = v.patient_id JOIN patient rp ON rp.id = r.patient_id
            WHERE r.patient_id <> v.patient_id ORDER BY v.id
            """)).map { plain -> String in
            let row = plain.checked("visit", key: "visit")
            let visit: Int64 = try row["visit"], referral: Int64 = try row["referral"]
            let own: String = try row["visit_patient"], other: String = try row["referral_patient"]
            return "visit \(visit) (patient \(own)) is linked to referral \(referral) of another patient (\(other))"
        }
        for name in ["visit_referral_same_patient_insert", "visit_referral_same_patient_update"] {
            if try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?"), arguments: [name]) == nil {
                problems.append("the safety trigger \(name) is missing (a visit could be linked to another patient's referral)")
            }
        }
        return problems
    }
}
