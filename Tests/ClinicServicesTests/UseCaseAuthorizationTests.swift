import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicTestSupport

/// Every use case asks the permission table first: read from the source, every public instance
/// method of `ClinicSession` in `Sources/ClinicServices` calls `authorize(_:)` (or one of its
/// forms) in its body, or is listed here with why it need not. A new use case without the call
/// fails this test, whatever its arguments (the end-to-end `NoAccountTests` runs each command).
@Suite("every use case asks who is working")
struct UseCaseAuthorizationTests {
    /// The calls that check the table.
    static let checks = ["authorize(", "authorizeImport(", "practitioner(authorizedFor:", "requireClinicalAccess(",
                         "requirePractitioner(", "may(", "authorizedAccount("]

    /// Public methods that need no check of their own, and why.
    static let exempt: [String: String] = [
        "hasNoPatients": "a count only, for the front end's first-run question (no names)",
        "importAll": "each file is checked as it is filed (importFile, fileLetters, authorizeImport)",
        "letterTemplate": "answers through letterTemplates(), which authorizes",
        "strikeOutcome": "draftEntry and strikeEntry authorize",
    ]

    /// `func name` of every public instance method declared in an extension of (or in) ClinicSession, with its body.
    static func publicMethods() throws -> [(file: String, name: String, body: String)] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/ClinicServices")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }.sorted()
        var found: [(String, String, String)] = []
        let declaration = try Regex(#"\n[ \t]*(?:@\w+[ \t\n]+)*public (static )?func (\w+)"#)
        let scope = try Regex(#"\n(?:public |internal |private )?(?:final )?(?:extension|struct|class|enum) (\w+)"#)
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: declaration) {
                guard match.output[1].substring == nil, let name = match.output[2].substring.map(String.init) else { continue }
                // The type the method is declared in: the last extension or type opened before it.
                let before = text[..<match.range.lowerBound]
                guard let owner = before.matches(of: scope).last?.output[1].substring, owner == "ClinicSession" else { continue }
                // Its body: from the first "{" after the signature to the brace that closes it.
                guard let open = text[match.range.upperBound...].firstIndex(of: "{") else { continue }
                var depth = 0
                var end = open
                for i in text[open...].indices {
                    if text[i] == "{" { depth += 1 } else if text[i] == "}" { depth -= 1; if depth == 0 { end = i; break } }
                }
                found.append((file, name, String(text[open...end])))
            }
        }
        return found
    }

    @Test("every public use case of ClinicSession calls authorize (or is exempt, with a reason)")
    func everyUseCaseAuthorizes() throws {
        let methods = try Self.publicMethods()
        #expect(methods.count > 50, "the source was not read: \(methods.count) methods")
        let unguarded = methods.filter { m in !Self.checks.contains { m.body.contains($0) } && Self.exempt[m.name] == nil }
        #expect(unguarded.isEmpty, "use cases that do not authorize: \(unguarded.map { "\($0.file): \($0.name)" })")
        // An exemption for a method that is gone, or that now authorizes, is dropped.
        let names = Set(methods.map(\.name))
        for name in Self.exempt.keys { #expect(names.contains(name), "\(name) is exempt but gone") }
    }

    @Test("without an account, held letters are neither listed nor filed, nor the clinic settings read; reception may list them", arguments: TestStore.all)
    func heldLettersNeedAnAccount(store: TestStore) throws {
        let clinic = try store.newClinic()
        let (boss, letter) = try Self.heldLetter(at: clinic.location)
        _ = try boss.addPractitioner(Practitioner(handle: "desk", name: "Desk Person", profession: .other, role: .reception))
        let nobody = try ClinicSession.open(path: clinic.location, handle: "", environment: [:])
        #expect(throws: ServiceError.self) { try nobody.referralConflicts() }
        #expect(throws: ServiceError.self) { try nobody.resolveReferralConflict(id: 1, .newPatient) }
        #expect(throws: ServiceError.self) { try nobody.clinicSettings() }
        #expect(throws: ServiceError.self) { try nobody.duplicateCandidates(of: Patient(recordNumber: "", givenNames: "Sam", familyName: "Lee", dateOfBirth: try LocalDate(parsing: "2000-01-01"))) }
        // Filing through the import with a person's choice is resolving, too.
        #expect(nobody.importFile(letter, filing: .newPatient).status == .rejected)
        #expect(try boss.referralConflicts().count == 1, "still held")
        let desk = try ClinicSession.open(path: clinic.location, handle: "desk", environment: [:])
        #expect(try desk.referralConflicts().count == 1)
        #expect(try desk.clinicSettings().clinic.name == (try boss.clinicSettings().clinic.name))
    }

    @Test("a held letter filed for a patient it is not about is refused, saying what differs, unless confirmed", arguments: TestStore.all)
    func differentPatientNeedsConfirming(store: TestStore) throws {
        let clinic = try store.newClinic()
        let (boss, letter) = try Self.heldLetter(at: clinic.location)
        let held = try #require(try boss.referralConflicts().first)
        #expect(Set(held.candidates.map(\.recordNumber)) == ["K2", "K3"])
        // K1 is Margaret O'Sullivan, born 1951: no candidate, another name and birth date.
        do {
            _ = try boss.resolveReferralConflict(id: held.id, .patient("K1"))
            Issue.record("filed for another patient without asking")
        } catch let differs as ChosenPatientDiffers {
            #expect(differs.recordNumber == "K1")
            let words = differs.differences.joined(separator: " | ")
            #expect(words.contains("not one of the patients the letter might be about (K2, K3)"), "\(words)")
            #expect(words.contains("Lee, Sam") && words.contains("O'Sullivan, Margaret"), "\(words)")
            #expect(words.contains("2000-01-01") && words.contains("1951-03-02"), "\(words)")
        }
        #expect(try boss.referrals(patientKey: "K1").1.isEmpty, "nothing filed")
        #expect(try boss.referralConflicts().count == 1, "still held")
        // The same through the import with a person's choice (the front end's inbox).
        let viaImport = boss.importFile(letter, filing: .patient("K1"))
        #expect(viaImport.status == .rejected && viaImport.chosenPatientDiffers?.isEmpty == false, "\(viaImport.detail)")
        #expect(try boss.referrals(patientKey: "K1").1.isEmpty, "nothing filed")
        // A candidate with the letter's name and birth date needs no confirming; confirmed, another may be chosen.
        let filed = try boss.resolveReferralConflict(id: held.id, .patient("K1"), confirmingDifferentPatient: true)
        #expect(filed.status == .matched)
        #expect(filed.warnings.contains { $0.contains("as confirmed") }, "\(filed.warnings)")
        #expect(try boss.referrals(patientKey: "K1").1.count == 1)
    }

    @Test("a candidate with the letter's name and birth date is filed without asking", arguments: TestStore.all)
    func candidateNeedsNoConfirming(store: TestStore) throws {
        let clinic = try store.newClinic()
        let (boss, _) = try Self.heldLetter(at: clinic.location)
        let held = try #require(try boss.referralConflicts().first)
        #expect(try boss.resolveReferralConflict(id: held.id, .patient("K3")).status == .matched)
    }

    /// Where the letters are written (kept for the test run).
    static let letters = TemporaryDirectory(prefix: "knot-held-letters")

    /// A clinic (administrator and practitioner `boss`) with K1 Margaret O'Sullivan (1951) and
    /// two Sam Lees born 2000-01-01 (K2, K3), and a letter for Sam Lee held as a conflict.
    static func heldLetter(at location: String) throws -> (ClinicSession, letter: String) {
        try FileManager.default.createDirectory(atPath: letters.path, withIntermediateDirectories: true)
        let setup = try ClinicSession.open(path: location, handle: "", environment: [:])
        try setup.setUpClinic(firstAccount: Practitioner(handle: "boss", name: "Bo Boss", profession: .physiotherapist))
        let boss = try ClinicSession.open(path: location, handle: "boss", environment: [:])
        for (given, family, dob, record) in [("Margaret", "O'Sullivan", "1951-03-02", "K1"), ("Sam", "Lee", "2000-01-01", "K2"),
                                             ("Sam", "Lee", "2000-01-01", "K3")] {
            _ = try boss.addPatient(Patient(recordNumber: record, givenNames: given, familyName: family, dateOfBirth: try LocalDate(parsing: dob)),
                                    allowDuplicate: true)
        }
        let letter = letters.file("sam-\(UUID().uuidString).xml")
        try Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <referral xmlns="urn:knot:referral:1" version="1">
              <referrer><name>Dr Sarah Okafor</name></referrer>
              <date>2026-11-20</date>
              <patient><givenNames>Sam</givenNames><familyName>Lee</familyName><dateOfBirth>2000-01-01</dateOfBirth></patient>
              <reason>Calf pain.</reason>
            </referral>
            """.utf8).write(to: URL(fileURLWithPath: letter))
        let outcome = boss.importFile(letter)
        try #require(outcome.status == .conflict, "\(outcome.detail)")
        return (boss, letter)
    }
}
