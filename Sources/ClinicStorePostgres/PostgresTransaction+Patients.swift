import Foundation
import ClinicModel
import PostgresNIO

/// Patients on PostgreSQL: the same rows and audit events as the SQLite store; search through
/// the generated `search_document` tsvector (GIN) instead of SQLite's FTS5 table.
extension PostgresTransaction {
    private static let patientColumns = """
        id, record_number, given_names, family_name, preferred_name, date_of_birth, sex, phone, email, address,
          general_practitioner, archived
        """

    private func patientRow(_ row: PostgresRow) throws -> Patient {
        let (id, record, given, family, preferred, born, sex, phone, email, address, gp, archived) = try decode(
            row, (Int64, String, String, String, String?, String, String, String?, String?, String?, String?, Int16).self, table: "patient")
        return Patient(id: id, recordNumber: record, givenNames: given, familyName: family, preferredName: preferred,
                       dateOfBirth: try localDate(born, table: "patient", row: id, column: "date_of_birth"),
                       sex: try enumeration(sex, table: "patient", row: id, column: "sex"), phone: phone, email: email,
                       address: address, generalPractitioner: gp, archived: archived != 0)
    }

    /// The key patients are listed by (the SQLite store's `sortName`): folded family then given names.
    static func sortName(family: String, given: String) -> String {
        PersonNameKey.fold(family) + " " + PersonNameKey.fold(given)
    }

    /// The next free clinic record number, `K00001` style.
    func nextRecordNumber() throws -> String {
        var n = try value("SELECT coalesce(max(id), 0) + 1 FROM patient", as: Int64.self) ?? 1
        while true {
            let candidate = String(format: "K%05lld", n)
            if try query("SELECT 1 FROM patient WHERE record_number = \(candidate)").isEmpty { return candidate }
            n += 1
        }
    }

    /// Adds a patient with identifiers and alerts. An empty record number gets the next one.
    @discardableResult
    public func insertPatient(_ patient: Patient, actor: String, preservingID: Bool, today: LocalDate) throws -> Patient {
        var p = patient
        if p.recordNumber.isEmpty { p.recordNumber = try nextRecordNumber() }
        do { try p.validate(today: today) } catch { throw PostgresStoreError.invalid(error) }
        if !(try query("SELECT 1 FROM patient WHERE record_number = \(p.recordNumber)").isEmpty) {
            throw PostgresStoreError.duplicate(entity: "patient", field: "record number", value: p.recordNumber)
        }
        // Numbers are stored in their canonical form ("2953 41877 1" as "2953418771").
        p.identifiers = p.identifiers.map(\.canonical)
        for ident in p.identifiers {
            if let other = try patientID(identifier: ident) {
                throw PostgresStoreError.duplicate(entity: "patient", field: "\(ident.system) identifier", value: "\(ident.value) (patient \(other))")
            }
        }
        let now = PGText.timestamp(Date())
        let id = try insertReturningID("""
            INSERT INTO patient (id, record_number, given_names, family_name, preferred_name, date_of_birth, sex, phone, email, address,
              general_practitioner, archived, created_at, updated_at, sort_name)
            VALUES (coalesce(\(preservingID ? p.id : nil), nextval(pg_get_serial_sequence('patient', 'id'))),
                    \(p.recordNumber), \(p.givenNames), \(p.familyName), \(p.preferredName), \(p.dateOfBirth.description),
                    \(p.sex.rawValue), \(p.phone), \(p.email), \(p.address), \(p.generalPractitioner), \(Int16(p.archived ? 1 : 0)),
                    \(now), \(now), \(Self.sortName(family: p.familyName, given: p.givenNames)))
            RETURNING id
            """, table: "patient")
        if preservingID { try advanceIdentity("patient") }
        p.id = id
        for ident in p.identifiers { try insertIdentifier(ident, patientID: id) }
        p.alerts = try p.alerts.map { try insertAlert($0, patientID: id, actor: nil) }
        try appendAudit(AuditEvent(actor: actor, action: .create, entity: "patient", entityID: id, patientID: id))
        return p
    }

