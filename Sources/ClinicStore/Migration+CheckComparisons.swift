import GRDB

extension ClinicMigrations {
    /// One coded column's allowed values, as a CHECK (or a trigger's WHEN) of the schema lists them.
    struct CodedList: Sendable, Equatable {
        /// The table whose definition holds the list (for a trigger: the trigger's table).
        var table: String
        /// The trigger that holds the list, or nil for the table's own CHECK.
        var trigger: String?
        /// The column as the expression names it (`NEW.kind` in a trigger).
        var column: String
        var values: [String]
        /// How the values are separated in the stored SQL: "," or ", ".
        var separator: String = ","
        /// `NOT IN` (a trigger that refuses what is outside the list).
        var negated = false

        private var quoted: [String] { values.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" } }

        /// The text as the schema held it before `v8-check-comparisons`.
        var asList: String { "\(column) \(negated ? "NOT IN" : "IN") (" + quoted.joined(separator: separator) + ")" }

        /// The same rule as a chain of comparisons.
        var asComparisons: String {
            let chain = "(" + quoted.map { "\(column) = \($0)" }.joined(separator: " OR ") + ")"
            return negated ? "NOT " + chain : chain
        }
    }

    /// Every list of three or more constants that v1 to v7 wrote into a CHECK or a trigger's WHEN:
    /// all of them run on each row written. Frozen: these are the texts `v8-check-comparisons`
    /// rewrites; a later migration adds no list of three or more constants (see the comment there).
    static let codedListsBeforeV8: [CodedList] = {
        let sides = ["left", "right", "midline", "bilateral"]
        let treatmentKinds = ["ischaemic-compression", "pressure-release", "stretching", "massage-ball-instruction",
                              "dry-needling", "exercise", "education", "other"]
        return [
            CodedList(table: "practitioner", column: "profession",
                      values: ["physiotherapist", "podiatrist", "chiropractor", "osteopath", "myotherapist", "other"]),
            CodedList(table: "patient", column: "sex", values: ["female", "male", "intersex", "not-stated"]),
            CodedList(table: "patient_alert", column: "kind", values: ["precaution", "allergy", "other"]),
            CodedList(table: "patient_alert", column: "status", values: ["proposed", "confirmed", "dismissed"]),
            CodedList(table: "referral", column: "format", values: ["knot", "cda", "fhir", "manual"]),
            CodedList(table: "visit", column: "impression_code_system", values: ["snomed-ct", "icd-10", "icd-10-am", "icd-11"],
                      separator: ", "),
            CodedList(table: "trigger_point", column: "side", values: sides),
            CodedList(table: "biomechanical_finding", column: "kind",
                      values: ["fpi6", "lunge", "leg-length", "hallux-dorsiflexion", "gait", "strength", "joint-range", "posture", "measure"]),
            CodedList(table: "biomechanical_finding", column: "side", values: sides),
            CodedList(table: "treatment", column: "side", values: sides),
            CodedList(table: "needling_entry", column: "side", values: ["left", "right", "midline"]),
            CodedList(table: "needling_entry", column: "technique", values: ["static", "pistoning", "electrical"]),
            CodedList(table: "referral_conflict", column: "format", values: ["knot", "cda", "fhir"]),
            CodedList(table: "outcome_measure", column: "scale", values: ["lefs", "ndi", "odi", "visa-a", "quickdash"], separator: ", "),
            CodedList(table: "treatment", trigger: "treatment_kind_insert", column: "NEW.kind", values: treatmentKinds, negated: true),
            CodedList(table: "treatment", trigger: "treatment_kind_update", column: "NEW.kind", values: treatmentKinds, negated: true),
        ]
    }()

