import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import ClinicTestSupport

/// A letter whose IHI or Medicare number fails its check digit is filed or held as before, but the
/// number is not used as an IHI or Medicare number (it cannot make or break a match) and the
/// import says so; typed entry refuses such a number; a clinic holding numbers entered before
/// the check still exports and imports whole.
@Suite("Identifier check digits: letters, typed entry, stored records")
struct IdentifierCheckDigitImportTests {
    let dir = TemporaryDirectory(prefix: "knot-check-digit")

    /// 8003608123456782 is Zoë's IHI; ...783 is the same number with its last digit mistyped.
    static let zoeIHI = "8003608123456782"
    static let mistypedIHI = "8003608123456783"

    func letter(_ text: String) throws -> String {
        try ReferralLetterFixtures.write(text, in: dir, name: "letter-\(UUID().uuidString.prefix(6)).xml")
    }

    @Test("a CDA letter with a bad-check-digit IHI files with a warning naming its line, the number kept under the HI root, not as an IHI", arguments: TestStore.all)
    func badIHIIsNotUsedAsAnIHI(store: TestStore) throws {
        let place = try store.newClinic()
        defer { withExtendedLifetime(place) {} }
        let s = try place.maintenanceSession()
        let outcome = s.importFile(try letter(ReferralLetterFixtures.cda(given: "Ivy", family: "Tan", birth: "19700101", ihi: Self.mistypedIHI)))
        #expect(outcome.status == .created, "\(outcome.detail)")
        let warning = try #require(outcome.warnings.first { $0.contains("check digit") }, "\(outcome.warnings)")
        #expect(warning.contains("(line 13)"), "\(warning)")
        #expect(warning.contains("not used to match"), "\(warning)")
        let patient = try s.chart(key: "K00001").patient
        #expect(patient.identifiers == [PatientIdentifier(system: .other("1.2.36.1.2001.1003.0"), value: Self.mistypedIHI)])
        #expect(!patient.identifiers.contains { $0.system == .ihi })
        let asIHI = try s.database.read { tx in try tx.patientID(identifier: PatientIdentifier(system: .ihi, value: Self.mistypedIHI)) }
        #expect(asIHI == nil, "never looked up as an IHI")
    }

    @Test("a letter with a mistyped IHI whose name and birth date match a patient with another IHI on file is held, not filed to them", arguments: TestStore.all)
    func mistypedIHIDoesNotFileToTheNameMatch(store: TestStore) throws {
        let place = try store.newClinic()
        defer { withExtendedLifetime(place) {} }
        let s = try place.maintenanceSession()
        var zoe = Patient(recordNumber: "", givenNames: "Zoë", familyName: "Müller", dateOfBirth: try LocalDate(parsing: "1982-07-15"))
        zoe.identifiers = [PatientIdentifier(system: .ihi, value: Self.zoeIHI)]
        _ = try s.addPatient(zoe)
        let outcome = s.importFile(try letter(ReferralLetterFixtures.cda(ihi: Self.mistypedIHI)))
        #expect(outcome.status == .conflict, "\(outcome.detail)")
        #expect(outcome.detail.contains("IHI is not a valid one (its check digit or length) and differs from the IHI on file"), "\(outcome.detail)")
        #expect(!outcome.detail.contains(Self.mistypedIHI), "identifier values are patient data: not in messages")
        #expect(outcome.candidates.map(\.recordNumber) == ["K00001"])
        #expect(outcome.warnings.contains { $0.contains("check digit") }, "\(outcome.warnings)")
        #expect(try s.chart(key: "K00001").referrals.isEmpty, "nothing filed until a person decides")
        #expect(try s.chart(key: "K00001").patient.identifiers == [PatientIdentifier(system: .ihi, value: Self.zoeIHI)])

        // The same letter with Zoë's own IHI files to her by identifier, as before.
        let right = s.importFile(try letter(ReferralLetterFixtures.cda(ihi: Self.zoeIHI, documentID: "L-2")))
        #expect(right.status == .matched, "\(right.detail)")
    }

