import GRDB

extension ClinicMigrations {
    /// Search for one or two letters (or digits) at 100,000 patients: the first page in name
    /// order is one range of this table, where the full-text index would hand back most of the
    /// clinic to be sorted. A row per patient and per distinct one- and two-character start of a
    /// word the full-text index holds for that patient (names, folded name, record number, phone
    /// digits, date of birth), for starts of ASCII letters and digits only; anything else is
    /// searched through `patient_fts` as before. Derived data, like `patient_fts`: Knot rewrites
    /// a patient's rows whenever it writes the patient (`StoreTransaction.indexSearchPrefixes`),
    /// the trigger keeps `archived` and `sort_name` in step with any other update (a merge), and
    /// this migration fills it from the words `patient_fts` already holds. No foreign key, so
    /// that a merge, which moves every row referring to a patient, leaves it alone.
    static func searchPrefix(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE patient_search_prefix (
          prefix TEXT NOT NULL CHECK (length(prefix) BETWEEN 1 AND 2),
          sort_name TEXT NOT NULL,
          patient_id INTEGER NOT NULL,
          archived INTEGER NOT NULL CHECK (archived IN (0,1)),
          PRIMARY KEY (prefix, sort_name, patient_id)
        ) WITHOUT ROWID;
        CREATE INDEX patient_search_prefix_patient ON patient_search_prefix(patient_id);
        CREATE TRIGGER patient_search_prefix_follow AFTER UPDATE OF archived, sort_name ON patient BEGIN
          UPDATE patient_search_prefix SET archived = NEW.archived, sort_name = NEW.sort_name WHERE patient_id = NEW.id;
        END;
        CREATE VIRTUAL TABLE temp.knot_patient_fts_words USING fts5vocab(main, patient_fts, instance);
        INSERT OR IGNORE INTO patient_search_prefix (prefix, sort_name, patient_id, archived)
          SELECT DISTINCT substr(w.term, 1, n.n), p.sort_name, p.id, p.archived
          FROM temp.knot_patient_fts_words w
          JOIN patient p ON p.id = w.doc
          JOIN (SELECT 1 AS n UNION ALL SELECT 2) n
          WHERE substr(w.term, 1, n.n) GLOB (CASE n.n WHEN 1 THEN '[a-z0-9]' ELSE '[a-z0-9][a-z0-9]' END);
        DROP TABLE temp.knot_patient_fts_words;
        """)
    }
}