    /// Stores an identifier of a patient, in its canonical form (`PatientIdentifier.canonical`).
    private func insertIdentifier(_ given: PatientIdentifier, patientID: Int64) throws {
        let ident = given.canonical
        try execute("INSERT INTO patient_identifier (patient_id, system, value) VALUES (\(patientID), \(ident.system.rawValue), \(ident.value))")
    }

    /// Adds an alert to a patient (audited when `actor` is given).
    @discardableResult
    public func insertAlert(_ alert: PatientAlert, patientID: Int64, actor: String?) throws -> PatientAlert {
        let (kind, precaution): (String, String?) = switch alert.kind {
        case .precaution(let p): ("precaution", p.rawValue)
        case .allergy: ("allergy", nil)
        case .other: ("other", nil)
        }
        var a = alert
        a.id = try insertReturningID("""
            INSERT INTO patient_alert (patient_id, kind, precaution, text, status, source, created_at, dismiss_reason)
            VALUES (\(patientID), \(kind), \(precaution), \(alert.text), \(alert.status.rawValue), \(alert.source),
                    \(PGText.timestamp(Date())), \(alert.status == .dismissed ? alert.dismissReason : nil))
            RETURNING id
            """, table: "patient_alert")
        if let actor {
            try appendAudit(AuditEvent(actor: actor, action: .create, entity: "alert", entityID: a.id, patientID: patientID))
        }
        return a
    }

    /// Confirms or dismisses an alert; a dismissal keeps its reason (stored and audited).
    public func setAlertStatus(alertID: Int64, status: AlertStatus, dismissReason: String?, actor: String) throws {
        guard let pid = try value("SELECT patient_id FROM patient_alert WHERE id = \(alertID)", as: Int64.self, table: "patient_alert") else {
            throw PostgresStoreError.notFound(entity: "alert", key: String(alertID))
        }
        let reason = status == .dismissed ? dismissReason : nil
        try execute("UPDATE patient_alert SET status = \(status.rawValue), dismiss_reason = \(reason) WHERE id = \(alertID)")
        try appendAudit(AuditEvent(actor: actor, action: .update, entity: "alert", entityID: alertID, patientID: pid,
                                   detail: reason.map { "\(status.rawValue): \($0)" } ?? status.rawValue))
    }

    /// Changes demographics (identifiers may be added; alerts change through their own calls).
    public func updatePatient(_ patient: Patient, actor: String, today: LocalDate) throws {
        guard let id = patient.id, let old = try self.patient(id: id) else {
            throw PostgresStoreError.notFound(entity: "patient", key: patient.recordNumber)
        }
        do { try patient.validate(today: today) } catch { throw PostgresStoreError.invalid(error) }
        if patient.recordNumber != old.recordNumber,
           !(try query("SELECT 1 FROM patient WHERE record_number = \(patient.recordNumber)").isEmpty) {
            throw PostgresStoreError.duplicate(entity: "patient", field: "record number", value: patient.recordNumber)
        }
        try execute("""
            UPDATE patient SET record_number = \(patient.recordNumber), given_names = \(patient.givenNames), family_name = \(patient.familyName),
              preferred_name = \(patient.preferredName), date_of_birth = \(patient.dateOfBirth.description), sex = \(patient.sex.rawValue),
              phone = \(patient.phone), email = \(patient.email), address = \(patient.address),
              general_practitioner = \(patient.generalPractitioner), archived = \(Int16(patient.archived ? 1 : 0)),
              updated_at = \(PGText.timestamp(Date())), sort_name = \(Self.sortName(family: patient.familyName, given: patient.givenNames))
            WHERE id = \(id)
            """)
        // A number already on file (spaced or not) is not added again; one another patient
        // holds is refused, however it is spaced.
        for ident in patient.identifiers where !old.identifiers.contains(where: { $0.sameNumber(as: ident) }) {
            if let other = try patientID(identifier: ident), other != id {
                throw PostgresStoreError.duplicate(entity: "patient", field: "\(ident.system) identifier", value: "\(ident.canonicalValue) (patient \(other))")
            }
            try insertIdentifier(ident, patientID: id)
        }
        try appendAudit(AuditEvent(actor: actor, action: patient.archived && !old.archived ? .archive : .update,
                                   entity: "patient", entityID: id, patientID: id))
    }

