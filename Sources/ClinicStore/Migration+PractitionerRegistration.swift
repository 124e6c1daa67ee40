import GRDB

extension ClinicMigrations {
    /// A practitioner's registration body (AHPRA, HCPC, NPI or another register's name) beside
    /// the number, and a Medicare or insurer provider number (issue 16): every letter and plan
    /// signs "Name, Profession, BODY registration NUMBER".
    ///
    /// Both columns are NULL on accounts made before (the number stays as it was typed). SQLite
    /// holds the rules a reader of the letter relies on: a body never without a number, the
    /// formats of the registers Knot knows (AHPRA three letters and ten digits; HCPC two letters
    /// and digits; NPI ten digits, its Luhn check digit checked by the model), the lengths, and
    /// no line breaks.
    static func practitionerRegistration(_ db: Database) throws {
        try db.execute(sql: """
        ALTER TABLE practitioner ADD COLUMN registration_body TEXT
          CHECK (registration_body IS NULL OR (
            length(trim(registration_body)) BETWEEN 1 AND 60
            AND instr(registration_body, char(10)) = 0 AND instr(registration_body, char(13)) = 0
            AND registration_number IS NOT NULL AND length(trim(registration_number)) BETWEEN 1 AND 40
            AND (upper(registration_body) <> 'AHPRA'
                 OR registration_number GLOB '[A-Z][A-Z][A-Z][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]')
            AND (upper(registration_body) <> 'HCPC'
                 OR (length(registration_number) BETWEEN 3 AND 12 AND registration_number GLOB '[A-Z][A-Z][0-9]*'
                     AND substr(registration_number, 3) NOT GLOB '*[^0-9]*'))
            AND (upper(registration_body) <> 'NPI'
                 OR registration_number GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]')));
        ALTER TABLE practitioner ADD COLUMN provider_number TEXT
          CHECK (provider_number IS NULL OR (length(trim(provider_number)) BETWEEN 1 AND 20
                                             AND provider_number NOT GLOB '*[^A-Za-z0-9 -]*'));
        CREATE TRIGGER practitioner_registration_number_insert BEFORE INSERT ON practitioner
        WHEN NEW.registration_number IS NOT NULL AND (length(NEW.registration_number) > 40
          OR instr(NEW.registration_number, char(10)) > 0 OR instr(NEW.registration_number, char(13)) > 0)
        BEGIN SELECT RAISE(ABORT, 'a registration number is one line of at most 40 characters'); END;
        CREATE TRIGGER practitioner_registration_number_update BEFORE UPDATE OF registration_number ON practitioner
        WHEN NEW.registration_number IS NOT NULL AND (length(NEW.registration_number) > 40
          OR instr(NEW.registration_number, char(10)) > 0 OR instr(NEW.registration_number, char(13)) > 0)
        BEGIN SELECT RAISE(ABORT, 'a registration number is one line of at most 40 characters'); END;
        """)
    }
}
