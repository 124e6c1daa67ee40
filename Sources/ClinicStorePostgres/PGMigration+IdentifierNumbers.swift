extension PGMigration {
    /// The canonical form of a stored identifier's value in SQL: the value without the Unicode
    /// white space `PatientIdentifier.canonicalValue` removes (`PatientIdentifier.whiteSpaceScalars`,
    /// removed by `translate`, which is immutable). Frozen: it is the expression
    /// `pg5-identifier-numbers` indexes, and a query uses that index only when it spells the
    /// expression so (`PostgresTransaction.patientID(identifier:)`).
    static let identifierNumberKey: String = {
        let scalars: [UInt32] = [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680,
                                 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008,
                                 0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000]
        let escaped = scalars.map { "\\" + String(repeating: "0", count: 4 - String($0, radix: 16).count) + String($0, radix: 16, uppercase: true) }
        return "translate(value, U&'\(escaped.joined())', '')"
    }()

    /// Identifier numbers whose spacing means nothing (IHI, Medicare, DVA) are found by their
    /// canonical form, as the SQLite store's `v9-identifier-numbers` finds them: an index on
    /// `(system, value without white space)`, not UNIQUE (a clinic may already hold one number
    /// spaced and unspaced on two patients); Knot refuses a new one through the lookup.
    static let identifierNumbers = PGMigration(name: "pg5-identifier-numbers", statements: [
        "CREATE INDEX patient_identifier_number ON patient_identifier (system, (\(identifierNumberKey)))",
    ])
}
