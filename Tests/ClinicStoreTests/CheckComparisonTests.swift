import Foundation
import GRDB
import Testing
@testable import ClinicStore
import ClinicModel

/// `v8-check-comparisons` rewrites every CHECK (and trigger WHEN) list of three or more constants
/// as a chain of comparisons, because SQLite builds an ephemeral table for such a list on every
/// statement run. These tests find the lists in the schema themselves (`CodedListScan`), so the
/// migration's own table of lists is checked, not trusted, and a later migration that brings a
/// list back fails here.
@Suite struct CheckComparisonTests {
    static let before = "v7-compact-seals"

    // MARK: The lists, found in the schema

    @Test("the schema before v8 holds exactly the coded lists the migration rewrites")
    func migrationListsEveryCodedList() throws {
        let q = try DatabaseQueue()
        try ClinicMigrations.migrator.migrate(q, upTo: Self.before)
        let found = try q.read { try CodedListScan.lists($0) }
        #expect(found.count == 16)
        let listed = ClinicMigrations.codedListsBeforeV8
        let foundKeys = Set(found.map { Self.key($0.asCodedList) }), listedKeys = Set(listed.map(Self.key))
        for f in found where !listedKeys.contains(Self.key(f.asCodedList)) {
            Issue.record("the \(f.where) holds \(f.column) IN (\(f.values.joined(separator: ","))), which v8 does not rewrite")
        }
        for l in listed where !foundKeys.contains(Self.key(l)) {
            Issue.record("v8 rewrites \(l.asList) in \(l.table), which the schema before it does not hold")
        }
    }

    /// A list as written, whatever separates its values.
    static func key(_ l: ClinicMigrations.CodedList) -> String {
        "\(l.table) \(l.trigger ?? "-") \(l.column) \(l.negated) \(l.values)"
    }

    @Test("a fresh clinic's schema has no list of three or more constants in a CHECK, trigger or index")
    func freshSchemaHasNoCodedList() throws {
        let q = try DatabaseQueue()
        try ClinicMigrations.migrator.migrate(q)
        for f in try q.read({ try CodedListScan.lists($0) }) {
            Issue.record("""
                the \(f.where) lists \(f.values.count) constants for \(f.column): SQLite builds a temporary table \
                for it on every statement run; write it as (\(f.column) = '…' OR …) (see v8-check-comparisons)
                """)
        }
    }

