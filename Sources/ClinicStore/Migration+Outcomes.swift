import GRDB

extension ClinicMigrations {
    /// The clinical impression (working diagnosis) on the visit, with an optional code and its
    /// system (both or neither), and region outcome measures (LEFS, NDI, ODI, VISA-A, QuickDASH)
    /// with their item scores; a signed visit's measures are as immutable as its other entries.
    static func outcomes(_ db: Database) throws {
        try db.execute(sql: """
        ALTER TABLE visit ADD COLUMN impression TEXT CHECK (impression IS NULL OR length(impression) BETWEEN 1 AND 2000);
        ALTER TABLE visit ADD COLUMN impression_code TEXT CHECK (impression_code IS NULL OR length(impression_code) BETWEEN 1 AND 40);
        ALTER TABLE visit ADD COLUMN impression_code_system TEXT
          CHECK (impression_code_system IS NULL OR impression_code_system IN ('snomed-ct', 'icd-10', 'icd-10-am', 'icd-11'));
        CREATE TRIGGER visit_impression_code_whole_insert BEFORE INSERT ON visit
        WHEN (NEW.impression_code IS NULL) <> (NEW.impression_code_system IS NULL) OR (NEW.impression_code IS NOT NULL AND NEW.impression IS NULL)
        BEGIN SELECT RAISE(ABORT, 'an impression code needs its code system and the impression'); END;
        CREATE TRIGGER visit_impression_code_whole_update BEFORE UPDATE OF impression, impression_code, impression_code_system ON visit
        WHEN (NEW.impression_code IS NULL) <> (NEW.impression_code_system IS NULL) OR (NEW.impression_code IS NOT NULL AND NEW.impression IS NULL)
        BEGIN SELECT RAISE(ABORT, 'an impression code needs its code system and the impression'); END;
        CREATE TABLE outcome_measure (
          id INTEGER PRIMARY KEY,
          visit_id INTEGER NOT NULL REFERENCES visit(id) ON DELETE RESTRICT,
          scale TEXT NOT NULL CHECK (scale IN ('lefs', 'ndi', 'odi', 'visa-a', 'quickdash')),
          items_json TEXT NOT NULL CHECK (json_valid(items_json) AND json_type(items_json) = 'array'),
          score REAL NOT NULL CHECK (score BETWEEN 0 AND 100)
        );
        CREATE INDEX outcome_measure_visit ON outcome_measure(visit_id);
        CREATE TRIGGER outcome_measure_signed_insert BEFORE INSERT ON outcome_measure
        WHEN (SELECT status FROM visit WHERE id = NEW.visit_id) = 'signed'
        BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;
        CREATE TRIGGER outcome_measure_signed_update BEFORE UPDATE ON outcome_measure
        WHEN (SELECT status FROM visit WHERE id = OLD.visit_id) = 'signed'
        BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;
        CREATE TRIGGER outcome_measure_signed_delete BEFORE DELETE ON outcome_measure
        WHEN (SELECT status FROM visit WHERE id = OLD.visit_id) = 'signed'
        BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;
        """)
    }
}
