import GRDB

extension ClinicMigrations {
    /// FHIR referrals: a referral, and a letter held for a person to file, may be in format
    /// `fhir` (HL7 FHIR R4 XML) besides `knot`, `cda` (and `manual` for referrals).
    ///
    /// SQLite cannot change a CHECK constraint with ALTER TABLE. Widening one changes no stored
    /// row, so this takes the procedure SQLite documents for that case (ALTER TABLE, "making other
    /// kinds of table schema changes") instead of rebuilding the tables: the CHECK text is
    /// rewritten in `sqlite_schema` and the schema version bumped so every connection reloads
    /// the schema. Rows, rowids, seals, indexes, triggers and columns added by other migrations
    /// are untouched. Each rewrite must change exactly its table's definition.
    static func fhirReferrals(_ db: Database) throws {
        let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        try db.execute(sql: """
            PRAGMA writable_schema = ON;
            UPDATE sqlite_schema
              SET sql = replace(sql, 'format TEXT NOT NULL CHECK (format IN (''knot'',''cda'',''manual''))',
                                     'format TEXT NOT NULL CHECK (format IN (''knot'',''cda'',''fhir'',''manual''))')
              WHERE type = 'table' AND name = 'referral';
            UPDATE sqlite_schema
              SET sql = replace(sql, 'format TEXT NOT NULL CHECK (format IN (''knot'',''cda''))',
                                     'format TEXT NOT NULL CHECK (format IN (''knot'',''cda'',''fhir''))')
              WHERE type = 'table' AND name = 'referral_conflict';
            PRAGMA schema_version = \(version + 1);
            PRAGMA writable_schema = OFF;
            """)
        let widened = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM sqlite_schema
            WHERE type = 'table' AND name IN ('referral', 'referral_conflict') AND sql LIKE '%''fhir''%'
            """) ?? 0
        if widened != 2 {
            throw DatabaseError(resultCode: .SQLITE_ERROR, message: "v5-fhir-referrals: the referral format CHECK constraints were not where expected")
        }
    }
}
