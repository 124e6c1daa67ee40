import Foundation
import Testing
import GRDB
import ClinicModel
import ClinicServices
import ClinicDemo
@testable import ClinicStore

/// One or two letters (or digits) typed into search are answered from `patient_search_prefix`
/// (issue 19: the tail of search at 100,000 patients). The answers must be the ones the
/// full-text index gives: the same patients, in the same name order, for every such query,
/// after registering, editing, archiving and merging, and after the migration fills the table
/// for a clinic that had patients before it.
@Suite struct ShortQuerySearchTests {
    /// Every one-character query and every two-character query that starts some word.
    static let queries: [String] = {
        let chars = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return chars.map { String($0) } + chars.flatMap { a in chars.map { String([a, $0]) } }
    }()

    /// What the full-text index finds for `query`, in name order (the answer before the prefix table).
    static func reference(_ db: Database, _ query: String, includeArchived: Bool) throws -> [Int64] {
        try Int64.fetchAll(db, sql: """
            SELECT id FROM patient WHERE id IN (SELECT rowid FROM patient_fts WHERE patient_fts MATCH ?)
            \(includeArchived ? "" : "AND archived = 0") ORDER BY sort_name, id
            """, arguments: ["\"\(query)\"*"])
    }

    static func expectSameAsFullText(_ clinic: Clinic) throws {
        let q = try clinic.raw()
        defer { try? q.close() }
        var nonEmpty = 0
        for query in queries {
            for archived in [false, true] {
                let expected = try q.read { try reference($0, query, includeArchived: archived) }
                let found = try clinic.db.read { try $0.searchPatients(query, includeArchived: archived, limit: 100_000) }
                #expect(found.map(\.id) == expected, "query '\(query)', archived shown: \(archived)")
                // The first page is the first page of the same list.
                let page = try clinic.db.read { try $0.searchPatients(query.uppercased(), includeArchived: archived, limit: 7) }
                #expect(page.map(\.id) == Array(expected.prefix(7)), "first page of '\(query)'")
                if !expected.isEmpty { nonEmpty += 1 }
            }
        }
        #expect(nonEmpty > 200)
    }

    static func clinic() throws -> Clinic {
        let clinic = try Clinic()
        try SyntheticClinic.generate(into: clinic.db, patients: 300, visitsPerPatient: 0, seed: 19, today: testToday)
        try clinic.addPatient("Zoë", "Müller", born: "1969-08-09", phone: "+61 3 9123 4567")
        try clinic.addPatient("Siobhán", "O'Brien", born: "1988-03-04")
        try clinic.addPatient("José", "Álvarez", born: "1955-12-25")
        try clinic.addPatient("Øystein", "Ærø-Strøm", born: "1971-02-03")
        try clinic.addPatient("芳", "王", born: "1990-07-07")
        try clinic.addPatient("Mohammed", "Al-Hassan", born: "1983-09-10", phone: "(03) 9876-5432")
        return clinic
    }

    @Test("one- and two-character queries find what the full-text index finds, in the same order")
    func sameAnswersAsFullText() throws {
        let clinic = try Self.clinic()
        defer { clinic.close() }
        try Self.expectSameAsFullText(clinic)
    }

    @Test("editing, archiving and merging patients keeps short queries right")
    func followsEveryWrite() throws {
        let clinic = try Self.clinic()
        defer { clinic.close() }
        try clinic.db.write { tx in
            var renamed = try #require(try tx.patient(id: 2))
            renamed.familyName = "Quxley-Vance"; renamed.givenNames = "Yannick"; renamed.phone = "0299 111 222"
            try tx.updatePatient(renamed, actor: "test", today: testToday)
            var archived = try #require(try tx.patient(id: 3))
            archived.archived = true
            try tx.updatePatient(archived, actor: "test", today: testToday)
            _ = try tx.mergePatient(keepID: 4, otherID: 5, actor: "test", detail: "same person")
        }
        try clinic.db.read { tx in
            #expect(try tx.searchPatients("qu").map(\.id).contains(2))
            #expect(try tx.searchPatients("ya").map(\.id).contains(2))
            let everyone = try tx.searchPatients("k", limit: 100_000).map(\.id)
            #expect(!everyone.contains(3) && !everyone.contains(5) && everyone.contains(4))
            let withArchived = try tx.searchPatients("k", includeArchived: true, limit: 100_000).map(\.id)
            #expect(withArchived.contains(3) && withArchived.contains(5))
        }
        try Self.expectSameAsFullText(clinic)
    }

    @Test("the migration fills the table with what Knot writes for each patient")
    func migrationFillsWhatWritesWrite() throws {
        let clinic = try Self.clinic()
        defer { clinic.close() }
        let q = try clinic.raw()
        defer { try? q.close() }
        let contents = "SELECT prefix, sort_name, patient_id, archived FROM patient_search_prefix ORDER BY prefix, sort_name, patient_id"
        let written = try q.read { try Row.fetchAll($0, sql: contents) }
        #expect(written.count > 1000)
        let filled = try q.write { db -> [Row] in
            try db.execute(sql: "DROP TRIGGER patient_search_prefix_follow; DROP TABLE patient_search_prefix")
            try ClinicMigrations.searchPrefix(db)
            return try Row.fetchAll(db, sql: contents)
        }
        #expect(filled == written)
    }
}
