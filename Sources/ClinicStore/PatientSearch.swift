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
        try searchPatients(query, includeArchived: includeArchived, limit: limit, bounds: .standard)
    }

    /// `searchPatients` with the bounds of its walks given (tests make them small, so that a
    /// small clinic takes every path a large one does).
    func searchPatients(_ query: String, includeArchived: Bool, limit: Int, bounds: SearchBounds) throws -> [PatientSummary] {
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
        // Results are alphabetical. A few matches are fetched and sorted. Many matches (a family
        // name, the first letters of one, at 100,000 patients) are found by walking a list that
        // holds every match and more, already in name order, until a page is found: the rows of
        // `patient_search_prefix` for the first one or two characters of a term (every patient
        // a term matches has a word starting with them), or, for a term that does not start with
        // an ASCII letter or digit, the name index. A walk that comes up short (the matches
        // cluster late in the list) sorts the matches after all. Summaries are built for the
        // page only. Relevance ranking is not used: it cost most of the time, and a list in name
        // order is what the practitioner scans.
        let matches = try Int.fetchOne(db.cachedStatement(sql: """
            SELECT count(*) FROM (SELECT rowid FROM patient_fts WHERE patient_fts MATCH ? LIMIT ?)
            """), arguments: [match, bounds.sortUpTo + 1]) ?? 0
        if matches == 0 { return [] }
        if matches > bounds.sortUpTo,
           let ids = try walkInNameOrder(match: match, rangePrefix: Self.rangePrefix(terms), includeArchived: includeArchived,
                                         limit: limit, bounds: bounds) {
            return try summaries(ids)
        }
        let archived = includeArchived ? "" : " AND q.archived = 0"
        return try Row.fetchAll(db.cachedStatement(sql: Self.summarySQL + """
             JOIN (SELECT q.id FROM patient q INDEXED BY patient_id_sort
                   WHERE q.id IN (SELECT rowid FROM patient_fts WHERE patient_fts MATCH ?)\(archived)
                   ORDER BY q.sort_name, q.id LIMIT ?) page
               ON page.id = p.id ORDER BY p.sort_name, p.id
            """), arguments: [match, limit]).map(Self.summary)
    }

    /// The first `limit` patients `match` finds, in name order, read by walking a list in name
    /// order that holds every match: the rows of `patient_search_prefix` for `rangePrefix`, or
    /// the name index when there is none. Nil when the walk reads its most rows (`bounds`)
    /// without finding a page and without reaching the end of the list: then the matches must
    /// be sorted instead.
    ///
    /// The list is read in its key order (no sort) and each row is tested against the set of
    /// matches SQLite builds once; the walk stops at the page's last match.
    func walkInNameOrder(match: String, rangePrefix: String?, includeArchived: Bool, limit: Int, bounds: SearchBounds) throws -> [Int64]? {
        // Each row read gives its patient's id when the patient matches, 0 when not.
        let matched = "IN (SELECT rowid FROM patient_fts WHERE patient_fts MATCH ?)"
        let statement: Statement, arguments: StatementArguments, most: Int
        if let rangePrefix {
            most = bounds.prefixRangeRows
            statement = try db.cachedStatement(sql: """
                SELECT CASE WHEN patient_id \(matched) THEN patient_id ELSE 0 END FROM patient_search_prefix
                WHERE prefix = ?\(includeArchived ? "" : " AND archived = 0") ORDER BY sort_name, patient_id LIMIT ?
                """)
            arguments = [match, rangePrefix, most]
        } else {
            most = bounds.nameIndexRows
            statement = try db.cachedStatement(sql: """
                SELECT CASE WHEN q.id \(matched) THEN q.id ELSE 0 END FROM patient q INDEXED BY patient_sort
                \(includeArchived ? "" : "WHERE q.archived = 0") ORDER BY q.sort_name, q.id LIMIT ?
                """)
            arguments = [match, most]
        }
        var ids: [Int64] = [], read = 0
        let rows = try Int64.fetchCursor(statement, arguments: arguments)
        while let id = try rows.next() {
            read += 1
            if id != 0 {
                ids.append(id)
                if ids.count == limit { return ids }
            }
        }
        return read < most ? ids : nil
    }

    /// The summaries of the patients `ids`, in name order.
    func summaries(_ ids: [Int64]) throws -> [PatientSummary] {
        if ids.isEmpty { return [] }
        return try Row.fetchAll(db.cachedStatement(sql: Self.summarySQL + """
             WHERE p.id IN (SELECT value FROM json_each(?)) ORDER BY p.sort_name, p.id
            """), arguments: ["[" + ids.map(String.init).joined(separator: ",") + "]"]).map(Self.summary)
    }

    /// The one or two characters starting a term whose rows of `patient_search_prefix` hold every
    /// patient the terms match: every match has a word beginning with what the term's first word
    /// begins with. Two characters where the term starts with two ASCII letters or digits, one
    /// where only the first is; the first term with two, else with one; nil when no term starts
    /// with an ASCII letter or digit (then the name index is walked).
    static func rangePrefix(_ terms: [PatientSearchTerm]) -> String? {
        var one: String?
        for term in terms {
            let text: String
            switch term {
            case .word(let word): text = word
            case .digits(let digits): text = digits
            case .dayMonthYear(let day, let month, let year): text = day + month + year
            case .yearMonthDay(let year, _, _): text = year  // the phrase's first word
            }
            let b = Array(text.utf8.prefix(2))
            guard let first = b.first, isSearchPrefixByte(first) else { continue }
            if b.count == 2, isSearchPrefixByte(b[1]) { return String(decoding: b, as: UTF8.self) }
            if one == nil { one = String(decoding: b[0..<1], as: UTF8.self) }
        }
        return one
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
    /// index finds): after every write of the patient's names, numbers or dates (a patient just
    /// inserted: `indexSearchPrefixes(of:id:sortName:)`, from the values in hand).
    ///
    /// All of a patient's rows go in with one statement (`json_each` over the prefixes), not
    /// one insert per prefix: a dozen round trips per patient filed from a letter.
    func indexSearchPrefixes(patientID id: Int64) throws {
        try db.cachedStatement(sql: "DELETE FROM patient_search_prefix WHERE patient_id = ?").execute(arguments: [id])
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

    /// A patient's search-prefix rows, as `indexSearchPrefixes(patientID:)` makes them, for a
    /// patient just inserted (no rows to delete first; patients are never deleted and ids only
    /// grow), from the values in hand: the text is what the `patient_fts_insert` trigger writes
    /// to `patient_fts` (names, record number, phone without spaces, dashes, brackets and plus
    /// signs, birth date as ISO and as DDMMYYYY), so there is nothing to read back.
    ///
    /// `sortName` is the patient's as stored (`sortName(family:given:)`, folded once by the caller).
    ///
    /// Inside `withSearchIndexesWrittenOnce`, nothing here: the rows are made as that ends.
    func indexSearchPrefixes(of p: Patient, id: Int64, sortName: String) throws {
        if case .deferred = scratch.searchIndexing { return }
        let text = Self.searchText(givenNames: p.givenNames, familyName: p.familyName, preferredName: p.preferredName, sortName: sortName,
                                   recordNumber: p.recordNumber, phone: p.phone, dateOfBirth: p.dateOfBirth.description)
        let prefixes = try Self.searchPrefixes(of: text, tokenizer: searchTokenizer())
        guard !prefixes.isEmpty else { return }
        // Bound in place (each value as GRDB binds it), run by `DirectSteps` inside a whole-clinic load.
        var insert = InPlaceBinding(try db.cachedStatement(sql: """
            /* bound in place */ INSERT INTO patient_search_prefix (prefix, sort_name, patient_id, archived)
            SELECT value, ?, ?, ? FROM json_each(?)
            """), direct: scratch.directSteps)
        insert.text(sortName); insert.int(id); insert.bool(p.archived); insert.text(Self.jsonArray(prefixes))
        try insert.execute()
    }

    /// Runs `body` (the letters of a batch) with the patients it inserts put into the search
    /// indexes (`patient_fts` and `patient_search_prefix`) as it ends, each by one statement, not
    /// one patient at a time, and returns what `body` returned.
    ///
    /// Why: a statement that fires a trigger writing `patient_fts` ends with FTS5 flushing its
    /// pending terms into a new segment on disk (SQLite's statement savepoint is released, and
    /// FTS5 flushes on every release), so each patient filed from a letter wrote a segment of a
    /// dozen words and FTS5 merged them again and again; and a patient's dozen search-prefix
    /// rows went to a dozen places of that table's key. Here the `patient_fts_insert` trigger is
    /// held off inside this transaction, before the first patient is inserted (a batch that
    /// inserts none writes nothing: `deferSearchIndexing`), by the one row of `patient_fts_hold`
    /// (the trigger fires only while that table is empty), deleted again before `body`'s work
    /// can commit: no schema change, so no connection prepares its statements again; no other
    /// connection ever sees the row, and a crash, or a savepoint rolled back, rolls it back with
    /// everything else. The patients inserted meanwhile (ids above the highest before, as new
    /// patients get; one rolled back by a savepoint is simply not there) are then indexed:
    /// in `patient_fts` by one insert with the insert trigger's own expressions, or, when the
    /// batch edited one of them, by `patient_fts_update` fired for all of them by an update that
    /// changes no value (`indexFullText`); in `patient_search_prefix` from their stored values,
    /// the rows `indexSearchPrefixes(of:id:sortName:)` would have made. The same words and rows
    /// as one patient at a time.
    ///
    /// Nothing in a batch reads either index for a patient it just inserted (matching reads the
    /// birth-date index and identifiers). When `body` throws, the patients are indexed and the
    /// hold row deleted all the same (unless the database ended the transaction itself), so
    /// whatever the caller does next, the trigger fires again and the indexes are whole.
    public func withSearchIndexesWrittenOnce<T>(_ body: () throws -> T) throws -> T {
        guard scratch.searchIndexing == nil else { return try body() }
        scratch.searchIndexing = .asked
        func finish() throws {
            let state = scratch.searchIndexing
            scratch.searchIndexing = nil
            guard case .deferred(let highest) = state else { return }
            try db.cachedStatement(sql: "DELETE FROM patient_fts_hold").execute()
            try indexFullText(insertedAfter: highest)
            try indexSearchPrefixes(insertedAfter: highest)
        }
        let result: T
        do {
            result = try body()
        } catch {
            if db.isInsideTransaction { try? finish() }
            scratch.searchIndexing = nil
            throw error
        }
        try finish()
        return result
    }

    /// The full-text rows of every patient with an id above `highest` (`withSearchIndexesWrittenOnce`).
    ///
    /// When none of them has one yet (the batch edited none of its new patients), one insert
    /// writes them all from their stored values with the `patient_fts_insert` trigger's own
    /// expressions (`searchFillStatement`, as a whole-clinic load writes every patient's): the
    /// same rows, and the same words in the same order to FTS5, as the trigger one patient at a
    /// time. Otherwise (or a trigger not of that shape), as before, an update that changes no
    /// value (`updated_at` to itself: a column in no index) fires `patient_fts_update` for each,
    /// which deletes the patient's entry and writes it again. Why the insert: the update also
    /// rewrote every new patient's row, ran the update triggers' programs and asked FTS5 to
    /// delete an entry that is not there, for each patient.
    func indexFullText(insertedAfter highest: Int64) throws {
        let all = " FROM patient AS NEW ORDER BY NEW.id"
        if try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM patient_fts WHERE rowid > ?)"), arguments: [highest]) == false,
           let trigger = try String.fetchOne(db.cachedStatement(sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'patient_fts_insert'")),
           let fill = Self.searchFillStatement(insertTrigger: trigger), fill.hasSuffix(all) {
            try db.cachedStatement(sql: fill.dropLast(all.count) + " FROM patient AS NEW WHERE NEW.id > ? ORDER BY NEW.id").execute(arguments: [highest])
        } else {
            try db.cachedStatement(sql: "UPDATE patient SET updated_at = updated_at WHERE id > ?").execute(arguments: [highest])
        }
    }

    /// Inside `withSearchIndexesWrittenOnce`, before the first patient is inserted: holds the
    /// `patient_fts_insert` trigger off (the one row of `patient_fts_hold`, written in this
    /// transaction), keeping the highest patient id, so that a batch that inserts no patient
    /// (letters refused, skipped, or for patients on file) writes nothing. Nothing outside it.
    func deferSearchIndexing() throws {
        guard case .asked = scratch.searchIndexing else { return }
        guard try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'patient_fts_hold'
            """)) == true else {
            // No such table (not a schema Knot made): each patient indexed as it goes.
            scratch.searchIndexing = nil
            return
        }
        let highest = try Int64.fetchOne(db.cachedStatement(sql: "SELECT coalesce(max(id), 0) FROM patient")) ?? 0
        try db.cachedStatement(sql: "INSERT INTO patient_fts_hold (held) VALUES (1)").execute()
        scratch.searchIndexing = .deferred(highest: highest)
    }

    /// The search-prefix rows of every patient with an id above `highest`, made from their
    /// stored values as `indexSearchPrefixes(of:id:sortName:)` makes them, inserted by one statement (a
    /// row already there, from a patient updated meanwhile, is left as it is: it is the same
    /// row). Each row goes to SQLite as one integer in a JSON array, the patient's id shifted
    /// left 16 bits over the prefix as `searchPrefixBytes` gives it (first byte in the low 8
    /// bits, the second, or 0, above it: ASCII letters and digits), which SQLite spells back
    /// with `char()`; the sort name and archived flag come from the patient's row. Integers,
    /// not `[prefix, id]` pairs read with `json_extract`, and no `ORDER BY` (the table's key
    /// orders the rows whatever order they come in; the batch's rows touch the same pages
    /// either way): a fifth less of SQLite's work for the statement, measured.
    func indexSearchPrefixes(insertedAfter highest: Int64) throws {
        let tokenizer = try searchTokenizer()
        var rows: [UInt8] = [UInt8(ascii: "[")]
        let patients = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT id, given_names, family_name, preferred_name, sort_name, record_number, phone, date_of_birth
            FROM patient WHERE id > ? ORDER BY id
            """), arguments: [highest])
        while let p = try patients.next() {
            let id: Int64 = p["id"]
            let text = Self.searchText(givenNames: p["given_names"], familyName: p["family_name"], preferredName: p["preferred_name"],
                                       sortName: p["sort_name"], recordNumber: p["record_number"], phone: p["phone"], dateOfBirth: p["date_of_birth"])
            let prefixes = try Self.searchPrefixBytes(of: text, tokenizer: tokenizer)
            guard id >= 0, id < 1 << 47 else { throw StoreError.constraint(message: "patient id \(id) is out of range for the search index") }
            for prefix in prefixes {
                if rows.count > 1 { rows.append(UInt8(ascii: ",")) }
                var digits = String(id << 16 | Int64(prefix))
                digits.withUTF8 { rows.append(contentsOf: $0) }
            }
        }
        guard rows.count > 1 else { return }
        rows.append(UInt8(ascii: "]"))
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO patient_search_prefix (prefix, sort_name, patient_id, archived)
            SELECT char(j.value & 255) || CASE WHEN (j.value >> 8) & 255 THEN char((j.value >> 8) & 255) ELSE '' END,
              p.sort_name, p.id, p.archived
            FROM json_each(?) j JOIN patient p ON p.id = j.value >> 16
            """).execute(arguments: [String(decoding: rows, as: UTF8.self)])
    }

    /// The text the `patient_fts_insert` trigger writes to `patient_fts` for a patient (names,
    /// record number, phone without spaces, dashes, brackets and plus signs, birth date as ISO
    /// and as DDMMYYYY), joined by spaces.
    static func searchText(givenNames: String, familyName: String, preferredName: String?, sortName: String,
                           recordNumber: String, phone: String?, dateOfBirth iso: String) -> String {
        let names = givenNames + " " + familyName + " " + (preferredName ?? "") + " " + sortName
        let phone = String((phone ?? "").unicodeScalars.filter { !" -()+".unicodeScalars.contains($0) })
        let isoBytes = Array(iso.utf8)
        // substr(dob, 9, 2) || substr(dob, 6, 2) || substr(dob, 1, 4), as the trigger writes it.
        let dayFirst = isoBytes.count == 10
            ? String(decoding: isoBytes[8..<10] + isoBytes[5..<7] + isoBytes[0..<4], as: UTF8.self)
            : ""
        return [names, recordNumber, phone, iso + " " + dayFirst].joined(separator: " ")
    }

    /// The distinct one- and two-character starts of ASCII letters and digits of the words the
    /// tokenizer finds in `text`, sorted (`searchPrefixBytes`, spelled).
    static func searchPrefixes(of text: String, tokenizer: any FTS5Tokenizer) throws -> [String] {
        try searchPrefixBytes(of: text, tokenizer: tokenizer).map { p in
            String(decoding: p >> 8 == 0 ? [UInt8(p & 0xFF)] : [UInt8(p & 0xFF), UInt8(p >> 8)], as: UTF8.self)
        }
    }

    /// The search prefixes of `text` (the distinct one- and two-character starts of ASCII letters
    /// and digits of the words the tokenizer finds) as numbers that sort as their text does: a
    /// one-character prefix is its byte, a two-character one its first byte then its second
    /// (first byte in the low bits, so the bytes in memory spell the prefix). Sorted as the text
    /// sorts, distinct.
    static func searchPrefixBytes(of text: String, tokenizer: any FTS5Tokenizer) throws -> [UInt16] {
        var prefixes: [UInt16] = []
        for (token, _) in try tokenizer.tokenize(document: text) {
            var bytes = token.utf8.makeIterator()
            guard let first = bytes.next(), isSearchPrefixByte(first) else { continue }
            prefixes.append(UInt16(first))
            if let second = bytes.next(), isSearchPrefixByte(second) { prefixes.append(UInt16(first) | UInt16(second) << 8) }
        }
        // Text order: by first byte, then a one-character prefix before its two-character ones,
        // then by second byte.
        prefixes.sort { prefixOrder($0) < prefixOrder($1) }
        var distinct: [UInt16] = []
        distinct.reserveCapacity(prefixes.count)
        for p in prefixes where distinct.last != p { distinct.append(p) }
        return distinct
    }

    /// A `searchPrefixBytes` prefix as a number that orders as its text: first byte high.
    @inline(__always) static func prefixOrder(_ p: UInt16) -> UInt16 { (p & 0xFF) << 8 | p >> 8 }

    /// A JSON array of strings made only of ASCII letters and digits (nothing to escape).
    static func jsonArray(_ words: [String]) -> String {
        "[" + words.map { "\"" + $0 + "\"" }.joined(separator: ",") + "]"
    }

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

/// How far patient search walks a list in name order before it sorts the matches instead.
struct SearchBounds: Sendable {
    /// Up to this many matches are sorted after fetching; more walk a list in name order.
    var sortUpTo: Int
    /// Rows of `patient_search_prefix` walked at most (each row a test against the matches:
    /// about a fifth of what sorting costs per match).
    var prefixRangeRows: Int
    /// Rows of the name index walked at most, for terms no prefix range holds.
    var nameIndexRows: Int

    static let standard = SearchBounds(sortUpTo: 1500, prefixRangeRows: 10_000, nameIndexRows: 4000)
}

