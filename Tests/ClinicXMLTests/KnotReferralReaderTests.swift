import Foundation
import Testing
import ClinicModel
import LibXML
import ClinicTestSupport
@testable import ClinicXML

/// Knot referral letters as a practitioner files them each morning.
@Suite struct KnotReferralReaderTests {
    let today = SampleRecords.day("2026-11-25")

    func read(_ name: String) throws -> IncomingReferral {
        try KnotReferralReader.read(try TestFiles.importFile(name), fileName: name, today: today)
    }

    func refusal(_ text: String, fileName: String = "letter.xml") -> ClinicXMLErrors? {
        refusal(Data(text.utf8), fileName: fileName)
    }

    func refusal(_ data: Data, fileName: String = "letter.xml") -> ClinicXMLErrors? {
        do {
            _ = try KnotReferralReader.read(data, fileName: fileName, today: today)
            return nil
        } catch {
            return error
        }
    }

    @Test func aGPLetterWithAnAnticoagulant() throws {
        let data = try TestFiles.importFile("referral-au-gp-anticoagulant.xml")
        let incoming = try read("referral-au-gp-anticoagulant.xml")
        let patient = incoming.patient, referral = incoming.referral
        #expect(patient.givenNames == "Margaret Anne" && patient.familyName == "O'Sullivan" && patient.preferredName == "Peggy")
        #expect(patient.dateOfBirth == SampleRecords.day("1951-06-23") && patient.sex == .female)
        #expect(patient.recordNumber == "", "a record number is given when the letter is filed")
        #expect(patient.identifiers == [PatientIdentifier(system: .medicare, value: "2953 41877 1"),
                                        PatientIdentifier(system: .ihi, value: "8003608500011127")])
        #expect(patient.phone == "0412 345 678" && patient.email == nil)
        #expect(patient.generalPractitioner == "Dr Priya Raman, Harbourside Medical Centre")

        #expect(referral.referrerName == "Dr Priya Raman" && referral.referrerProviderNumber == "2426791T")
        #expect(referral.recipient == "Physiotherapist, Crown Street Physiotherapy")
        #expect(referral.date == SampleRecords.day("2026-11-10") && referral.expiresOn == SampleRecords.day("2027-11-09"))
        #expect(referral.sessionsAllowed == 5 && referral.format == .knot && referral.documentID == "HSMC-2026-11-0412")
        #expect(referral.patientID == 0)
        #expect(referral.sections.map(\.kind) == ["reason", "history", "medications", "allergies", "other"])
        #expect(referral.sections[2].entries.count == 3)
        #expect(referral.reason.hasPrefix("Chronic left calf"))
        #expect(referral.originalLetter == data)
        #expect(referral.originalSHA256 == LetterDigest.sha256Hex(data))
        #expect(referral.originalSHA256?.count == 64)

        #expect(incoming.proposedAlerts.map(\.kind) == [.precaution(.anticoagulant)])
        #expect(incoming.proposedAlerts.allSatisfy { $0.status == .proposed })
        #expect(incoming.proposedAlerts[0].text.contains("Eliquis (apixaban) 5 mg twice daily"))
        #expect(incoming.proposedAlerts[0].source == "referral 2026-11-10 (medications)")
        #expect(incoming.warnings.isEmpty)
    }

    @Test func aUKLetterWithANickelAllergy() throws {
        let incoming = try read("referral-uk-gp-metal-allergy.xml")
        #expect(incoming.proposedAlerts.map(\.kind) == [.precaution(.metalAllergy), .allergy])
        #expect(incoming.proposedAlerts[0].source == "referral 2026-11-03 (allergies)")
        #expect(incoming.patient.identifiers == [PatientIdentifier(system: .other("https://fhir.nhs.uk/Id/nhs-number"), value: "943 476 5919")])
        #expect(incoming.referral.expiresOn == nil && incoming.referral.sessionsAllowed == nil)
        #expect(incoming.referral.recipient == "Headingley MSK Physiotherapy")
    }

    @Test func aUSLetterWithASessionCapAndExpiry() throws {
        let incoming = try read("referral-us-podiatry-sessions-cap.xml")
        #expect(incoming.referral.sessionsAllowed == 8 && incoming.referral.expiresOn == SampleRecords.day("2027-01-26"))
        #expect(incoming.referral.isCurrent(on: today))
        #expect(incoming.proposedAlerts.map(\.kind) == [.precaution(.antiplatelet)])
        #expect(!incoming.referral.sections.contains { $0.kind == "allergies" }, "an empty allergy list adds no section")
    }

    @Test func aLetterWithALatexAllergy() throws {
        let incoming = try read("referral-au-sports-latex.xml")
        #expect(incoming.proposedAlerts.map(\.kind) == [.allergy])
        #expect(incoming.patient.identifiers.map(\.system) == [.dva, .medicare])
    }

    @Test func theLeastALetterMayHold() throws {
        let incoming = try read("referral-minimal.xml")
        #expect(incoming.patient.sex == .notStated && incoming.proposedAlerts.isEmpty)
        #expect(incoming.referral.sections.map(\.kind) == ["reason"])
        #expect(incoming.referral.recipient == nil && incoming.referral.documentID == nil)
    }

    @Test func schemaViolationsAreRefusedWithTheirLines() throws {
        let minimal = String(decoding: try TestFiles.importFile("referral-minimal.xml"), as: UTF8.self)
        let cases: [(String, String, String)] = [
            ("<reason>Jaw pain and headaches, clenching. Assess masseter and temporalis.</reason>", "<reason>   </reason>", "blank reason"),
            ("<date>2026-11-20</date>", "<date>2026-11-20</date><sessionsAllowed>0</sessionsAllowed>", "sessions 0"),
            ("<date>2026-11-20</date>", "<date>20/11/2026</date>", "date format"),
            ("<dateOfBirth>2009-04-17</dateOfBirth>", "<dateOfBirth>2009-04-17</dateOfBirth><sex>unknown</sex>", "unknown sex"),
            ("<givenNames>Liam</givenNames>", "", "missing given names"),
        ]
        for (old, new, rule) in cases {
            let line = TestFiles.line(of: old, in: minimal)!
            let errors = try #require(refusal(minimal.replacingOccurrences(of: old, with: new)), "\(rule) was accepted")
            #expect(errors.errors.allSatisfy { $0.kind == .invalid }, "\(rule): \(errors)")
            #expect(errors.errors.contains { $0.line == line || $0.line == line + 1 }, "\(rule): expected line \(line): \(errors)")
            #expect(errors.description.contains("letter.xml:"), "\(rule)")
        }
    }

    @Test func clinicalDatesThatCannotBeAreRefused() throws {
        let expiry = try TestFiles.fixture("knot/referral-expiry-before-date.xml")
        let errors = try #require(refusal(expiry, fileName: "expiry.xml"))
        #expect(errors.errors.map(\.kind) == [.clinicalValue])
        #expect(errors.errors[0].line == TestFiles.line(of: "<expires>", in: String(decoding: expiry, as: UTF8.self)))
        #expect(errors.errors[0].message.contains("expiresOn"))

        let minimal = String(decoding: try TestFiles.importFile("referral-minimal.xml"), as: UTF8.self)
        let future = try #require(refusal(minimal.replacingOccurrences(of: "2009-04-17", with: "2027-01-01")))
        #expect(future.errors.map(\.kind) == [.clinicalValue] && future.errors[0].message.contains("dateOfBirth"))
        #expect(future.errors[0].line == TestFiles.line(of: "<dateOfBirth>", in: minimal))
    }

    @Test func malformedContactDetailsAreLeftOutWithAWarning() throws {
        let data = try TestFiles.fixture("knot/referral-bad-contact-details.xml")
        let incoming = try KnotReferralReader.read(data, fileName: "bad.xml", today: today)
        #expect(incoming.patient.identifiers == [PatientIdentifier(system: .dva, value: "QX12345")])
        #expect(incoming.patient.phone == nil && incoming.patient.email == nil)
        #expect(incoming.warnings.count == 3)
        #expect(incoming.warnings.contains { $0.contains("IHI") })
        #expect(incoming.referral.importWarnings == incoming.warnings)
    }

    @Test func otherDocumentsAreNotReferralLetters() throws {
        let records = try #require(refusal(#"<clinicRecords xmlns="urn:knot:records:1" version="1"/>"#))
        #expect(records.errors.map(\.kind) == [.unknownFormat])
        let noNamespace = try #require(refusal("<referral version=\"1\"/>"))
        #expect(noNamespace.errors.map(\.kind) == [.unknownFormat])
        let notXML = try #require(refusal("%PDF-1.7\n"))
        #expect(notXML.errors.first?.kind == .unreadable)
    }

    @Test(arguments: HostileXMLCorpus.cases(rootName: "referral", namespace: "urn:knot:referral:1"))
    func hostileLettersAreRefused(_ hostile: HostileXMLCorpus.Case) throws {
        let started = Date()
        let outcome = refusal(hostile.data, fileName: "hostile.xml")
        #expect(Date().timeIntervalSince(started) < 10, "\(hostile.name) took too long")
        if hostile.expectation == .acceptable {
            // Parsed safely; the referral schema may still refuse what is inside.
            #expect(outcome?.errors.allSatisfy { $0.kind != .unreadable } ?? true, "\(hostile.name): \(outcome!)")
        } else {
            let errors = try #require(outcome, "\(hostile.name) was accepted")
            #expect(!errors.errors.isEmpty)
        }
        #expect(!(outcome?.description.contains(HostileXMLCorpus.leakedPasswdMarker) ?? false))
    }
}
