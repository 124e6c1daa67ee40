import GRDB

extension ClinicMigrations {
    /// Right patient, right record: a referral keeps the identifiers its letter gave and what
    /// identifies the letter whatever its bytes (document id, set and version, or a normalised
    /// digest); a new version of a letter names the referral it replaces; a letter whose patient
    /// match is doubtful waits in `referral_conflict` until a person files it; and a visit can
    /// link only to its own patient's referral. Referrals filed earlier get their identity from
    /// the document id they kept; no other row is changed.
    static func referralMatching(_ db: Database) throws {
        try db.execute(sql: """
        ALTER TABLE referral ADD COLUMN letter_identifiers_json TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE referral ADD COLUMN letter_key TEXT;
        ALTER TABLE referral ADD COLUMN document_set_id TEXT;
        ALTER TABLE referral ADD COLUMN document_version INTEGER;
        ALTER TABLE referral ADD COLUMN replaces_referral_id INTEGER REFERENCES referral(id) ON DELETE RESTRICT;
        -- Letters filed before this migration keep their sender's document id as their identity
        -- (the first filed, where the same letter was filed twice before).
        UPDATE referral SET letter_key = (CASE format WHEN 'cda' THEN 'cda-id:' ELSE 'knot-id:' END) || document_id
        WHERE format IN ('cda', 'knot') AND document_id IS NOT NULL AND document_id <> ''
          AND id = (SELECT min(r2.id) FROM referral r2 WHERE r2.format = referral.format AND r2.document_id = referral.document_id);
        CREATE UNIQUE INDEX referral_letter_key ON referral(letter_key) WHERE letter_key IS NOT NULL;
        CREATE INDEX referral_document_set ON referral(document_set_id) WHERE document_set_id IS NOT NULL;
        CREATE INDEX patient_date_of_birth ON patient(date_of_birth);

        CREATE TABLE referral_conflict (
          id INTEGER PRIMARY KEY,
          file_name TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 1000),
          format TEXT NOT NULL CHECK (format IN ('knot','cda')),
          letter BLOB NOT NULL,
          sha256 TEXT NOT NULL,
          reason TEXT NOT NULL CHECK (length(reason) > 0),
          candidates_json TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(candidates_json)),
          received_at TEXT NOT NULL,
          resolved_at TEXT,
          resolved_by TEXT,
          referral_id INTEGER REFERENCES referral(id) ON DELETE RESTRICT,
          CHECK ((resolved_at IS NULL) = (referral_id IS NULL))
        );
        CREATE UNIQUE INDEX referral_conflict_open ON referral_conflict(sha256) WHERE resolved_at IS NULL;
        CREATE TRIGGER referral_conflict_no_delete BEFORE DELETE ON referral_conflict
        BEGIN SELECT RAISE(ABORT, 'a held referral letter is never deleted; resolve it'); END;

        CREATE TRIGGER visit_referral_same_patient_insert BEFORE INSERT ON visit
        WHEN NEW.referral_id IS NOT NULL
          AND (SELECT patient_id FROM referral WHERE id = NEW.referral_id) IS NOT NEW.patient_id
        BEGIN SELECT RAISE(ABORT, 'a visit can link only to a referral of its own patient'); END;
        CREATE TRIGGER visit_referral_same_patient_update BEFORE UPDATE OF referral_id, patient_id ON visit
        WHEN NEW.referral_id IS NOT NULL
          AND (SELECT patient_id FROM referral WHERE id = NEW.referral_id) IS NOT NEW.patient_id
        BEGIN SELECT RAISE(ABORT, 'a visit can link only to a referral of its own patient'); END;
        """)
    }
}