    /// Every coded list of three or more constants in a CHECK or a trigger becomes the equivalent
    /// chain of comparisons: `sex IN ('female','male','intersex','not-stated')` becomes
    /// `(sex = 'female' OR sex = 'male' OR sex = 'intersex' OR sex = 'not-stated')` (issue 19).
    ///
    /// Why: SQLite (3.40, `sqlite3FindInIndex`) codes an `IN` list of three or more constants as
    /// an ephemeral table (a b-tree opened, a pager, the values inserted, closed again) built each
    /// time a statement runs, so every INSERT or UPDATE of one row paid for one such table per
    /// list: about 7% of the import's writer. Lists of one or two constants are coded as
    /// comparisons already. A comparison chain costs a few opcodes and decides the same: each
    /// `=` compares against the column as `IN` does (the column's affinity applied to the literal,
    /// the column's collation; every column here is TEXT, BINARY), a NULL column makes both forms
    /// NULL (which a CHECK passes and a trigger's WHEN does not fire on), and `NOT (…)` refuses
    /// exactly what `NOT IN` did. A later migration that lists coded values writes them as
    /// comparisons too (`CheckComparisonTests` fails, naming the table and column, otherwise).
    /// `IN (SELECT …)` is a different thing and stays.
    ///
    /// The same procedure as `v5-fhir-referrals` (SQLite documents it for schema changes that
    /// change no stored row): the text is replaced in `sqlite_schema`, the schema version bumped
    /// and the schema reloaded. Triggers are rewritten in place too rather than dropped and made
    /// again, which keeps their order among the other triggers of `treatment` (SQLite fires the
    /// newest first, so which refusal a user sees stays the same). Rows, rowids, seals, indexes
    /// and the other triggers are untouched; a row seal covers column names and values, never a
    /// constraint's text. Each list must be found exactly once where expected, or the migration
    /// throws before writing anything.
    static func checkComparisons(_ db: Database) throws {
        try rewriteCodedLists(db, codedListsBeforeV8)
    }

    /// Rewrites `lists` (see `checkComparisons`); the work of the migration, apart for tests.
    static func rewriteCodedLists(_ db: Database, _ lists: [CodedList]) throws {
        func refuse(_ what: String) -> DatabaseError {
            DatabaseError(resultCode: .SQLITE_ERROR, message: "v8-check-comparisons: \(what); nothing was changed")
        }
        // Every object's new text, worked out before anything is written.
        var rewritten: [(type: String, name: String, old: String, new: String)] = []
        let objects = Dictionary(grouping: lists) { $0.trigger.map { "trigger " + $0 } ?? "table " + $0.table }
            .sorted { $0.key < $1.key }
        for (object, lists) in objects {
            let type = String(object.prefix { $0 != " " }), name = String(object.drop { $0 != " " }.dropFirst())
            guard let old = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE type = ? AND name = ?",
                                                arguments: [type, name]) else {
                throw refuse("the \(type) \(name) does not exist")
            }
            var new = old
            for list in lists {
                let found = new.components(separatedBy: list.asList).count - 1
                if found != 1 {
                    throw refuse("the CHECK of \(list.table).\(list.column)\(list.trigger.map { " in trigger \($0)" } ?? "") "
                                 + "was found \(found) times where exactly once was expected")
                }
                new = new.replacingOccurrences(of: list.asList, with: list.asComparisons)
            }
            rewritten.append((type, name, old, new))
        }
        let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        try db.execute(sql: "PRAGMA writable_schema = ON")
        do {
            for r in rewritten {
                try db.execute(sql: "UPDATE sqlite_schema SET sql = ? WHERE type = ? AND name = ? AND sql = ?",
                               arguments: [r.new, r.type, r.name, r.old])
                if db.changesCount != 1 { throw refuse("the \(r.type) \(r.name) changed while it was rewritten") }
            }
            try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
        } catch {
            // RESET reloads the schema from what the rolled-back transaction leaves.
            try? db.execute(sql: "PRAGMA writable_schema = RESET")
            throw error
        }
        // RESET also reloads this connection's schema, so its statements use the new text now.
        try db.execute(sql: "PRAGMA writable_schema = RESET")
        for r in rewritten {
            let stored = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE type = ? AND name = ?",
                                             arguments: [r.type, r.name])
            if stored != r.new { throw refuse("the \(r.type) \(r.name) did not take its new text") }
        }
    }
}
