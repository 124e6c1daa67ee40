import Foundation
import Testing
import GRDB
import ClinicModel
import ClinicServices
@testable import ClinicStore
import ClinicTestSupport

/// The letter writer's work per letter, counted by SQLite itself (issue 19): every statement the
/// writer's connection starts while `importAll` files a batch of new patients' letters, as
/// `sqlite3_trace_v2` reports them (GRDB's `Database.trace`), so that a statement added to the
/// path of every letter shows here as a failure, not only as a slower benchmark.
@Suite("letter writer: statements per letter, traced")
struct LetterStatementCountTests {
    let dir = TemporaryDirectory(prefix: "knot-letter-trace")

    /// Statements seen by the trace (trigger programs, reported as "-- TRIGGER ...", left out:
    /// they are part of the statement that fired them).
    final class StatementLog: @unchecked Sendable {
        private let lock = NSLock()
        private var sql: [String] = []
        func add(_ text: String) {
            guard !text.hasPrefix("--") else { return }
            lock.lock(); defer { lock.unlock() }
            sql.append(text)
        }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return sql }
    }

    /// Knot-format letters for `count` different new patients, each with a Medicare number; every
    /// third on an anticoagulant (a proposed alert).
    func writeLetters(_ count: Int, into folder: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try (0..<count).map { i in
            let meds = i % 3 == 0 ? "<medications><medication>Apixaban 5 mg bd</medication></medications>" : ""
            let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <referral xmlns="urn:knot:referral:1" version="1">
              <referrer><name>Dr Sarah Okafor</name><organisation>Harbour GP</organisation></referrer>
              <date>2026-11-20</date>
              <patient>
                <givenNames>Given\(Self.word(i))</givenNames><familyName>Family\(Self.word(i))</familyName>
                <dateOfBirth>19\(50 + i % 50)-0\(1 + i % 9)-1\(i % 10)</dateOfBirth><sex>female</sex>
                <identifier system="medicare">\(2_951_000_000 + i)</identifier>
              </patient>
              <reason>Calf trigger points, runner (letter \(i)).</reason>
              \(meds)
            </referral>
            """
            let path = (folder as NSString).appendingPathComponent(String(format: "letter-%04d.xml", i))
            try Data(xml.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    static func word(_ n: Int) -> String {
        var n = n, s = ""
        repeat { s.append(Character(UnicodeScalar(UInt8(97 + n % 26)))); n /= 26 } while n > 0
        return s
    }

    /// Imports the letters in one batch with the writer's connection traced: the statements of
    /// each letter, from its SHA-256 check to the next letter's (the last one's up to the commit,
    /// the batch's audit head included), and the commit and what follows it.
    func tracedImport(_ files: [String], into db: ClinicDatabase) throws -> (outcomes: [ImportOutcome], perLetter: [[String]], end: [String]) {
        let log = StatementLog()
        db.pool.writeWithoutTransaction { $0.trace { event in if case .statement(let s) = event { log.add(s.sql) } } }
        defer { db.pool.writeWithoutTransaction { $0.trace(nil) } }
        let run = ClinicSession.maintenance(database: db, actor: "trace").importAll(files, batchSize: files.count)
        var perLetter: [[String]] = [], end: [String] = []
        // A statement bound in place is marked so in its SQL (`InPlaceBinding.marker`): read as the statement it is.
        let marker = "/* bound in place */ "
        for traced in log.all {
            let sql = traced.hasPrefix(marker) ? String(traced.dropFirst(marker.count)) : traced
            if end.isEmpty, sql.contains("FROM imported_document WHERE sha256") {
                perLetter.append([sql])
            } else if !perLetter.isEmpty {
                if end.isEmpty, !sql.hasPrefix("COMMIT") {
                    perLetter[perLetter.count - 1].append(sql)
                } else {
                    end.append(sql)
                }
            }
        }
        return (run.outcomes, perLetter, end)
    }

    @Test("a new patient's letter is filed in at most 12 statements, no savepoint, the audit head and the search indexes written once per batch")
    func statementsPerNewPatientLetter() throws {
        let count = 40
        let files = try writeLetters(count, into: dir.file("letters"))
        let db = try ClinicDatabase(path: dir.file("clinic.sqlite"))
        let schemaVersion = try db.pool.read { try Int.fetchOne($0, sql: "PRAGMA schema_version") }
        let (outcomes, perLetter, end) = try tracedImport(files, into: db)
        #expect(outcomes.count == count && outcomes.allSatisfy { $0.status == .created }, "\(outcomes.map(\.detail))")
        #expect(perLetter.count == count)
        for (i, statements) in perLetter.enumerated() {
            let listed = "\(statements.count) statements:\n" + statements.joined(separator: "\n")
            // An anticoagulant proposes an alert: its insert and its audit event.
            let alerts = statements.filter { $0.hasPrefix("INSERT INTO patient_alert") }.count
            #expect(statements.filter { $0.hasPrefix("INSERT INTO audit_event") }.count == 3 + alerts, "\(listed)")
            #expect(!statements.contains { $0.hasPrefix("SAVEPOINT") || $0.hasPrefix("RELEASE") }, "\(listed)")
            // The stored head: written once, after the batch's last letter.
            #expect(statements.filter { $0.hasPrefix("INSERT INTO audit_head") }.count == (i == perLetter.count - 1 ? 1 : 0), "\(listed)")
            // The search indexes: nothing per letter; the first letter's patient holds the insert
            // trigger off (its hold table looked up first, then its row written), the batch's end
            // (traced with its last letter) deletes that row and indexes all its patients, one
            // statement each: none of them edited in the batch, the full-text one is an insert
            // with the insert trigger's expressions (after asking whether any of them has an
            // entry, and reading the trigger's text), not an update firing `patient_fts_update`.
            let last = i == perLetter.count - 1
            let indexing = statements.filter { $0.contains("patient_fts") && !$0.contains("_config") || $0.contains("patient_search_prefix") }
            #expect(indexing.count == (last ? 5 : i == 0 ? 2 : 0), "\(listed)")
            if i == 0 { #expect(statements.filter { $0.hasPrefix("INSERT INTO patient_fts_hold") }.count == 1, "\(listed)") }
            if last {
                #expect(statements.filter { $0.hasPrefix("INSERT INTO patient_fts(rowid") }.count == 1, "\(listed)")
                #expect(statements.filter { $0.hasPrefix("UPDATE patient SET updated_at = updated_at") }.isEmpty, "\(listed)")
                #expect(statements.filter { $0.hasPrefix("INSERT OR IGNORE INTO patient_search_prefix") }.count == 1, "\(listed)")
                #expect(statements.filter { $0.hasPrefix("DELETE FROM patient_fts_hold") }.count == 1, "\(listed)")
            }
            // The first letter of a batch also reads the chain head and makes the tokenizer.
            if i > 0 && !last { #expect(statements.count <= 12 + 2 * alerts, "\(listed)") }
            // No schema change: nothing makes every connection prepare its statements again.
            #expect(!statements.contains { $0.hasPrefix("DROP ") || $0.hasPrefix("CREATE ") }, "\(listed)")
        }
        #expect(try db.pool.read { try Int.fetchOne($0, sql: "PRAGMA schema_version") } == schemaVersion)
        #expect(try db.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM patient_fts_hold") } == 0)
        #expect(try db.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM patient_fts") } == count)
        #expect(!end.contains { $0.contains("audit_head") && !$0.hasPrefix("SELECT") }, "\(end)")
        let counts = Dictionary(grouping: perLetter.dropFirst().dropLast().map(\.count), by: { $0 }).mapValues(\.count)
        print("statements per new patient's letter, first and last of the batch aside (statements: letters): \(counts.sorted { $0.key < $1.key })")
        // The shortcuts leave what the long way left: the chain verifies, the stored head is the last event.
        #expect(try db.read { try $0.verifyAudit(anchor: nil) }.isIntact)
        let head = try db.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT last_id = (SELECT max(id) FROM audit_event), last_hash = (SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1) FROM audit_head")
        }
        #expect(head?[0] == true && head?[1] == true)
    }

    @Test("small batches change no schema either: a batch of three held, --batch 1 (searchIndexBatchMinimum is 2) indexing each patient as it is inserted; all found by search")
    func smallBatchChangesNoSchema() throws {
        let files = try writeLetters(3, into: dir.file("letters"))
        let db = try ClinicDatabase(path: dir.file("clinic.sqlite"))
        let schemaVersion = try db.pool.read { try Int.fetchOne($0, sql: "PRAGMA schema_version") }
        let (outcomes, perLetter, end) = try tracedImport(files, into: db)
        #expect(outcomes.count == 3 && outcomes.allSatisfy { $0.status == .created }, "\(outcomes.map(\.detail))")
        let all = Array(perLetter.joined()) + end
        #expect(!all.contains { $0.hasPrefix("DROP ") || $0.hasPrefix("CREATE ") }, "\(all.joined(separator: "\n"))")
        #expect(try db.pool.read { try Int.fetchOne($0, sql: "PRAGMA schema_version") } == schemaVersion)
        let session = ClinicSession.maintenance(database: db, actor: "trace")
        for i in 0..<3 {
            #expect(try session.searchPatients("Family\(Self.word(i))").count == 1)
        }
        #expect(ClinicSession.searchIndexBatchMinimum == 2)
        for n in 1...2 {
            let one = try writeLetters(n + 3, into: dir.file("more-\(n)")).suffix(1)
            let log = StatementLog()
            db.pool.writeWithoutTransaction { $0.trace { event in if case .statement(let s) = event { log.add(s.sql) } } }
            #expect(session.importAll(Array(one), batchSize: 1).outcomes.map(\.status) == [.created])
            db.pool.writeWithoutTransaction { $0.trace(nil) }
            #expect(!log.all.contains { $0.contains("patient_fts_hold") || $0.hasPrefix("DROP ") || $0.hasPrefix("CREATE ") }, "\(log.all)")
        }
        #expect(try db.pool.read { try Int.fetchOne($0, sql: "PRAGMA schema_version") } == schemaVersion)
        let counts = try db.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT (SELECT count(*) FROM patient_fts), (SELECT count(DISTINCT patient_id) FROM patient_search_prefix), (SELECT count(*) FROM patient_fts_hold)")
        }
        #expect(counts?[0] == 5 && counts?[1] == 5 && counts?[2] == 0)
    }

    @Test("a letter refused by the database mid-batch: the batch is filed again a savepoint per letter, with the outcomes one-by-one import gives")
    func refusedLetterRefilesTheBatchGuarded() throws {
        let files = try writeLetters(12, into: dir.file("letters"))
        func clinic(_ name: String) throws -> ClinicDatabase {
            let db = try ClinicDatabase(path: dir.file(name))
            // Letters 4 and 9 refused by the database after their patient and its audit event were written.
            try db.pool.writeWithoutTransaction { db in
                try db.execute(sql: """
                    CREATE TEMP TRIGGER test_refuse BEFORE INSERT ON main.referral
                    WHEN (SELECT family_name FROM main.patient WHERE id = NEW.patient_id) IN ('Family\(Self.word(4))', 'Family\(Self.word(9))')
                    BEGIN SELECT RAISE(ABORT, 'refused for the test'); END
                    """)
            }
            return db
        }
        let batchedDB = try clinic("batched.sqlite")
        let (batched, perLetter, end) = try tracedImport(files, into: batchedDB)
        let alone = ClinicSession.maintenance(database: try clinic("alone.sqlite"), actor: "trace")
        let oneByOne = files.map { alone.importFile($0) }
        #expect(batched.map(\.status) == oneByOne.map(\.status))
        #expect(batched.filter { $0.status != .rejected }.map(\.detail) == oneByOne.filter { $0.status != .rejected }.map(\.detail))
        #expect(batched.map(\.status).filter { $0 == .rejected }.count == 2)
        #expect(batched[4].status == .rejected && batched[9].status == .rejected)
        // Filed the fast way up to the refusal, then again, each letter in its savepoint.
        #expect(perLetter.count == 5 + 12, "\(perLetter.count)")
        #expect(perLetter.prefix(5).allSatisfy { !$0.contains { $0.hasPrefix("SAVEPOINT") } })
        #expect(perLetter.suffix(12).allSatisfy { $0.contains { $0.hasPrefix("SAVEPOINT") } })
        _ = end
        #expect(try batchedDB.read { try $0.verifyAudit(anchor: nil) }.isIntact)
        #expect(try batchedDB.read { try $0.patientCount() } == 10)
    }
}
