import Foundation
import PostgresNIO
import Testing
@testable import ClinicStorePostgres

/// `pg2-sqlite-parity` on a real server: the SQLite migrations that followed the port (origin,
/// FHIR referrals, treatment kinds, match keys, keyed seals, signed-visit guards) hold on
/// PostgreSQL too, for a new database and for one the first migrations left with rows in it.
@Suite("PostgreSQL schema: SQLite parity", .enabled(if: PostgresTestServer.isConfigured, PostgresTestServer.skipped))
struct PostgresSQLiteParityTests {
    /// The migrations before this one, as a Knot of the port left the database.
    static let ported = Array(PostgresMigrations.all.prefix { $0.name != "pg2-sqlite-parity" })

    struct Seeded {
        let practitioner: Int
        let patient: Int
        let visit: Int
    }

    /// A practitioner, a patient and a draft visit.
    private func seed(_ db: PostgresConnection, record: String) async throws -> Seeded {
        let practitioner = try await db.ints("""
            INSERT INTO practitioner (handle, name, profession, role, created_at)
            VALUES (\("jo-" + record), 'Jo Physio', 'physiotherapist', 'practitioner', '2026-01-01T00:00:00Z') RETURNING id
            """)[0]
        let patient = try await db.ints("""
            INSERT INTO patient (record_number, given_names, family_name, date_of_birth, sex, created_at, updated_at, sort_name)
            VALUES (\(record), 'Mary', 'Smith', '1980-03-14', 'female', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'smith mary')
            RETURNING id
            """)[0]
        let visit = try await db.ints("""
            INSERT INTO visit (patient_id, practitioner_id, started_at, status)
            VALUES (\(patient), \(practitioner), '2026-01-02T09:00:00Z', 'draft') RETURNING id
            """)[0]
        return Seeded(practitioner: practitioner, patient: patient, visit: visit)
    }

    @Test func theMigrationComesAfterThePortAndAppliesOnce() async throws {
        let names = PostgresMigrations.all.map(\.name)
        #expect(Array(names.drop { $0 != "pg1-patient-search" }.prefix(2)) == ["pg1-patient-search", "pg2-sqlite-parity"])
        try await PostgresTestServer.withFreshDatabase { db in
            let first = try await PostgresMigrations.migrate(db, migrations: Self.ported)
            #expect(first == Self.ported.map(\.name))
            let second = try await PostgresMigrations.migrate(db)
            #expect(second == Array(names.dropFirst(Self.ported.count)))
            let third = try await PostgresMigrations.migrate(db)
            #expect(third.isEmpty)
        }
    }

    /// SQLite's v5-treatment-kind leaves rows already stored alone; so does PostgreSQL, and
    /// refuses any other kind from then on.
    @Test func aTreatmentKindIsCheckedFromTheUpgradeOnAndOlderRowsStay() async throws {
        try await PostgresTestServer.withFreshDatabase { db in
            try await PostgresMigrations.migrate(db, migrations: Self.ported)
            let clinic = try await seed(db, record: "R1")
            let old = try await db.ints("INSERT INTO treatment (visit_id, kind) VALUES (\(clinic.visit), 'cupping') RETURNING id")[0]
            try await PostgresMigrations.migrate(db)
            #expect(try await db.strings("SELECT kind FROM treatment WHERE id = \(old)") == ["cupping"], "the upgrade kept the row")
            let refusal = await db.expectRefused("INSERT INTO treatment (visit_id, kind) VALUES (\(clinic.visit), 'cupping')", sqlState: "23514")
            #expect(refusal?.constraint == "treatment_kind_check")
            let exercise = try await db.ints("INSERT INTO treatment (visit_id, kind) VALUES (\(clinic.visit), 'exercise') RETURNING id")[0]
            await db.expectRefused("UPDATE treatment SET kind = 'Exercise' WHERE id = \(exercise)", sqlState: "23514")
            #expect(try await db.strings("SELECT kind FROM treatment ORDER BY id") == ["cupping", "exercise"])
        }
    }

