import Foundation
import GRDB

extension ClinicMigrations {
    /// Two records of one person joined by `knot patient merge KEEP OTHER`.
    ///
    /// `patient.merged_into` marks OTHER as merged into KEEP: set once, never cleared, and a
    /// merged record stays archived. Signed visits stay immutable, with one exception that
    /// only a merge can use: a signed visit may change its `patient_id`, and nothing else, from
    /// a patient already marked merged to the very patient it was merged into. The merge marks
    /// OTHER first (audited), then moves its rows; any other change to a signed visit is still
    /// refused by SQLite itself.
    static func patientMerge(_ db: Database) throws {
        try db.execute(sql: """
        ALTER TABLE patient ADD COLUMN merged_into INTEGER REFERENCES patient(id) ON DELETE RESTRICT;
        CREATE INDEX patient_merged_into ON patient(merged_into) WHERE merged_into IS NOT NULL;
        CREATE TRIGGER patient_merge_final BEFORE UPDATE OF merged_into ON patient
        WHEN OLD.merged_into IS NOT NULL AND NEW.merged_into IS NOT OLD.merged_into
        BEGIN SELECT RAISE(ABORT, 'a merged patient record stays merged'); END;
        CREATE TRIGGER patient_merge_not_self BEFORE UPDATE OF merged_into ON patient
        WHEN NEW.merged_into = NEW.id
          OR (SELECT merged_into FROM patient WHERE id = NEW.merged_into) IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a patient is merged into another, current record'); END;
        CREATE TRIGGER patient_merged_stays_archived BEFORE UPDATE ON patient
        WHEN NEW.merged_into IS NOT NULL AND NEW.archived = 0
        BEGIN SELECT RAISE(ABORT, 'a merged patient record stays archived'); END;

        DROP TRIGGER visit_signed_immutable;
        CREATE TRIGGER visit_signed_immutable BEFORE UPDATE ON visit WHEN OLD.status = 'signed' AND NOT (
          NEW.patient_id IS NOT OLD.patient_id
          AND NEW.patient_id IS (SELECT merged_into FROM patient WHERE id = OLD.patient_id)
          AND NEW.id IS OLD.id AND NEW.practitioner_id IS OLD.practitioner_id AND NEW.referral_id IS OLD.referral_id
          AND NEW.started_at IS OLD.started_at AND NEW.complaint IS OLD.complaint
          AND NEW.pain_now IS OLD.pain_now AND NEW.pain_best IS OLD.pain_best AND NEW.pain_worst IS OLD.pain_worst
          AND NEW.psfs_json IS OLD.psfs_json AND NEW.notes IS OLD.notes AND NEW.likely_cause_notes IS OLD.likely_cause_notes
          AND NEW.status IS OLD.status AND NEW.signed_at IS OLD.signed_at AND NEW.revision IS OLD.revision)
        BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;
        """)
    }
}
