import Foundation
import GRDB

/// What `StoreTransaction.beginNewClinicLoad()` set aside for the end of a whole clinic loaded
/// into an empty database: the secondary indexes it dropped (their `CREATE INDEX` text as stored,
/// in the order they were made) and whether the full-text index was left to the end.
public struct NewClinicLoad: Sendable {
    /// The dropped indexes' names and stored SQL, in `sqlite_master` order.
    let indexes: [(name: String, sql: String)]
    /// The dropped indexes left for after the commit (`indexesBuiltAfterCommit`): their stored
    /// `CREATE INDEX` text, for `ClinicDatabase.buildIndexesAfterLoad(_:)`. Empty unless asked for.
    package let leftForAfterCommit: [String]
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

    /// The indexes of the tables with many rows per patient that a new clinic's load may leave
    /// until after its commit (`beginNewClinicLoad(leavingForAfterCommit: true)`), when the
    /// database is a private file no one else opens yet (`knot init --from`), to be built by
    /// `ClinicDatabase.buildIndexesAfterLoad(_:)` with temporary storage on disk: sorted in
    /// memory their sorts would hold 40-70 MB each at 100,000 patients. Their keys are ids and
    /// a visit's start time, no names or notes (the sort's runs spill to SQLite's temporary
    /// files, 0600 and unlinked as they are opened). Not `needling_visit` (a trigger reads it
    /// as each signed visit is stored) nor the search prefixes' (names).
    static let indexesBuiltAfterCommit: Set<String> = [
        "visit_patient", "trigger_point_visit", "biomechanical_visit", "treatment_visit", "outcome_measure_visit",
        "amendment_visit", "audit_patient",
    ]

    /// Starts loading a whole clinic into this transaction's database, which holds no patient:
    /// the secondary indexes in `indexesBuiltAfterLoad` are dropped, and the full-text index
    /// (`patient_fts`) left to the end, for `finishNewClinicLoad(_:)` to build each once. Nil
    /// (nothing changed) when the database holds a patient, or this transaction already defers
    /// the search indexes (`withSearchIndexesWrittenOnce`). With `leavingForAfterCommit`, the
    /// indexes in `indexesBuiltAfterCommit` are dropped too and left to the caller, who builds
    /// them after the commit (`NewClinicLoad.leftForAfterCommit`) before anyone opens the clinic.
    ///
    /// The search-prefix rows are still written patient by patient: written at the end in key
    /// order, each statement rewrote pages earlier ones had written, every one of them kept by
    /// SQLite's statement journal (in memory, `temp_store = MEMORY`), which grew with the clinic
    /// (+37 MB at 100,000 patients), for a few percent of the CPU at 10,000 (within the noise).
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
    ///
    /// Until `finishNewClinicLoad(_:)`, the load's statements bound in place (`InPlaceBinding`)
    /// and its row seals run straight through SQLite, not through GRDB's per-statement
    /// bookkeeping, the row seals' collector told of every row they write (`DirectSteps`).
    public func beginNewClinicLoad(leavingForAfterCommit: Bool = false) throws -> NewClinicLoad? {
        guard scratch.searchIndexing == nil,
              try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM (SELECT 1 FROM patient LIMIT 1)")) == 0 else { return nil }
        let secondary = try Row.fetchAll(db, sql: """
            SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY rowid
            """).compactMap { row -> (name: String, sql: String)? in
                let name: String = row["name"], sql: String = row["sql"]
                return sql.uppercased().hasPrefix("CREATE UNIQUE") ? nil : (name, sql)
            }
        let indexes = secondary.filter { Self.indexesBuiltAfterLoad.contains($0.name) }
        let afterCommit = leavingForAfterCommit ? secondary.filter { Self.indexesBuiltAfterCommit.contains($0.name) } : []
        for index in indexes + afterCommit { try db.execute(sql: "DROP INDEX \(index.name.quotedDatabaseIdentifier)") }
        var searchFill: String?
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'patient_fts_hold'") == true,
           let trigger = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'patient_fts_insert'"),
           let fill = Self.searchFillStatement(insertTrigger: trigger) {
            try db.execute(sql: "INSERT INTO patient_fts_hold (held) VALUES (1)")
            searchFill = fill
        }
        // Until the load ends, its statements bound in place and its seals run straight through
        // SQLite, the seals' collector told of every row they write (`DirectSteps`).
        if let collector { scratch.directSteps = DirectSteps(collector: collector) }
        return NewClinicLoad(indexes: indexes, leftForAfterCommit: afterCommit.map(\.sql), searchFill: searchFill)
    }

    /// Ends a load begun by `beginNewClinicLoad()`, in the same transaction: the full-text
    /// trigger fires again, every patient's `patient_fts` entry is written by one statement (the
    /// trigger's own expressions, into an index that was empty), then the dropped
    /// indexes are made again from their stored SQL, so the schema ends as it began (the same
    /// `sqlite_master` text, the same index names) and the indexes hold what they would have held.
    public func finishNewClinicLoad(_ load: NewClinicLoad) throws {
        scratch.directSteps = nil
        if let fill = load.searchFill {
            try db.execute(sql: "DELETE FROM patient_fts_hold")
            try db.execute(sql: fill)
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
}