    @Test func aReferralOrAHeldLetterMayBeFHIRAndNothingElseNew() async throws {
        try await PostgresTestServer.withFreshDatabase { db in
            try await PostgresMigrations.migrate(db)
            let clinic = try await seed(db, record: "R1")
            func referral(_ format: String) -> PostgresQuery {
                """
                INSERT INTO referral (patient_id, referrer_name, date, reason, format, created_at)
                VALUES (\(clinic.patient), 'Dr Whitford', '2026-01-01', 'Neck pain', \(format), '2026-01-01T00:00:00Z')
                """
            }
            func held(_ format: String) -> PostgresQuery {
                """
                INSERT INTO referral_conflict (file_name, format, letter, sha256, reason, received_at)
                VALUES ('letter.xml', \(format), '\\x3c3e'::bytea, \(format + "-sha"), 'two patients match', '2026-01-01T00:00:00Z')
                """
            }
            for format in ["knot", "cda", "fhir", "manual"] { try await db.run(referral(format)) }
            var refusal = await db.expectRefused(referral("hl7v2"), sqlState: "23514")
            #expect(refusal?.constraint == "referral_format_check")
            for format in ["knot", "cda", "fhir"] { try await db.run(held(format)) }
            refusal = await db.expectRefused(held("manual"), sqlState: "23514")
            #expect(refusal?.constraint == "referral_conflict_format_check")
            #expect(try await db.strings("SELECT format FROM referral ORDER BY id") == ["knot", "cda", "fhir", "manual"])
        }
    }

    @Test func untrustedImportsAndOperatingSystemLoginsKeepTheirRules() async throws {
        try await PostgresTestServer.withFreshDatabase { db in
            try await PostgresMigrations.migrate(db)
            let clinic = try await seed(db, record: "R1")
            func imported(_ entity: String, _ id: Int, file: String = "/tmp/other-clinic.xml") -> PostgresQuery {
                """
                INSERT INTO untrusted_import (entity, entity_id, imported_at, file, reason)
                VALUES (\(entity), \(id), '2026-01-01T00:00:00Z', \(file), 'signature from an unknown clinic')
                """
            }
            try await db.run(imported("patient", clinic.patient))
            try await db.run(imported("visit", clinic.visit))
            await db.expectRefused(imported("patient", clinic.patient), sqlState: "23505")
            await db.expectRefused(imported("practitioner", clinic.practitioner), sqlState: "23514")
            await db.expectRefused(imported("visit", 99, file: ""), sqlState: "23514")

            try await db.run("INSERT INTO account_os_user (practitioner_id, os_user) VALUES (\(clinic.practitioner), 'mchen')")
            await db.expectRefused("INSERT INTO account_os_user (practitioner_id, os_user) VALUES (\(clinic.practitioner), 'other')",
                                   sqlState: "23505")
            await db.expectRefused("INSERT INTO account_os_user (practitioner_id, os_user) VALUES (9999, 'ghost')", sqlState: "23503")
            // An account with no clinical rows is still kept while a login names it.
            let lone = try await db.ints("""
                INSERT INTO practitioner (handle, name, profession, role, created_at)
                VALUES ('reception', 'Front Desk', 'other', 'reception', '2026-01-01T00:00:00Z') RETURNING id
                """)[0]
            await db.expectRefused("INSERT INTO account_os_user (practitioner_id, os_user) VALUES (\(lone), '')", sqlState: "23514")
            try await db.run("INSERT INTO account_os_user (practitioner_id, os_user) VALUES (\(lone), 'desk')")
            let refusal = await db.expectRefused("DELETE FROM practitioner WHERE id = \(lone)", sqlState: "23503", saying: "foreign key")
            #expect(refusal?.constraint == "account_os_user_practitioner_id_fkey")
        }
    }

    @Test func keyedSealsFindingsAndTheAuditCheckpointHaveTheirTables() async throws {
        try await PostgresTestServer.withFreshDatabase { db in
            try await PostgresMigrations.migrate(db)
            try await db.run("""
                INSERT INTO row_key_seal (tbl, row_key, columns, mac) VALUES ('clinic_setting', '["emergency_number"]', 'name:ab,value:cd', 'mac')
                """)
            await db.expectRefused("""
                INSERT INTO row_key_seal (tbl, row_key, columns, mac) VALUES ('clinic_setting', '["emergency_number"]', 'x', 'y')
                """, sqlState: "23505")
            let finding = try await db.ints("""
                INSERT INTO tamper_finding (found_at, tbl, kind) VALUES ('2026-01-01T00:00:00Z', 'patient', 'changed') RETURNING row_id
                """)
            #expect(finding == [0], "row_id defaults to 0, as in SQLite")
            #expect(try await db.strings("SELECT columns FROM tamper_finding") == [""])
            try await db.run("INSERT INTO audit_checkpoint (singleton, event_id, hash, digest, mac) VALUES (1, 10, 'h', 'd', 'm')")
            await db.expectRefused("INSERT INTO audit_checkpoint (singleton, event_id, hash, digest, mac) VALUES (2, 11, 'h', 'd', 'm')",
                                   sqlState: "23514")
        }
    }

