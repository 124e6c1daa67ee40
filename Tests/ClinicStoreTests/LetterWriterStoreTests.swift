import Foundation
import Testing
import GRDB
import ClinicModel
@testable import ClinicStore

/// The letter writer does fewer statements per letter (issue 19): the audit chain's head is kept
/// in hand for the transaction, a patient's search-prefix rows go in with one statement, and
/// lookups whose answer the transaction already has are not made again. Each shortcut must give
/// what the long way gave, also after a savepoint rolled back in the middle of a transaction.
@Suite struct LetterWriterStoreTests {
    struct Refused: Error {}

    static func patient(_ given: String, _ family: String, born: String = "1980-05-17", phone: String? = nil,
                        identifiers: [PatientIdentifier] = []) throws -> Patient {
        Patient(recordNumber: "", givenNames: given, familyName: family, dateOfBirth: try LocalDate(parsing: born),
                phone: phone, identifiers: identifiers)
    }

    /// Audit ids in order; they must have no gap and each row must chain to the one before.
    static func expectUnbrokenChain(_ clinic: Clinic) throws {
        let log = try clinic.db.read { try $0.auditLog(limit: 10_000) }.reversed().map { $0 }
        for (earlier, later) in zip(log, log.dropFirst()) {
            #expect(later.event.id == earlier.event.id! + 1, "a gap after audit event \(earlier.event.id!)")
            #expect(later.prevHash == earlier.hash, "audit event \(later.event.id!) does not chain")
        }
        #expect(try clinic.db.read { try $0.verifyAudit() }.isIntact)
    }