    @Test("no INSERT into any table of a new or upgraded clinic opens an ephemeral table, on the connection that migrated")
    func writesOpenNoEphemeralTable() throws {
        let fresh = try Clinic()
        defer { fresh.close() }
        try expectNoEphemeralTable(fresh.db)
        let upgraded = try Clinic()
        defer { upgraded.close() }
        try upgraded.db.close()
        try Self.asV7LeftIt(upgraded.path)
        let reopened = try ClinicDatabase(path: upgraded.path)
        defer { try? reopened.close() }
        try reopened.write { try Self.expectNoEphemeralTable($0.db) }
        // The very connection that ran the migration, its schema loaded before it ran.
        let q = try DatabaseQueue()
        try ClinicMigrations.migrator.migrate(q, upTo: Self.before)
        #expect(try q.inDatabase { try Row.fetchAll($0, sql: "EXPLAIN INSERT INTO patient DEFAULT VALUES") }
            .contains { $0["opcode"] == "OpenEphemeral" })
        try ClinicMigrations.migrator.migrate(q)
        try q.inDatabase { try Self.expectNoEphemeralTable($0) }
    }

    private func expectNoEphemeralTable(_ clinic: ClinicDatabase) throws {
        try clinic.write { try Self.expectNoEphemeralTable($0.db) }
    }

    static func expectNoEphemeralTable(_ db: Database) throws {
        let tables = try String.fetchAll(db, sql: """
            SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'
            """)
        #expect(tables.count > 20)
        for table in tables {
            let program = try Row.fetchAll(db, sql: "EXPLAIN INSERT INTO \(table.quotedDatabaseIdentifier) DEFAULT VALUES")
                .map { $0["opcode"] as String }
            #expect(!program.contains("OpenEphemeral"), "an INSERT into \(table) builds a temporary table")
        }
    }

    // MARK: The same rule, before and after

    @Test("every listed value is accepted and every other value refused, as before v8, in an upgraded and in a new clinic")
    func sameValuesAcceptedBeforeAndAfter() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let old = try DatabaseQueue(path: dir.file("old.sqlite"))
        try ClinicMigrations.migrator.migrate(old, upTo: Self.before)
        try old.write { try $0.execute(sql: Self.oneRowEach) }
        let lists = try old.read { try CodedListScan.lists($0) }
        #expect(lists.count == 16)
        let probes = Self.probes(lists)
        let before = try old.write { db in try probes.map { try $0.run(db) } }
        try old.close()

        // What the rule is: each listed value accepted, everything else refused by that rule
        // (or, for NULL in a NOT NULL column, by NOT NULL), nothing refused for another reason.
        for (probe, outcome) in zip(probes, before) {
            #expect(outcome == probe.expected, "\(probe.description): \(outcome)")
        }

        try ClinicDatabase(path: dir.file("old.sqlite")).close()
        let upgraded = try DatabaseQueue(path: dir.file("old.sqlite"))
        defer { try? upgraded.close() }
        #expect(try upgraded.read { try CodedListScan.lists($0) }.isEmpty)
        #expect(try upgraded.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        let afterUpgrade = try upgraded.write { db in try probes.map { try $0.run(db) } }

        let new = try DatabaseQueue(path: dir.file("new.sqlite"))
        defer { try? new.close() }
        try ClinicMigrations.migrator.migrate(new)
        try new.write { try $0.execute(sql: Self.oneRowEach) }
        let fresh = try new.write { db in try probes.map { try $0.run(db) } }

        for (i, probe) in probes.enumerated() {
            #expect(afterUpgrade[i] == before[i], "upgraded, \(probe.description): \(afterUpgrade[i]), before v8: \(before[i])")
            #expect(fresh[i] == before[i], "new clinic, \(probe.description): \(fresh[i]), before v8: \(before[i])")
        }
        #expect(probes.count > 150)
    }

    /// One row in each table with a coded list (a draft visit, so its entries may change).
    static let oneRowEach = """
        INSERT INTO practitioner (id, handle, name, profession, role, created_at)
        VALUES (1, 'mchen', 'Mei Chen', 'physiotherapist', 'practitioner', '2026-01-01');
        INSERT INTO patient (id, record_number, given_names, family_name, date_of_birth, sex, created_at, updated_at)
        VALUES (7, 'K00007', 'Ann', 'Lee', '1980-01-01', 'female', '2026-01-01', '2026-01-01');
        INSERT INTO patient_alert (patient_id, kind, precaution, text, status, source, created_at)
        VALUES (7, 'other', NULL, 'Faints at needles', 'proposed', 'test', '2026-01-01');
        INSERT INTO referral (id, patient_id, referrer_name, date, reason, format, created_at)
        VALUES (3, 7, 'Dr Ravi Iyer', '2026-05-01', 'Calf pain', 'cda', '2026-05-01');
        INSERT INTO visit (id, patient_id, practitioner_id, started_at, status) VALUES (5, 7, 1, '2026-06-01T10:00:00Z', 'draft');
        INSERT INTO trigger_point (visit_id, muscle_id, side, activity, taut_band, local_twitch, referred_pain)
        VALUES (5, 'upper-trapezius', 'left', 'active', 1, 0, 0);
        INSERT INTO biomechanical_finding (visit_id, kind, side, measure_json) VALUES (5, 'gait', 'left', '{}');
        INSERT INTO treatment (visit_id, kind, side) VALUES (5, 'exercise', 'left');
        INSERT INTO needling_entry (visit_id, muscle_id, side, needle_brand, needle_gauge_mm, needle_length_mm, needle_lot,
                                    inserted, removed, technique, twitch_responses, sharps_disposed)
        VALUES (5, 'infraspinatus', 'left', 'Seirin J-type', 0.25, 40, 'SJ2606', 2, 2, 'static', 0, 1);
        INSERT INTO referral_conflict (file_name, format, letter, sha256, reason, received_at)
        VALUES ('a.xml', 'knot', x'3c612f3e', 'abc', 'doubtful', '2026-05-01');
        INSERT INTO outcome_measure (visit_id, scale, items_json, score) VALUES (5, 'lefs', '[]', 50);
        """

    /// What a write of one value did.
    enum Outcome: Equatable, CustomStringConvertible {
        case accepted
        case refusedByTheList
        case refusedAsNull
        case refusedOtherwise(String)

        var description: String {
            switch self {
            case .accepted: "accepted"
            case .refusedByTheList: "refused by its list"
            case .refusedAsNull: "refused by NOT NULL"
            case .refusedOtherwise(let m): "refused otherwise: \(m)"
            }
        }
    }

    /// One value written into one coded column, by UPDATE (the CHECK, or the update trigger) or,
    /// for a trigger on INSERT, by INSERT; undone afterwards.
    struct Probe {
        var list: CodedListScan.Found
        var value: DatabaseValue
        var expected: Outcome

        var description: String { "\(list.where), \(list.column) = \(value)" }

        func run(_ db: Database) throws -> Outcome {
            var outcome = Outcome.accepted
            try db.inSavepoint {
                do {
                    try db.execute(sql: sql, arguments: [value])
                } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
                    let m = e.message ?? ""
                    let column = list.column.replacingOccurrences(of: "NEW.", with: "")
                    if m.hasPrefix("NOT NULL constraint failed: ") {
                        outcome = .refusedAsNull
                    } else if m.hasPrefix("CHECK constraint failed: ") && m.contains(column) {
                        outcome = .refusedByTheList
                    } else {
                        outcome = .refusedOtherwise(m)
                    }
                }
                return .rollback
            }
            return outcome
        }

        private var sql: String {
            let column = list.column.replacingOccurrences(of: "NEW.", with: "")
            if list.triggerEvent == "INSERT" {
                // The only trigger list: treatment.kind, on a new entry of the draft visit.
                return "INSERT INTO \(list.table) (visit_id, \(column)) VALUES (5, ?1)"
            }
            // The columns other rules tie to this one, set as those rules want (a CHECK or
            // trigger of their own, not the list under test).
            let companion = switch "\(list.table).\(column)" {
            case "patient_alert.kind": ", precaution = CASE WHEN ?1 = 'precaution' THEN 'anticoagulants' END"
            case "patient_alert.status": ", dismiss_reason = CASE WHEN ?1 = 'dismissed' THEN 'Resolved' END"
            case "visit.impression_code_system": ", impression = 'Myofascial pain', impression_code = CASE WHEN ?1 IS NOT NULL THEN 'M79.1' END"
            default: ""
            }
            return "UPDATE \(list.table) SET \(column) = ?1\(companion) WHERE rowid = (SELECT min(rowid) FROM \(list.table))"
        }
    }

    /// For each list: each of its values; NULL; and values a careless writer might send, none of
    /// which the list holds: another list's values, the first value in capitals, with a space,
    /// empty, a number, a blob of its bytes.
    static func probes(_ lists: [CodedListScan.Found]) -> [Probe] {
        let everyValue = Set(lists.flatMap(\.values))
        return lists.flatMap { list -> [Probe] in
            let first = list.values[0]
            var outside: [DatabaseValue] = everyValue.subtracting(list.values).sorted().map(\.databaseValue)
            outside += [first.uppercased(), first.prefix(1).uppercased() + first.dropFirst(), first + " ", " " + first, ""].map(\.databaseValue)
            outside += [0.databaseValue, 1.databaseValue, 1.5.databaseValue, Data(first.utf8).databaseValue]
            let null = Probe(list: list, value: .null, expected: list.nullable ? .accepted : .refusedAsNull)
            return list.values.map { Probe(list: list, value: $0.databaseValue, expected: .accepted) }
                + outside.map { Probe(list: list, value: $0, expected: .refusedByTheList) } + [null]
        }
    }

    // MARK: An upgraded clinic

    @Test("a keyed clinic upgraded to v8 keeps every row and every seal as they were (no re-sealing, no notice), its audit trail verifies, and nothing is found")
    func upgradeKeepsSealsAndAudit() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let patient = try clinic.addPatient("Ann", "Lee")
        _ = try clinic.addVisit(patient: patient, needles: 3)
        #expect(try clinic.db.read { try $0.verifyAudit() }.isIntact)
        try clinic.db.close()
        let rowsBefore = try Self.everyRow(clinic.path)
        try Self.asV7LeftIt(clinic.path)
        let sealsBefore = try Self.seals(clinic.path)
        #expect(!(sealsBefore["row_seal"] ?? []).isEmpty)

        // v8 changes only the schema's text (`ClinicMigrations.schemaTextOnly`): the open neither
        // verifies every row first nor seals every row again, so it says nothing.
        let heard = Heard()
        let upgraded = try ClinicDatabase(path: clinic.path, notice: { heard.notices.append($0) })
        defer { try? upgraded.close() }
        #expect(heard.notices.isEmpty, "\(heard.notices)")
        let verification = try upgraded.read { try $0.verifyAudit() }
        #expect(verification.isIntact, "\(verification)")
        try upgraded.close()
        let raw = try DatabaseQueue(path: clinic.path)
        defer { try? raw.close() }
        try raw.read { (db: Database) throws -> Void in
            #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM tamper_finding") == 0)
            #expect(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid").suffix(3)
                    == [Self.before, "v8-check-comparisons", "v9-identifier-numbers"])
        }
        // Every row and rowid as it was, and every seal and the seal root byte for byte.
        #expect(try Self.everyRow(clinic.path, skipping: ["row_seal", "row_key_seal", "clinic_identity", "grdb_migrations"])
                == rowsBefore.filter { !["row_seal", "row_key_seal", "clinic_identity", "grdb_migrations"].contains($0.key) })
        #expect(try Self.seals(clinic.path) == sealsBefore)
    }

    final class Heard { var notices: [OpeningNotice] = [] }

    /// The row seals, the keyed seals and the clinic's identity (its seal root), every column.
    static func seals(_ path: String) throws -> [String: [String]] {
        let q = try DatabaseQueue(path: path)
        defer { try? q.close() }
        return try q.read { db in
            var all: [String: [String]] = [:]
            for table in ["row_seal", "row_key_seal", "clinic_identity"] {
                all[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2").map(\.description)
            }
            return all
        }
    }

    /// Every table's rows, with rowids, as text.
    static func everyRow(_ path: String, skipping: Set<String> = []) throws -> [String: [String]] {
        let q = try DatabaseQueue(path: path)
        defer { try? q.close() }
        return try q.read { db in
            var all: [String: [String]] = [:]
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'
                  AND sql NOT LIKE '%WITHOUT ROWID%'
                """)
            for table in tables where !skipping.contains(table) {
                all[table] = try Row.fetchAll(db, sql: "SELECT rowid, * FROM \(table.quotedDatabaseIdentifier) ORDER BY rowid")
                    .map(\.description)
            }
            return all
        }
    }

    /// Puts a clinic's schema back as v7 left it (the lists as `IN`, v8 not applied), as a clinic
    /// written by the Knot before v8 is: its rows and seals are those v8 leaves alone.
    static func asV7LeftIt(_ path: String) throws {
        let q = try DatabaseQueue(path: path)
        defer { try? q.close() }
        try q.write { db in
            // Nor the migrations after v8 (v9's index on identifier numbers).
            try db.execute(sql: "DROP INDEX IF EXISTS patient_identifier_number")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v9-identifier-numbers'")
            try db.execute(sql: "PRAGMA writable_schema = ON")
            for list in ClinicMigrations.codedListsBeforeV8 {
                try db.execute(sql: "UPDATE sqlite_schema SET sql = replace(sql, ?, ?) WHERE type = ? AND name = ?",
                               arguments: [list.asComparisons, list.asList, list.trigger == nil ? "table" : "trigger",
                                           list.trigger ?? list.table])
            }
            let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
            try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
            try db.execute(sql: "PRAGMA writable_schema = RESET")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v8-check-comparisons'")
        }
        #expect(try q.read { try CodedListScan.lists($0) }.count == 16)
    }

    // MARK: Refusing

    @Test("the migration refuses a schema whose list is not where expected, and changes nothing")
    func refusesAnUnexpectedSchema() throws {
        let q = try DatabaseQueue()
        try ClinicMigrations.migrator.migrate(q, upTo: Self.before)
        // Another program widened patient.sex; the migration must not guess.
        try q.write { db in
            try db.execute(sql: "PRAGMA writable_schema = ON")
            try db.execute(sql: """
                UPDATE sqlite_schema SET sql = replace(sql, '''not-stated'')', '''not-stated'',''unknown'')')
                WHERE type = 'table' AND name = 'patient'
                """)
            try db.execute(sql: "PRAGMA schema_version = \(try Int.fetchOne(db, sql: "PRAGMA schema_version")! + 1)")
            try db.execute(sql: "PRAGMA writable_schema = RESET")
        }
        let schemaBefore = try q.read { try SchemaSnapshotTests.schema($0) }
        let refused = #expect(throws: DatabaseError.self) { try ClinicMigrations.migrator.migrate(q) }
        #expect(refused?.message?.contains("patient.sex") == true, "\(String(describing: refused))")
        #expect(refused?.message?.contains("nothing was changed") == true)
        #expect(try q.read { try SchemaSnapshotTests.schema($0) } == schemaBefore)
        #expect(try q.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }.last == Self.before)
        #expect(try q.read { try CodedListScan.lists($0) }.count == 16)
        // And the connection is left as it was: the schema not writable.
        #expect(try q.read { try Int.fetchOne($0, sql: "PRAGMA writable_schema") } == 0)
    }

    @Test("a list found twice in its table is refused rather than both rewritten")
    func refusesAListFoundTwice() throws {
        let q = try DatabaseQueue()
        try q.write { db in
            try db.execute(sql: "CREATE TABLE t (a TEXT CHECK (a IN ('x','y','z')), b TEXT CHECK (a IN ('x','y','z')))")
            let list = ClinicMigrations.CodedList(table: "t", column: "a", values: ["x", "y", "z"])
            let refused = #expect(throws: DatabaseError.self) { try ClinicMigrations.rewriteCodedLists(db, [list]) }
            #expect(refused?.message?.contains("t.a") == true)
            #expect(try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = 't'")?.contains("IN ('x','y','z')") == true)
        }
    }
}

/// Finds, in a database's schema, every `column IN (…)` or `NOT IN (…)` of three or more
/// constants (what SQLite builds an ephemeral table for), in tables, triggers, indexes and views.
enum CodedListScan {
    struct Found: Sendable {
        var type: String
        var name: String
        var table: String
        var column: String
        var values: [String]
        var negated: Bool
        /// For a trigger: INSERT or UPDATE.
        var triggerEvent: String?
        var nullable: Bool

        var `where`: String { type == "table" ? "table \(table)" : "\(type) \(name) on \(table)" }

        var asCodedList: ClinicMigrations.CodedList {
            ClinicMigrations.CodedList(table: table, trigger: type == "trigger" ? name : nil, column: column, values: values,
                                       separator: "", negated: negated)
        }
    }

    static func lists(_ db: Database) throws -> [Found] {
        let pattern = try NSRegularExpression(
            pattern: #"([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\s+(NOT\s+)?IN\s*\(([^()]*)\)"#,
            options: [.caseInsensitive])
        var found: [Found] = []
        for row in try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY rowid") {
            let sql: String = row["sql"], type: String = row["type"], name: String = row["name"], table: String = row["tbl_name"]
            let ns = sql as NSString
            for m in pattern.matches(in: sql, range: NSRange(location: 0, length: ns.length)) {
                guard let values = constants(ns.substring(with: m.range(at: 3))), values.count >= 3 else { continue }
                let column = ns.substring(with: m.range(at: 1))
                let bare = column.hasPrefix("NEW.") || column.hasPrefix("OLD.") ? String(column.dropFirst(4)) : column
                let notNull = try Bool.fetchOne(db, sql: "SELECT \"notnull\" FROM pragma_table_info(?) WHERE name = ?",
                                                arguments: [table, bare]) ?? false
                let event = type == "trigger" ? (sql.uppercased().contains("BEFORE INSERT") || sql.uppercased().contains("AFTER INSERT")
                                                 ? "INSERT" : "UPDATE") : nil
                found.append(Found(type: type, name: name, table: table, column: column, values: values,
                                   negated: m.range(at: 2).location != NSNotFound, triggerEvent: event, nullable: !notNull))
            }
        }
        return found
    }

    /// The list's values when every one is a constant (a quoted string or a number), else nil.
    static func constants(_ list: String) -> [String]? {
        var values: [String] = []
        var rest = Substring(list)
        while true {
            rest = rest.drop { $0 == " " || $0 == "\n" || $0 == "\t" }
            if rest.first == "'" {
                var value = "", i = rest.index(after: rest.startIndex)
                while true {
                    guard i < rest.endIndex else { return nil }
                    if rest[i] == "'" {
                        let next = rest.index(after: i)
                        if next < rest.endIndex, rest[next] == "'" { value.append("'"); i = rest.index(after: next); continue }
                        rest = rest[next...]
                        break
                    }
                    value.append(rest[i]); i = rest.index(after: i)
                }
                values.append(value)
            } else {
                let number = rest.prefix { $0.isNumber || $0 == "." || $0 == "-" }
                guard !number.isEmpty else { return nil }
                values.append(String(number))
                rest = rest.dropFirst(number.count)
            }
            rest = rest.drop { $0 == " " || $0 == "\n" || $0 == "\t" }
            if rest.isEmpty { return values }
            guard rest.first == "," else { return nil }
            rest = rest.dropFirst()
        }
    }
}
