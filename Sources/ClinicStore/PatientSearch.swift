import Foundation
import GRDB
import ClinicModel

/// Finding patients: the list by name, full-text search, and the short-prefix index behind it.
extension StoreTransaction {
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
        let terms = PatientSearchTerm.terms(in: query)
        guard let match = Self.ftsQuery(terms) else {
            return try patientSummaries(includeArchived: includeArchived, limit: limit)
        }
        // One or two letters or digits: one range of `patient_search_prefix`, already in name
        // order, where the full-text index would match most of the clinic (every record number
        // starts with K).
        if let prefix = Self.shortPrefix(terms) {
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
    /// single word or digits term of ASCII lower-case letters and digits. Nil otherwise.
    static func shortPrefix(_ terms: [PatientSearchTerm]) -> String? {
        guard terms.count == 1 else { return nil }
        let text: String
        switch terms[0] {
        case .word(let word): text = word
        case .digits(let digits): text = digits
        case .dayMonthYear, .yearMonthDay: return nil
        }
        let b = Array(text.utf8)
        guard (1...2).contains(b.count), b.allSatisfy(isSearchPrefixByte) else { return nil }
        return text
    }

    static func isSearchPrefixByte(_ c: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
    }

    /// Rewrites a patient's rows of `patient_search_prefix` from the words `patient_fts` holds for
    /// them, split by the same tokenizer (so a prefix finds here exactly whom the full-text
    /// index finds): after every write of the patient's names, numbers or dates. `fresh`: the
    /// patient row was just inserted, so it has no rows to delete (patients are never deleted
    /// and a new id is above every id before it).
    ///
    /// All of a patient's rows go in with one statement (`json_each` over the prefixes), not
    /// one insert per prefix: a dozen round trips per patient filed from a letter.
    func indexSearchPrefixes(patientID id: Int64, fresh: Bool = false) throws {
        if !fresh {
            try db.cachedStatement(sql: "DELETE FROM patient_search_prefix WHERE patient_id = ?").execute(arguments: [id])
        }
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT f.names, f.record_number, f.phone, f.dob, p.sort_name, p.archived
            FROM patient_fts f JOIN patient p ON p.id = f.rowid WHERE f.rowid = ?
            """), arguments: [id]) else { return }
        let columns: [String?] = [row[0], row[1], row[2], row[3]]
        let text = columns.compactMap { $0 }.joined(separator: " ")
        let prefixes = try Self.searchPrefixes(of: text, tokenizer: searchTokenizer())
        guard !prefixes.isEmpty else { return }
        let sortName: String = row["sort_name"], archived: Bool = row["archived"]
        try db.cachedStatement(sql: """
            INSERT INTO patient_search_prefix (prefix, sort_name, patient_id, archived)
            SELECT value, ?, ?, ? FROM json_each(?)
            """).execute(arguments: [sortName, id, archived, Self.jsonArray(prefixes)])
    }

    /// The distinct one- and two-character starts of ASCII letters and digits of the words the
    /// tokenizer finds in `text`, sorted.
    static func searchPrefixes(of text: String, tokenizer: any FTS5Tokenizer) throws -> [String] {
        var prefixes = Set<String>()
        for (token, _) in try tokenizer.tokenize(document: text) {
            var bytes = token.utf8.makeIterator()
            guard let first = bytes.next(), isSearchPrefixByte(first) else { continue }
            prefixes.insert(String(decoding: [first], as: UTF8.self))
            if let second = bytes.next(), isSearchPrefixByte(second) { prefixes.insert(String(decoding: [first, second], as: UTF8.self)) }
        }
        return prefixes.sorted()
    }

    /// A JSON array of strings made only of ASCII letters and digits (nothing to escape).
    static func jsonArray(_ words: [String]) -> String {
        "[" + words.map { "\"" + $0 + "\"" }.joined(separator: ",") + "]"
    }

    /// How far into the name index a broad search walks before sorting its matches instead.
    static let indexWindow = 4000

    /// Up to this many matches are sorted after fetching; more walk the name index.
    static let sortInMemoryUpTo = 1500

    /// The search terms (`PatientSearchTerm`, the one reading of what was typed) as an FTS5
    /// query: every term quoted and ANDed; words, digits and day-first dates prefix-matched
    /// (digits against the phone kept as one run of digits, 17/05/1980 against the DDMMYYYY
    /// form), a year-first date as the phrase of its ISO parts. Nil for no terms.
    static func ftsQuery(_ terms: [PatientSearchTerm]) -> String? {
        guard !terms.isEmpty else { return nil }
        return terms.map { term in
            switch term {
            case .word(let word): "\"\(word)\"*"
            case .digits(let digits): "\"\(digits)\"*"
            case .dayMonthYear(let day, let month, let year): "\"\(day + month + year)\"*"
            case .yearMonthDay(let year, let month, let day): "\"\(year)-\(month)-\(day)\""  // phrase of its parts
            }
        }.joined(separator: " AND ")
    }
}