    @Test("a savepoint rolled back mid-transaction puts the chain head back: the next event takes its place, the chain verifies")
    func chainHeadAfterRefusedSavepoint() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let start = try #require(try clinic.db.read { try $0.auditLog(limit: 1).first?.event.id })
        try clinic.db.write { tx in
            _ = try tx.insertPatient(try Self.patient("Ann", "First"), actor: "test", today: testToday)
            // A refused letter: its patient and that patient's audit event were written, then refused.
            #expect(throws: Refused.self) {
                try tx.savepoint {
                    _ = try tx.insertPatient(try Self.patient("Bea", "Refused"), actor: "test", today: testToday)
                    throw Refused()
                }
            }
            // A savepoint refused by the database (a duplicate record number) after its own events.
            #expect(throws: StoreError.self) {
                try tx.savepoint {
                    _ = try tx.insertPatient(try Self.patient("Cal", "Twice"), actor: "test", today: testToday)
                    var again = try Self.patient("Cal", "Twice")
                    again.recordNumber = "K00001"
                    _ = try tx.insertPatient(again, actor: "test", today: testToday)
                }
            }
            // Nested: the inner one refused, the outer kept.
            try tx.savepoint {
                _ = try tx.insertPatient(try Self.patient("Dot", "Outer"), actor: "test", today: testToday)
                #expect(throws: Refused.self) {
                    try tx.savepoint {
                        _ = try tx.insertPatient(try Self.patient("Eve", "Inner"), actor: "test", today: testToday)
                        throw Refused()
                    }
                }
            }
            _ = try tx.insertPatient(try Self.patient("Fay", "Last"), actor: "test", today: testToday)
        }
        let events = try clinic.db.read { try $0.auditLog(limit: 10) }.filter { $0.event.id! > start }
        #expect(events.map(\.event.id!) == [start + 3, start + 2, start + 1])
        let names = try clinic.db.read { tx in try events.map { try tx.patient(id: $0.event.patientID!)!.familyName } }
        #expect(names == ["Last", "Outer", "First"])
        try Self.expectUnbrokenChain(clinic)
        // A later transaction (which reads the head afresh) chains on.
        try clinic.addPatient("Gil", "Later")
        try Self.expectUnbrokenChain(clinic)
    }

    @Test("every savepoint of a long transaction rolled back in turn: the chain still verifies")
    func manyRefusedSavepoints() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        try clinic.db.write { tx in
            for i in 0..<40 {
                let refuse = i % 3 == 1
                _ = try? tx.savepoint {
                    let p = try tx.insertPatient(try Self.patient("Given", "Family\(i)"), actor: "test", today: testToday)
                    _ = try tx.insertReferral(Referral(patientID: p.id!, referrerName: "Dr Who", date: testToday, reason: "Neck pain"), actor: "test")
                    if refuse { throw Refused() }
                }
            }
        }
        #expect(try clinic.db.read { try $0.patientCount() } == 27)
        try Self.expectUnbrokenChain(clinic)
    }

    /// The rows the `v5-search-prefix` migration derives from the words `patient_fts` holds:
    /// the definition the rows Knot writes must equal.
    static func derivedPrefixes(_ clinic: Clinic) throws -> [[String]] {
        let q = try clinic.raw()
        defer { try? q.close() }
        return try q.write { db in
            try db.execute(sql: "CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, patient_fts, instance)")
            defer { try? db.execute(sql: "DROP TABLE temp.words") }
            return try Row.fetchAll(db, sql: """
                SELECT DISTINCT substr(w.term, 1, n.n) AS prefix, p.sort_name, p.id, p.archived
                FROM temp.words w JOIN patient p ON p.id = w.doc JOIN (SELECT 1 AS n UNION ALL SELECT 2) n
                WHERE substr(w.term, 1, n.n) GLOB (CASE n.n WHEN 1 THEN '[a-z0-9]' ELSE '[a-z0-9][a-z0-9]' END)
                ORDER BY 1, 2, 3
                """).map { row in (0..<4).map { String(describing: row[$0] as DatabaseValue) } }
        }
    }

    static func writtenPrefixes(_ clinic: Clinic) throws -> [[String]] {
        let q = try clinic.raw()
        defer { try? q.close() }
        return try q.read { db in
            try Row.fetchAll(db, sql: "SELECT prefix, sort_name, patient_id, archived FROM patient_search_prefix ORDER BY 1, 2, 3")
                .map { row in (0..<4).map { String(describing: row[$0] as DatabaseValue) } }
        }
    }

    @Test("a patient's search-prefix rows, written in one statement, are the rows derived from the full-text index")
    func prefixRowsInOneStatement() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let people: [(String, String, String?)] = [
            ("Jo", "Smith", "0412 345 678"), ("Zoë", "Müller", "+61 3 9123 4567"), ("Siobhán", "O'Brien", nil),
            ("芳", "王", nil), ("Øystein", "Ærø-Strøm", "(03) 9876-5432"), ("Mary Anne", "van der Berg", nil),
            ("A", "B", "0412 000 111"), ("Émile", "Zola 2nd", nil),
        ]
        try clinic.db.write { tx in
            for (given, family, phone) in people {
                _ = try tx.insertPatient(try Self.patient(given, family, phone: phone), actor: "test", today: testToday)
            }
        }
        var written = try Self.writtenPrefixes(clinic)
        #expect(written == (try Self.derivedPrefixes(clinic)))
        #expect(written.count > 60)
        // An edit rewrites them (the long way: old rows deleted first).
        try clinic.db.write { tx in
            var p = try #require(try tx.patient(id: 1))
            p.familyName = "Quxley"; p.givenNames = "Yannick"; p.phone = nil; p.archived = true
            try tx.updatePatient(p, actor: "test", today: testToday)
        }
        written = try Self.writtenPrefixes(clinic)
        #expect(written == (try Self.derivedPrefixes(clinic)))
        #expect(!written.contains { $0[0] == "sm" })
        #expect(try clinic.db.read { try $0.searchPatients("qu", includeArchived: true).map(\.id) } == [1])
    }

    @Test("an identifier found free, then taken in the same transaction, is still refused to the next patient")
    func identifierFoundFreeThenTaken() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let ihi = PatientIdentifier(system: .ihi, value: "8003608166690503")
        try clinic.db.write { tx in
            #expect(try tx.patientID(identifier: ihi) == nil)
            let first = try tx.insertPatient(try Self.patient("Ann", "Held", identifiers: [ihi]), actor: "test", today: testToday)
            #expect(try tx.patientID(identifier: ihi) == first.id)
            do {
                _ = try tx.insertPatient(try Self.patient("Bea", "Other", identifiers: [ihi]), actor: "test", today: testToday)
                Issue.record("a second patient was given the same IHI")
            } catch StoreError.duplicate(let entity, let field, _) {
                #expect(entity == "patient" && field.contains("identifier"))
            }
        }
        #expect(try clinic.db.read { try $0.patientCount() } == 1)
    }

    @Test("a referral for a patient whose insert was rolled back is refused as before")
    func referralAfterRolledBackPatient() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        try clinic.db.write { tx in
            var gone: Int64 = 0
            #expect(throws: Refused.self) {
                try tx.savepoint {
                    gone = try tx.insertPatient(try Self.patient("Ann", "Gone"), actor: "test", today: testToday).id!
                    throw Refused()
                }
            }
            #expect(gone > 0)
            do {
                _ = try tx.insertReferral(Referral(patientID: gone, referrerName: "Dr Who", date: testToday, reason: "Neck pain"), actor: "test")
                Issue.record("a referral was filed for a patient not on file")
            } catch StoreError.notFound(let entity, _) {
                #expect(entity == "patient")
            }
        }
        try Self.expectUnbrokenChain(clinic)
    }

    @Test("the letter's identifiers are written as JSONEncoder wrote them, byte for byte")
    func identifiersJSON() throws {
        var texts = (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        texts += ["", "\u{2028}\u{2029}", "\u{85}", "\u{A0}", "\u{FEFF}", "😀 e\u{301}", "a\r\nb", "https://example.org/Id/bench", "urn:oid:1.2.36.1.2001.1003.0"]
        var rng = SystemRandomNumberGenerator()
        var lists: [[PatientIdentifier]] = [[]]
        for _ in 0..<500 {
            lists.append((0..<Int.random(in: 1...4, using: &rng)).map { _ in
                let system: PatientIdentifier.System = [.medicare, .ihi, .dva, .clinic, .other(texts.randomElement(using: &rng)! + "x")].randomElement(using: &rng)!
                return PatientIdentifier(system: system, value: (0..<Int.random(in: 0...3, using: &rng)).map { _ in texts.randomElement(using: &rng)! }.joined())
            })
        }
        let wrong = try lists.filter { ReferralColumnsJSON.identifiers($0) != String(decoding: try StoreTransaction.json.encode($0), as: UTF8.self) }
        #expect(wrong.isEmpty, "\(wrong.prefix(3))")
    }

    @Test("record numbers Knot chooses read as String(format: \"K%05lld\") wrote them")
    func recordNumbers() {
        let wrong = (Array(Int64(0)...120_000) + [999_999, 1_000_000, 12_345_678, Int64.max])
            .filter { StoreTransaction.recordNumber($0) != String(format: "K%05lld", $0) }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
    }

    @Test("dates are stored as GRDB's formatter stores them, byte for byte, or by the formatter itself")
    func storedDates() {
        var dates: [Date] = []
        var rng = SystemRandomNumberGenerator()
        // Random moments over the whole range, with random fractions of a millisecond.
        for _ in 0..<50_000 { dates.append(Date(timeIntervalSince1970: Double.random(in: 900_000_000...4_200_000_000, using: &rng))) }
        // Around the ends of days, months and years (leap years included), a millisecond either side.
        for (y, m, d) in [(2000, 1, 1), (2000, 2, 29), (2000, 3, 1), (2024, 2, 29), (2026, 12, 31), (2027, 1, 1), (2099, 12, 31), (2100, 1, 1), (1999, 12, 31)] {
            var c = DateComponents(); c.year = y; c.month = m; c.day = d
            var cal = Calendar(identifier: .gregorian); cal.timeZone = TimeZone(secondsFromGMT: 0)!
            let start = cal.date(from: c)!.timeIntervalSince1970
            for offset in [-0.0016, -0.0010, -0.0006, -0.0005, -0.0004, 0, 0.0004, 0.0005, 0.0006, 0.0015, 86_399.9994, 86_399.9996] {
                dates.append(Date(timeIntervalSince1970: start + offset))
            }
        }
        dates.append(Date())
        dates.append(AuditChain.truncated(Date()))
        var written = 0
        let wrong = dates.filter { date in
            if StoredDateText.text(date) != nil { written += 1 }
            return StoredDateText.databaseValue(date) != date.databaseValue
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5).map { ($0.timeIntervalSince1970, StoredDateText.databaseValue($0), $0.databaseValue) })")
        #expect(written > 35_000)
    }
}
