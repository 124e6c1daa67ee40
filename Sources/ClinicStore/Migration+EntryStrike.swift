import GRDB

extension ClinicMigrations {
    /// A draft's trigger points, biomechanical findings, treatments and needling entries can be
    /// struck out: the row stays (nothing clinical is hard-deleted), marked with when, by whom
    /// and why, and is left out of the note, the counts, plans and exports. A struck entry is
    /// never changed again, and the needle balance at signing counts only entries in force.
    /// The signed-visit triggers of v1 still forbid striking an entry of a signed visit.
    static func v5EntryStrike(_ db: Database) throws {
        for table in ["trigger_point", "biomechanical_finding", "treatment", "needling_entry"] {
            try db.execute(sql: """
            ALTER TABLE \(table) ADD COLUMN struck_at TEXT;
            ALTER TABLE \(table) ADD COLUMN struck_by TEXT CHECK ((struck_at IS NULL) = (struck_by IS NULL));
            ALTER TABLE \(table) ADD COLUMN strike_reason TEXT
              CHECK ((struck_at IS NULL) = (strike_reason IS NULL) AND (strike_reason IS NULL OR length(trim(strike_reason)) > 0));
            CREATE TRIGGER \(table)_struck_immutable BEFORE UPDATE ON \(table) WHEN OLD.struck_at IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'a struck-out entry cannot be changed'); END;
            """)
        }
        try db.execute(sql: """
        DROP TRIGGER visit_sign_needles_balance;
        CREATE TRIGGER visit_sign_needles_balance BEFORE UPDATE OF status ON visit
        WHEN NEW.status = 'signed' AND
          (SELECT coalesce(sum(inserted - removed), 0) FROM needling_entry WHERE visit_id = NEW.id AND struck_at IS NULL) <> 0
        BEGIN SELECT RAISE(ABORT, 'needle count does not balance: a visit cannot be signed while needles are unaccounted for'); END;
        """)
    }
}
