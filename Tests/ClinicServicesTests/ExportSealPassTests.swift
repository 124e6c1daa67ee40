import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicDemo
import ClinicXML
@testable import ClinicStore
import ClinicTestSupport

/// The export's seal pass (which records were changed outside Knot, for their digests) runs on a
/// second connection beside the reads. What the clinic relies on: the pass and the reads answer
/// about one and the same state, so a record changed behind Knot's back is exported with its
/// new content *and* marked as changed, never one without the other; and a pass that fails,
/// even after every record was written, leaves no file.
@Suite(.serialized) struct ExportSealPassTests {
    static func clinic() throws -> (TemporaryDirectory, String) {
        let dir = TemporaryDirectory(prefix: "knot-export-seal-db")
        let path = dir.file("clinic.sqlite")
        let db = try ClinicDatabase(path: path)
        _ = try SyntheticClinic.generate(into: db, patients: 12, visitsPerPatient: 1, seed: 9,
                                         today: try LocalDate(year: 2026, month: 6, day: 30))
        try db.close()
        return (dir, path)
    }

    /// The patient records of an export, each with whether its digest says "as audited".
    static func patients(in file: String) throws -> [(record: PatientRecord, audited: Bool?)] {
        let reader = try RecordsImportReader(contentsOfFile: file, fileName: nil)
        var out: [(PatientRecord, Bool?)] = []
        while let item = try reader.next() {
            if case .patient(let record) = item {
                out.append((record, reader.lastRecords.first { $0.kind == "patient" }?.matches))
            }
        }
        return out
    }

    @Test("a patient changed by another program between the starts of the seal pass and of the reads: exported with its new name and marked changed outside Knot")
    func aChangeBetweenTheTwoStartsIsSeenByBoth() throws {
        let (dbDir, path) = try Self.clinic()
        defer { withExtendedLifetime(dbDir) {} }
        let target = try #require(try StoreProbe.scalar(path, "SELECT min(id) FROM patient").flatMap { Int64($0) })
        let db = try ClinicDatabase(path: path, create: false)
        defer { try? db.close() }
        let attempts = AttemptLog()
        // After the pass beside has taken its snapshot and before the reads take theirs: a commit
        // by another process (python's sqlite3), as `sqlite3` on the clinic would make.
        ClinicDatabase.sameSnapshotProbe.set(path: db.path) { attempt in
            attempts.add(attempt)
            if attempt == 1 {
                try? StoreProbe.execute(path, "UPDATE patient SET family_name = 'Outside' WHERE id = \(target)")
            }
        }
        defer { ClinicDatabase.sameSnapshotProbe.set(path: db.path, nil) }
        let out = TemporaryDirectory(prefix: "knot-export-seal-out")
        let file = out.file("clinic.xml")
        _ = try ClinicSession.maintenance(database: db, actor: "test").export(to: file)
        // The first pair saw two states and was dropped; the second pair saw one.
        #expect(attempts.all.prefix(2) == [1, 2], "\(attempts.all)")
        let patients = try Self.patients(in: file)
        #expect(patients.count == 12)
        let changed = try #require(patients.first { $0.record.patient.id == target })
        #expect(changed.record.patient.familyName == "Outside")
        #expect(changed.audited == false, "the change outside Knot is marked in its digest")
        #expect(patients.filter { $0.record.patient.id != target }.allSatisfy { $0.audited == true })
    }

    @Test("the pass and the reads of one export see the same rows: a count taken by each, with commits racing, always agrees")
    func bothConnectionsSeeOneSnapshot() throws {
        let (dbDir, path) = try Self.clinic()
        defer { withExtendedLifetime(dbDir) {} }
        let db = try ClinicDatabase(path: path, create: false)
        defer { try? db.close() }
        let before = try db.read { tx in try Int.fetchOne(tx.db, sql: "SELECT count(*) FROM clinic_setting") ?? 0 }
        ClinicDatabase.sameSnapshotProbe.set(path: db.path) { _ in
            try? StoreProbe.execute(path, "INSERT INTO clinic_setting (name, value) VALUES ('probe_' || lower(hex(randomblob(8))), 'x')")
        }
        defer { ClinicDatabase.sameSnapshotProbe.set(path: db.path, nil) }
        // Every attempt is disturbed: after the last one the pass runs first, in the reads' transaction;
        // the pairs dropped before never ran it.
        let passes = AttemptLog()
        let (beside, main) = try db.read(alongside: { tx in
            passes.add(1)
            return try Int.fetchOne(tx.db, sql: "SELECT count(*) FROM clinic_setting") ?? -1
        }) { tx, beside in
            (try beside(), try Int.fetchOne(tx.db, sql: "SELECT count(*) FROM clinic_setting") ?? -2)
        }
        #expect(beside == main)
        #expect(passes.all.count == 1, "the pass ran once, not once per dropped pair")
        #expect(main == before + ClinicDatabase.sameSnapshotAttempts, "the last commit is seen by both")
        ClinicDatabase.sameSnapshotProbe.set(path: db.path, nil)
        let (quietBeside, quietMain) = try db.read(alongside: { tx in try Int.fetchOne(tx.db, sql: "SELECT count(*) FROM clinic_setting") ?? -1 }) { tx, beside in
            (try beside(), try Int.fetchOne(tx.db, sql: "SELECT count(*) FROM clinic_setting") ?? -2)
        }
        #expect(quietBeside == quietMain)
        #expect(quietMain == main)
    }

    @Test("a seal pass that fails after every record was written: the export is refused and leaves no file, no signature")
    func aLateFailureOfThePassLeavesNothing() throws {
        let (dbDir, path) = try Self.clinic()
        defer { withExtendedLifetime(dbDir) {} }
        let db = try ClinicDatabase(path: path, create: false)
        defer { try? db.close() }
        // The seals' table renamed away by another program: the pass beside cannot read it, and
        // says so only when the records are all written (they are read on the other connection).
        try StoreProbe.execute(path, "ALTER TABLE row_seal RENAME TO row_seal_gone")
        let out = TemporaryDirectory(prefix: "knot-export-seal-out")
        let file = out.file("clinic.xml")
        var refusal = ""
        #expect(throws: (any Error).self) {
            do { _ = try ClinicSession.maintenance(database: db, actor: "test").export(to: file) } catch {
                refusal = "\(error)"
                throw error
            }
        }
        #expect(refusal.contains("row_seal"), "\(refusal)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == [], "nothing is left beside the export")
    }
}

/// The attempts the probe saw, in order.
private final class AttemptLog: @unchecked Sendable {
    private let lock = NSLock()
    private var attempts: [Int] = []
    func add(_ attempt: Int) { lock.withLock { attempts.append(attempt) } }
    var all: [Int] { lock.withLock { attempts } }
}
