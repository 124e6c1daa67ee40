import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicTestSupport

/// Finding a patient through the use case, on every store (`TestStore.all`: SQLite, and
/// PostgreSQL when KNOT_TEST_POSTGRES names a server): both stores read what was typed with
/// one tokenizer (`PatientSearchTerm`) and render it into their own query, so the same words
/// find the same patients on either.
@Suite("patient search on every store")
struct PatientSearchStoreTests {
    /// A clinic of eight patients on `store`, and amy's session (keep the location: the
    /// PostgreSQL database is dropped with it).
    static func clinic(_ store: TestStore) throws -> (TestClinicLocation, ClinicSession) {
        let clinic = try store.newClinic()
        let setup = try ClinicSession.open(path: clinic.location, handle: "", environment: [:])
        try setup.setUpClinic(firstAccount: Practitioner(handle: "amy", name: "Amy Physio", profession: .physiotherapist))
        let session = try ClinicSession.open(path: clinic.location, handle: "amy", environment: [:])
        let people: [(String, String, String, String?)] = [
            ("Jo", "Smith", "1980-05-17", "0412 345 678"), ("John", "Smithers", "1975-01-02", "(03) 9876 5432"),
            ("Joanna", "Jones", "1991-11-30", nil), ("Zoë", "Müller", "1969-08-09", "+61 3 9123 4567"),
            ("Siobhán", "O'Brien", "1988-03-04", nil), ("José", "Álvarez", "1955-12-25", nil),
            ("Mohammed", "Al-Hassan", "1983-09-10", nil), ("Ornella", "Near", "1970-01-01", nil),
        ]
        for (n, (given, family, born, phone)) in people.enumerated() {
            _ = try session.addPatient(Patient(recordNumber: String(format: "K%05d", n + 1), givenNames: given, familyName: family,
                                               dateOfBirth: try LocalDate(parsing: born), phone: phone), today: try LocalDate(year: 2026, month: 1, day: 1))
        }
        return (clinic, session)
    }

    static func names(_ session: ClinicSession, _ typed: String) throws -> [String] {
        try session.searchPatients(typed).map { "\($0.familyName), \($0.givenNames)" }
    }

    @Test("names, accents, apostrophes, record numbers, phones in groups and dates in every form find the same patients",
          arguments: TestStore.all)
    func sameAnswers(store: TestStore) throws {
        let (clinic, session) = try Self.clinic(store)
        defer { withExtendedLifetime(clinic) {} }
        let expected: [(String, [String])] = [
            ("smi jo", ["Smith, Jo", "Smithers, John"]), ("jo smi", ["Smith, Jo", "Smithers, John"]), ("SMITHERS", ["Smithers, John"]),
            ("smith nobody", []), ("hassan", ["Al-Hassan, Mohammed"]), ("al-hassan", ["Al-Hassan, Mohammed"]),
            ("zoe", ["Müller, Zoë"]), ("Zoë", ["Müller, Zoë"]), ("muller", ["Müller, Zoë"]), ("alvarez jose", ["Álvarez, José"]),
            ("siobhan", ["O'Brien, Siobhán"]), ("o'brien", ["O'Brien, Siobhán"]), ("brien", ["O'Brien, Siobhán"]),
            ("K00004", ["Müller, Zoë"]), ("k00004", ["Müller, Zoë"]),
            ("0412345678", ["Smith, Jo"]), ("0412 345 678", ["Smith, Jo"]), ("0412-345-678", ["Smith, Jo"]), ("0412", ["Smith, Jo"]),
            ("(03) 9876 5432", ["Smithers, John"]), ("03 9876 5432", ["Smithers, John"]),
            ("17/05/1980", ["Smith, Jo"]), ("17/5/1980", ["Smith, Jo"]), ("17.05.1980", ["Smith, Jo"]), ("1980-05-17", ["Smith, Jo"]),
            ("1980-5-17", ["Smith, Jo"]), ("jo 17/05/1980", ["Smith, Jo"]), ("18/05/1980", []), ("31/02/1980", []),
            ("near", ["Near, Ornella"]), ("NEAR(or", ["Near, Ornella"]), ("smith OR jones", []),
        ]
        for (typed, found) in expected {
            #expect(try Self.names(session, typed) == found, "\(store): \(typed)")
        }
        #expect(Set(try Self.names(session, "jo")) == ["Jones, Joanna", "Smith, Jo", "Smithers, John", "Álvarez, José"], "\(store)")
    }

    @Test("what is not searchable lists patients by name; query syntax typed never breaks the query", arguments: TestStore.all)
    func hostileInput(store: TestStore) throws {
        let (clinic, session) = try Self.clinic(store)
        defer { withExtendedLifetime(clinic) {} }
        let everyone = try Self.names(session, "")
        #expect(everyone.count == 8 && everyone.first == "Al-Hassan, Mohammed")
        for typed in ["   ", "*", "\"", "'", "//", "--", "😀"] {
            #expect(try Self.names(session, typed) == everyone, "\(store): \(typed.debugDescription)")
        }
        for typed in ["\"\"", "smith\"", "jo*", "NEAR(smith jo)", "-smith", "NOT smith", "names:smith", "''; DROP TABLE patient; --",
                      "'smi':* | 'jo'", "jo & !smith", "\u{301}", "a\\b", "2026-\"01-01", "\u{0}", String(repeating: "a ", count: 300)] {
            #expect(try Self.names(session, typed).count <= 8, "\(store): \(typed.debugDescription)")
        }
        #expect(try Self.names(session, "'smi':* | 'jo'") == ["Smith, Jo", "Smithers, John"], "\(store): operators are words")
        #expect(try session.patientCount() == 8)
    }
}