    @Test("a mistyped Medicare number cannot match the patient who holds the right one by identifier", arguments: TestStore.all)
    func mistypedMedicareMatchesNoOne(store: TestStore) throws {
        let place = try store.newClinic()
        defer { withExtendedLifetime(place) {} }
        let s = try place.maintenanceSession()
        var jo = Patient(recordNumber: "", givenNames: "Jo", familyName: "Smith", dateOfBirth: try LocalDate(parsing: "1980-05-17"))
        jo.identifiers = [PatientIdentifier(system: .medicare, value: "2123456701")]
        _ = try s.addPatient(jo)
        // Another person, whose letter carries a number that fails its check digit: a new patient, with a warning.
        let other = s.importFile(try letter(ReferralLetterFixtures.knot(given: "Mary", family: "Jones", dob: "1950-03-04", medicare: "2123456719")))
        #expect(other.status == .created, "\(other.detail)")
        #expect(other.warnings.contains { $0.contains("check digit") }, "\(other.warnings)")
        #expect(try s.chart(key: "K00002").patient.identifiers == [PatientIdentifier(system: .other("1.2.36.1.5001.1.0.7"), value: "2123456719")])
    }

    @Test("typed entry (addPatient, editPatient) refuses a bad check digit; an edit keeps a number already on file", arguments: TestStore.all)
    func typedEntryRefuses(store: TestStore) throws {
        let place = try store.newClinic()
        defer { withExtendedLifetime(place) {} }
        let s = try place.maintenanceSession()
        var jo = Patient(recordNumber: "", givenNames: "Jo", familyName: "Smith", dateOfBirth: try LocalDate(parsing: "1980-05-17"))
        jo.identifiers = [PatientIdentifier(system: .medicare, value: "2123456719")]
        do {
            _ = try s.addPatient(jo)
            Issue.record("a Medicare number with a wrong check digit was registered")
        } catch let error as ValidationErrors {
            #expect(error.errors.map(\.field) == ["identifiers[0].value"])
            #expect(error.description.contains("check digit does not match"), "\(error)")
        }
        #expect(try s.patientCount() == 0)

        // A patient stored before the rule (through the store, as older versions could) with a number that fails it.
        let old = try s.database.write { tx in try tx.insertPatient(jo, actor: "records", today: .today()) }
        let edited = try s.editPatient(key: old.recordNumber) { $0.phone = "0412 345 678" }
        #expect(edited.phone == "0412 345 678")
        #expect(edited.identifiers == jo.identifiers, "the number on file is kept as it is")
        #expect(throws: ValidationErrors.self) {
            try s.editPatient(key: old.recordNumber) { $0.identifiers.append(PatientIdentifier(system: .ihi, value: Self.mistypedIHI)) }
        }
        #expect(try s.chart(key: old.recordNumber).patient.identifiers == jo.identifiers)
    }

    @Test("a clinic holding a number that fails its check digit (stored before the rule) exports and imports whole")
    func storedNumbersMoveWithTheClinic() throws {
        let sourcePlace = try TestStore.sqlite.newClinic()
        defer { withExtendedLifetime(sourcePlace) {} }
        let source = try sourcePlace.maintenanceSession()
        var jo = Patient(recordNumber: "", givenNames: "Jo", familyName: "Smith", dateOfBirth: try LocalDate(parsing: "1980-05-17"))
        jo.identifiers = [PatientIdentifier(system: .medicare, value: "2123456719"), PatientIdentifier(system: .ihi, value: Self.mistypedIHI)]
        _ = try source.database.write { tx in try tx.insertPatient(jo, actor: "records", today: .today()) }
        let export = dir.file("clinic.xml")
        _ = try source.export(to: export)

        let targetPlace = try TestStore.sqlite.newClinic()
        defer { withExtendedLifetime(targetPlace) {} }
        let target = try targetPlace.maintenanceSession()
        let outcome = target.importFile(export)
        #expect(outcome.status == .created, "\(outcome.detail) \(outcome.warnings)")
        #expect(outcome.patients == 1)
        #expect(try target.chart(key: "K00001").patient.identifiers == jo.identifiers, "kept as they were, as IHI and Medicare")
    }
}
