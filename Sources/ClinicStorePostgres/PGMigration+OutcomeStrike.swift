extension PGMigration {
    /// SQLite's v5-outcome-strike: a draft's outcome measure is struck out like its other
    /// entries (kept, with when, by whom and why), and a struck one is never changed again.
    /// SQLite's v5-search-prefix (`patient_search_prefix`) has no twin: it makes one- and
    /// two-letter searches fast in SQLite, where PostgreSQL's `patient-search` migration uses a
    /// tsvector and trigram indexes instead.
    static let outcomeStrike = PGMigration(name: "pg3-outcome-strike", statements: [
        """
        ALTER TABLE outcome_measure
          ADD COLUMN struck_at text,
          ADD COLUMN struck_by text,
          ADD COLUMN strike_reason text,
          ADD CONSTRAINT outcome_measure_struck_by CHECK ((struck_at IS NULL) = (struck_by IS NULL)),
          ADD CONSTRAINT outcome_measure_strike_reason CHECK ((struck_at IS NULL) = (strike_reason IS NULL)
                                                             AND (strike_reason IS NULL OR length(trim(strike_reason)) > 0))
        """,
        """
        CREATE TRIGGER outcome_measure_struck_immutable BEFORE UPDATE ON outcome_measure
        FOR EACH ROW EXECUTE FUNCTION knot_struck_immutable('a struck-out entry cannot be changed')
        """,
    ])
}
