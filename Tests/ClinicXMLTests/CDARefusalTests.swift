import Testing
import Foundation
import ClinicModel
import ClinicXML

/// Letters Knot must refuse whole, saying where: file, line and element path.
@Suite("CDA letters that are refused")
struct CDARefusalTests {
    struct Case: Sendable, CustomStringConvertible {
        var file: String
        var kind: ClinicXMLError.Kind
        var line: Int
        var path: String?
        var fragment: String
        var description: String { file }
    }

    static let cases: [Case] = [
        Case(file: "broken-no-namespace.xml", kind: .unknownFormat, line: 3, path: "/ClinicalDocument",
             fragment: "the root is ClinicalDocument in no namespace"),
        Case(file: "broken-undeclared-prefix.xml", kind: .unreadable, line: 13, path: nil,
             fragment: "Namespace prefix ext on asEntityIdentifier is not defined"),
        Case(file: "broken-no-record-target.xml", kind: .ruleBroken, line: 3, path: "/ClinicalDocument",
             fragment: "no recordTarget"),
        Case(file: "broken-stray-text.xml", kind: .ruleBroken, line: 5, path: "/ClinicalDocument",
             fragment: "stray text \"Please see this patient urgently.\""),
        Case(file: "broken-patient-without-name.xml", kind: .ruleBroken, line: 11,
             path: "/ClinicalDocument/recordTarget/patientRole/patient/name", fragment: "the patient has no name"),
        Case(file: "broken-patient-without-birth-date-or-id.xml", kind: .ruleBroken, line: 10,
             path: "/ClinicalDocument/recordTarget/patientRole/patient", fragment: "neither a birth date"),
    ]

    @Test("Broken fixtures are refused with kind, line and path", arguments: cases)
    func refused(_ expected: Case) throws {
        let refusals = try CDAFixtures.refusals(expected.file)
        #expect(refusals.count == 1)
        let refusal = try #require(refusals.first)
        #expect(refusal.kind == expected.kind)
        #expect(refusal.file == expected.file)
        #expect(refusal.line == expected.line)
        #expect(refusal.path == expected.path)
        #expect(refusal.message.contains(expected.fragment), "\(refusal.message)")
        var place = "\(expected.file):\(expected.line): "
        if let path = expected.path { place += "\(path): " }
        #expect(refusal.description.hasPrefix(place), "\(refusal.description)")
    }

    /// A minimal valid letter with `patient` spliced in, for one-off cases.
    private func letter(patient: String = "<name><given>Ann</given><family>Lee</family></name><birthTime value=\"19800101\"/>",
                        roleIDs: String = "<id root=\"1.2.3.4\" extension=\"1\"/>", body: String = "") -> Data {
        Data("""
        <ClinicalDocument xmlns="urn:hl7-org:v3">
          <id root="1.2.3" extension="x"/>
          <code code="57133-1" codeSystem="2.16.840.1.113883.6.1"/>
          <effectiveTime value="20261101"/>
          <recordTarget>
            <patientRole>
              \(roleIDs)
              <patient>\(patient)</patient>
            </patientRole>
          </recordTarget>
          <author><assignedAuthor><assignedPerson><name>Dr Nora Quinn</name></assignedPerson></assignedAuthor></author>
          <component><structuredBody><component><section><title>Reason for referral</title><text>Neck pain.</text></section></component>\(body)</structuredBody></component>
        </ClinicalDocument>
        """.utf8)
    }

    private func refusals(_ data: Data) -> [ClinicXMLError] {
        do {
            _ = try CDAReferralReader.read(data, fileName: "inline.xml", today: CDAFixtures.today)
        } catch {
            return error.errors
        }
        return []
    }

    @Test("The inline letter used below imports as it is")
    func baselineImports() throws {
        let incoming = try CDAReferralReader.read(letter(), fileName: "inline.xml", today: CDAFixtures.today)
        #expect(incoming.patient.familyName == "Lee")
        #expect(incoming.referral.referrerName == "Dr Nora Quinn")
        #expect(incoming.referral.reason == "Neck pain.")
    }

    @Test("A schema violation names the element's path and line")
    func schemaViolation() throws {
        let data = letter(patient: "<name><given>Ann</given><family>Lee</family></name>\n<birthTime value=\"1980-01-01\"/>")
        let found = refusals(data)
        let first = try #require(found.first)
        #expect(first.kind == .invalid)
        #expect(first.line == 9)
        #expect(first.path == "/ClinicalDocument/recordTarget/patientRole/patient/birthTime")
        #expect(first.message.contains("1980-01-01"))
        #expect(!first.message.contains("{urn:hl7-org:v3}"))
    }

