extension PGMigration {
    /// The clinical rules the SQLite store keeps in triggers, as PL/pgSQL triggers: signed
    /// visits and their entries immutable (save a merge moving a signed visit to the record it
    /// was merged into), the needle count balanced at signing, struck entries and amendments
    /// unchangeable, final plans kept, nothing clinical deleted, the audit trail append-only.
    ///
    /// Every refusal raises SQLSTATE 23000 (integrity_constraint_violation) with SQLite's
    /// message, so a store maps CHECK, foreign-key and trigger refusals alike to "clinical rule
    /// refused". Differences that PostgreSQL needs:
    /// - an entry's trigger reads its visit `FOR SHARE`, so an entry written while another
    ///   session signs the visit waits for it and is then refused (under READ COMMITTED the
    ///   balance check alone could miss an uncommitted entry);
    /// - TRUNCATE skips row triggers, so clinical tables and the audit trail refuse it;
    /// - the merge exception compares the whole row but `patient_id`, columns added later too.
    static let rules = PGMigration(name: "pg1-clinic-rules", statements: ruleStatements)

    private static let functions: [String] = [
        """
        CREATE FUNCTION knot_refuse() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION USING MESSAGE = TG_ARGV[0], ERRCODE = 'integrity_constraint_violation';
        END $$
        """,
        """
        CREATE FUNCTION knot_visit_guard() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
          moved visit;
          balance bigint;
        BEGIN
          IF OLD.status = 'signed' THEN
            moved := OLD;
            moved.patient_id := NEW.patient_id;
            IF NEW.patient_id IS DISTINCT FROM OLD.patient_id
               AND NEW.patient_id IS NOT DISTINCT FROM (SELECT merged_into FROM patient WHERE id = OLD.patient_id)
               AND NEW IS NOT DISTINCT FROM moved THEN
              RETURN NEW;
            END IF;
            RAISE EXCEPTION USING MESSAGE = 'a signed visit cannot be changed; amend it instead',
                                  ERRCODE = 'integrity_constraint_violation';
          END IF;
          IF NEW.status = 'signed' THEN
            SELECT coalesce(sum(inserted - removed), 0) INTO balance
              FROM needling_entry WHERE visit_id = NEW.id AND struck_at IS NULL;
            IF balance <> 0 THEN
              RAISE EXCEPTION USING
                MESSAGE = 'needle count does not balance: a visit cannot be signed while needles are unaccounted for',
                ERRCODE = 'integrity_constraint_violation';
            END IF;
          END IF;
          RETURN NEW;
        END $$
        """,
        "CREATE TRIGGER visit_guard BEFORE UPDATE ON visit FOR EACH ROW EXECUTE FUNCTION knot_visit_guard()",
        """
        CREATE FUNCTION knot_visit_referral_same_patient() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.referral_id IS NOT NULL
             AND (SELECT patient_id FROM referral WHERE id = NEW.referral_id) IS DISTINCT FROM NEW.patient_id THEN
            RAISE EXCEPTION USING MESSAGE = 'a visit can link only to a referral of its own patient',
                                  ERRCODE = 'integrity_constraint_violation';
          END IF;
          RETURN NEW;
        END $$
        """,
        """
        CREATE TRIGGER visit_referral_same_patient BEFORE INSERT OR UPDATE OF referral_id, patient_id ON visit
        FOR EACH ROW EXECUTE FUNCTION knot_visit_referral_same_patient()
        """,
        """
        CREATE FUNCTION knot_visit_signed_drop_drafts() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          DELETE FROM form_draft WHERE slot = 'visit:' || NEW.id;
          RETURN NULL;
        END $$
        """,
        """
        CREATE TRIGGER visit_signed_drop_drafts AFTER UPDATE OF status ON visit
        FOR EACH ROW WHEN (NEW.status = 'signed') EXECUTE FUNCTION knot_visit_signed_drop_drafts()
        """,
        """
        CREATE FUNCTION knot_visit_entry_guard() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
          visit_status text;
        BEGIN
          IF TG_OP IN ('UPDATE', 'DELETE') THEN
            SELECT status INTO visit_status FROM visit WHERE id = OLD.visit_id FOR SHARE;
            IF visit_status = 'signed' THEN
              RAISE EXCEPTION USING MESSAGE = 'a signed visit cannot be changed; amend it instead',
                                    ERRCODE = 'integrity_constraint_violation';
            END IF;
          END IF;
          IF TG_OP IN ('INSERT', 'UPDATE') THEN
            SELECT status INTO visit_status FROM visit WHERE id = NEW.visit_id FOR SHARE;
            IF visit_status = 'signed' THEN
              RAISE EXCEPTION USING MESSAGE = 'a signed visit cannot be changed; amend it instead',
                                    ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NEW;
          END IF;
          RETURN OLD;
        END $$
        """,
        """
        CREATE FUNCTION knot_struck_immutable() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF OLD.struck_at IS NOT NULL THEN
            RAISE EXCEPTION USING MESSAGE = TG_ARGV[0], ERRCODE = 'integrity_constraint_violation';
          END IF;
          RETURN NEW;
        END $$
        """,
    ]

