import Foundation
import GRDB

/// What `StoreTransaction.beginNewClinicLoad()` set aside for the end of a whole clinic loaded
/// into an empty database: the secondary indexes it dropped (their `CREATE INDEX` text as stored,
/// in the order they were made) and whether the patients' search indexes were left to the end.
public struct NewClinicLoad: Sendable {
    /// The dropped indexes' names and stored SQL, in `sqlite_master` order.
    let indexes: [(name: String, sql: String)]
    /// The statement that fills `patient_fts` for every patient at once (the insert trigger's own
    /// expressions, `NEW` being each patient's row), or nil when the search indexes were not held.
    let searchFill: String?
}

extension StoreTransaction {
    /// The secondary indexes a whole-clinic load builds once at its end rather than row by row:
    /// non-unique, read by nothing the load does, and on tables with a few rows per patient, so
    /// that building one sorts a few megabytes at 100,000 patients (the connection keeps its
    /// temporary storage, a sort's included, in memory: `PRAGMA temp_store = MEMORY`). Kept
    /// during the load: every UNIQUE index (it refuses a duplicate naming the record, as it
    /// always has); `needling_visit`, which the `visit_sign_needles_balance` trigger reads as
    /// each signed visit is stored; and the indexes of the tables with many rows per patient
    /// (visits, their findings and entries, audit events, search prefixes), whose sorts at the
    /// end would hold 40-70 MB each at 100,000 patients, growing with the clinic, where memory
    /// must stay flat. An index a later migration adds is kept unless it is named here.
    static let indexesBuiltAfterLoad: Set<String> = [
        "patient_identifier_patient", "patient_alert_patient", "referral_patient", "consent_patient", "screen_patient",
        "patient_sort", "patient_id_sort", "patient_birth_sort", "patient_merged_into", "referral_document_set",
    ]

    /// Starts loading a whole clinic into this transaction's database, which holds no patient:
    /// the secondary indexes in `indexesBuiltAfterLoad` are dropped, and the patients' search
    /// indexes (`patient_fts`, `patient_search_prefix`) left to the end, for
    /// `finishNewClinicLoad(_:)` to build each once. Nil (nothing changed) when the database
    /// holds a patient, or this transaction already defers the search indexes.
    ///
    /// Why: each index a row goes into is one more B-tree place found per row; with the clinic
    /// in hand, `CREATE INDEX` sorts each index's keys once. And every statement that fires the
    /// full-text insert trigger ends with FTS5 writing a segment of that one patient's words,
    /// later merged again and again, where one statement for every patient writes each word once.
    ///
    /// Everything happens inside the caller's transaction: other connections see the clinic
    /// before (empty, every index there) or after (whole, every index there), never between; a
    /// rollback (a refused import, a crash) puts the indexes back with everything else. The
    /// full-text trigger is held off as a batch of letters holds it (`patient_fts_hold`'s row,
    /// no schema change), deleted again by `finishNewClinicLoad(_:)`.
    public func beginNewClinicLoad() throws -> NewClinicLoad? {
        guard scratch.searchIndexing == nil,
              try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM (SELECT 1 FROM patient LIMIT 1)")) == 0 else { return nil }
        let indexes = try Row.fetchAll(db, sql: """
            SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY rowid
            """).compactMap { row -> (name: String, sql: String)? in
                let name: String = row["name"], sql: String = row["sql"]
                return Self.indexesBuiltAfterLoad.contains(name) && !sql.uppercased().hasPrefix("CREATE UNIQUE") ? (name, sql) : nil
            }
        for index in indexes { try db.execute(sql: "DROP INDEX \(index.name.quotedDatabaseIdentifier)") }
        var searchFill: String?
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'patient_fts_hold'") == true,
           let trigger = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'patient_fts_insert'"),
           let fill = Self.searchFillStatement(insertTrigger: trigger) {
            try db.execute(sql: "INSERT INTO patient_fts_hold (held) VALUES (1)")
            // `indexSearchPrefixes(of:id:)` leaves the prefix rows to the end, as in a batch.
            scratch.searchIndexing = .deferred(highest: 0)
            searchFill = fill
        }
        return NewClinicLoad(indexes: indexes, searchFill: searchFill)
    }

