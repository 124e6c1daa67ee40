import GRDB

extension ClinicMigrations {
    /// Where records came from and who an account is: the patients and visits imported from an
    /// untrusted clinic export (`knot import --untrusted`), shown as such in the chart; and the
    /// operating-system login an account belongs to (`--os-user`), so a handle cannot be claimed
    /// by another login. Both are rowid tables, so their rows are sealed like the clinic's.
    static func origin(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE untrusted_import (
          id INTEGER PRIMARY KEY,
          entity TEXT NOT NULL CHECK (entity IN ('patient', 'visit')),
          entity_id INTEGER NOT NULL,
          imported_at TEXT NOT NULL,
          file TEXT NOT NULL CHECK (length(file) BETWEEN 1 AND 4096),
          reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 4000),
          UNIQUE (entity, entity_id)
        );
        CREATE TABLE account_os_user (
          practitioner_id INTEGER PRIMARY KEY REFERENCES practitioner(id) ON DELETE RESTRICT,
          os_user TEXT NOT NULL CHECK (length(os_user) BETWEEN 1 AND 64)
        );
        """)
    }
}
