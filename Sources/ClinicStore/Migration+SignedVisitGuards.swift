import GRDB

extension ClinicMigrations {
    /// Two holes in the signed-visit triggers, closed.
    ///
    /// - The merge exception of `visit_signed_immutable` (v5-patient-merge) named the columns
    ///   that must stay unchanged, and v5-outcomes later added the impression columns, so a
    ///   merge-shaped update could also change a signed visit's impression. The trigger is
    ///   re-created comparing every column of `visit` but `patient_id`. SQLite cannot compare
    ///   whole rows in a trigger, so the list is written out; `SignedVisitGuardTests` fails,
    ///   naming the column, when a migration adds a visit column and does not re-create this
    ///   trigger with it.
    /// - An entry's update trigger checked only the visit the entry came from
    ///   (`OLD.visit_id`), so an entry of a draft visit could be moved into a signed one. Each
    ///   entry table's `*_signed_update` trigger now checks the visit it goes to as well.
    static func signedVisitGuards(_ db: Database) throws {
        let unchanged = ["id", "practitioner_id", "referral_id", "started_at", "complaint", "pain_now", "pain_best", "pain_worst",
                         "psfs_json", "notes", "likely_cause_notes", "status", "signed_at", "revision",
                         "impression", "impression_code", "impression_code_system"]
            .map { "NEW.\($0) IS OLD.\($0)" }.joined(separator: "\n  AND ")
        try db.execute(sql: """
        DROP TRIGGER visit_signed_immutable;
        CREATE TRIGGER visit_signed_immutable BEFORE UPDATE ON visit WHEN OLD.status = 'signed' AND NOT (
          NEW.patient_id IS NOT OLD.patient_id
          AND NEW.patient_id IS (SELECT merged_into FROM patient WHERE id = OLD.patient_id)
          AND \(unchanged))
        BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;
        """)
        for table in ["trigger_point", "biomechanical_finding", "treatment", "needling_entry", "outcome_measure"] {
            try db.execute(sql: """
            DROP TRIGGER \(table)_signed_update;
            CREATE TRIGGER \(table)_signed_update BEFORE UPDATE ON \(table)
            WHEN (SELECT status FROM visit WHERE id = OLD.visit_id) = 'signed'
              OR (SELECT status FROM visit WHERE id = NEW.visit_id) = 'signed'
            BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;
            """)
        }
    }
}
