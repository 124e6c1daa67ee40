import Foundation
import PostgresNIO
import Testing
@testable import ClinicStorePostgres

/// The PostgreSQL schema on a real server: the migrations apply and stay applied, and the
/// server itself refuses what the clinic's rules forbid, whatever client writes to it.
@Suite("PostgreSQL schema", .enabled(if: PostgresTestServer.isConfigured, PostgresTestServer.skipped))
struct PostgresSchemaTests {
    /// A practitioner, a patient and a draft visit with one needling entry (3 in, 3 out).
    struct Clinic {
        let practitioner: Int
        let patient: Int
        let visit: Int
        let entry: Int
    }

    private func seed(_ db: PostgresConnection, record: String = "R1", family: String = "Smith") async throws -> Clinic {
        let practitioner = try await db.ints("""
            INSERT INTO practitioner (handle, name, profession, role, created_at)
            VALUES (\("jo-" + record), 'Jo Physio', 'physiotherapist', 'practitioner', '2026-01-01T00:00:00Z') RETURNING id
            """)[0]
        let patient = try await db.ints("""
            INSERT INTO patient (record_number, given_names, family_name, date_of_birth, sex, phone, created_at, updated_at, sort_name)
            VALUES (\(record), 'Mary', \(family), '1980-03-14', 'female', '(04) 1234-5678', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z',
                    \(family.lowercased() + " mary")) RETURNING id
            """)[0]
        let visit = try await db.ints("""
            INSERT INTO visit (patient_id, practitioner_id, started_at, status)
            VALUES (\(patient), \(practitioner), '2026-01-02T09:00:00Z', 'draft') RETURNING id
            """)[0]
        let entry = try await db.ints("""
            INSERT INTO needling_entry (visit_id, muscle_id, side, needle_brand, needle_gauge_mm, needle_length_mm, needle_lot,
                                        inserted, removed, technique, twitch_responses, sharps_disposed)
            VALUES (\(visit), 'upper-trapezius', 'left', 'Seirin', 0.25, 30, 'LOT1', 3, 3, 'static', 2, 1) RETURNING id
            """)[0]
        return Clinic(practitioner: practitioner, patient: patient, visit: visit, entry: entry)
    }

    private func sign(_ db: PostgresConnection, _ visit: Int) async throws {
        try await db.run("UPDATE visit SET status = 'signed', signed_at = '2026-01-02T10:00:00Z' WHERE id = \(visit)")
    }

    @Test func migrationsApplyOnAnEmptyDatabaseAndAreIdempotent() async throws {
        try await PostgresTestServer.withFreshDatabase { db in
            let first = try await PostgresMigrations.migrate(db)
            #expect(first == PostgresMigrations.all.map(\.name))
            #expect(try await PostgresMigrations.applied(db) == first)
            let second = try await PostgresMigrations.migrate(db)
            #expect(second.isEmpty, "a second run applies nothing")
            let tables = try await db.strings("""
                SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1
                """)
            for table in ["amendment", "audit_event", "audit_head", "audit_mac", "biomechanical_finding", "clinic_identity",
                          "clinic_setting", "consent", "follow_up_plan", "form_draft", "imported_document", "knot_schema_migration",
                          "letter_template", "needling_entry", "outcome_measure", "patient", "patient_alert", "patient_identifier",
                          "practitioner", "precaution_screen", "referral", "referral_attachment", "referral_conflict", "row_seal",
                          "treatment", "trigger_point", "visit"] {
                #expect(tables.contains(table), "table \(table)")
            }
            let clinicID = try await db.strings("SELECT clinic_id FROM clinic_identity")
            #expect(clinicID.count == 1 && clinicID[0].count == 32 && clinicID[0].allSatisfy(\.isHexDigit))
        }
    }

    @Test func twoKnotsMigratingAtOnceApplyEachStepOnce() async throws {
        try await PostgresTestServer.withFreshDatabase { db in
            let name = try await db.strings("SELECT current_database()::text")[0]
            let other = try await PostgresTestServer.second(like: name)
            async let a = PostgresMigrations.migrate(db)
            async let b = PostgresMigrations.migrate(other)
            let (ranA, ranB) = try await (a, b)
            try await other.close()
            #expect((ranA + ranB).sorted() == PostgresMigrations.all.map(\.name).sorted())
            #expect(try await PostgresMigrations.applied(db).count == PostgresMigrations.all.count)
        }
    }

