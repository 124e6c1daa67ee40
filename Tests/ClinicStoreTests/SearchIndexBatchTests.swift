import Foundation
import Testing
import GRDB
import ClinicModel
import SeededRandom
@testable import ClinicStore

/// A batch of letters puts its new patients into the search indexes as it ends, one statement for
/// the full-text index and one for the search prefixes (`withSearchIndexesWrittenOnce`), not a
/// full-text segment and a dozen scattered prefix rows per patient (issue 19). What search finds
/// must not change: the same full-text rows, the same prefix rows, the same results and the same
/// schema as one patient at a time, also with a savepoint rolled back in the middle (its id taken
/// by the next patient), a patient edited inside the batch, and a batch that throws.
@Suite struct SearchIndexBatchTests {
    struct Refused: Error {}

    static let people: [(String, String, String?, String)] = [
        ("Jo", "Smith", "0412 345 678", "1980-05-17"), ("Zoë", "Müller", "+61 3 9123 4567", "1975-12-01"),
        ("Siobhán", "O'Brien", nil, "2001-01-09"), ("芳", "王", nil, "1990-07-07"),
        ("Øystein", "Ærø-Strøm", "(03) 9876-5432", "1966-03-30"), ("Mary Anne", "van der Berg", nil, "1980-05-17"),
        ("A", "B", "0412 000 111", "1999-09-09"), ("Émile", "Zola 2nd", nil, "1940-02-29"),
    ]

    static func patient(_ given: String, _ family: String, phone: String?, born: String) throws -> Patient {
        Patient(recordNumber: "", givenNames: given, familyName: family, dateOfBirth: try LocalDate(parsing: born), phone: phone)
    }

