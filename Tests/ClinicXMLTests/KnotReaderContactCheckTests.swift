import Testing
import Foundation
import ClinicModel
@testable import ClinicXML

/// The Knot reader decides a patient's phone and email with one run of the model's rules
/// (issue 19, session 9), where it ran them once per detail and once more for the rest: each
/// detail is still kept or left out on its own, with its own rule, and a letter that breaks a
/// rule of the patient is still refused, pointing at the right element.
@Suite("The Knot reader checks the patient's contact details each on its own")
struct KnotReaderContactCheckTests {
    let today = SampleRecords.day("2026-11-25")

    func letter(phone: String?, email: String?, dateOfBirth: String = "2009-04-17") -> Data {
        let contact = [phone.map { "<phone>\($0)</phone>" }, email.map { "<email>\($0)</email>" }].compactMap { $0 }.joined(separator: "\n    ")
        return Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <referral xmlns="urn:knot:referral:1" version="1">
              <referrer><name>Dr Sarah Okafor</name></referrer>
              <date>2026-11-20</date>
              <patient>
                <givenNames>Liam</givenNames>
                <familyName>Walsh</familyName>
                <dateOfBirth>\(dateOfBirth)</dateOfBirth>
                \(contact)
              </patient>
              <reason>Jaw pain.</reason>
            </referral>
            """.utf8)
    }

    @Test("A bad phone is left out with its rule, a good email kept, and the other way round")
    func eachDetailOnItsOwn() throws {
        let badPhone = try KnotReferralReader.read(letter(phone: "call mum", email: "liam@example.org"), fileName: "a.xml", today: today)
        #expect(badPhone.patient.phone == nil && badPhone.patient.email == "liam@example.org")
        #expect(badPhone.warnings == ["the patient's phone 'call mum' was left out: is not a phone number (digits, spaces, + - ( ) only)"])

        let badEmail = try KnotReferralReader.read(letter(phone: "0412 345 678", email: "liam@home"), fileName: "b.xml", today: today)
        #expect(badEmail.patient.phone == "0412 345 678" && badEmail.patient.email == nil)
        #expect(badEmail.warnings == ["the patient's email 'liam@home' was left out: is not an email address"])

        let both = try KnotReferralReader.read(letter(phone: "x", email: "y"), fileName: "c.xml", today: today)
        #expect(both.patient.phone == nil && both.patient.email == nil)
        #expect(both.warnings.count == 2 && both.warnings[0].contains("phone 'x'") && both.warnings[1].contains("email 'y'"))

        let good = try KnotReferralReader.read(letter(phone: "0412 345 678", email: "liam@example.org"), fileName: "d.xml", today: today)
        #expect(good.patient.phone == "0412 345 678" && good.patient.email == "liam@example.org" && good.warnings.isEmpty)
    }

    @Test("A birth date in the future refuses the letter at dateOfBirth, whatever the contact details")
    func patientRulesStillRefuse() throws {
        let data = letter(phone: "call mum", email: "liam@example.org", dateOfBirth: "2027-01-01")
        do {
            _ = try KnotReferralReader.read(data, fileName: "e.xml", today: today)
            Issue.record("a birth date in the future was accepted")
        } catch {
            #expect(error.errors.map(\.kind) == [.clinicalValue])
            #expect(error.errors[0].message.contains("dateOfBirth"))
            #expect(error.errors[0].line == 8)
            #expect(error.errors[0].path == "/referral/patient/dateOfBirth")
        }
    }
}
