import GRDB

extension ClinicMigrations {
    /// Tamper evidence: the clinic's identity (which names its key file outside the database),
    /// where the keyed chain starts, the seal of every clinical and administrative row (per-column
    /// digests under an HMAC of the clinic key), and the keyed seal of each audit event.
    /// `keyed_from` stays NULL until a Knot holding the key seals the rows already there.
    static func tamperEvidence(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE clinic_identity (
              singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
              clinic_id TEXT NOT NULL,
              keyed_from INTEGER,
              seal_root TEXT NOT NULL DEFAULT '',
              head_mac TEXT NOT NULL DEFAULT ''
            );
            INSERT INTO clinic_identity (singleton, clinic_id) VALUES (1, lower(hex(randomblob(16))));
            CREATE TABLE row_seal (
              tbl TEXT NOT NULL,
              row_id INTEGER NOT NULL,
              columns TEXT NOT NULL,
              mac TEXT NOT NULL,
              PRIMARY KEY (tbl, row_id)
            ) WITHOUT ROWID;
            CREATE TABLE audit_mac (event_id INTEGER PRIMARY KEY, mac TEXT NOT NULL);
            """)
    }
}
