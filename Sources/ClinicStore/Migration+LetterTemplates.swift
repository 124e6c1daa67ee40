import GRDB

extension ClinicMigrations {
    /// The clinic's own wording for parts of plans and letters (`knot template edit`), one row
    /// per template name; a name without a row uses Knot's wording. Stored with the clinic so
    /// every practitioner on the server gets it; changes are audited by the store.
    static func letterTemplates(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE letter_template (
          name TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64 AND name GLOB '[a-z]*' AND name NOT GLOB '*[^a-z.-]*'),
          body TEXT NOT NULL CHECK (length(body) <= 20000),
          changed_at TEXT NOT NULL,
          changed_by TEXT NOT NULL
        ) WITHOUT ROWID;
        """)
    }
}
