import GRDB

extension ClinicMigrations {
    /// `patient_name` (family then given names, both NOCASE), from v1, answers no query Knot
    /// makes: lists and search go by the folded name (`patient_sort`, `patient_id_sort`,
    /// `patient_search_prefix`), matching and duplicates by birth date and folded name
    /// (`patient_birth_sort`), and nothing compares the names NOCASE. Every patient written still
    /// paid for it: a row at a random place of one more index (issue 19, the letter writer).
    /// Dropped; no data changes (an index holds none of its own), so seals and exports are as before.
    static func patientNameIndex(_ db: Database) throws {
        try db.execute(sql: "DROP INDEX IF EXISTS patient_name")
    }
}