    @Test("Another format's root is refused as unknown")
    func otherRoot() throws {
        let found = refusals(Data("<referral xmlns=\"urn:knot:referral:1\"/>".utf8))
        #expect(found.map(\.kind) == [.unknownFormat])
        #expect(found.first?.message.contains("referral in namespace urn:knot:referral:1") == true)
    }

    @Test("Text after the root element is not XML at all")
    func textAfterRoot() throws {
        var data = letter()
        data.append(Data("\ntrailing words".utf8))
        let found = refusals(data)
        #expect(found.first?.kind == .unreadable)
        #expect(found.first?.line == 14)
    }

    @Test("A DOCTYPE is refused before anything is read")
    func doctype() throws {
        let text = "<?xml version=\"1.0\"?>\n<!DOCTYPE ClinicalDocument [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n" + String(decoding: letter(), as: UTF8.self)
        let found = refusals(Data(text.utf8))
        #expect(found.first?.kind == .unreadable)
        #expect(found.first?.message.contains("DOCTYPE") == true)
    }

    @Test("Bad base64 in a nonXMLBody is refused at its element")
    func badBase64() throws {
        let data = Data("""
        <ClinicalDocument xmlns="urn:hl7-org:v3">
          <effectiveTime value="20261101"/>
          <recordTarget><patientRole><id root="1.2.3.4" extension="1"/><patient><name><given>Ann</given><family>Lee</family></name></patient></patientRole></recordTarget>
          <author><assignedAuthor><assignedPerson><name>Dr Nora Quinn</name></assignedPerson></assignedAuthor></author>
          <component><nonXMLBody><text mediaType="application/pdf" representation="B64">%%% not base64 %%%</text></nonXMLBody></component>
        </ClinicalDocument>
        """.utf8)
        let found = refusals(data)
        #expect(found.map(\.kind) == [.ruleBroken])
        #expect(found.first?.line == 5)
        #expect(found.first?.path == "/ClinicalDocument/component/nonXMLBody/text")
    }

    @Test("An identifier without a birth date is enough, but the birth date must be set before filing")
    func identifierWithoutBirthDate() throws {
        let incoming = try CDAReferralReader.read(letter(patient: "<name><given>Ann</given><family>Lee</family></name>"),
                                                  fileName: "inline.xml", today: CDAFixtures.today)
        #expect(incoming.patient.dateOfBirth == CDAReferralReader.unknownBirthDate)
        #expect(incoming.warnings.contains("The letter gives no birth date for the patient; set it before filing"))
        var probe = incoming.patient
        probe.recordNumber = "K00001"
        #expect(throws: ValidationErrors.self) { try probe.validate() }
    }

    @Test("A patient with only a family name breaks the model's rule and is refused")
    func familyNameOnly() throws {
        let found = refusals(letter(patient: "<name><family>Lee</family></name><birthTime value=\"19800101\"/>"))
        #expect(found.map(\.kind) == [.clinicalValue])
        #expect(found.first?.message.contains("givenNames") == true)
        #expect(found.first?.path == "/ClinicalDocument/recordTarget/patientRole/patient")
    }

    @Test("Control characters (terminal escapes) never reach the record")
    func controlCharacters() throws {
        let body = "<component><section><title>Plan&#x9B;2J</title><text>Needle &#x9B;31mcarefully&#x85;</text></section></component>"
        let incoming = try CDAReferralReader.read(letter(body: body), fileName: "inline.xml", today: CDAFixtures.today)
        let plan = try #require(incoming.referral.sections.last)
        #expect(plan.title == "Plan2J")
        #expect(plan.text == "Needle 31mcarefully")
    }

    @Test("A malformed phone or email is left out with a warning, not refused")
    func badContact() throws {
        let data = letter(roleIDs: "<id root=\"1.2.3.4\" extension=\"1\"/><telecom value=\"tel:12\"/><telecom value=\"mailto:not-an-address\"/>")
        let incoming = try CDAReferralReader.read(data, fileName: "inline.xml", today: CDAFixtures.today)
        #expect(incoming.patient.phone == nil)
        #expect(incoming.patient.email == nil)
        #expect(incoming.warnings.contains { $0.contains("email") && $0.contains("left out") })
    }
}
