import GRDB

extension ClinicMigrations {
    /// Tamper evidence, continued: seals for the rows of tables without rowid (clinic settings,
    /// letter templates, form drafts), by table and primary key (a JSON array of its values);
    /// the findings a verification made just before a schema upgrade re-sealed the clinic, kept
    /// so that later verifications still report them; and the keyed checkpoint from which
    /// `knot audit verify` resumes the chain (events up to `event_id`, the SHA-256 of their
    /// stored bytes, under an HMAC of the clinic key).
    static func keyedSeals(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE row_key_seal (
              tbl TEXT NOT NULL,
              row_key TEXT NOT NULL,
              columns TEXT NOT NULL,
              mac TEXT NOT NULL,
              PRIMARY KEY (tbl, row_key)
            ) WITHOUT ROWID;
            CREATE TABLE tamper_finding (
              id INTEGER PRIMARY KEY,
              found_at TEXT NOT NULL,
              tbl TEXT NOT NULL,
              row_id INTEGER NOT NULL DEFAULT 0,
              row_key TEXT,
              columns TEXT NOT NULL DEFAULT '',
              kind TEXT NOT NULL,
              problem TEXT
            );
            CREATE TABLE audit_checkpoint (
              singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
              event_id INTEGER NOT NULL,
              hash TEXT NOT NULL,
              digest TEXT NOT NULL,
              mac TEXT NOT NULL
            );
            """)
    }
}
