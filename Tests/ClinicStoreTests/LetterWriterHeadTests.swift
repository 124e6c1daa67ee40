import Foundation
import Testing
import GRDB
import ClinicModel
@testable import ClinicStore

/// Fewer statements per letter, second round (issue 19): inside a savepoint (one letter of a
/// batch) the audit chain's stored head is written once, as the savepoint ends; the next record
/// number is found in one statement; a new patient's search prefixes come from the values in
/// hand, not from reading `patient_fts` back. Each must leave what the long way left.
@Suite struct LetterWriterHeadTests {
    struct Refused: Error {}

    static func patient(_ given: String, _ family: String, born: String = "1980-05-17", phone: String? = nil,
                        preferred: String? = nil, archived: Bool = false, recordNumber: String = "") throws -> Patient {
        var p = Patient(recordNumber: recordNumber, givenNames: given, familyName: family, dateOfBirth: try LocalDate(parsing: born), phone: phone)
        p.preferredName = preferred
        p.archived = archived
        return p
    }

    /// The stored head (`audit_head`) as this transaction sees it.
    static func storedHead(_ tx: StoreTransaction) throws -> (id: Int64, hash: String)? {
        try Row.fetchOne(tx.db, sql: "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1").map { ($0[0], $0[1]) }
    }

    static func lastEvent(_ tx: StoreTransaction) throws -> (id: Int64, hash: String) {
        let row = try #require(try Row.fetchOne(tx.db, sql: "SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1"))
        return (row[0], row[1])
    }

