extension PGMigration {
    /// Patient search with PostgreSQL's own tools, in place of SQLite's FTS5 table: a stored
    /// `tsvector` over the names (with the folded sort name), record number, phone digits and
    /// date of birth (ISO parts and DDMMYYYY), indexed with GIN for word and prefix matches
    /// (`smi:*`), and trigram GIN indexes (pg_trgm) on the names and record number for
    /// substrings and misspellings (`ILIKE '%mit%'`, `similarity`). Both columns are generated,
    /// so no trigger keeps them in step and no application code writes them.
    ///
    /// pg_trgm ships with PostgreSQL (Debian's postgresql package; `postgresql-contrib`
    /// elsewhere) and is a trusted extension from PostgreSQL 13, so a database owner may create
    /// it; the migration runner checks it is available first and says so if not.
    static let patientSearch = PGMigration(name: "pg1-patient-search", requiredExtensions: ["pg_trgm"], statements: [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        """
        ALTER TABLE patient ADD COLUMN search_names text GENERATED ALWAYS AS (
          lower(given_names || ' ' || family_name || ' ' || coalesce(preferred_name, '') || ' ' || sort_name)) STORED
        """,
        """
        ALTER TABLE patient ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('simple'::regconfig,
                      given_names || ' ' || family_name || ' ' || coalesce(preferred_name, '') || ' ' || sort_name), 'A')
          || setweight(to_tsvector('simple'::regconfig, record_number), 'A')
          || to_tsvector('simple'::regconfig, regexp_replace(coalesce(phone, ''), '[ ()+-]', '', 'g'))
          || to_tsvector('simple'::regconfig,
                      translate(date_of_birth, '-', ' ') || ' '
                      || substr(date_of_birth, 9, 2) || substr(date_of_birth, 6, 2) || substr(date_of_birth, 1, 4))) STORED
        """,
        "CREATE INDEX patient_search_document ON patient USING gin (search_document)",
        "CREATE INDEX patient_search_names_trgm ON patient USING gin (search_names gin_trgm_ops)",
        "CREATE INDEX patient_record_number_trgm ON patient USING gin (record_number gin_trgm_ops)",
    ])
}