    private static let entryTriggers: [String] = ["trigger_point", "biomechanical_finding", "treatment", "needling_entry", "outcome_measure"].map { table in
        """
        CREATE TRIGGER \(table)_signed_visit BEFORE INSERT OR UPDATE OR DELETE ON \(table)
        FOR EACH ROW EXECUTE FUNCTION knot_visit_entry_guard()
        """
    }

    private static let entryStruckTriggers: [String] = ["trigger_point", "biomechanical_finding", "treatment", "needling_entry"].map { table in
        """
        CREATE TRIGGER \(table)_struck_immutable BEFORE UPDATE ON \(table)
        FOR EACH ROW EXECUTE FUNCTION knot_struck_immutable('a struck-out entry cannot be changed')
        """
    }

    private static let safetyStruckTriggers: [String] = ["consent", "precaution_screen"].map { table in
        """
        CREATE TRIGGER \(table)_struck_immutable BEFORE UPDATE ON \(table)
        FOR EACH ROW EXECUTE FUNCTION knot_struck_immutable('a struck-out consent or precaution screen cannot be changed')
        """
    }

    private static let recordTriggers: [String] = [
        """
        CREATE FUNCTION knot_patient_merge_guard() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF OLD.merged_into IS NOT NULL AND NEW.merged_into IS DISTINCT FROM OLD.merged_into THEN
            RAISE EXCEPTION USING MESSAGE = 'a merged patient record stays merged', ERRCODE = 'integrity_constraint_violation';
          END IF;
          IF NEW.merged_into IS NOT NULL AND NEW.merged_into IS DISTINCT FROM OLD.merged_into
             AND (SELECT merged_into FROM patient WHERE id = NEW.merged_into) IS NOT NULL THEN
            RAISE EXCEPTION USING MESSAGE = 'a patient is merged into another, current record', ERRCODE = 'integrity_constraint_violation';
          END IF;
          RETURN NEW;
        END $$
        """,
        """
        CREATE TRIGGER patient_merge_guard BEFORE UPDATE OF merged_into ON patient
        FOR EACH ROW EXECUTE FUNCTION knot_patient_merge_guard()
        """,
        """
        CREATE TRIGGER patient_alert_dismiss_reason BEFORE UPDATE OF status ON patient_alert
        FOR EACH ROW WHEN (NEW.status = 'dismissed' AND OLD.status IS DISTINCT FROM 'dismissed'
                           AND (NEW.dismiss_reason IS NULL OR length(trim(NEW.dismiss_reason)) = 0))
        EXECUTE FUNCTION knot_refuse('an alert is dismissed only with a reason')
        """,
        """
        CREATE TRIGGER amendment_immutable BEFORE UPDATE ON amendment
        FOR EACH ROW EXECUTE FUNCTION knot_refuse('amendments cannot be changed')
        """,
        """
        CREATE TRIGGER plan_final_immutable BEFORE UPDATE ON follow_up_plan
        FOR EACH ROW WHEN (OLD.status = 'final') EXECUTE FUNCTION knot_refuse('a final plan cannot be changed; make a new version')
        """,
        """
        CREATE TRIGGER plan_no_delete BEFORE DELETE ON follow_up_plan
        FOR EACH ROW WHEN (OLD.status = 'final') EXECUTE FUNCTION knot_refuse('a final plan cannot be deleted')
        """,
        """
        CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION knot_refuse('the audit trail is append-only')
        """,
        """
        CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_event
        FOR EACH STATEMENT EXECUTE FUNCTION knot_refuse('the audit trail is append-only')
        """,
        """
        CREATE TRIGGER referral_conflict_no_delete BEFORE DELETE ON referral_conflict
        FOR EACH ROW EXECUTE FUNCTION knot_refuse('a held referral letter is never deleted; resolve it')
        """,
    ]

    private static let noDeleteTriggers: [String] = neverDeleted.map { table in
        """
        CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
        FOR EACH ROW EXECUTE FUNCTION knot_refuse('clinical records are never deleted (archive the patient instead)')
        """
    }

    private static let noTruncateTriggers: [String] = neverTruncated.map { table in
        """
        CREATE TRIGGER \(table)_no_truncate BEFORE TRUNCATE ON \(table)
        FOR EACH STATEMENT EXECUTE FUNCTION knot_refuse('clinical records are never deleted (archive the patient instead)')
        """
    }

    private static var ruleStatements: [String] {
        var all = functions
        all += entryTriggers
        all += entryStruckTriggers
        all += safetyStruckTriggers
        all += recordTriggers
        all += noDeleteTriggers
        all += noTruncateTriggers
        return all
    }

    /// Tables whose rows are never deleted (SQLite's `*_no_delete` triggers).
    static let neverDeleted = ["patient", "visit", "referral", "consent", "precaution_screen", "amendment",
                               "patient_alert", "referral_attachment", "patient_identifier"]
    /// Tables that refuse TRUNCATE: every clinical table (signed entries live in the entry tables).
    static let neverTruncated = neverDeleted + ["trigger_point", "biomechanical_finding", "treatment", "needling_entry",
                                                "outcome_measure", "follow_up_plan", "referral_conflict"]
}
