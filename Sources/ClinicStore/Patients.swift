import Foundation
import GRDB
import ClinicModel

extension StoreTransaction {
    static func patient(_ plain: Row) throws -> Patient {
        let row = plain.checked("patient")
        return try Patient(id: row["id"], recordNumber: row["record_number"], givenNames: row["given_names"],
                           familyName: row["family_name"], preferredName: row["preferred_name"],
                           dateOfBirth: row["date_of_birth"],
                           sex: row.enumeration("sex"), phone: row["phone"], email: row["email"],
                           address: row["address"], generalPractitioner: row["general_practitioner"],
                           archived: row["archived"])
    }

    /// The next free clinic record number, `K00001` style.
    public func nextRecordNumber() throws -> String {
        // The usual answer in one statement: the number after the highest id, and whether it is
        // free (`printf('K%05d')` writes what `recordNumber` writes for every n >= 0); read
        // straight through SQLite (`rowsBoundInPlace`), through GRDB when that cannot say.
        let next: Int64, taken: Bool?
        if let read = try rowsBoundInPlace(Self.nextRecordNumberInPlace, bind: { _ in }, read: { stmt -> (Int64, Int64)? in
            guard let m = InPlaceBinding.int64(stmt, 0), let e = InPlaceBinding.int64(stmt, 1) else { return nil }
            return (m, e)
        }), let (m, exists) = read.first {
            next = m
            taken = exists != 0
        } else {
            let first = try Row.fetchOne(db.cachedStatement(sql: Self.nextRecordNumberSQL))
            next = first?[0] ?? 1
            taken = first?[1]
        }
        if taken == false { return Self.recordNumber(next) }
        var n = next + 1
        while true {
            let candidate = Self.recordNumber(n)
            if try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM patient WHERE record_number = ?"), arguments: [candidate]) == nil {
                return candidate
            }
            n += 1
        }
    }

    static let nextRecordNumberSQL = """
        SELECT m, EXISTS (SELECT 1 FROM patient WHERE record_number = printf('K%05d', m))
        FROM (SELECT coalesce(max(id), 0) + 1 AS m FROM patient)
        """
    static let nextRecordNumberInPlace = InPlaceBinding.marker + " " + nextRecordNumberSQL

    /// `K` and the number, at least five digits (`String(format: "K%05lld", n)`, without
    /// Foundation's formatter: it was a tenth of the cost of inserting a patient).
    static func recordNumber(_ n: Int64) -> String {
        guard n >= 0 else { return String(format: "K%05lld", n) }
        let digits = String(n)
        return "K" + String(repeating: "0", count: max(0, 5 - digits.utf8.count)) + digits
    }

    /// Adds a patient with identifiers and alerts. An empty record number gets the next one.
    @discardableResult
    public func insertPatient(_ patient: Patient, actor: String, preservingID: Bool = false,
                              today: LocalDate = .today()) throws -> Patient {
        var p = patient
        // A number Knot chooses was just found free (`nextRecordNumber`): not looked up twice.
        let chosen = p.recordNumber.isEmpty
        if chosen { p.recordNumber = try nextRecordNumber() }
        if !modelChecked { do { try p.validate(today: today) } catch { throw StoreError.invalid(error) } }
        if !chosen, try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM patient WHERE record_number = ?"), arguments: [p.recordNumber]) != nil {
            throw StoreError.duplicate(entity: "patient", field: "record number", value: p.recordNumber)
        }
        // Numbers are stored in their canonical form ("2953 41877 1" as "2953418771").
        p.identifiers = p.identifiers.map(\.canonical)
        // An identifier just found free (matching a letter's patient) is not looked up twice.
        for ident in p.identifiers where !scratch.identifiersFree.contains(TransactionScratch.identifierKey(system: ident.system.rawValue, value: ident.value)) {
            if let other = try patientID(identifier: ident) {
                throw StoreError.duplicate(entity: "patient", field: "\(ident.system) identifier", value: "\(ident.value) (patient \(other))")
            }
        }
        let now = StoredDateText.databaseValue(Date())
        try deferSearchIndexing()
        // Bound in place (no `StatementArguments` per patient), each value as GRDB binds it.
        var insert = InPlaceBinding(try db.cachedStatement(sql: """
            /* bound in place */ INSERT INTO patient (id, record_number, given_names, family_name, preferred_name, date_of_birth, sex, phone, email, address, general_practitioner, archived, created_at, updated_at, sort_name)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """), direct: scratch.directSteps)
        insert.int(preservingID ? p.id : nil); insert.text(p.recordNumber); insert.text(p.givenNames); insert.text(p.familyName)
        insert.text(p.preferredName); insert.date(p.dateOfBirth); insert.text(p.sex.rawValue); insert.text(p.phone); insert.text(p.email)
        insert.text(p.address); insert.text(p.generalPractitioner); insert.bool(p.archived); insert.value(now); insert.value(now)
        // Folded once: the search prefixes' rows carry it too.
        let sortName = foldedSortName(family: p.familyName, given: p.givenNames)
        insert.text(sortName)
        try insert.execute()
        let id = lastID()
        p.id = id
        try indexSearchPrefixes(of: p, id: id, sortName: sortName)
        for ident in p.identifiers { try insertIdentifier(ident, patientID: id) }
        p.alerts = try p.alerts.map { try insertAlert($0, patientID: id, actor: nil) }
        try appendAudit(AuditEvent(actor: actor, action: .create, entity: "patient", entityID: id, patientID: id))
        scratch.patientOnFile = id
        return p
    }

    /// Stores an identifier of a patient, in its canonical form (`PatientIdentifier.canonical`).
    func insertIdentifier(_ given: PatientIdentifier, patientID: Int64) throws {
        let ident = given.canonical
        scratch.identifiersFree.remove(TransactionScratch.identifierKey(system: ident.system.rawValue, value: ident.value))
        var insert = InPlaceBinding(try db.cachedStatement(sql: "/* bound in place */ INSERT INTO patient_identifier (patient_id, system, value) VALUES (?, ?, ?)"), direct: scratch.directSteps)
        insert.int(patientID); insert.text(ident.system.rawValue); insert.text(ident.value)
        try insert.execute()
    }

    /// Changes demographics (identifiers may be added; alerts change through their own calls).
    public func updatePatient(_ patient: Patient, actor: String, today: LocalDate = .today()) throws {
        guard let id = patient.id, let old = try self.patient(id: id) else {
            throw StoreError.notFound(entity: "patient", key: patient.recordNumber)
        }
        do { try patient.validate(today: today) } catch { throw StoreError.invalid(error) }
        if patient.recordNumber != old.recordNumber,
           try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM patient WHERE record_number = ?"), arguments: [patient.recordNumber]) != nil {
            throw StoreError.duplicate(entity: "patient", field: "record number", value: patient.recordNumber)
        }
        try db.cachedStatement(sql: """
            UPDATE patient SET record_number = ?, given_names = ?, family_name = ?, preferred_name = ?, date_of_birth = ?,
              sex = ?, phone = ?, email = ?, address = ?, general_practitioner = ?, archived = ?, updated_at = ?, sort_name = ? WHERE id = ?
            """).execute(arguments: [patient.recordNumber, patient.givenNames, patient.familyName, patient.preferredName,
                             patient.dateOfBirth, patient.sex.rawValue, patient.phone, patient.email, patient.address,
                             patient.generalPractitioner, patient.archived, Date(),
                             Self.sortName(family: patient.familyName, given: patient.givenNames), id])
        try indexSearchPrefixes(patientID: id)
        // A number already on file (spaced or not) is not added again; one another patient
        // holds is refused, however it is spaced.
        for ident in patient.identifiers where !old.identifiers.contains(where: { $0.sameNumber(as: ident) }) {
            if let other = try patientID(identifier: ident), other != id {
                throw StoreError.duplicate(entity: "patient", field: "\(ident.system) identifier", value: "\(ident.canonicalValue) (patient \(other))")
            }
            try insertIdentifier(ident, patientID: id)
        }
        try appendAudit(AuditEvent(actor: actor, action: patient.archived && !old.archived ? .archive : .update,
                                   entity: "patient", entityID: id, patientID: id))
    }

    /// A patient with identifiers and alerts, or nil.
    public func patient(id: Int64) throws -> Patient? {
        guard var p = try Row.mapEach(db.cachedStatement(sql: "SELECT * FROM patient WHERE id = ?"), arguments: [id], Self.patient).first else { return nil }
        scratch.patientOnFile = id
        p.identifiers = try Row.mapEach(db.cachedStatement(sql: "SELECT id, system, value FROM patient_identifier WHERE patient_id = ? ORDER BY id"), arguments: [id]) {
            let i = $0.checked("patient_identifier")
            return try PatientIdentifier(system: .init(rawValue: i["system"]), value: i["value"])
        }
        p.alerts = try alerts(patientID: id)
        return p
    }

    /// Finds a patient by record number, or by numeric id when `key` is all digits.
    public func patient(key: String) throws -> Patient? {
        if let id = Int64(key), let p = try patient(id: id) { return p }
        if let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM patient WHERE record_number = ? COLLATE NOCASE"), arguments: [key]) {
            return try patient(id: id)
        }
        return nil
    }

    /// The patient holding an identifier, if any: for a number whose spacing means nothing
    /// (`PatientIdentifier.System.spacingIsInsignificant`), whoever holds it in canonical form or
    /// spaced as an older Knot stored it (the index `patient_identifier_number`); the lowest id
    /// when a clinic holds it on two patients. Other identifiers are matched as written.
    /// Read straight through SQLite (`rowsBoundInPlace`), through GRDB when that cannot say.
    public func patientID(identifier given: PatientIdentifier) throws -> Int64? {
        let identifier = given.canonical
        let byNumber = identifier.system.spacingIsInsignificant
        let held: Int64?
        if let ids = try rowsBoundInPlace(byNumber ? Self.identifierNumberHolderInPlace : Self.identifierHolderInPlace,
                                          bind: { $0.text(identifier.system.rawValue); $0.text(identifier.value) },
                                          read: { InPlaceBinding.int64($0, 0) }) {
            held = ids.first
        } else {
            held = try Int64.fetchOne(db.cachedStatement(sql: byNumber ? Self.identifierNumberHolderSQL : Self.identifierHolderSQL),
                                      arguments: [identifier.system.rawValue, identifier.value])
        }
        if held == nil { scratch.identifiersFree.insert(TransactionScratch.identifierKey(system: identifier.system.rawValue, value: identifier.value)) }
        return held
    }

    static let identifierHolderSQL = "SELECT patient_id FROM patient_identifier WHERE system = ? AND value = ?"
    static let identifierHolderInPlace = InPlaceBinding.marker + " " + identifierHolderSQL
    /// The holder of a number by its canonical form, through `patient_identifier_number` (the
    /// expression spelled exactly as the index spells it).
    static let identifierNumberHolderSQL = """
        SELECT patient_id FROM patient_identifier WHERE system = ? AND \(ClinicMigrations.identifierNumberKey) = ? ORDER BY patient_id LIMIT 1
        """
    static let identifierNumberHolderInPlace = InPlaceBinding.marker + " " + identifierNumberHolderSQL

    /// Patients with this date of birth and names equal once folded (`PersonNameKey`: case,
    /// accents, punctuation and spacing ignored).
    ///
    /// One range of `patient_birth_sort` (birth date, folded name): those whose folded name starts
    /// with the folded family name and a space, however many patients share the birth date; the
    /// stored names are checked again part by part, since the joined key cannot tell "van der" +
    /// "Berg" from "van" + "der Berg". The same range answers the doubtful match asked next
    /// (`patientIDs(familyName:dateOfBirth:)`), so it is kept for that one question, as long as
    /// nothing was written in between.
    public func patientIDs(familyName: String, givenNames: String, dateOfBirth: LocalDate) throws -> [Int64] {
        let family = PersonNameKey.fold(familyName), given = PersonNameKey.fold(givenNames)
        scratch.foldedNames = (familyName, givenNames, family, given)
        let sameFamily = try born(on: dateOfBirth, sortName: family + " ", prefix: true).filter { PersonNameKey.fold($0.family) == family }
        scratch.sameFamilyBorn = SameFamilyBorn(dateOfBirth: dateOfBirth, family: family, changes: db.totalChangesCount, ids: sameFamily.map(\.id))
        return sameFamily.filter { PersonNameKey.fold($0.given) == given }.map(\.id)
    }

    /// Patients with this date of birth and the same family name once folded (a doubtful match
    /// to report): the same folding as the exact match, so "MÜLLER" and "Muller" are Müller here too.
    /// One range of `patient_birth_sort`: the folded names that start with the folded family name
    /// and a space; not read again when the exact match just read it and nothing was written since.
    public func patientIDs(familyName: String, dateOfBirth: LocalDate) throws -> [Int64] {
        let family = PersonNameKey.fold(familyName)
        if let kept = scratch.sameFamilyBorn {
            scratch.sameFamilyBorn = nil
            if kept.dateOfBirth == dateOfBirth, kept.family == family, kept.changes == db.totalChangesCount { return kept.ids }
        }
        return try born(on: dateOfBirth, sortName: family + " ", prefix: true).filter { PersonNameKey.fold($0.family) == family }.map(\.id)
    }

    /// Those born on a day whose folded name (`sort_name`) is `sortName`, or starts with it.
    private func born(on dateOfBirth: LocalDate, sortName: String, prefix: Bool) throws -> [(id: Int64, family: String, given: String)] {
        // A prefix is a range of the index: from the prefix up to the same text ending in the
        // next character after its last (a space, so "!"). Read straight through SQLite
        // (`rowsBoundInPlace`), through GRDB when that cannot say.
        if prefix, let found = try rowsBoundInPlace(Self.bornInRangeInPlace, bind: {
            $0.date(dateOfBirth); $0.text(sortName); $0.text(String(sortName.dropLast()) + "!")
        }, read: { stmt -> (id: Int64, family: String, given: String)? in
            guard let id = InPlaceBinding.int64(stmt, 0), let family = InPlaceBinding.text(stmt, 1), let given = InPlaceBinding.text(stmt, 2) else { return nil }
            return (id, family, given)
        }) {
            return found
        }
        let rows = prefix
            ? try Row.fetchAll(db.cachedStatement(sql: Self.bornInRangeSQL), arguments: [dateOfBirth, sortName, String(sortName.dropLast()) + "!"])
            : try Row.fetchAll(db.cachedStatement(sql: """
                SELECT id, family_name, given_names FROM patient
                WHERE date_of_birth = ? AND sort_name = ? ORDER BY id
                """), arguments: [dateOfBirth, sortName])
        return try rows.map {
            let p = $0.checked("patient")
            return try (id: p["id"], family: p["family_name"], given: p["given_names"])
        }
    }
}

extension StoreTransaction {
    static let bornInRangeSQL = """
        SELECT id, family_name, given_names FROM patient
        WHERE date_of_birth = ? AND sort_name >= ? AND sort_name < ? ORDER BY id
        """
    static let bornInRangeInPlace = InPlaceBinding.marker + " " + bornInRangeSQL
}

extension StoreTransaction {
    /// `sortName(family:given:)`, from the folds the exact name match just made when it was
    /// asked of the same names (byte for byte), else folded here.
    func foldedSortName(family: String, given: String) -> String {
        if let folded = scratch.foldedNames, folded.family.utf8.elementsEqual(family.utf8), folded.given.utf8.elementsEqual(given.utf8) {
            return folded.familyKey + " " + folded.givenKey
        }
        return Self.sortName(family: family, given: given)
    }

    /// The key patients are listed by: family then given names folded by `PersonNameKey`
    /// ("O'Brien, Siobhán" → "obrien siobhan"), so Álvarez sorts with A. Also indexed for
    /// search, so "obrien" finds O'Brien and "muller" finds Müller.
    public static func sortName(family: String, given: String) -> String {
        PersonNameKey.fold(family) + " " + PersonNameKey.fold(given)
    }
}
