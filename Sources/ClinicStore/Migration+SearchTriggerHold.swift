import GRDB

extension ClinicMigrations {
    /// A batch of letters indexes the patients it files once, as it ends
    /// (`StoreTransaction.withSearchIndexesWrittenOnce`), so `patient_fts_insert` must not fire
    /// while it runs. Until now the batch dropped the trigger and made it again: two schema
    /// changes per batch, each making every connection prepare its statements again (issue 19).
    /// Now the trigger fires only while `patient_fts_hold` is empty: the batch writes its one row
    /// inside its own transaction and deletes it before that commits, so no other connection
    /// ever sees it and a crash or rollback leaves the table empty. The table holds no clinic
    /// data (it is empty whenever a transaction is not running a batch); the trigger writes the
    /// same values as before.
    static func searchTriggerHold(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE patient_fts_hold (held INTEGER PRIMARY KEY CHECK (held = 1));
            DROP TRIGGER patient_fts_insert;
            CREATE TRIGGER patient_fts_insert AFTER INSERT ON patient WHEN NOT EXISTS (SELECT 1 FROM patient_fts_hold) BEGIN
              INSERT INTO patient_fts(rowid, names, record_number, phone, dob) VALUES (NEW.id, NEW.given_names || ' ' || NEW.family_name || ' ' || coalesce(NEW.preferred_name, '') || ' ' || NEW.sort_name,
            NEW.record_number,
            replace(replace(replace(replace(replace(coalesce(NEW.phone, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''),
            NEW.date_of_birth || ' ' || substr(NEW.date_of_birth, 9, 2) || substr(NEW.date_of_birth, 6, 2) || substr(NEW.date_of_birth, 1, 4));
            END;
            """)
    }
}
