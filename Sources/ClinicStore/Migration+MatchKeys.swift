import GRDB

extension ClinicMigrations {
    /// Letter matching looks a patient up by birth date and folded name together
    /// (`patient.sort_name` is the folded family name, a space, the folded given names), so
    /// filing stays linear however many patients share a birth date (placeholder dates such as
    /// 1900-01-01 make thousands). The new index starts with the birth date, so it serves every
    /// query the birth-date index did, which it replaces.
    static func matchKeys(_ db: Database) throws {
        try db.execute(sql: """
        CREATE INDEX patient_birth_sort ON patient(date_of_birth, sort_name);
        DROP INDEX IF EXISTS patient_date_of_birth;
        """)
    }
}
