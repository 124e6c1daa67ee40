import Foundation
import GRDB
import Testing
@testable import ClinicStore
import ClinicModel

/// v5-referral-matching on a database an older Knot filled: the same letter filed twice, and a
/// visit linked to another patient's referral (which older versions accepted).
@Suite struct ReferralMigrationTests {
    @Test("older referrals keep their document id as identity (the first of a duplicate), and check names an old cross-patient link")
    func olderDatabase() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("clinic.sqlite")
        let q = try DatabaseQueue(path: path)
        var v1 = DatabaseMigrator()
        v1.registerMigration("v1-clinic") { db in try ClinicMigrations.v1ForTests(db) }
        try v1.migrate(q)
        try q.write { db in
            try db.execute(sql: """
                INSERT INTO practitioner (handle, name, profession, role, created_at) VALUES ('amy', 'Amy', 'physiotherapist', 'practitioner', '2026-01-01');
                INSERT INTO patient (record_number, given_names, family_name, date_of_birth, sex, created_at, updated_at)
                  VALUES ('K00001', 'Mary', 'Jones', '1950-03-04', 'female', '2026-01-01', '2026-01-01'),
                         ('K00002', 'Tom', 'Hart', '1970-01-01', 'male', '2026-01-01', '2026-01-01');
                INSERT INTO referral (patient_id, referrer_name, date, reason, format, document_id, created_at)
                  VALUES (1, 'Dr Lee', '2026-01-01', 'Calf', 'cda', '1.2.3^L-1', '2026-01-01'),
                         (1, 'Dr Lee', '2026-01-01', 'Calf', 'cda', '1.2.3^L-1', '2026-01-02'),
                         (1, 'Dr Lee', '2026-01-01', 'Calf', 'knot', NULL, '2026-01-03');
                INSERT INTO visit (patient_id, practitioner_id, referral_id, started_at, status)
                  VALUES (2, 1, 1, '2026-02-01 10:00:00.000', 'draft');
                """)
        }
        try q.close()

        let db = try ClinicDatabase(path: path)
        defer { try? db.close() }
        #expect(try db.appliedMigrations().contains("v5-referral-matching"))
        #expect(try db.read { try $0.referralID(letterKey: "cda-id:1.2.3^L-1") } == 1)
        #expect(try db.read { try $0.referral(id: 2)?.letterKey } == nil)
        #expect(try db.read { try $0.referral(id: 3)?.letterKey } == nil)
        #expect(try db.read { try $0.referralLinkDamage() } == ["visit 1 (patient K00002) is linked to referral 1 of another patient (K00001)"])
    }
}