    @Test("inside a savepoint the stored head waits for its end; then it is the last event, once")
    func headWrittenAsTheSavepointEnds() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        try clinic.db.write { tx in
            let before = try #require(try Self.storedHead(tx))
            try tx.savepoint {
                let p = try tx.insertPatient(try Self.patient("Ann", "Inside"), actor: "test", today: testToday)
                _ = try tx.insertReferral(Referral(patientID: p.id!, referrerName: "Dr Who", date: testToday, reason: "Neck pain"), actor: "test")
                // Two events appended; the stored head not written yet.
                #expect(try Self.lastEvent(tx).id == before.id + 2)
                #expect(try Self.storedHead(tx)?.id == before.id)
            }
            let last = try Self.lastEvent(tx)
            #expect(try Self.storedHead(tx)?.id == last.id)
            #expect(try Self.storedHead(tx)?.hash == last.hash)
            // Outside a savepoint, every event writes it as before.
            _ = try tx.insertPatient(try Self.patient("Bea", "Outside"), actor: "test", today: testToday)
            #expect(try Self.storedHead(tx)?.id == last.id + 1)
        }
        #expect(try clinic.db.read { try $0.verifyAudit() }.isIntact)
    }

    @Test("letters kept, refused and kept again in one transaction: the stored head is the last kept event, the chain verifies")
    func refusedBetweenKept() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        try clinic.db.write { tx in
            for i in 0..<9 {
                _ = try? tx.savepoint {
                    let p = try tx.insertPatient(try Self.patient("Given", "Family\(i)"), actor: "test", today: testToday)
                    _ = try tx.insertReferral(Referral(patientID: p.id!, referrerName: "Dr Who", date: testToday, reason: "Neck pain"), actor: "test")
                    // The last letter refused too: the head must go back to the letter before it.
                    if i % 4 == 1 || i == 8 { throw Refused() }
                }
                let last = try Self.lastEvent(tx)
                #expect(try Self.storedHead(tx)?.id == last.id && Self.storedHead(tx)?.hash == last.hash)
            }
        }
        #expect(try clinic.db.read { try $0.patientCount() } == 6)
        #expect(try clinic.db.read { try $0.verifyAudit() }.isIntact)
        // The next transaction reads the stored head and chains on.
        try clinic.addPatient("Gil", "Later")
        #expect(try clinic.db.read { try $0.verifyAudit() }.isIntact)
    }

    @Test("nested savepoints, and a savepoint refused while writing the head: the chain verifies")
    func nestedAndSealedInside() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        try clinic.db.write { tx in
            try tx.savepoint {
                _ = try tx.insertPatient(try Self.patient("Dot", "Outer"), actor: "test", today: testToday)
                // A nested savepoint leaves the head to the outer one.
                try tx.savepoint {
                    _ = try tx.insertPatient(try Self.patient("Eve", "Inner"), actor: "test", today: testToday)
                }
                #expect(try Self.storedHead(tx)?.id != Self.lastEvent(tx).id)
                _ = try tx.insertPatient(try Self.patient("Fay", "After"), actor: "test", today: testToday)
            }
            #expect(try Self.storedHead(tx)?.id == Self.lastEvent(tx).id)
            // The database refuses the head's write (a trigger for the test): the letter is refused
            // whole and the next event takes the place its events would have had.
            try tx.db.execute(sql: "CREATE TEMP TRIGGER refuse_head BEFORE UPDATE ON main.audit_head BEGIN SELECT RAISE(ABORT, 'refused for the test'); END")
            let kept = try Self.lastEvent(tx)
            #expect(throws: StoreError.self) {
                try tx.savepoint { _ = try tx.insertPatient(try Self.patient("Gus", "Refused"), actor: "test", today: testToday) }
            }
            try tx.db.execute(sql: "DROP TRIGGER temp.refuse_head")
            #expect(try Self.lastEvent(tx).id == kept.id)
            _ = try tx.insertPatient(try Self.patient("Hal", "Next"), actor: "test", today: testToday)
            #expect(try Self.lastEvent(tx).id == kept.id + 1)
        }
        #expect(try clinic.db.read { try $0.patientCount() } == 4)
        #expect(try clinic.db.read { try $0.verifyAudit() }.isIntact)
    }

    @Test("the next record number, found in one statement, is the one the Swift loop finds, a taken one skipped")
    func nextRecordNumberInOneStatement() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        // SQLite's printf('K%05d') and recordNumber agree on every number Knot gives.
        let q = try clinic.raw()
        let fromSQL = try q.read { db in
            try String.fetchAll(db, sql: """
                WITH RECURSIVE n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x < 120000)
                SELECT printf('K%05d', x) FROM n
                """) + String.fetchAll(db, sql: "SELECT printf('K%05d', ?)", arguments: [Int64(999_999)])
                + String.fetchAll(db, sql: "SELECT printf('K%05d', ?)", arguments: [Int64.max])
        }
        try q.close()
        #expect(fromSQL == (Array(Int64(0)...120_000) + [999_999, Int64.max]).map(StoreTransaction.recordNumber))
        try clinic.db.write { tx in
            // K00002 taken by hand by the first patient (id 1): the second gets K00003, then K00004.
            let first = try tx.insertPatient(try Self.patient("Ann", "Manual", recordNumber: "K00002"), actor: "test", today: testToday)
            #expect(first.id == 1)
            #expect(try tx.insertPatient(try Self.patient("Bea", "Chosen"), actor: "test", today: testToday).recordNumber == "K00003")
            #expect(try tx.insertPatient(try Self.patient("Cal", "Chosen"), actor: "test", today: testToday).recordNumber == "K00004")
            #expect(try tx.nextRecordNumber() == "K00005")
        }
    }

    @Test("a new patient's search prefixes from the values in hand equal those derived from the full-text index")
    func prefixesFromValuesInHand() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let people: [Patient] = [
            try Self.patient("Jo", "Smith", phone: "+61 (0)412-345 678", preferred: "Jojo"),
            try Self.patient("Zoë", "Müller", born: "1901-12-31", phone: "(03) 9123+4567", preferred: "Zed"),
            try Self.patient("Siobhán", "O'Brien", born: "2020-02-29", archived: true),
            try Self.patient("芳", "王", phone: "0412 345 678", preferred: "Fang"),
            try Self.patient("Øystein", "Ærø-Strøm", phone: "(03) 9876-5432"),
            try Self.patient("Mary Anne", "van der Berg", preferred: "M.A.", archived: true),
            try Self.patient("Émile", "Zola 2nd", phone: "+1-555-0100-22"),
        ]
        try clinic.db.write { tx in
            for p in people { _ = try tx.insertPatient(p, actor: "test", today: testToday) }
        }
        let written = try LetterWriterStoreTests.writtenPrefixes(clinic)
        #expect(written == (try LetterWriterStoreTests.derivedPrefixes(clinic)))
        #expect(written.contains { $0[0] == "\"jo\"" && $0[3] == "0" })
        #expect(written.contains { $0[0] == "\"ze\"" })
        #expect(written.contains { $0[0] == "\"29\"" && $0[3] == "1" })
    }
}
