import Foundation
import Testing
import SeededRandom
import GRDB
import ClinicModel
import ClinicServices
import ClinicDemo
@testable import ClinicStore

/// Finding a patient in a keystroke or two: name prefixes, accents, record numbers, phone
/// digits, dates of birth, and whatever else a user might type.
@Suite struct PatientSearchTests {
    static func names(_ results: [PatientSummary]) -> [String] { results.map(\.displayName) }

    static func clinicWithPatients() throws -> Clinic {
        let clinic = try Clinic()
        try clinic.addPatient("Jo", "Smith", born: "1980-05-17", phone: "0412 345 678")
        try clinic.addPatient("John", "Smithers", born: "1975-01-02", phone: "(03) 9876 5432")
        try clinic.addPatient("Joanna", "Jones", born: "1991-11-30")
        try clinic.addPatient("Zoë", "Müller", born: "1969-08-09", phone: "+61 3 9123 4567")
        try clinic.addPatient("Siobhán", "O'Brien", born: "1988-03-04")
        try clinic.addPatient("José", "Álvarez", born: "1955-12-25")
        try clinic.addPatient("芳", "王", born: "1990-07-07")
        try clinic.addPatient("Mohammed", "Al-Hassan", born: "1983-09-10")
        return clinic
    }

    @Test func namePrefixesInAnyOrder() throws {
        let clinic = try Self.clinicWithPatients()
        defer { clinic.close() }
        try clinic.db.read { tx throws in
            #expect(Self.names(try tx.searchPatients("smi jo")) == ["Smith, Jo", "Smithers, John"])
            #expect(Self.names(try tx.searchPatients("jo smi")) == ["Smith, Jo", "Smithers, John"])
            #expect(Self.names(try tx.searchPatients("SMITHERS")) == ["Smithers, John"])
            #expect(Set(Self.names(try tx.searchPatients("jo"))) == ["Jones, Joanna", "Smith, Jo", "Smithers, John", "Álvarez, José"])
            #expect(try tx.searchPatients("smith nobody").isEmpty)
            #expect(Self.names(try tx.searchPatients("王")) == ["王, 芳"])
            #expect(Self.names(try tx.searchPatients("hassan")) == ["Al-Hassan, Mohammed"])
            #expect(Self.names(try tx.searchPatients("al-hassan")) == ["Al-Hassan, Mohammed"])
        }
    }

    @Test func accentsAndApostrophesNeedNotBeTyped() throws {
        let clinic = try Self.clinicWithPatients()
        defer { clinic.close() }
        try clinic.db.read { tx throws in
            #expect(Self.names(try tx.searchPatients("zoe")) == ["Müller, Zoë"])
            #expect(Self.names(try tx.searchPatients("Zoë")) == ["Müller, Zoë"])
            #expect(Self.names(try tx.searchPatients("muller")) == ["Müller, Zoë"])
            #expect(Self.names(try tx.searchPatients("alvarez jose")) == ["Álvarez, José"])
            #expect(Self.names(try tx.searchPatients("siobhan")) == ["O'Brien, Siobhán"])
            #expect(Self.names(try tx.searchPatients("o'brien")) == ["O'Brien, Siobhán"])
            #expect(Self.names(try tx.searchPatients("brien")) == ["O'Brien, Siobhán"])
        }
    }

    @Test func recordNumberPhoneAndDateOfBirth() throws {
        let clinic = try Self.clinicWithPatients()
        defer { clinic.close() }
        try clinic.db.read { tx throws in
            #expect(Self.names(try tx.searchPatients("K00004")) == ["Müller, Zoë"])
            #expect(Self.names(try tx.searchPatients("k00004")) == ["Müller, Zoë"])
            for typed in ["0412345678", "0412 345 678", "0412-345-678", "0412 345", "0412"] {
                #expect(Self.names(try tx.searchPatients(typed)) == ["Smith, Jo"], "phone typed as \(typed)")
            }
            for typed in ["(03) 9876 5432", "0398765432", "03 9876 5432"] {
                #expect(Self.names(try tx.searchPatients(typed)) == ["Smithers, John"], "phone typed as \(typed)")
            }
            for typed in ["17/05/1980", "17/5/1980", "1980-05-17", "17.05.1980", "jo 17/05/1980"] {
                #expect(Self.names(try tx.searchPatients(typed)) == ["Smith, Jo"], "date typed as \(typed)")
            }
            #expect(try tx.searchPatients("18/05/1980").isEmpty)
        }
    }

    @Test func archivedPatientsAreHiddenUnlessAskedFor() throws {
        let clinic = try Self.clinicWithPatients()
        defer { clinic.close() }
        try clinic.db.write { tx in
            var p = try #require(try tx.patient(key: "K00001"))
            p.archived = true
            try tx.updatePatient(p, actor: "test", today: testToday)
        }
        try clinic.db.read { tx throws in
            #expect(Self.names(try tx.searchPatients("smi")) == ["Smithers, John"])
            #expect(Self.names(try tx.searchPatients("smi", includeArchived: true)) == ["Smith, Jo", "Smithers, John"])
            #expect(!Self.names(try tx.patientSummaries()).contains("Smith, Jo"))
        }
    }

