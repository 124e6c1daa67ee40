extension PGMigration {
    /// The signing keys of other clinics whose exports this clinic imports (`knot clinic
    /// trust`). The SQLite store lists them in a `trusted-keys` file beside its clinic key; a
    /// clinic on PostgreSQL has no key file and is opened from many machines, so its list is
    /// kept in the database. Listed once per key; never changed or deleted by Knot.
    static let exportKeys = PGMigration(name: "pg4-export-keys", statements: [
        """
        CREATE TABLE trusted_export_key (
          public_key text PRIMARY KEY CHECK (public_key ~ '^[0-9a-f]{64}$'),
          label text NOT NULL CHECK (length(label) <= 1000),
          trusted_at text NOT NULL
        )
        """,
        """
        CREATE TRIGGER trusted_export_key_no_update BEFORE UPDATE ON trusted_export_key
        FOR EACH ROW EXECUTE FUNCTION knot_refuse('a trusted signing key is never changed')
        """,
    ])
}
