import GRDB

extension ClinicMigrations {
    /// `treatment.kind` holds a coded value like every other coded column, so the schema refuses
    /// any other (a row written outside Knot), as v1's CHECKs do for the other tables.
    ///
    /// SQLite cannot add a CHECK to an existing column without rebuilding the table and every
    /// trigger on it (signed-visit immutability, strike-out, seals), so the rule is two triggers
    /// that refuse exactly what a CHECK would. Rows already stored are left as they are: Knot
    /// reports an unknown kind with its table, row and column when it reads one. The list is
    /// frozen here (`Treatment.Kind` in v5); a new kind needs a new migration.
    static func treatmentKindCheck(_ db: Database) throws {
        let kinds = "'ischaemic-compression','pressure-release','stretching','massage-ball-instruction','dry-needling','exercise','education','other'"
        try db.execute(sql: """
        CREATE TRIGGER treatment_kind_insert BEFORE INSERT ON treatment WHEN NEW.kind NOT IN (\(kinds))
        BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: treatment.kind'); END;
        CREATE TRIGGER treatment_kind_update BEFORE UPDATE OF kind ON treatment WHEN NEW.kind NOT IN (\(kinds))
        BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: treatment.kind'); END;
        """)
    }
}