    /// A patient with identifiers and alerts, or nil.
    public func patient(id: Int64) throws -> Patient? {
        guard let row = try query("SELECT \(unescaped: Self.patientColumns) FROM patient WHERE id = \(id)").first else { return nil }
        var p = try patientRow(row)
        p.identifiers = try query("SELECT system, value FROM patient_identifier WHERE patient_id = \(id) ORDER BY id").map { row in
            let (system, value) = try decode(row, (String, String).self, table: "patient_identifier")
            return PatientIdentifier(system: .init(rawValue: system), value: value)
        }
        p.alerts = try query("""
            SELECT id, kind, precaution, text, status, source, dismiss_reason FROM patient_alert WHERE patient_id = \(id) ORDER BY id
            """).map { row in
            let (alertID, code, precaution, text, status, source, reason) = try decode(
                row, (Int64, String, String?, String, String, String, String?).self, table: "patient_alert")
            let kind: PatientAlert.Kind
            switch code {
            case "precaution":
                kind = .precaution(try enumeration(precaution ?? "", table: "patient_alert", row: alertID, column: "precaution"))
            case "allergy": kind = .allergy
            case "other": kind = .other
            default:
                throw PostgresStoreError.damaged(table: "patient_alert", row: String(alertID), column: "kind", problem: "'\(code)' is not a known kind of alert")
            }
            return PatientAlert(id: alertID, kind: kind, text: text,
                                status: try enumeration(status, table: "patient_alert", row: alertID, column: "status"),
                                source: source, dismissReason: reason)
        }
        return p
    }

    /// A patient by record number (ignoring case), or by numeric id when `key` is all digits.
    public func patient(key: String) throws -> Patient? {
        if let id = Int64(key), let p = try patient(id: id) { return p }
        if let id = try value("SELECT id FROM patient WHERE lower(record_number) = lower(\(key)) ORDER BY id LIMIT 1", as: Int64.self) {
            return try patient(id: id)
        }
        return nil
    }

    /// The patient holding an identifier, if any: for a number whose spacing means nothing
    /// (`PatientIdentifier.System.spacingIsInsignificant`), whoever holds it in canonical form or
    /// spaced as an older Knot stored it (the index `patient_identifier_number`); the lowest id
    /// when a clinic holds it on two patients. Other identifiers are matched as written.
    public func patientID(identifier given: PatientIdentifier) throws -> Int64? {
        let identifier = given.canonical
        if identifier.system.spacingIsInsignificant {
            return try value("""
                SELECT patient_id FROM patient_identifier
                WHERE system = \(identifier.system.rawValue) AND \(unescaped: PGMigration.identifierNumberKey) = \(identifier.value)
                ORDER BY patient_id LIMIT 1
                """, as: Int64.self, table: "patient_identifier")
        }
        return try value("SELECT patient_id FROM patient_identifier WHERE system = \(identifier.system.rawValue) AND value = \(identifier.value)",
                         as: Int64.self, table: "patient_identifier")
    }

    /// Patients with this date of birth and names equal once folded (`PersonNameKey`).
    public func patientIDs(familyName: String, givenNames: String, dateOfBirth: LocalDate) throws -> [Int64] {
        let family = PersonNameKey.fold(familyName), given = PersonNameKey.fold(givenNames)
        return try born(on: dateOfBirth, .sortName(Self.sortName(family: familyName, given: givenNames))).filter {
            PersonNameKey.fold($0.familyName) == family && PersonNameKey.fold($0.givenNames) == given
        }.map(\.id)
    }

    /// Patients with this date of birth and the same family name once folded.
    public func patientIDs(familyName: String, dateOfBirth: LocalDate) throws -> [Int64] {
        let family = PersonNameKey.fold(familyName)
        return try born(on: dateOfBirth, .sortNamePrefix(family + " ")).filter { PersonNameKey.fold($0.familyName) == family }.map(\.id)
    }

    /// Which patients born on a day: those whose folded name is, or starts with, a text; or all not merged away.
    private enum BornFilter { case sortName(String), sortNamePrefix(String), notMerged }

