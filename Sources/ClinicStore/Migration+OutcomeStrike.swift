import GRDB

extension ClinicMigrations {
    /// A draft's outcome measures can be struck out like its other entries: the row stays
    /// (nothing clinical is hard-deleted), marked with when, by whom and why, and leaves the
    /// note, the trends, plans, letters and exports; a struck measure is never changed again.
    /// The signed-visit triggers of v5-outcomes still forbid striking a signed visit's measure.
    static func outcomeStrike(_ db: Database) throws {
        try db.execute(sql: """
        ALTER TABLE outcome_measure ADD COLUMN struck_at TEXT;
        ALTER TABLE outcome_measure ADD COLUMN struck_by TEXT CHECK ((struck_at IS NULL) = (struck_by IS NULL));
        ALTER TABLE outcome_measure ADD COLUMN strike_reason TEXT
          CHECK ((struck_at IS NULL) = (strike_reason IS NULL) AND (strike_reason IS NULL OR length(trim(strike_reason)) > 0));
        CREATE TRIGGER outcome_measure_struck_immutable BEFORE UPDATE ON outcome_measure WHEN OLD.struck_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a struck-out entry cannot be changed'); END;
        """)
    }
}
