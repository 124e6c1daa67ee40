import GRDB

extension ClinicMigrations {
    /// Accounts: a clinic-administrator flag beside the role, and deactivation (an account is
    /// kept for the record, since visits name it, but refused at login). The first practitioner
    /// (the one `knot init` made) becomes the administrator.
    static func accounts(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE practitioner ADD COLUMN administrator INTEGER NOT NULL DEFAULT 0 CHECK (administrator IN (0, 1));
            ALTER TABLE practitioner ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
            UPDATE practitioner SET administrator = 1
              WHERE id = (SELECT min(id) FROM practitioner WHERE role = 'practitioner');
            """)
    }
}