    private func born(on day: LocalDate, _ filter: BornFilter) throws -> [DuplicateMatching.Born] {
        let date = day.description
        let rows: [PostgresRow]
        switch filter {
        case .sortName(let name):
            rows = try query("SELECT id, family_name, given_names FROM patient WHERE date_of_birth = \(date) AND sort_name = \(name) ORDER BY id")
        case .sortNamePrefix(let prefix):
            rows = try query("""
                SELECT id, family_name, given_names FROM patient WHERE date_of_birth = \(date) AND starts_with(sort_name, \(prefix)) ORDER BY id
                """)
        case .notMerged:
            rows = try query("SELECT id, family_name, given_names FROM patient WHERE date_of_birth = \(date) AND merged_into IS NULL ORDER BY id")
        }
        return try rows.map { row in
            let (id, family, given) = try decode(row, (Int64, String, String).self, table: "patient")
            return DuplicateMatching.Born(id: id, familyName: family, givenNames: given)
        }
    }

    /// Patients who may be the same person: same identifier, or same birth date and a similar name.
    public func duplicateCandidates(of patient: Patient) throws -> [DuplicateCandidate] {
        var holders: [(PatientIdentifier, Int64)] = []
        for ident in patient.identifiers {
            if let id = try patientID(identifier: ident) { holders.append((ident, id)) }
        }
        let sameDay = try born(on: patient.dateOfBirth, .notMerged)
        return try DuplicateMatching.candidates(of: patient, identifierHolders: holders, bornSameDay: sameDay).compactMap { id, reasons in
            guard let p = try self.patient(id: id), try mergedInto(patientID: id) == nil else { return nil }
            return DuplicateCandidate(patient: PatientSummary(p), reasons: reasons)
        }
    }

    /// The patient a record was merged into, if it was.
    public func mergedInto(patientID: Int64) throws -> Int64? {
        try value("SELECT merged_into FROM patient WHERE id = \(patientID)", as: Int64.self, table: "patient")
    }

    /// Patient ids in id order (optionally only those with changes since `since`).
    public func patientIDs(changedSince since: Date?) throws -> [Int64] {
        guard let since else { return try values("SELECT id FROM patient ORDER BY id", as: Int64.self, table: "patient") }
        let at = PGText.timestamp(since)
        return try values("""
            SELECT id FROM patient WHERE updated_at >= \(at) OR id IN (SELECT patient_id FROM visit WHERE started_at >= \(at)) ORDER BY id
            """, as: Int64.self, table: "patient")
    }

    static let summaryColumns = """
        p.id, p.record_number, p.given_names, p.family_name, p.date_of_birth, p.phone, p.archived,
          (SELECT count(*) FROM patient_alert a WHERE a.patient_id = p.id AND a.status <> 'dismissed')
        """

    func summary(_ row: PostgresRow) throws -> PatientSummary {
        let (id, record, given, family, born, phone, archived, alerts) = try decode(
            row, (Int64, String, String, String, String, String?, Int16, Int64).self, table: "patient")
        return PatientSummary(id: id, recordNumber: record, givenNames: given, familyName: family,
                              dateOfBirth: try localDate(born, table: "patient", row: id, column: "date_of_birth"),
                              phone: phone, alertCount: Int(alerts), archived: archived != 0)
    }

    /// Patients by name, archived ones hidden unless asked for.
    public func patientSummaries(includeArchived: Bool, limit: Int, offset: Int) throws -> [PatientSummary] {
        try query("""
            SELECT \(unescaped: Self.summaryColumns) FROM patient p \(unescaped: includeArchived ? "" : "WHERE p.archived = 0")
            ORDER BY p.sort_name, p.id LIMIT \(limit) OFFSET \(offset)
            """).map(summary)
    }

    /// How many patients there are.
    public func patientCount(includeArchived: Bool) throws -> Int {
        Int(try value("SELECT count(*) FROM patient \(unescaped: includeArchived ? "" : "WHERE archived = 0")", as: Int64.self) ?? 0)
    }