    @Test(arguments: ["\"", "\"\"", "smith\"", "*", "jo*", "NEAR(", "NEAR(smith jo)", "-", "-smith", "smith -jo", "OR", "jo OR smith",
                      "AND", "NOT smith", "^smith", "names:smith", "phone:0412", "(", ")", "{names}: jo", "'", "''; DROP TABLE patient; --",
                      "1-\"-3", "2026-\"01-01", "12/ab/2000", "//", "...", "\u{0}", "smith\u{0}jo", "😀", "+", "1980-05-17-", "--", "½", "x²",
                      String(repeating: "a ", count: 300)])
    func typedOperatorsNeverBreakTheQuery(_ typed: String) throws {
        let clinic = try Self.clinicWithPatients()
        defer { clinic.close() }
        let results = try clinic.db.read { try $0.searchPatients(typed) }
        #expect(results.count <= 8)
        #expect(try clinic.db.read { try $0.patientCount() } == 8)
    }

    @Test func operatorWordsAreSearchedAsWords() throws {
        let clinic = try Self.clinicWithPatients()
        defer { clinic.close() }
        try clinic.addPatient("Ornella", "Near", born: "1970-01-01")
        try clinic.db.read { tx throws in
            #expect(Self.names(try tx.searchPatients("near")) == ["Near, Ornella"])
            #expect(Self.names(try tx.searchPatients("NEAR(or")) == ["Near, Ornella"])
            #expect(Self.names(try tx.searchPatients("OR near")) == ["Near, Ornella"])
            #expect(Self.names(try tx.searchPatients("smith OR jones")).isEmpty)
        }
    }
}

/// Search at clinic scale: 20,000 synthetic patients, every answer checked against a plain
/// reimplementation of the matching rule.
@Suite struct PatientSearchAtScaleTests {
    struct Row: Sendable { let id: Int64; let tokens: [String]; let archived: Bool; let dob: LocalDate; let phone: String? }

    /// Lower case, accents removed, split on anything that is not a letter or digit (as FTS5's
    /// unicode61 tokenizer with remove_diacritics 2 does).
    static func tokens(_ text: String) -> [String] {
        text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en"))
            .split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }

    @Test func searchAnswersMatchAReferenceAt20000Patients() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        try SyntheticClinic.generate(into: clinic.db, patients: 20_000, visitsPerPatient: 0, seed: 7, today: testToday)
        let q = try clinic.raw()
        let rows = try q.read { db in
            try GRDB.Row.fetchAll(db, sql: "SELECT id, given_names, family_name, preferred_name, archived, date_of_birth, phone FROM patient").map { r in
                Row(id: r["id"], tokens: Self.tokens("\(r["given_names"] as String) \(r["family_name"] as String) \(r["preferred_name"] as String? ?? "")"),
                    archived: r["archived"], dob: r["date_of_birth"], phone: r["phone"])
            }
        }
        try q.close()
        #expect(rows.count == 20_000)

        var rng = SplitMix64(state: 2026)
        var checked = 0
        for _ in 0..<60 {
            let someone = rows[rng.int(0...(rows.count - 1))]
            // Two words of the person's names, cut to 2-4 letters, in either order.
            var words = someone.tokens.map { String($0.prefix(rng.int(2...4))) }
            if words.count > 2 { words = [words[0], words[words.count - 1]] }
            if rng.int(0...1) == 1 { words.reverse() }
            let query = words.joined(separator: " ")
            let expected = Set(rows.filter { r in !r.archived && words.allSatisfy { w in r.tokens.contains { $0.hasPrefix(w) } } }.map(\.id))
            guard expected.count < 1500 else { continue }
            let found = try clinic.db.read { try $0.searchPatients(query, limit: 5000) }
            #expect(Set(found.map(\.id)) == expected, "query '\(query)'")
            checked += 1
        }
        #expect(checked >= 40)

        // A date of birth with a name, and a phone typed with its spaces, still find the one person.
        for _ in 0..<20 {
            let someone = rows.filter { !$0.archived && $0.phone != nil }[rng.int(0...100)]
            let dob = String(format: "%02d/%02d/%04d", someone.dob.day, someone.dob.month, someone.dob.year)
            let byDOB = try clinic.db.read { try $0.searchPatients("\(someone.tokens[0].prefix(2)) \(dob)", limit: 5000) }
            #expect(byDOB.contains { $0.id == someone.id })
            #expect(byDOB.allSatisfy { $0.dateOfBirth == someone.dob })
            let byPhone = try clinic.db.read { try $0.searchPatients(someone.phone!, limit: 5000) }
            #expect(byPhone.contains { $0.id == someone.id })
            #expect(byPhone.allSatisfy { $0.phone == someone.phone })
        }

        // A broad query respects the limit and returns only matches.
        let broad = try clinic.db.read { try $0.searchPatients("s", limit: 50) }
        #expect(broad.count == 50)
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0) })
        #expect(broad.allSatisfy { byID[$0.id]!.tokens.contains { $0.hasPrefix("s") } })
    }
}
