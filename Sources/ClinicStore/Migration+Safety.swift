import GRDB

extension ClinicMigrations {
    /// Consent for minors (a guardian's name and relationship, or a mature-minor assessment) and
    /// late entries: consent, screen and needling written after the fact carry when and by whom
    /// they were written (`written_at`, `written_by`), both set or both empty; a needling entry
    /// may also say when it was done (`performed_at`).
    static func safetyAndLateEntries(_ db: Database) throws {
        try db.execute(sql: """
        ALTER TABLE consent ADD COLUMN guardian_name TEXT CHECK (guardian_name IS NULL OR length(guardian_name) BETWEEN 1 AND 100);
        ALTER TABLE consent ADD COLUMN guardian_relationship TEXT CHECK (guardian_relationship IS NULL OR length(guardian_relationship) BETWEEN 1 AND 60);
        ALTER TABLE consent ADD COLUMN mature_minor TEXT CHECK (mature_minor IS NULL OR length(mature_minor) BETWEEN 1 AND 2000);
        ALTER TABLE consent ADD COLUMN written_at TEXT;
        ALTER TABLE consent ADD COLUMN written_by INTEGER REFERENCES practitioner(id) ON DELETE RESTRICT;
        ALTER TABLE precaution_screen ADD COLUMN written_at TEXT;
        ALTER TABLE precaution_screen ADD COLUMN written_by INTEGER REFERENCES practitioner(id) ON DELETE RESTRICT;
        ALTER TABLE needling_entry ADD COLUMN performed_at TEXT;
        ALTER TABLE needling_entry ADD COLUMN written_at TEXT;
        ALTER TABLE needling_entry ADD COLUMN written_by INTEGER REFERENCES practitioner(id) ON DELETE RESTRICT;
        CREATE TRIGGER consent_late_entry_whole BEFORE INSERT ON consent
        WHEN (NEW.written_at IS NULL) <> (NEW.written_by IS NULL)
        BEGIN SELECT RAISE(ABORT, 'a late entry needs both when and by whom it was written'); END;
        CREATE TRIGGER screen_late_entry_whole BEFORE INSERT ON precaution_screen
        WHEN (NEW.written_at IS NULL) <> (NEW.written_by IS NULL)
        BEGIN SELECT RAISE(ABORT, 'a late entry needs both when and by whom it was written'); END;
        CREATE TRIGGER needling_late_entry_whole BEFORE INSERT ON needling_entry
        WHEN (NEW.written_at IS NULL) <> (NEW.written_by IS NULL)
        BEGIN SELECT RAISE(ABORT, 'a late entry needs both when and by whom it was written'); END;
        """)
    }
}
