import GRDB

extension ClinicMigrations {
    /// The canonical form of a stored identifier's value in SQL: the value without the Unicode
    /// white space `PatientIdentifier.canonicalValue` removes (`PatientIdentifier.whiteSpaceScalars`,
    /// one `replace` each). Frozen: it is the expression `v9-identifier-numbers` indexes, and a
    /// query uses that index only when it spells the expression exactly so
    /// (`StoreTransaction.identifierNumberHolderSQL`).
    static let identifierNumberKey: String = {
        let scalars: [UInt32] = [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680,
                                 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008,
                                 0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000]
        return scalars.reduce("value") { "replace(\($0), char(\($1)), '')" }
    }()

    /// Identifier numbers whose spacing means nothing (IHI, Medicare, DVA) are found by their
    /// canonical form: "2953 41877 1" in a letter is the patient holding "2953418771".
    ///
    /// Knot now stores such numbers without white space; numbers stored before keep the form
    /// they were written in (their rows are sealed and audited as they are), and are found
    /// through this index on `(system, value without white space)`, the query removing the
    /// same white space from the stored value as Knot removes from the number looked up. Not
    /// UNIQUE: a clinic may already hold one number spaced and unspaced on two patients (the
    /// fault this fixes); Knot refuses a new one through the lookup.
    ///
    /// Only the schema's text changes (an index, no stored row): see `schemaTextOnly`.
    static func identifierNumbers(_ db: Database) throws {
        try db.execute(sql: "CREATE INDEX patient_identifier_number ON patient_identifier(system, \(identifierNumberKey))")
    }
}