    /// Patients each of whose typed words prefix-matches a name, the record number, the phone
    /// digits or the date of birth, in name order (the `search_document` GIN index).
    public func searchPatients(_ text: String, includeArchived: Bool, limit: Int) throws -> [PatientSummary] {
        guard let match = PatientSearchQuery.tsquery(PatientSearchTerm.terms(in: text)) else {
            return try patientSummaries(includeArchived: includeArchived, limit: limit, offset: 0)
        }
        return try query("""
            SELECT \(unescaped: Self.summaryColumns) FROM patient p
            WHERE p.search_document @@ to_tsquery('simple', \(match)) \(unescaped: includeArchived ? "" : "AND p.archived = 0")
            ORDER BY p.sort_name, p.id LIMIT \(limit)
            """).map(summary)
    }

    /// Rows that belong to a patient, per table (every foreign key to `patient`, from the catalogue).
    public func rowsBelonging(toPatient id: Int64) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for (table, column) in try patientReferences() {
            let n = try value("SELECT count(*) FROM \(unescaped: table) WHERE \(unescaped: column) = \(id)", as: Int64.self) ?? 0
            counts[table, default: 0] += Int(n)
        }
        return counts
    }

    /// Every (table, column) with a foreign key to `patient`, but patient's own.
    func patientReferences() throws -> [(String, String)] {
        try query("""
            SELECT c.conrelid::regclass::text, a.attname::text FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f' AND c.confrelid = 'patient'::regclass AND c.conrelid <> 'patient'::regclass ORDER BY 1, 2
            """).map { try decode($0, (String, String).self, table: "") }
    }
}

/// The search terms (`PatientSearchTerm`, the one reading of what was typed, shared with the
/// SQLite store) as a PostgreSQL `tsquery` over the patient's `search_document`: every term
/// ANDed; words, digits and day-first dates prefix-matched (`'smi':*`; 17/05/1980 as its
/// DDMMYYYY word); a year-first date as its three parts. Only letters and digits reach the
/// query, so nothing typed changes its meaning.
enum PatientSearchQuery {
    static func tsquery(_ terms: [PatientSearchTerm]) -> String? {
        let rendered: [String] = terms.compactMap { term in
            switch term {
            case .word(let word): word.contains("'") || word.contains("\\") ? nil : "'\(word)':*"  // never, as words are letters and digits
            case .digits(let digits): "'\(digits)':*"
            case .dayMonthYear(let day, let month, let year): "'\(day + month + year)':*"
            case .yearMonthDay(let year, let month, let day): "'\(year)' & '\(month)' & '\(day)'"
            }
        }
        return rendered.isEmpty ? nil : rendered.joined(separator: " & ")
    }

/// Typed text as a PostgreSQL `tsquery` over the patient's `search_document`, with the SQLite
/// store's rules: every word prefix-matched and ANDed, names folded (`PersonNameKey`), digits
/// typed in groups joined (a phone), 17/05/1980 as its DDMMYYYY word, 1980-05-17 as its three
/// parts. Only letters and digits reach the query, so nothing typed changes its meaning.
}

/// Merging patients, and untrusted-import marks, as the SQLite store does them.
extension PostgresTransaction {
    /// Marks OTHER merged into KEEP (archived) and moves every row of OTHER to KEEP (every
    /// foreign key to `patient`, from the catalogue); rows moved per table. The mark is set first,
    /// so signed visits move through the one exception the rules allow.
    public func mergePatient(keepID: Int64, otherID: Int64, actor: String, detail: String) throws -> [String: Int] {
        guard keepID != otherID else { throw PostgresStoreError.constraint(message: "a patient cannot be merged into itself") }
        guard try patient(id: keepID) != nil else { throw PostgresStoreError.notFound(entity: "patient", key: String(keepID)) }
        guard try patient(id: otherID) != nil else { throw PostgresStoreError.notFound(entity: "patient", key: String(otherID)) }
        try execute("UPDATE patient SET merged_into = \(keepID), archived = 1, updated_at = \(PGText.timestamp(Date())) WHERE id = \(otherID)")
        var moved: [String: Int] = [:]
        for (table, column) in try patientReferences() {
            moved[table, default: 0] += try execute("UPDATE \(unescaped: table) SET \(unescaped: column) = \(keepID) WHERE \(unescaped: column) = \(otherID)")
        }
        moved["form_draft", default: 0] += try execute("""
            UPDATE form_draft SET slot = \(FormDraftSlot.patient(keepID).rawValue) WHERE slot = \(FormDraftSlot.patient(otherID).rawValue)
            """)
        try appendAudit(AuditEvent(actor: actor, action: .archive, entity: "patient", entityID: otherID, patientID: otherID,
                                   detail: "merged into patient \(keepID)"))
        try appendAudit(AuditEvent(actor: actor, action: .update, entity: "patient", entityID: keepID, patientID: keepID, detail: detail))
        return moved
    }

