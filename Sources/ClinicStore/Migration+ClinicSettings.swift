import GRDB

extension ClinicMigrations {
    /// The clinic's settings, one row per setting keyed by name (`time_zone` first; the clinic's
    /// name, address and phone can join without a new table). Changes are audited by the store;
    /// a database without a row for a setting uses its default (the machine's time zone).
    static func clinicSettings(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE clinic_setting (
          name TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64 AND name GLOB '[a-z]*' AND name NOT GLOB '*[^a-z0-9_]*'),
          value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 4000)
        ) WITHOUT ROWID;
        """)
    }
}