    @Test func aDatabaseFromANewerKnotIsRefused() async throws {
        try await PostgresTestServer.withFreshDatabase { db in
            try await PostgresMigrations.migrate(db)
            try await db.run("INSERT INTO knot_schema_migration (name) VALUES ('pg9-from-the-future')")
            await #expect(throws: PostgresMigrationError.newerDatabase(migration: "pg9-from-the-future")) {
                try await PostgresMigrations.migrate(db)
            }
        }
    }

    @Test func aMissingExtensionIsNamedAndNothingIsHalfApplied() async throws {
        try await PostgresTestServer.withFreshDatabase { (db: PostgresConnection) async throws(any Error) in
            let needy = PGMigration(name: "pg-test-needs-extension", requiredExtensions: ["knot_no_such_extension"],
                                    statements: ["CREATE TABLE should_not_exist (id integer)"])
            do throws(PostgresMigrationError) {
                try await PostgresMigrations.migrate(db, migrations: PostgresMigrations.all + [needy])
                Issue.record("migrated without the extension")
            } catch {
                #expect(error == .extensionMissing(name: "knot_no_such_extension", migration: "pg-test-needs-extension"))
                #expect(error.description.contains("knot_no_such_extension"))
            }
            #expect(try await db.ints("SELECT count(*) FROM pg_tables WHERE tablename = 'should_not_exist'") == [0])
            let broken = PGMigration(name: "pg-test-broken", statements: ["CREATE TABLE half (id integer)", "SELECT no_such_function()"])
            do throws(PostgresMigrationError) {
                try await PostgresMigrations.migrate(db, migrations: PostgresMigrations.all + [broken])
                Issue.record("a failing migration was recorded")
            } catch {
                guard case let .failed(migration, statement, _) = error else { Issue.record("\(error)"); return }
                #expect(migration == "pg-test-broken" && statement == 2)
            }
            #expect(try await db.ints("SELECT count(*) FROM pg_tables WHERE tablename = 'half'") == [0], "rolled back whole")
            #expect(!(try await PostgresMigrations.applied(db)).contains("pg-test-broken"))
        }
    }

    @Test func aSignedVisitAndItsEntriesCannotBeChanged() async throws {
        try await PostgresTestServer.withFreshDatabase { db in
            try await PostgresMigrations.migrate(db)
            let clinic = try await seed(db)
            try await db.run("INSERT INTO form_draft (slot, actor, kind, state, saved_at) VALUES (\("visit:\(clinic.visit)"), 'jo', 'needling', '{}', 't')")
            try await sign(db, clinic.visit)
            #expect(try await db.ints("SELECT count(*) FROM form_draft") == [0], "a signed visit's drafts go")
            let message = "a signed visit cannot be changed; amend it instead"
            await db.expectRefused("UPDATE visit SET notes = 'changed later' WHERE id = \(clinic.visit)", sqlState: "23000", saying: message)
            await db.expectRefused("UPDATE visit SET status = 'draft', signed_at = NULL WHERE id = \(clinic.visit)", sqlState: "23000", saying: message)
            await db.expectRefused("UPDATE needling_entry SET removed = 2 WHERE id = \(clinic.entry)", sqlState: "23000", saying: message)
            await db.expectRefused("DELETE FROM needling_entry WHERE id = \(clinic.entry)", sqlState: "23000", saying: message)
            await db.expectRefused("""
                INSERT INTO outcome_measure (visit_id, scale, items_json, score) VALUES (\(clinic.visit), 'ndi', '[1,2]', 10)
                """, sqlState: "23000", saying: message)
            await db.expectRefused("""
                INSERT INTO trigger_point (visit_id, muscle_id, side, activity, taut_band, local_twitch, referred_pain)
                VALUES (\(clinic.visit), 'upper-trapezius', 'left', 'active', 1, 1, 1)
                """, sqlState: "23000", saying: message)
            #expect(try await db.strings("SELECT coalesce(notes, '') FROM visit WHERE id = \(clinic.visit)") == [""])
        }
    }

    @Test func aMergeMovesASignedVisitToTheKeptRecordAndNothingElse() async throws {
        try await PostgresTestServer.withFreshDatabase { db in
            try await PostgresMigrations.migrate(db)
            let keep = try await seed(db, record: "R1")
            let other = try await seed(db, record: "R2")
            try await sign(db, other.visit)
            await db.expectRefused("UPDATE visit SET patient_id = \(keep.patient) WHERE id = \(other.visit)", sqlState: "23000",
                                   saying: "a signed visit cannot be changed")
            try await db.run("UPDATE patient SET merged_into = \(keep.patient), archived = 1 WHERE id = \(other.patient)")
            await db.expectRefused("UPDATE visit SET patient_id = \(keep.patient), notes = 'sneaked' WHERE id = \(other.visit)",
                                   sqlState: "23000", saying: "a signed visit cannot be changed")
            try await db.run("UPDATE visit SET patient_id = \(keep.patient) WHERE id = \(other.visit)")
            #expect(try await db.ints("SELECT patient_id FROM visit WHERE id = \(other.visit)") == [keep.patient])
            await db.expectRefused("UPDATE patient SET merged_into = NULL WHERE id = \(other.patient)", sqlState: "23000",
                                   saying: "a merged patient record stays merged")
            await db.expectRefused("UPDATE patient SET archived = 0 WHERE id = \(other.patient)", sqlState: "23514")
        }
    }

    @Test func aVisitWithNeedlesUnaccountedForCannotBeSigned() async throws {
        try await PostgresTestServer.withFreshDatabase { db in
            try await PostgresMigrations.migrate(db)
            let clinic = try await seed(db)
            let missing = try await db.ints("""
                INSERT INTO needling_entry (visit_id, muscle_id, side, needle_brand, needle_gauge_mm, needle_length_mm, needle_lot,
                                            inserted, removed, technique, twitch_responses, sharps_disposed)
                VALUES (\(clinic.visit), 'gluteus-medius', 'right', 'Seirin', 0.30, 50, 'LOT2', 4, 3, 'static', 0, 1) RETURNING id
                """)[0]
            await db.expectRefused("UPDATE visit SET status = 'signed', signed_at = 'now' WHERE id = \(clinic.visit)",
                                   sqlState: "23000", saying: "needle count does not balance")
            #expect(try await db.strings("SELECT status FROM visit WHERE id = \(clinic.visit)") == ["draft"])
            // Struck out (entered in error), the entry no longer counts, and the visit signs.
            try await db.run("""
                UPDATE needling_entry SET struck_at = 't', struck_by = 'jo', strike_reason = 'wrong patient' WHERE id = \(missing)
                """)
            await db.expectRefused("UPDATE needling_entry SET removed = 4 WHERE id = \(missing)", sqlState: "23000",
                                   saying: "a struck-out entry cannot be changed")
            try await sign(db, clinic.visit)
            #expect(try await db.strings("SELECT status FROM visit WHERE id = \(clinic.visit)") == ["signed"])
        }
    }

    /// Two terminals at once: one adds a needle to a draft visit, the other signs it. The
    /// signing waits for the entry's transaction (the entry holds its visit FOR SHARE) and then
    /// sees the needle: the visit never ends signed with a needle unaccounted for.
    @Test func aNeedleAddedWhileAnotherSessionSignsIsCounted() async throws {
        try await PostgresTestServer.withFreshDatabase { db in
            try await PostgresMigrations.migrate(db)
            let clinic = try await seed(db)
            let name = try await db.strings("SELECT current_database()::text")[0]
            let signer = try await PostgresTestServer.second(like: name)
            try await db.run("BEGIN")
            try await db.run("""
                INSERT INTO needling_entry (visit_id, muscle_id, side, needle_brand, needle_gauge_mm, needle_length_mm, needle_lot,
                                            inserted, removed, technique, twitch_responses, sharps_disposed)
                VALUES (\(clinic.visit), 'gluteus-medius', 'right', 'Seirin', 0.30, 50, 'LOT2', 2, 0, 'static', 0, 1)
                """)
            async let signing: PostgresServerError? = {
                do {
                    try await signer.run("UPDATE visit SET status = 'signed', signed_at = 't' WHERE id = \(clinic.visit)")
                    return nil
                } catch {
                    return PostgresServerError(error)
                }
            }()
            try await Task.sleep(for: .milliseconds(500))
            try await db.run("COMMIT")
            let refusal = await signing
            try await signer.close()
            #expect(refusal?.message.contains("needle count does not balance") == true, "\(String(describing: refusal))")
            #expect(try await db.strings("SELECT status FROM visit WHERE id = \(clinic.visit)") == ["draft"])
        }
    }

    @Test func theAuditTrailIsAppendOnly() async throws {
        try await PostgresTestServer.withFreshDatabase { db in
            try await PostgresMigrations.migrate(db)
            try await db.run("""
                INSERT INTO audit_event (at, actor, action, entity, entity_id, prev_hash, hash)
                VALUES ('2026-01-01T00:00:00Z', 'jo', 'create', 'patient', 1, '', 'abc')
                """)
            let message = "the audit trail is append-only"
            await db.expectRefused("DELETE FROM audit_event", sqlState: "23000", saying: message)
            await db.expectRefused("UPDATE audit_event SET actor = 'someone else'", sqlState: "23000", saying: message)
            await db.expectRefused("TRUNCATE audit_event", sqlState: "23000", saying: message)
            #expect(try await db.strings("SELECT actor FROM audit_event") == ["jo"])
        }
    }

    @Test func badValuesAreRefusedByCHECKsNamingTheConstraint() async throws {
        try await PostgresTestServer.withFreshDatabase { db in
            try await PostgresMigrations.migrate(db)
            let clinic = try await seed(db)
            var refusal = await db.expectRefused("UPDATE visit SET pain_now = 11 WHERE id = \(clinic.visit)", sqlState: "23514")
            #expect(refusal?.constraint == "visit_pain_now_check")
            refusal = await db.expectRefused("UPDATE needling_entry SET removed = 4 WHERE id = \(clinic.entry)", sqlState: "23514")
            #expect(refusal?.constraint == "needling_entry_removed")
            await db.expectRefused("UPDATE needling_entry SET needle_gauge_mm = 0.5 WHERE id = \(clinic.entry)", sqlState: "23514")
            await db.expectRefused("UPDATE patient SET date_of_birth = '14/03/1980' WHERE id = \(clinic.patient)", sqlState: "23514")
            await db.expectRefused("UPDATE patient SET sex = 'unknown' WHERE id = \(clinic.patient)", sqlState: "23514")
            await db.expectRefused("""
                UPDATE practitioner SET registration_body = 'AHPRA', registration_number = 'PHY123' WHERE id = \(clinic.practitioner)
                """, sqlState: "23514")
            try await db.run("""
                UPDATE practitioner SET registration_body = 'AHPRA', registration_number = 'PHY0001234567' WHERE id = \(clinic.practitioner)
                """)
            await db.expectRefused("""
                INSERT INTO form_draft (slot, actor, kind, state, saved_at) VALUES ('visit:1', 'jo', 'needling', '{not json', 't')
                """, sqlState: "23514")
            await db.expectRefused("""
                INSERT INTO practitioner (handle, name, profession, role, created_at) VALUES ('JO-R1', 'Other Jo', 'other', 'practitioner', 't')
                """, sqlState: "23505")
        }
    }

    @Test func aPatientWithVisitsCannotBeDeletedEvenWithTheRuleTriggerOff() async throws {
        try await PostgresTestServer.withFreshDatabase { db in
            try await PostgresMigrations.migrate(db)
            let clinic = try await seed(db)
            await db.expectRefused("DELETE FROM patient WHERE id = \(clinic.patient)", sqlState: "23000",
                                   saying: "clinical records are never deleted")
            await db.expectRefused("TRUNCATE patient CASCADE", sqlState: "23000", saying: "clinical records are never deleted")
            // The foreign keys hold on their own: with the trigger disabled, RESTRICT refuses.
            try await db.run("ALTER TABLE patient DISABLE TRIGGER patient_no_delete")
            await db.expectRefused("DELETE FROM patient WHERE id = \(clinic.patient)", sqlState: "23503", saying: "foreign key")
            try await db.run("ALTER TABLE patient ENABLE TRIGGER patient_no_delete")
            #expect(try await db.ints("SELECT count(*) FROM patient") == [1])
            let foreignKeys = try await db.strings("SELECT confdeltype::text FROM pg_constraint WHERE contype = 'f'")
            #expect(foreignKeys.count >= 20)
            #expect(foreignKeys.allSatisfy { $0 == "r" }, "every foreign key is ON DELETE RESTRICT")
        }
    }

    @Test func patientsAreFoundByWordPrefixDigitsAndTrigrams() async throws {
        try await PostgresTestServer.withFreshDatabase { db in
            try await PostgresMigrations.migrate(db)
            let clinic = try await seed(db, record: "R1", family: "Smith")
            _ = try await seed(db, record: "R2", family: "Jones")
            let byPrefix = try await db.ints("SELECT id FROM patient WHERE search_document @@ to_tsquery('simple', 'smi:*')")
            #expect(byPrefix == [clinic.patient])
            let byPhone = try await db.ints("SELECT id FROM patient WHERE search_document @@ to_tsquery('simple', '0412345678')")
            #expect(byPhone.count == 2, "phone digits without punctuation")
            let byBirth = try await db.ints("SELECT id FROM patient WHERE search_document @@ to_tsquery('simple', '14031980')")
            #expect(byBirth.count == 2, "date of birth as DDMMYYYY")
            let misspelt = try await db.ints("SELECT id FROM patient WHERE search_names % 'smiht mary' ORDER BY similarity(search_names, 'smiht mary') DESC")
            #expect(misspelt.first == clinic.patient)
            let plan = try await db.strings("EXPLAIN SELECT id FROM patient WHERE search_names ILIKE '%mit%'")
            #expect(!plan.isEmpty)
            let indexes = try await db.strings("SELECT indexname::text FROM pg_indexes WHERE tablename = 'patient'")
            #expect(indexes.contains("patient_search_document") && indexes.contains("patient_search_names_trgm"))
        }
    }
}