    @Test func lettersAreMatchedByBirthDateAndNameOnOneIndex() async throws {
        try await PostgresTestServer.withFreshDatabase { db in
            try await PostgresMigrations.migrate(db)
            let indexes = try await db.strings("SELECT indexdef::text FROM pg_indexes WHERE tablename = 'patient' AND indexname = 'patient_birth_sort'")
            #expect(indexes.count == 1 && indexes[0].contains("(date_of_birth, sort_name)"), "\(indexes)")
            #expect(try await db.ints("SELECT count(*) FROM pg_indexes WHERE indexname = 'patient_date_of_birth'") == [0], "the index it replaces is gone")
        }
    }

    /// The two holes SQLite's v5-signed-visit-guards closed are closed here too.
    @Test func aSignedVisitTakesNoEntryFromADraftAndAMergeChangesOnlyItsPatient() async throws {
        try await PostgresTestServer.withFreshDatabase { db in
            try await PostgresMigrations.migrate(db)
            let keep = try await seed(db, record: "R1")
            let other = try await seed(db, record: "R2")
            try await db.run("""
                UPDATE visit SET impression = 'Right upper trapezius myofascial pain', impression_code = '24026003',
                  impression_code_system = 'snomed-ct', status = 'signed', signed_at = '2026-01-02T10:00:00Z' WHERE id = \(other.visit)
                """)
            let message = "a signed visit cannot be changed; amend it instead"
            let entries: [String: Int] = [
                "trigger_point": try await db.ints("""
                    INSERT INTO trigger_point (visit_id, muscle_id, side, activity, taut_band, local_twitch, referred_pain)
                    VALUES (\(keep.visit), 'soleus', 'left', 'active', 1, 0, 0) RETURNING id
                    """)[0],
                "biomechanical_finding": try await db.ints("""
                    INSERT INTO biomechanical_finding (visit_id, kind, side, measure_json) VALUES (\(keep.visit), 'lunge', 'left', '{}') RETURNING id
                    """)[0],
                "treatment": try await db.ints("INSERT INTO treatment (visit_id, kind) VALUES (\(keep.visit), 'exercise') RETURNING id")[0],
                "needling_entry": try await db.ints("""
                    INSERT INTO needling_entry (visit_id, muscle_id, side, needle_brand, needle_gauge_mm, needle_length_mm, needle_lot,
                                                inserted, removed, technique, twitch_responses, sharps_disposed)
                    VALUES (\(keep.visit), 'infraspinatus', 'left', 'Seirin', 0.25, 40, 'L1', 3, 1, 'static', 0, 1) RETURNING id
                    """)[0],
                "outcome_measure": try await db.ints("""
                    INSERT INTO outcome_measure (visit_id, scale, items_json, score) VALUES (\(keep.visit), 'ndi', '[1,2]', 10) RETURNING id
                    """)[0],
            ]
            for (table, id) in entries.sorted(by: { $0.key < $1.key }) {
                await db.expectRefused(PostgresQuery(unsafeSQL: "UPDATE \(table) SET visit_id = \(other.visit) WHERE id = \(id)"),
                                       sqlState: "23000", saying: message)
            }
            #expect(try await db.ints("SELECT count(*) FROM needling_entry WHERE visit_id = \(other.visit)") == [0])

            try await db.run("UPDATE patient SET merged_into = \(keep.patient), archived = 1 WHERE id = \(other.patient)")
            for change in ["impression = 'Changed in the merge'", "impression_code = '123456'", "impression_code_system = 'icd-11'"] {
                await db.expectRefused(PostgresQuery(unsafeSQL: "UPDATE visit SET patient_id = \(keep.patient), \(change) WHERE id = \(other.visit)"),
                                       sqlState: "23000", saying: message)
            }
            try await db.run("UPDATE visit SET patient_id = \(keep.patient) WHERE id = \(other.visit)")
            #expect(try await db.strings("SELECT impression || ' ' || impression_code || ' ' || impression_code_system FROM visit WHERE id = \(other.visit)")
                    == ["Right upper trapezius myofascial pain 24026003 snomed-ct"])
        }
    }
}