    /// Ends a load begun by `beginNewClinicLoad()`, in the same transaction: the full-text
    /// trigger fires again, every patient's `patient_fts` entry is written by one statement (the
    /// trigger's own expressions) and their search-prefix rows in key order, then the dropped
    /// indexes are made again from their stored SQL, so the schema ends as it began (the same
    /// `sqlite_master` text, the same index names) and the indexes hold what they would have held.
    public func finishNewClinicLoad(_ load: NewClinicLoad) throws {
        if let fill = load.searchFill {
            try db.execute(sql: "DELETE FROM patient_fts_hold")
            scratch.searchIndexing = nil
            try db.execute(sql: fill)
            try indexSearchPrefixesOfEveryPatient()
        }
        for index in load.indexes { try db.execute(sql: index.sql) }
    }

    /// The statement writing every patient's `patient_fts` entry as `patient_fts_insert` writes
    /// one (its `INSERT ... VALUES (NEW.id, ...)` read as `INSERT ... SELECT NEW.id, ... FROM
    /// patient AS NEW`, so the values are the trigger's own expressions, not a copy of them);
    /// nil when the trigger's text is not of that shape.
    static func searchFillStatement(insertTrigger sql: String) -> String? {
        guard let begin = sql.range(of: "BEGIN", options: .caseInsensitive),
              let end = sql.range(of: "END", options: [.caseInsensitive, .backwards]), begin.upperBound < end.lowerBound else { return nil }
        var body = sql[begin.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        guard body.hasSuffix(");"), body.filter({ $0 == ";" }).count == 1,
              body.range(of: "INSERT INTO patient_fts(", options: [.caseInsensitive, .anchored]) != nil,
              let values = body.range(of: ") VALUES (", options: .caseInsensitive) else { return nil }
        body.removeLast(2)
        return String(body[..<values.lowerBound]) + ") SELECT " + String(body[values.upperBound...]) + " FROM patient AS NEW ORDER BY NEW.id"
    }

    /// Every patient's search-prefix rows, as `indexSearchPrefixes(insertedAfter:)` makes them
    /// (the same `[prefix, id]` pairs, the same statement), a slice of patients at a time so that
    /// the text handed to SQLite, and its sort, stay small however large the clinic.
    func indexSearchPrefixesOfEveryPatient(slice: Int64 = 5_000) throws {
        guard let highest = try Int64.fetchOne(db, sql: "SELECT max(id) FROM patient") else { return }
        let tokenizer = try searchTokenizer()
        var low: Int64 = 0
        while low < highest {
            let high = low + slice
            defer { low = high }
            var pairs: [UInt8] = [UInt8(ascii: "[")]
            let patients = try Row.fetchCursor(db.cachedStatement(sql: """
                SELECT id, given_names, family_name, preferred_name, sort_name, record_number, phone, date_of_birth
                FROM patient WHERE id > ? AND id <= ? ORDER BY id
                """), arguments: [low, high])
            while let p = try patients.next() {
                let id: Int64 = p["id"]
                let text = Self.searchText(givenNames: p["given_names"], familyName: p["family_name"], preferredName: p["preferred_name"],
                                           sortName: p["sort_name"], recordNumber: p["record_number"], phone: p["phone"], dateOfBirth: p["date_of_birth"])
                var digits = String(id)
                let prefixes = try Self.searchPrefixBytes(of: text, tokenizer: tokenizer)
                digits.withUTF8 { id in
                    for prefix in prefixes {
                        if pairs.count > 1 { pairs.append(UInt8(ascii: ",")) }
                        pairs.append(contentsOf: [UInt8(ascii: "["), UInt8(ascii: "\""), UInt8(prefix & 0xFF)])
                        if prefix >> 8 != 0 { pairs.append(UInt8(prefix >> 8)) }
                        pairs.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ",")])
                        pairs.append(contentsOf: id)
                        pairs.append(UInt8(ascii: "]"))
                    }
                }
            }
            guard pairs.count > 1 else { continue }
            pairs.append(UInt8(ascii: "]"))
            try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO patient_search_prefix (prefix, sort_name, patient_id, archived)
                SELECT json_extract(j.value, '$[0]') AS prefix, p.sort_name, p.id, p.archived
                FROM json_each(?) j JOIN patient p ON p.id = json_extract(j.value, '$[1]')
                ORDER BY prefix, p.sort_name, p.id
                """).execute(arguments: [String(decoding: pairs, as: UTF8.self)])
        }
    }
}
