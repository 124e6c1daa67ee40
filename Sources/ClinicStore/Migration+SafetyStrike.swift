import GRDB

extension ClinicMigrations {
    /// A consent or precaution screen recorded in error can be struck out: the row stays
    /// (nothing clinical is hard-deleted), marked with when, by whom and why, and no longer
    /// covers any visit. A struck consent or screen is never changed again.
    static func safetyStrike(_ db: Database) throws {
        for table in ["consent", "precaution_screen"] {
            try db.execute(sql: """
            ALTER TABLE \(table) ADD COLUMN struck_at TEXT;
            ALTER TABLE \(table) ADD COLUMN struck_by TEXT CHECK ((struck_at IS NULL) = (struck_by IS NULL));
            ALTER TABLE \(table) ADD COLUMN strike_reason TEXT
              CHECK ((struck_at IS NULL) = (strike_reason IS NULL) AND (strike_reason IS NULL OR length(trim(strike_reason)) > 0));
            CREATE TRIGGER \(table)_struck_immutable BEFORE UPDATE ON \(table) WHEN OLD.struck_at IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'a struck-out consent or precaution screen cannot be changed'); END;
            """)
        }
    }
}
