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
        let next = (try Int64.fetchOne(db.cachedStatement(sql: "SELECT coalesce(max(id), 0) + 1 FROM patient")) ?? 1)
        var n = next
        while true {
            let candidate = String(format: "K%05lld", n)
            if try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM patient WHERE record_number = ?"), arguments: [candidate]) == nil {
                return candidate
            }
            n += 1
        }
    }

    /// Adds a patient with identifiers and alerts. An empty record number gets the next one.
    @discardableResult
    public func insertPatient(_ patient: Patient, actor: String, preservingID: Bool = false,
                              today: LocalDate = .today()) throws -> Patient {
        var p = patient
        if p.recordNumber.isEmpty { p.recordNumber = try nextRecordNumber() }
        do { try p.validate(today: today) } catch { throw StoreError.invalid(error) }
        if try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM patient WHERE record_number = ?"), arguments: [p.recordNumber]) != nil {
            throw StoreError.duplicate(entity: "patient", field: "record number", value: p.recordNumber)
        }
        for ident in p.identifiers {
            if let other = try Int64.fetchOne(db.cachedStatement(sql: "SELECT patient_id FROM patient_identifier WHERE system = ? AND value = ?"), arguments: [ident.system.rawValue, ident.value]) {
                throw StoreError.duplicate(entity: "patient", field: "\(ident.system) identifier", value: "\(ident.value) (patient \(other))")
            }
        }
        let now = Date()
        try db.cachedStatement(sql: """
            INSERT INTO patient (id, record_number, given_names, family_name, preferred_name, date_of_birth, sex, phone, email, address, general_practitioner, archived, created_at, updated_at, sort_name)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [preservingID ? p.id : nil, p.recordNumber, p.givenNames, p.familyName, p.preferredName,
                             p.dateOfBirth, p.sex.rawValue, p.phone, p.email, p.address,
                             p.generalPractitioner, p.archived, now, now, Self.sortName(family: p.familyName, given: p.givenNames)])
        let id = lastID()
        p.id = id
        try indexSearchPrefixes(patientID: id)
        for ident in p.identifiers { try insertIdentifier(ident, patientID: id) }
        p.alerts = try p.alerts.map { try insertAlert($0, patientID: id, actor: nil) }
        try appendAudit(AuditEvent(actor: actor, action: .create, entity: "patient", entityID: id, patientID: id))
        return p
    }

    func insertIdentifier(_ ident: PatientIdentifier, patientID: Int64) throws {
        try db.cachedStatement(sql: "INSERT INTO patient_identifier (patient_id, system, value) VALUES (?, ?, ?)").execute(arguments: [patientID, ident.system.rawValue, ident.value])
    }

    /// Adds an alert to a patient (audited when `actor` is given).
    @discardableResult
    public func insertAlert(_ alert: PatientAlert, patientID: Int64, actor: String?) throws -> PatientAlert {
        let (kind, precaution): (String, String?) = switch alert.kind {
        case .precaution(let p): ("precaution", p.rawValue)
        case .allergy: ("allergy", nil)
        case .other: ("other", nil)
        }
        try db.cachedStatement(sql: """
            INSERT INTO patient_alert (patient_id, kind, precaution, text, status, source, created_at, dismiss_reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [patientID, kind, precaution, alert.text, alert.status.rawValue, alert.source, Date(),
                                     alert.status == .dismissed ? alert.dismissReason : nil])
        var a = alert
        a.id = lastID()
        if let actor {
            try appendAudit(AuditEvent(actor: actor, action: .create, entity: "alert", entityID: a.id, patientID: patientID))
        }
        return a
    }

    /// Confirms or dismisses an alert (a proposed alert from a referral, typically).
    ///
    /// A dismissal keeps `dismissReason` on the alert and in the audit event's detail
    /// ("dismissed: REASON"); SQLite refuses a dismissal without one. Any other status clears
    /// the reason (the audit trail keeps it).
    public func setAlertStatus(alertID: Int64, status: AlertStatus, dismissReason: String? = nil, actor: String) throws {
        guard let pid = try Int64.fetchOne(db.cachedStatement(sql: "SELECT patient_id FROM patient_alert WHERE id = ?"), arguments: [alertID]) else {
            throw StoreError.notFound(entity: "alert", key: String(alertID))
        }
        let reason = status == .dismissed ? dismissReason : nil
        try db.cachedStatement(sql: "UPDATE patient_alert SET status = ?, dismiss_reason = ? WHERE id = ?")
            .execute(arguments: [status.rawValue, reason, alertID])
        try appendAudit(AuditEvent(actor: actor, action: .update, entity: "alert", entityID: alertID, patientID: pid,
                                   detail: reason.map { "\(status.rawValue): \($0)" } ?? status.rawValue))
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
        for ident in patient.identifiers where !old.identifiers.contains(ident) {
            try insertIdentifier(ident, patientID: id)
        }
        try appendAudit(AuditEvent(actor: actor, action: patient.archived && !old.archived ? .archive : .update,
                                   entity: "patient", entityID: id, patientID: id))
    }

    /// A patient with identifiers and alerts, or nil.
    public func patient(id: Int64) throws -> Patient? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM patient WHERE id = ?"), arguments: [id]) else { return nil }
        var p = try Self.patient(row)
        p.identifiers = try Row.fetchAll(db.cachedStatement(sql: "SELECT id, system, value FROM patient_identifier WHERE patient_id = ? ORDER BY id"), arguments: [id])
            .map {
                let i = $0.checked("patient_identifier")
                return try PatientIdentifier(system: .init(rawValue: i["system"]), value: i["value"])
            }
        p.alerts = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM patient_alert WHERE patient_id = ? ORDER BY id"), arguments: [id]).map { row in
            let r = row.checked("patient_alert")
            let kind: PatientAlert.Kind
            let code: String = try r["kind"]
            switch code {
            case "precaution": kind = .precaution(try r.enumeration("precaution"))
            case "allergy": kind = .allergy
            case "other": kind = .other
            default: throw r.damaged("kind", "\(CheckedRow.quoted(code)) is not a known kind of alert")
            }
            return try PatientAlert(id: r["id"], kind: kind, text: r["text"], status: r.enumeration("status"), source: r["source"],
                                    dismissReason: r["dismiss_reason"])
        }
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

    /// The patient holding an identifier, if any.
    public func patientID(identifier: PatientIdentifier) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT patient_id FROM patient_identifier WHERE system = ? AND value = ?"), arguments: [identifier.system.rawValue, identifier.value])
    }

    /// Patients with this date of birth and names equal once folded (`PersonNameKey`: case,
    /// accents, punctuation and spacing ignored).
    ///
    /// One lookup in `patient_birth_sort` (birth date, folded name), however many patients share
    /// the birth date; the stored names are checked again part by part, since the joined key
    /// cannot tell "van der" + "Berg" from "van" + "der Berg".
    public func patientIDs(familyName: String, givenNames: String, dateOfBirth: LocalDate) throws -> [Int64] {
        let family = PersonNameKey.fold(familyName), given = PersonNameKey.fold(givenNames)
        return try born(on: dateOfBirth, sortName: Self.sortName(family: familyName, given: givenNames), prefix: false).filter {
            PersonNameKey.fold($0.family) == family && PersonNameKey.fold($0.given) == given
        }.map(\.id)
    }

    /// Patients with this date of birth and the same family name once folded (a doubtful match
    /// to report): the same folding as the exact match, so "MÜLLER" and "Muller" are Müller here too.
    /// One range of `patient_birth_sort`: the folded names that start with the folded family name and a space.
    public func patientIDs(familyName: String, dateOfBirth: LocalDate) throws -> [Int64] {
        let family = PersonNameKey.fold(familyName)
        return try born(on: dateOfBirth, sortName: family + " ", prefix: true).filter { PersonNameKey.fold($0.family) == family }.map(\.id)
    }

    /// Those born on a day whose folded name (`sort_name`) is `sortName`, or starts with it.
    private func born(on dateOfBirth: LocalDate, sortName: String, prefix: Bool) throws -> [(id: Int64, family: String, given: String)] {
        // A prefix is a range of the index: from the prefix up to the same text ending in the
        // next character after its last (a space, so "!").
        let rows = prefix
            ? try Row.fetchAll(db.cachedStatement(sql: """
                SELECT id, family_name, given_names FROM patient
                WHERE date_of_birth = ? AND sort_name >= ? AND sort_name < ? ORDER BY id
                """), arguments: [dateOfBirth, sortName, String(sortName.dropLast()) + "!"])
            : try Row.fetchAll(db.cachedStatement(sql: """
                SELECT id, family_name, given_names FROM patient
                WHERE date_of_birth = ? AND sort_name = ? ORDER BY id
                """), arguments: [dateOfBirth, sortName])
        return try rows.map {
            let p = $0.checked("patient")
            return try (id: p["id"], family: p["family_name"], given: p["given_names"])
        }
    }

    /// The columns `summary(_:)` reads, for queries that add their own (`p` is the patient).
    static let summaryColumns = """
        p.id, p.record_number, p.given_names, p.family_name, p.date_of_birth, p.phone, p.archived,
          (SELECT count(*) FROM patient_alert a WHERE a.patient_id = p.id AND a.status != 'dismissed') AS alert_count
        """
    static let summarySQL = "SELECT \(summaryColumns) FROM patient p"

    static func summary(_ plain: Row) throws -> PatientSummary {
        let r = plain.checked("patient")
        return try PatientSummary(id: r["id"], recordNumber: r["record_number"], givenNames: r["given_names"], familyName: r["family_name"],
                                  dateOfBirth: r["date_of_birth"], phone: r["phone"],
                                  alertCount: r["alert_count"], archived: r["archived"])
    }

    /// Patients by name, archived ones hidden unless asked for.
    public func patientSummaries(includeArchived: Bool = false, limit: Int = 500, offset: Int = 0) throws -> [PatientSummary] {
        try Row.fetchAll(db.cachedStatement(sql: Self.summarySQL + (includeArchived ? "" : " WHERE p.archived = 0")
                         + " ORDER BY p.sort_name, p.id LIMIT ? OFFSET ?"), arguments: [limit, offset]).map(Self.summary)
    }

    public func patientCount(includeArchived: Bool = false) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM patient" + (includeArchived ? "" : " WHERE archived = 0"))) ?? 0
    }

    /// Full-text search over names, record number, phone digits and date of birth.
    ///
    /// Each word the user typed must prefix-match some field: "smi jo" finds Jo Smith; "0412"
    /// finds a phone; "17/05/1980" or "1980-05-17" finds a date of birth.
    public func searchPatients(_ query: String, includeArchived: Bool = false, limit: Int = 50) throws -> [PatientSummary] {
        guard let match = Self.ftsQuery(query) else {
            return try patientSummaries(includeArchived: includeArchived, limit: limit)
        }
        // One or two letters or digits: one range of `patient_search_prefix`, already in name
        // order, where the full-text index would match most of the clinic (every record number
        // starts with K).
        if let prefix = Self.shortPrefix(match) {
            return try Row.fetchAll(db.cachedStatement(sql: Self.summarySQL + """
                 JOIN (SELECT patient_id AS id FROM patient_search_prefix
                       WHERE prefix = ?\(includeArchived ? "" : " AND archived = 0") ORDER BY sort_name, patient_id LIMIT ?) page
                   ON page.id = p.id ORDER BY p.sort_name, p.id
                """), arguments: [prefix, limit]).map(Self.summary)
        }
        // Results are alphabetical. A few matches are fetched and sorted. Many matches (a letter
        // or two at 100,000 patients) are usually spread through the alphabet, so walking the
        // first stretch of the name index finds a page quickly; when they cluster instead (a
        // common family name), that walk comes up short and the matches are sorted after all.
        // Ids are chosen first from cheap columns; summaries are built for that page only.
        // Relevance ranking is not used: it cost most of the time, and a list in name order is
        // what the practitioner scans.
        let matches = try Int.fetchOne(db.cachedStatement(sql: """
            SELECT count(*) FROM (SELECT rowid FROM patient_fts WHERE patient_fts MATCH ? LIMIT \(Self.sortInMemoryUpTo + 1))
            """), arguments: [match]) ?? 0
        if matches == 0 { return [] }
        let archived = includeArchived ? "" : " AND q.archived = 0"
        func page(_ pick: String) throws -> [PatientSummary] {
            try Row.fetchAll(db.cachedStatement(sql: Self.summarySQL + " JOIN (\(pick)) page ON page.id = p.id ORDER BY p.sort_name, p.id"),
                             arguments: [match, limit]).map(Self.summary)
        }
        if matches > Self.sortInMemoryUpTo {
            let walked = try page("""
                SELECT q.id FROM patient q INDEXED BY patient_sort
                WHERE q.sort_name <= (SELECT sort_name FROM patient INDEXED BY patient_sort ORDER BY sort_name, id LIMIT 1 OFFSET \(Self.indexWindow))
                  AND q.id IN (SELECT rowid FROM patient_fts WHERE patient_fts MATCH ?)\(archived)
                ORDER BY q.sort_name, q.id LIMIT ?
                """)
            if walked.count >= limit { return walked }
        }
        return try page("""
            SELECT q.id FROM patient q INDEXED BY patient_id_sort
            WHERE q.id IN (SELECT rowid FROM patient_fts WHERE patient_fts MATCH ?)\(archived)
            ORDER BY q.sort_name, q.id LIMIT ?
            """)
    }

    /// The one- or two-character prefix a query is, when `patient_search_prefix` answers it: a
    /// single prefix token (`"ab"*`) of ASCII lower-case letters and digits. Nil otherwise.
    static func shortPrefix(_ match: String) -> String? {
        let b = Array(match.utf8)
        guard b.count == 4 || b.count == 5, b.first == UInt8(ascii: "\""), b[b.count - 2] == UInt8(ascii: "\""),
              b.last == UInt8(ascii: "*") else { return nil }
        let inner = b[1..<(b.count - 2)]
        guard inner.allSatisfy(isSearchPrefixByte) else { return nil }
        return String(decoding: inner, as: UTF8.self)
    }

    static func isSearchPrefixByte(_ c: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
    }

    /// Rewrites a patient's rows of `patient_search_prefix` from the words `patient_fts` holds for
    /// them, split by the same tokenizer (so a prefix finds here exactly whom the full-text
    /// index finds): after every write of the patient's names, numbers or dates.
    func indexSearchPrefixes(patientID id: Int64) throws {
        try db.cachedStatement(sql: "DELETE FROM patient_search_prefix WHERE patient_id = ?").execute(arguments: [id])
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT f.names, f.record_number, f.phone, f.dob, p.sort_name, p.archived
            FROM patient_fts f JOIN patient p ON p.id = f.rowid WHERE f.rowid = ?
            """), arguments: [id]) else { return }
        let columns: [String?] = [row[0], row[1], row[2], row[3]]
        let text = columns.compactMap { $0 }.joined(separator: " ")
        let tokenizer = try db.makeTokenizer(FTS5TokenizerDescriptor(components: ["unicode61", "remove_diacritics", "2"]))
        var prefixes = Set<String>()
        for (token, _) in try tokenizer.tokenize(document: text) {
            let b = Array(token.utf8.prefix(2))
            guard let first = b.first, Self.isSearchPrefixByte(first) else { continue }
            prefixes.insert(String(decoding: b[0..<1], as: UTF8.self))
            if b.count == 2, Self.isSearchPrefixByte(b[1]) { prefixes.insert(String(decoding: b, as: UTF8.self)) }
        }
        let sortName: String = row["sort_name"], archived: Bool = row["archived"]
        let insert = try db.cachedStatement(sql: "INSERT INTO patient_search_prefix (prefix, sort_name, patient_id, archived) VALUES (?, ?, ?, ?)")
        for prefix in prefixes.sorted() { try insert.execute(arguments: [prefix, sortName, id, archived]) }
    }

    /// How far into the name index a broad search walks before sorting its matches instead.
    static let indexWindow = 4000

    /// Up to this many matches are sorted after fetching; more walk the name index.
    static let sortInMemoryUpTo = 1500

    /// Turns typed text into a safe FTS5 query: every token quoted, prefix-matched, ANDed.
    ///
    /// Words split where the index splits them (so "o'brien" and "al-hassan" find their names);
    /// digits typed in groups are joined (so "0412 345 678" and "(03) 9876 5432" find the phone
    /// stored as one run of digits); dates typed as 17/05/1980 or 17.05.1980 match the DDMMYYYY
    /// form, and 1980-05-17 the ISO form. Only letters, digits and marks reach the query, so
    /// nothing typed (quotes, `*`, `NEAR(`, `-`, `OR`) can change its meaning.
    static func ftsQuery(_ text: String) -> String? {
        var tokens: [String] = []
        var digits = ""
        func flushDigits() {
            if !digits.isEmpty { tokens.append("\"\(digits)\"*"); digits = "" }
        }
        func isDigits(_ s: Substring) -> Bool { !s.isEmpty && s.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } }
        for raw in text.split(whereSeparator: { $0.isWhitespace || $0 == "," }) {
            let iso = raw.split(separator: "-", omittingEmptySubsequences: false)
            if iso.count == 3, iso[0].count == 4, iso[1].count <= 2, iso[2].count <= 2, iso.allSatisfy(isDigits) {
                flushDigits()
                tokens.append("\"\(iso[0])-\(iso[1].leftPad(2))-\(iso[2].leftPad(2))\"")  // ISO date: phrase of its parts
                continue
            }
            let dateParts = raw.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == "." })
            if dateParts.count == 3, dateParts[0].count <= 2, dateParts[1].count <= 2, dateParts[2].count == 4,
               dateParts.allSatisfy(isDigits) {
                flushDigits()
                tokens.append("\"\(dateParts[0].leftPad(2) + dateParts[1].leftPad(2) + dateParts[2])\"*")
                continue
            }
            var parts: [String] = []
            var current = String.UnicodeScalarView()
            for scalar in raw.unicodeScalars {
                if CharacterSet.alphanumerics.contains(scalar) {
                    current.append(scalar)
                } else if !current.isEmpty {
                    parts.append(String(current)); current = String.UnicodeScalarView()
                }
            }
            if !current.isEmpty { parts.append(String(current)) }
            if parts.isEmpty { continue }
            if parts.allSatisfy({ isDigits(Substring($0)) }) {
                digits += parts.joined()  // a phone number typed in groups, with or without punctuation
                continue
            }
            flushDigits()
            // Folded as names are everywhere (`PersonNameKey`): "MÜLLER" looks for "muller".
            tokens += parts.map { "\"\(PersonNameKey.fold($0))\"*" }
        }
        flushDigits()
        return tokens.isEmpty ? nil : tokens.joined(separator: " AND ")
    }
}

extension StoreTransaction {
    /// The key patients are listed by: family then given names folded by `PersonNameKey`
    /// ("O'Brien, Siobhán" → "obrien siobhan"), so Álvarez sorts with A. Also indexed for
    /// search, so "obrien" finds O'Brien and "muller" finds Müller.
    public static func sortName(family: String, given: String) -> String {
        PersonNameKey.fold(family) + " " + PersonNameKey.fold(given)
    }
}

extension Substring {
    func leftPad(_ n: Int) -> String { String(repeating: "0", count: Swift.max(0, n - count)) + self }
}