    /// Fills a clinic the same way in both modes: the patients, one refused in a savepoint before
    /// the third, and (`edited`) the second one edited (names, phone, archived) after all are in.
    /// A batch that edits none of its new patients writes their full-text rows by one insert;
    /// one that edits one rewrites them all through the update trigger (`indexFullText`).
    static func fill(_ clinic: Clinic, batched: Bool, edited: Bool = true) throws {
        try clinic.db.write { tx in
            func body() throws {
                for (k, (given, family, phone, born)) in people.enumerated() {
                    // Refused: the first patient of all (the trigger's drop rolled back with it),
                    // and one in the middle (its id taken by the next patient).
                    if k == 0 || k == 2 {
                        #expect(throws: Refused.self) {
                            try tx.savepoint {
                                _ = try tx.insertPatient(try patient("Rolled", "Back", phone: "0400 999 999", born: born), actor: "test", today: testToday)
                                throw Refused()
                            }
                        }
                    }
                    _ = try tx.insertPatient(try patient(given, family, phone: phone, born: born), actor: "test", today: testToday)
                }
                guard edited else { return }
                var changed = try #require(try tx.patient(id: 2))
                #expect(changed.familyName == "Müller")
                changed.familyName = "Quxley"; changed.givenNames = "Yannick"; changed.phone = "0499 111 222"; changed.archived = true
                try tx.updatePatient(changed, actor: "test", today: testToday)
            }
            if batched { try tx.withSearchIndexesWrittenOnce(body) } else { try body() }
        }
    }

    static func fullTextRows(_ clinic: Clinic) throws -> [[String]] {
        let q = try clinic.raw()
        defer { try? q.close() }
        return try q.write { db in
            // FTS5's own check of its index against its content.
            try db.execute(sql: "INSERT INTO patient_fts(patient_fts) VALUES ('integrity-check')")
            return try Row.fetchAll(db, sql: "SELECT rowid, names, record_number, phone, dob FROM patient_fts ORDER BY rowid")
                .map { row in (0..<5).map { String(describing: row[$0] as DatabaseValue) } }
        }
    }

    static func schema(_ clinic: Clinic) throws -> String {
        let q = try clinic.raw()
        defer { try? q.close() }
        return try q.read { try SchemaSnapshotTests.schema($0) }
    }

    static func schemaVersion(_ clinic: Clinic) throws -> Int {
        let q = try clinic.raw()
        defer { try? q.close() }
        return try q.read { try Int.fetchOne($0, sql: "PRAGMA schema_version") ?? 0 }
    }

    static func found(_ clinic: Clinic, _ query: String) throws -> [String] {
        try clinic.db.read { try $0.searchPatients(query, includeArchived: true).map(\.recordNumber) }
    }

    @Test("a batch's patients indexed as it ends: the full-text and prefix rows, search results and schema of one patient at a time",
          arguments: [true, false])
    func sameIndexesAsOneAtATime(edited: Bool) throws {
        let one = try Clinic(), batch = try Clinic()
        defer { one.close(); batch.close() }
        let schemaVersion = try Self.schemaVersion(batch)
        try Self.fill(one, batched: false, edited: edited)
        try Self.fill(batch, batched: true, edited: edited)
        // The insert trigger held off by a row, not dropped: no schema change, the row gone.
        #expect(try Self.schemaVersion(batch) == schemaVersion)
        #expect(try batch.db.read { try Int.fetchOne($0.db, sql: "SELECT count(*) FROM patient_fts_hold") } == 0)

        let rows = try Self.fullTextRows(batch)
        #expect(rows.count == Self.people.count)
        #expect(rows == (try Self.fullTextRows(one)))
        #expect(try LetterWriterStoreTests.writtenPrefixes(batch) == (try LetterWriterStoreTests.writtenPrefixes(one)))
        #expect(try LetterWriterStoreTests.writtenPrefixes(batch) == (try LetterWriterStoreTests.derivedPrefixes(batch)))
        // The schema is as it was.
        #expect(try Self.schema(batch) == (try Self.schema(one)))
        for query in ["smi", "s", "mu", "muller", "quxley", "yannick", "k0", "K00003", "0412", "0499", "17/05/1980", "1980-05-17",
                      "ob", "obrien", "王", "ø", "zola 2", "rolled", "0400"] {
            #expect(try Self.found(batch, query) == (try Self.found(one, query)), "\(query)")
        }
        #expect(try Self.found(batch, "quxley").count == (edited ? 1 : 0))
        #expect(try Self.found(batch, "rolled").isEmpty)
    }

    @Test("a batch that inserts no patient changes nothing: the schema is not written")
    func batchWithoutPatients() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let patient = try clinic.addPatient("Jo", "Smith")
        func schemaVersion() throws -> Int {
            let q = try clinic.raw()
            defer { try? q.close() }
            return try q.read { try Int.fetchOne($0, sql: "PRAGMA schema_version") ?? 0 }
        }
        let before = try schemaVersion()
        try clinic.db.write { tx in
            try tx.withSearchIndexesWrittenOnce { () throws -> Void in
                #expect(try tx.patient(id: patient.id!) != nil)
                // A patient whose insert is refused inside a savepoint: the drop goes with it.
                #expect(throws: Refused.self) {
                    try tx.savepoint {
                        _ = try tx.insertPatient(try Self.patient("Bea", "Refused", phone: nil, born: "1980-01-01"), actor: "test", today: testToday)
                        throw Refused()
                    }
                }
            }
        }
        #expect(try schemaVersion() == before)
        #expect(try Self.found(clinic, "smith").count == 1)
    }

    @Test("a batch that throws: rolled back, the insert trigger still there, a patient added afterwards found by search")
    func batchThatThrows() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let before = try Self.schema(clinic)
        #expect(throws: Refused.self) {
            try clinic.db.write { tx in
                try tx.withSearchIndexesWrittenOnce {
                    _ = try tx.insertPatient(try Self.patient("Never", "Kept", phone: nil, born: "1980-01-01"), actor: "test", today: testToday)
                    throw Refused()
                }
            }
        }
        #expect(try Self.schema(clinic) == before)
        #expect(try clinic.db.read { try $0.patientCount() } == 0)
        // A caller that keeps the transaction after the error: the patient is indexed all the same.
        try clinic.db.write { tx in
            _ = try? tx.withSearchIndexesWrittenOnce {
                _ = try tx.insertPatient(try Self.patient("Kept", "Anyway", phone: nil, born: "1980-01-01"), actor: "test", today: testToday)
                throw Refused()
            }
        }
        #expect(try Self.schema(clinic) == before)
        #expect(try Self.found(clinic, "anyway").count == 1)
        #expect(try Self.found(clinic, "an").count == 1)
        _ = try clinic.addPatient("Late", "Comer")
        #expect(try Self.found(clinic, "comer").count == 1)
        #expect(try Self.found(clinic, "co").count == 1)
        #expect(try Self.fullTextRows(clinic).count == 2)
    }

    @Test("a batch's hold on the insert trigger is its own: another connection never sees it, and a patient it adds between batches is indexed as it is inserted")
    func otherConnectionsStillIndex() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        // A second Knot connection to the same clinic, as the front end or `knot patient add` has.
        let other = try ClinicDatabase(path: clinic.path)
        defer { try? other.close() }
        func held(_ db: ClinicDatabase) throws -> Int? {
            try db.read { try Int.fetchOne($0.db, sql: "SELECT count(*) FROM patient_fts_hold") }
        }
        _ = try other.write { tx in
            try tx.insertPatient(try Self.patient("Before", "Batchley", phone: nil, born: "1970-01-01"), actor: "test", today: testToday)
        }
        try clinic.db.write { tx in
            try tx.withSearchIndexesWrittenOnce {
                _ = try tx.insertPatient(try Self.patient("Filed", "Inbatch", phone: nil, born: "1980-01-01"), actor: "test", today: testToday)
                #expect(try Int.fetchOne(tx.db, sql: "SELECT count(*) FROM patient_fts_hold") == 1)
                // The other connection reads the clinic as last committed: no hold row there.
                #expect(try held(other) == 0)
                #expect(try other.read { try $0.searchPatients("batchley", includeArchived: true).count } == 1)
            }
        }
        #expect(try held(other) == 0)
        // Added by the other connection after the batch: the trigger fires again for it.
        _ = try other.write { tx in
            try tx.insertPatient(try Self.patient("After", "Outsider", phone: nil, born: "1990-01-01"), actor: "test", today: testToday)
        }
        for query in ["batchley", "inbatch", "outsider", "ou", "in", "ba"] {
            #expect(try Self.found(clinic, query).count == 1, "\(query)")
            #expect(try other.read { try $0.searchPatients(query, includeArchived: true).count } == 1, "\(query)")
        }
        #expect(try Self.fullTextRows(clinic).count == 3)
    }

    @Test("a batch's prefixes as numbers are the text prefixes, in the same order, for names in any script, digits, dates and punctuation")
    func prefixBytesAreThePrefixes() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let pieces = ["Jo", "smith", "ZOË", "müller", "O'Brien", "王芳", "Ærø-Strøm", "van der Berg", "a", "b2", "2nd", "0412345678",
                      "1980-05-17", "17051980", "K00012", "é", "ßx", "x", "xy", "-", "(03)", "+61", "Zola", "zz", "z9", "9z", "  "]
        var random = SplitMix64(seed: 11)
        try clinic.db.write { tx in
            let tokenizer = try tx.searchTokenizer()
            for _ in 0..<400 {
                let text = (0..<Int.random(in: 0...9, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined(separator: " ")
                let bytes = try StoreTransaction.searchPrefixBytes(of: text, tokenizer: tokenizer)
                let spelled = bytes.map { p in
                    String(decoding: p >> 8 == 0 ? [UInt8(p & 0xFF)] : [UInt8(p & 0xFF), UInt8(p >> 8)], as: UTF8.self)
                }
                let expected = try Self.textPrefixes(of: text, tokenizer: tokenizer)
                #expect(spelled == expected, "\(text)")
                #expect(try StoreTransaction.searchPrefixes(of: text, tokenizer: tokenizer) == expected, "\(text)")
            }
        }
    }

    /// The rule written plainly, as text (a set of strings, sorted): the reference the numbers
    /// are held to.
    static func textPrefixes(of text: String, tokenizer: any FTS5Tokenizer) throws -> [String] {
        var prefixes = Set<String>()
        for (token, _) in try tokenizer.tokenize(document: text) {
            let bytes = Array(token.utf8)
            func isPrefixByte(_ b: UInt8) -> Bool { (48...57).contains(b) || (97...122).contains(b) }  // 0-9, a-z
            guard let first = bytes.first, isPrefixByte(first) else { continue }
            prefixes.insert(String(decoding: [first], as: UTF8.self))
            if bytes.count > 1, isPrefixByte(bytes[1]) { prefixes.insert(String(decoding: bytes[0...1], as: UTF8.self)) }
        }
        return prefixes.sorted()
    }

    @Test("a batch of many patients sharing prefixes and sort names, one archived: the prefix rows of one patient at a time")
    func manySharedPrefixes() throws {
        let one = try Clinic(), batch = try Clinic()
        defer { one.close(); batch.close() }
        for (clinic, batched) in [(one, false), (batch, true)] {
            try clinic.db.write { tx in
                func body() throws {
                    for k in 0..<60 {
                        var p = try Self.patient(["Jo", "Joanne", "Zoë", "王"][k % 4], ["Smith", "Smyth", "Müller", "Ng"][k % 3],
                                                 phone: k % 5 == 0 ? nil : "04\(k) 555", born: "19\(50 + k % 40)-0\(1 + k % 9)-1\(k % 9)")
                        p.archived = k % 7 == 3
                        _ = try tx.insertPatient(p, actor: "test", today: testToday)
                    }
                }
                if batched { try tx.withSearchIndexesWrittenOnce(body) } else { try body() }
            }
        }
        #expect(try LetterWriterStoreTests.writtenPrefixes(batch) == (try LetterWriterStoreTests.writtenPrefixes(one)))
        #expect(try LetterWriterStoreTests.writtenPrefixes(batch) == (try LetterWriterStoreTests.derivedPrefixes(batch)))
        for query in ["s", "sm", "j", "jo", "z", "mu", "n", "04", "0", "1", "19", "k", "王"] {
            #expect(try Self.found(batch, query) == (try Self.found(one, query)), "\(query)")
        }
    }
}
