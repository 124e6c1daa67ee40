import Foundation
import Testing
import GRDB
import ClinicModel
import ClinicDemo
@testable import ClinicStore

/// Queries that match many patients (a family name, its first letters, at 100,000 patients)
/// find their page by walking a list already in name order (issue 19: the tail of search). The
/// answers must be the ones the full-text index gives, sorted: the same patients, in the same
/// name order, whichever path a query takes (sorted, walked to a page, walked to the end of the
/// list, or walked to its bound and then sorted), with archived patients hidden or shown.
@Suite struct BroadQuerySearchTests {
    /// What the full-text index finds for what was typed, in name order (the answer by definition).
    static func reference(_ db: Database, _ typed: String, includeArchived: Bool) throws -> [Int64] {
        guard let match = StoreTransaction.ftsQuery(PatientSearchTerm.terms(in: typed)) else { return [] }
        return try Int64.fetchAll(db, sql: """
            SELECT id FROM patient WHERE id IN (SELECT rowid FROM patient_fts WHERE patient_fts MATCH ?)
            \(includeArchived ? "" : "AND archived = 0") ORDER BY sort_name, id
            """, arguments: [match])
    }

    /// Bounds that send a small clinic down every path a large one takes: every query walked
    /// to the end of its list; walks cut short often (then sorted); walks that sometimes find a
    /// page; and the bounds Knot uses.
    static let bounds: [SearchBounds] = [
        SearchBounds(sortUpTo: 0, prefixRangeRows: 1_000_000, nameIndexRows: 1_000_000),
        SearchBounds(sortUpTo: 2, prefixRangeRows: 12, nameIndexRows: 9),
        SearchBounds(sortUpTo: 5, prefixRangeRows: 150, nameIndexRows: 100),
        .standard,
    ]

    /// Queries of every kind: the first three letters and the whole of every word the index
    /// holds for the patients (names, record numbers, phone digits, dates), and names typed as
    /// people type them (two words, apostrophes, other scripts, dates in both forms).
    static func queries(_ db: Database) throws -> [String] {
        try db.execute(sql: "CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, patient_fts, row)")
        defer { try? db.execute(sql: "DROP TABLE temp.words") }
        let words = try String.fetchAll(db, sql: "SELECT term FROM temp.words ORDER BY term")
        var queries = Set(words.map { String($0.prefix(3)) })
        for (i, word) in words.enumerated() where i % 3 == 0 { queries.insert(word) }
        queries.formUnion(["jo smith", "smi jo", "o'brien", "d'souza", "al-hassan", "te rangi", "王", "芳", "李 伟", "yılmaz", "søren",
                           "sø", "17/05/1980", "1980-05-17", "0412", "(03) 9876", "k00", "k0001", "jo k00", "王 k00", "zz"])
        return queries.sorted()
    }

    @Test("broad queries find what the full-text index finds, in the same order, on every path")
    func sameAnswersOnEveryPath() throws {
        let clinic = try ShortQuerySearchTests.clinic()
        defer { clinic.close() }
        try clinic.db.write { tx in  // archived patients, so that hiding them is tested on every path
            for id: Int64 in [3, 10, 11, 12, 40, 41, 100] {
                var p = try #require(try tx.patient(id: id))
                p.archived = true
                try tx.updatePatient(p, actor: "test", today: testToday)
            }
        }
        let q = try clinic.raw()
        defer { try? q.close() }
        let queries = try q.write { try Self.queries($0) }
        #expect(queries.count > 300)
        var broad = 0
        for query in queries {
            for archived in [false, true] {
                let expected = try q.read { try Self.reference($0, query, includeArchived: archived) }
                if expected.count > 20 { broad += 1 }
                for bounds in Self.bounds {
                    for limit in [7, 100_000] {
                        let found = try clinic.db.read {
                            try $0.searchPatients(query, includeArchived: archived, limit: limit, bounds: bounds)
                        }
                        #expect(found.map(\.id) == Array(expected.prefix(limit)),
                                "query '\(query)', archived shown: \(archived), limit \(limit), bounds \(bounds)")
                    }
                }
            }
        }
        #expect(broad > 40)
    }

    @Test("a query matching more patients than are sorted walks to its page at Knot's own bounds")
    func walksAtTheStandardBounds() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        try SyntheticClinic.generate(into: clinic.db, patients: 1_700, visitsPerPatient: 0, seed: 19, today: testToday)
        let q = try clinic.raw()
        defer { try? q.close() }
        // Every record number starts with K0 here: two words of it match more than Knot sorts.
        let everyone = try q.read { try Self.reference($0, "k0 k0", includeArchived: false) }
        #expect(everyone.count > SearchBounds.standard.sortUpTo)
        for query in ["k0 k0", "K0 0", "k k0", "k0 k0 jo", "k0 k0 smith", "k00", "k0001"] {
            for archived in [false, true] {
                let expected = try q.read { try Self.reference($0, query, includeArchived: archived) }
                for limit in [50, 100_000] {
                    let found = try clinic.db.read { try $0.searchPatients(query, includeArchived: archived, limit: limit) }
                    #expect(found.map(\.id) == Array(expected.prefix(limit)), "query '\(query)', archived shown: \(archived), limit \(limit)")
                }
            }
        }
    }
}
