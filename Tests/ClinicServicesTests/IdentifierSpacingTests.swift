import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicTestSupport

/// An IHI, Medicare or DVA number is one number however it is spaced: a letter's "2953 41877 1"
/// finds the patient holding 2953418771 (and a letter for someone else is a conflict, never a new
/// patient sharing the number), `patient add` of the spaced form is a duplicate, numbers are
/// stored without their spaces, and numbers an older Knot stored spaced are found the same way;
/// on every store (`TestStore.all`).
@Suite("Identifier spacing")
struct IdentifierSpacingTests {
    let dir = TemporaryDirectory(prefix: "knot-idspacing")

    func session(_ clinic: TestClinicLocation) throws -> ClinicSession {
        let setup = try ClinicSession.open(path: clinic.location, handle: nil)
        if setup.user == nil, try setup.hasNoPatients() {
            _ = try? setup.setUpClinic(firstAccount: Practitioner(handle: "amy", name: "Amy Nguyen", profession: .physiotherapist))
        }
        return try ClinicSession.open(path: clinic.location, handle: "amy")
    }

    func letter(given: String, family: String, dob: String, medicare: String) throws -> String {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <referral xmlns="urn:knot:referral:1" version="1">
          <referrer><name>Dr Ann Lee</name><organisation>Harbour GP</organisation></referrer>
          <date>2026-11-01</date>
          <patient>
            <givenNames>\(given)</givenNames><familyName>\(family)</familyName><dateOfBirth>\(dob)</dateOfBirth><sex>female</sex>
            <identifier system="medicare">\(medicare)</identifier>
          </patient>
          <reason>Calf pain for six weeks, please assess and treat.</reason>
        </referral>
        """
        let path = dir.file("letter-\(UUID().uuidString.prefix(6)).xml")
        try Data(xml.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func margaret(medicare: String?) throws -> Patient {
        Patient(recordNumber: "", givenNames: "Margaret Anne", familyName: "O'Sullivan", dateOfBirth: try LocalDate(year: 1951, month: 6, day: 23),
                identifiers: medicare.map { [PatientIdentifier(system: .medicare, value: $0)] } ?? [])
    }

    /// The identifiers stored, as "value" for one, or how many there are.
    func storedValues(_ clinic: TestClinicLocation) throws -> String? {
        let count = try StoreProbe.scalar(clinic.location, "SELECT count(*) FROM patient_identifier")
        guard count == "1" else { return "\(count ?? "none") identifiers" }
        return try StoreProbe.scalar(clinic.location, "SELECT value FROM patient_identifier")
    }

    @Test("a letter for someone else with the spaced form of a number on file is a conflict, not a new patient", arguments: TestStore.all)
    func spacedLetterConflicts(store: TestStore) throws {
        let clinic = try store.newClinic()
        let s = try session(clinic)
        _ = try s.addPatient(try margaret(medicare: "2953418771"))
        let other = s.importFile(try letter(given: "Zed", family: "Zulu", dob: "1951-06-23", medicare: "2953 41877 1"))
        #expect(other.status == .conflict, "\(other.detail)")
        #expect(other.detail.contains("an identifier matches patient K00001"), "\(other.detail)")
        #expect(try s.listPatients().count == 1)
        let same = s.importFile(try letter(given: "Margaret Anne", family: "O'Sullivan", dob: "1951-06-23", medicare: "2953 41877 1"))
        #expect(same.status == .matched, "\(same.detail)")
        #expect(same.detail.contains("by identifier"), "\(same.detail)")
    }

    @Test("patient add of the spaced form of a number on file is refused as a duplicate, even when allowed", arguments: TestStore.all)
    func spacedAddIsDuplicate(store: TestStore) throws {
        let clinic = try store.newClinic()
        let s = try session(clinic)
        _ = try s.addPatient(try margaret(medicare: "2953418771"))
        var zed = try margaret(medicare: "2953 41877 1")
        zed.givenNames = "Zed"; zed.familyName = "Zulu"
        do {
            _ = try s.addPatient(zed)
            Issue.record("registered a second patient with the same Medicare number")
        } catch let e as PossibleDuplicatePatient {
            #expect(e.sharesIdentifier)
        }
        #expect(throws: (any Error).self) { _ = try s.addPatient(zed, allowDuplicate: true) }
        #expect(try s.listPatients().count == 1)
        #expect(try storedValues(clinic) == "2953418771")
    }

    @Test("a spaced number is stored without its spaces, and adding it again spaced to the same patient adds nothing", arguments: TestStore.all)
    func storedCanonical(store: TestStore) throws {
        let clinic = try store.newClinic()
        let s = try session(clinic)
        let p = try s.addPatient(try margaret(medicare: "2953 41877 1"))
        #expect(p.identifiers == [PatientIdentifier(system: .medicare, value: "2953418771")])
        #expect(try storedValues(clinic) == "2953418771")
        _ = try s.editPatient(key: p.recordNumber) { $0.identifiers.append(PatientIdentifier(system: .medicare, value: "2953\u{A0}418771")) }
        #expect(try storedValues(clinic) == "2953418771")
        // The spaced form of another patient's number cannot be added by an edit either.
        var zed = try margaret(medicare: nil)
        zed.givenNames = "Zed"; zed.familyName = "Zulu"; zed.dateOfBirth = try LocalDate(year: 1960, month: 1, day: 2)
        let z = try s.addPatient(zed)
        #expect(throws: (any Error).self) {
            _ = try s.editPatient(key: z.recordNumber) { $0.identifiers.append(PatientIdentifier(system: .medicare, value: "2953 41877 1")) }
        }
        #expect(try storedValues(clinic) == "2953418771")
    }

    @Test("a number an older Knot stored spaced is found by an unspaced letter, and refuses an unspaced duplicate", arguments: TestStore.all)
    func spacedOnFileMatches(store: TestStore) throws {
        let clinic = try store.newClinic()
        let s = try session(clinic)
        let p = try s.addPatient(try margaret(medicare: nil))
        // As an older Knot stored a number typed or read with its spaces.
        try StoreProbe.execute(clinic.location, "INSERT INTO patient_identifier (patient_id, system, value) VALUES (\(p.id!), 'medicare', '2953 41877 1')")
        let same = s.importFile(try letter(given: "Margaret Anne", family: "O'Sullivan", dob: "1951-06-23", medicare: "2953418771"))
        #expect(same.status == .matched, "\(same.detail)")
        #expect(same.detail.contains("by identifier"), "\(same.detail)")
        let other = s.importFile(try letter(given: "Zed", family: "Zulu", dob: "1951-06-23", medicare: "2953418771"))
        #expect(other.status == .conflict, "\(other.detail)")
        var zed = try margaret(medicare: "2953418771")
        zed.givenNames = "Zed"; zed.familyName = "Zulu"
        #expect(throws: (any Error).self) { _ = try s.addPatient(zed, allowDuplicate: true) }
        #expect(try s.listPatients().count == 1)
    }
}