    /// Marks a patient (archived) as merged into another, moving nothing (a records import).
    public func markMerged(patientID: Int64, into keepID: Int64) throws {
        try execute("UPDATE patient SET merged_into = \(keepID), archived = 1 WHERE id = \(patientID)")
    }

    /// Marks a patient or visit as imported from an untrusted export (the first mark is kept).
    public func markUntrustedImport(entity: String, id: Int64, mark: UntrustedImport) throws {
        try execute("""
            INSERT INTO untrusted_import (entity, entity_id, imported_at, file, reason)
            VALUES (\(entity), \(id), \(PGText.timestamp(mark.importedAt)), \(String(mark.file.prefix(4096))), \(String(mark.reason.prefix(4000))))
            ON CONFLICT (entity, entity_id) DO NOTHING
            """)
    }

    /// Every untrusted-import mark: the kind ("patient" or "visit"), the record's id, the patient
    /// it belongs to, and the mark; by kind then id.
    public func untrustedImports() throws -> [(entity: String, id: Int64, patientID: Int64?, mark: UntrustedImport)] {
        try query("""
            SELECT u.entity, u.entity_id, u.imported_at, u.file, u.reason,
                   CASE u.entity WHEN 'patient' THEN u.entity_id ELSE (SELECT v.patient_id FROM visit v WHERE v.id = u.entity_id) END
            FROM untrusted_import u ORDER BY u.entity, u.entity_id
            """).map { row in
            let (entity, id, at, file, reason, patientID) = try decode(row, (String, Int64, String, String, String, Int64?).self, table: "untrusted_import")
            return (entity, id, patientID,
                    UntrustedImport(importedAt: try timestamp(at, table: "untrusted_import", row: id, column: "imported_at"), file: file, reason: reason))
        }
    }

    /// The untrusted-import mark of a patient or visit, if it has one.
    public func untrustedImport(entity: String, id: Int64) throws -> UntrustedImport? {
        guard let row = try query("SELECT imported_at, file, reason FROM untrusted_import WHERE entity = \(entity) AND entity_id = \(id)").first else {
            return nil
        }
        let (at, file, reason) = try decode(row, (String, String, String).self, table: "untrusted_import")
        return UntrustedImport(importedAt: try timestamp(at, table: "untrusted_import", row: nil, column: "imported_at"), file: file, reason: reason)
    }
}

extension PostgresTransaction {
    /// Everything for one patient, for export: the SQLite store's record, put together from the
    /// per-area reads (referrals with their letters, consents, screens, visits, and the
    /// amendments and plan versions of each visit), in the same orders.
    public func patientRecord(id: Int64) throws -> PatientRecord? {
        guard let p = try patient(id: id) else { return nil }
        let visits = try visits(patientID: id)
        let visitIDs = visits.compactMap(\.id).sorted()
        var amendments: [Amendment] = []
        var plans: [FollowUpPlan] = []
        for visitID in visitIDs {
            amendments += try self.amendments(visitID: visitID)
            plans += try self.plans(visitID: visitID)
        }
        var record = PatientRecord(
            patient: p, referrals: try referralStatuses(patientID: id, withLetters: true).map(\.referral).sorted { ($0.id ?? 0) < ($1.id ?? 0) },
            consents: try consents(patientID: id), screens: try screens(patientID: id), visits: visits,
            amendments: amendments.sorted { ($0.id ?? 0) < ($1.id ?? 0) }, plans: plans)
        record.mergedInto = try mergedInto(patientID: id).flatMap { try patient(id: $0)?.recordNumber }
        return record
    }
}
