import Testing
import Foundation
import ClinicModel
import ClinicXML
import LibXML

/// Reading real-shaped CDA referral letters: what the practitioner sees after an import.
@Suite("CDA referral letters")
struct CDAReferralReaderTests {
    private func section(_ incoming: IncomingReferral, _ kind: String) -> ReferralSection? {
        incoming.referral.sections.first { $0.kind == kind }
    }

    @Test("C-CDA Referral Note: patient, referrer, sections, coded entries, alerts, validity")
    func referralNote() throws {
        let bytes = try CDAFixtures.data("cda-referral-note.xml")
        let incoming = try CDAFixtures.read("cda-referral-note.xml")
        let patient = incoming.patient
        #expect(patient.givenNames == "Margaret Anne")
        #expect(patient.familyName == "Whitlock")
        #expect(patient.preferredName == "Maggie")
        #expect(patient.dateOfBirth == CDAFixtures.date("1958-03-14"))
        #expect(patient.sex == .female)
        #expect(patient.phone == "+61 412 555 019")
        #expect(patient.email == "m.whitlock@example.net")
        #expect(patient.address == "14 Wattle Grove, Springfield QLD 4300, AU")
        #expect(patient.identifiers == [PatientIdentifier(system: .other("2.16.840.1.113883.19.5.99999.2"), value: "998991")])
        #expect(patient.generalPractitioner == "Dr Samuel Okafor, Riverbend Family Medicine")
        #expect(patient.recordNumber == "")

        let referral = incoming.referral
        #expect(referral.format == .cda)
        #expect(referral.patientID == 0)
        #expect(referral.referrerName == "Dr Samuel Okafor")
        #expect(referral.referrerOrganisation == "Riverbend Family Medicine")
        #expect(referral.referrerProviderNumber == "1234567893")
        #expect(referral.referrerContact == "phone +61 7 3555 0100; fax +61 7 3555 0101")
        #expect(referral.recipient == "Ms Priya Natarajan, Harbour Physiotherapy")
        #expect(referral.date == CDAFixtures.date("2026-11-02"))
        #expect(referral.documentID == "2.16.840.1.113883.19.5.99999.1^REF-20261102-0042")
        #expect(referral.documentCode == "57133-1")
        #expect(referral.documentTitle == "Referral to Physiotherapy")
        #expect(referral.expiresOn == CDAFixtures.date("2027-11-02"))
        #expect(referral.sessionsAllowed == 5)
        #expect(referral.reason.hasPrefix("Chronic right-sided neck and upper trapezius pain with cervicogenic headaches. Please assess"))
        #expect(referral.sections.map(\.kind) == ["reason", "history", "problems", "medications", "allergies", "assessment"])
        #expect(section(incoming, "history")?.text == "Six months of aching pain over the right upper trapezius, worse after long days at the computer.\nHeadaches three times a week, temporal, right side.")
        #expect(section(incoming, "problems")?.text == "Problem | Status\nMyofascial pain syndrome | Active\nAtrial fibrillation | Active")
        #expect(section(incoming, "problems")?.entries.map(\.code) == ["24026003", "49436004"])
        #expect(section(incoming, "assessment")?.text.hasPrefix("1. Myofascial pain, right upper trapezius") == true)

        let medications = try #require(section(incoming, "medications"))
        #expect(medications.code == "10160-0")
        #expect(medications.codeSystem == "2.16.840.1.113883.6.1")
        #expect(medications.text == "- Apixaban 5 mg tablet, one twice daily\n- Atorvastatin 20 mg tablet, one at night")
        #expect(medications.entries == [
            .init(code: "1364445", codeSystem: "2.16.840.1.113883.6.88", displayName: "apixaban 5 MG Oral Tablet",
                  text: "Apixaban 5 mg tablet, one twice daily"),
            .init(code: "617310", codeSystem: "2.16.840.1.113883.6.88", displayName: "atorvastatin 20 MG Oral Tablet",
                  text: "Atorvastatin 20 mg tablet, one at night"),
        ])
        // The nickel code has a nullFlavor: its SNOMED translation is used, the text comes from the narrative.
        #expect(section(incoming, "allergies")?.entries == [
            .init(code: "70618", codeSystem: "2.16.840.1.113883.6.88", displayName: "Penicillin", text: "Penicillin"),
            .init(code: "264161003", codeSystem: "2.16.840.1.113883.6.96", displayName: "Nickel", text: "Nickel"),
        ])

        #expect(incoming.proposedAlerts.map(\.kind) == [.precaution(.anticoagulant), .precaution(.metalAllergy)])
        #expect(incoming.proposedAlerts.allSatisfy { $0.status == .proposed })
        #expect(incoming.proposedAlerts[0].text.contains("Apixaban 5 mg tablet"))
        #expect(incoming.proposedAlerts[0].source == "referral 2026-11-02 (medications)")
        #expect(incoming.proposedAlerts[1].source == "referral 2026-11-02 (allergies)")

        #expect(referral.originalLetter == bytes)
        #expect(referral.originalSHA256 == "db47d6e5792b99b7bb65ede6124ca072caa24b253ccb3961725d1074ac42ace9")
        #expect(incoming.warnings.isEmpty)
        #expect(referral.importWarnings == incoming.warnings)
    }

    @Test("Every letter keeps its exact bytes and their SHA-256")
    func originalKeptVerbatim() throws {
        // A known vector first, so the comparison below means something.
        #expect(LetterDigest.sha256Hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        for name in CDAFixtures.names where name.hasPrefix("cda-") {
            let bytes = try CDAFixtures.data(name)
            let referral = try CDAFixtures.read(name).referral
            #expect(referral.originalLetter == bytes, "\(name)")
            #expect(referral.originalSHA256 == LetterDigest.sha256Hex(bytes), "\(name)")
        }
    }

    @Test("Consultation note: text-only author name, provider number, validity from the narrative")
    func consultationNote() throws {
        let incoming = try CDAFixtures.read("cda-consultation-note.xml")
        #expect(incoming.patient.givenNames == "Peter John")
        #expect(incoming.patient.familyName == "Harrington")
        #expect(incoming.patient.sex == .male)
        #expect(incoming.patient.dateOfBirth == CDAFixtures.date("1972-05-09"))
        #expect(incoming.patient.phone == "(03) 5331 2210")
        #expect(incoming.patient.address == "Unit 3, 88 Hill Street, Ballarat VIC 3350")
        #expect(incoming.patient.generalPractitioner == nil, "a rheumatologist is not the patient's GP")
        let referral = incoming.referral
        #expect(referral.documentCode == "11488-4")
        #expect(referral.documentID == "7d3a5b80-0f8e-4c0b-9a1e-33b1c2d4e5f6")
        #expect(referral.referrerName == "Dr Helen Brooks")
        #expect(referral.referrerOrganisation == "Ballarat Specialist Centre")
        #expect(referral.referrerProviderNumber == "2426621B")
        #expect(referral.referrerContact == "phone 03 5320 4000; email rheum@ballarat-specialists.example")
        #expect(referral.recipient == "Lakeside Allied Health")
        #expect(referral.date == CDAFixtures.date("2026-10-20"))
        #expect(referral.expiresOn == CDAFixtures.date("2027-04-30"))
        #expect(referral.sessionsAllowed == 6)
        #expect(referral.sections.map(\.kind) == ["reason", "history", "medications", "allergies", "assessment", "plan"])
        #expect(section(incoming, "medications")?.text == "Medication | Dose | Frequency\nClopidogrel | 75 mg | daily\nMetformin | 500 mg | twice daily")
        #expect(section(incoming, "medications")?.entries.map(\.displayName) == ["clopidogrel 75 MG Oral Tablet", "metformin hydrochloride 500 MG Oral Tablet"])
        // "No known allergies" is a negated entry: it must not read as an allergy.
        #expect(section(incoming, "allergies")?.entries == [])
        #expect(section(incoming, "allergies")?.text == "No known allergies.")
        #expect(section(incoming, "plan")?.text == "- Physiotherapy with dry needling.\n- Review in rheumatology clinic in 3 months.")
        #expect(incoming.proposedAlerts.map(\.kind) == [.precaution(.antiplatelet)])
        #expect(incoming.warnings.isEmpty)
    }

    @Test("Australian e-Referral: BOM, IHI and Medicare from ext:, NCTIS sections, validity duration")
    func australianEReferral() throws {
        let bytes = try CDAFixtures.data("cda-au-ereferral.xml")
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let incoming = try CDAFixtures.read("cda-au-ereferral.xml")
        let patient = incoming.patient
        #expect(patient.givenNames == "Thomas Quang")
        #expect(patient.familyName == "Nguyễn")
        #expect(patient.sex == .male)
        #expect(patient.dateOfBirth == CDAFixtures.date("1967-08-21"))
        #expect(patient.phone == "0491 570 156")
        #expect(patient.identifiers.contains(PatientIdentifier(system: .ihi, value: "8003608166690503")))
        #expect(patient.identifiers.contains(PatientIdentifier(system: .medicare, value: "2951234571")))
        #expect(patient.identifiers.contains(PatientIdentifier(system: .other("urn:ietf:rfc:3986"), value: "urn:uuid:4b1e6c7a-2f3d-4a5b-9c8d-7e6f5a4b3c2d")))
        #expect(patient.identifiers.count == 3)
        #expect(patient.generalPractitioner == "Dr Anika Patel, Civic Square Medical Practice")

        let referral = incoming.referral
        #expect(referral.referrerName == "Dr Anika Patel")
        #expect(referral.referrerOrganisation == "Civic Square Medical Practice")
        #expect(referral.referrerProviderNumber == "2296011A")
        #expect(referral.recipient == "Lauren O'Connell, Belconnen Myotherapy & Physio")
        #expect(referral.date == CDAFixtures.date("2026-10-28"))
        #expect(referral.expiresOn == CDAFixtures.date("2027-10-28"))
        #expect(referral.sessionsAllowed == nil)
        #expect(referral.reason == "Chronic plantar heel pain and calf trigger points; assess foot posture and consider dry needling of gastrocnemius and soleus.")
        #expect(referral.sections.map(\.kind) == ["reason", "problems", "medications", "allergies", "other"])
        #expect(referral.sections.map(\.code) == ["102.16347", "101.16117", "101.16022", "101.20113", "102.16080"])
        #expect(referral.sections.allSatisfy { $0.codeSystem == "1.2.36.1.2001.1001.101" })
        let detail = try #require(section(incoming, "reason"))
        #expect(detail.entries.map(\.code) == ["103.16620", "42349-1", "103.16622"])
        #expect(detail.entries.last?.text == "12 mo")
        let medications = try #require(section(incoming, "medications"))
        #expect(medications.entries.first == .init(code: "21207011000036109", codeSystem: "1.2.36.1.2001.1004.100",
                                                   displayName: "Marevan 5 mg tablet", text: "Warfarin (Marevan) 5 mg tablet"))
        #expect(incoming.proposedAlerts.map(\.kind) == [.precaution(.anticoagulant), .allergy])
        #expect(incoming.proposedAlerts[1].text.contains("Latex"))
        #expect(incoming.warnings.isEmpty)
    }

    @Test("Narrative-only letter: kinds from titles, tables and lists as text, validity and alerts from text")
    func narrativeOnly() throws {
        let incoming = try CDAFixtures.read("cda-narrative-only.xml")
        #expect(incoming.patient.identifiers == [PatientIdentifier(system: .medicare, value: "29512345771")])
        let referral = incoming.referral
        #expect(referral.sections.map(\.kind) == ["reason", "medications", "allergies", "history"])
        #expect(referral.sections.map(\.title) == ["Reason for referral", "Current medications", "Allergies", "Social history"])
        #expect(referral.sections.allSatisfy { $0.code == nil && $0.entries.isEmpty })
        #expect(section(incoming, "medications")?.text == "Medication list\nMedicine | Dose\nRivaroxaban | 20 mg daily\nSertraline | 50 mg daily")
        #expect(section(incoming, "allergies")?.text == "1. Sulfur drugs: rash\n2. Elastoplast: skin reaction")
        #expect(referral.reason.contains("Thank you for seeing Olivia, a 36 year old office worker with persistent neck pain and tension-type headaches.\nPlease assess"))
        #expect(referral.expiresOn == CDAFixtures.date("2027-03-31"))
        #expect(referral.sessionsAllowed == 4)
        #expect(incoming.proposedAlerts.map(\.kind) == [.precaution(.anticoagulant), .allergy])
        #expect(incoming.proposedAlerts[0].text.contains("Rivaroxaban"))
        #expect(incoming.proposedAlerts[1].text.contains("Elastoplast"))
    }

    @Test("nonXMLBody PDF: stored as an attachment with its media type and exact bytes")
    func pdfBody() throws {
        let pdf = try CDAFixtures.data("cda-nonxml-pdf.pdf")
        let incoming = try CDAFixtures.read("cda-nonxml-pdf.xml")
        let referral = incoming.referral
        #expect(referral.attachments == [ReferralAttachment(mediaType: "application/pdf", data: pdf)])
        #expect(referral.sections.count == 1)
        #expect(referral.sections[0].title == "Attached letter")
        #expect(referral.sections[0].text == "The letter is attached as application/pdf (\(pdf.count) bytes).")
        #expect(referral.reason == "")
        #expect(incoming.patient.familyName == "Delgado")
        #expect(referral.referrerName == "Dr Martin Keller")
        #expect(incoming.warnings == ["The letter's body is an attached application/pdf document: open the attachment to read it"])
    }

    @Test("nonXMLBody plain text: attachment, readable section, reason, validity and alerts from the text")
    func plainTextBody() throws {
        let incoming = try CDAFixtures.read("cda-nonxml-text.xml")
        let referral = incoming.referral
        let attachment = try #require(referral.attachments.first)
        #expect(attachment.mediaType == "text/plain")
        let text = try #require(String(data: attachment.data, encoding: .utf8))
        #expect(text.hasPrefix("Dear Physiotherapist,\n\nPlease see Arthur"))
        #expect(text.hasSuffix("Dr Fiona McAllister"))
        #expect(referral.sections.map(\.title) == ["Letter (text/plain)"])
        #expect(referral.reason == text)
        #expect(referral.expiresOn == CDAFixtures.date("2027-05-12"))
        #expect(referral.sessionsAllowed == 4)
        #expect(incoming.proposedAlerts.map(\.kind) == [.precaution(.antiplatelet)])
    }

    @Test("nullFlavor wherever allowed: absent, never data; dates fall back with a warning")
    func nullFlavors() throws {
        let incoming = try CDAFixtures.read("cda-nullflavor.xml")
        let patient = incoming.patient
        #expect(patient.givenNames == "June")
        #expect(patient.familyName == "Tanaka")
        #expect(patient.sex == .notStated)
        #expect(patient.identifiers.isEmpty)
        #expect(patient.phone == nil && patient.address == nil && patient.email == nil)
        let referral = incoming.referral
        #expect(referral.documentID == nil)
        #expect(referral.documentCode == nil)
        #expect(referral.documentTitle == nil)
        #expect(referral.date == CDAFixtures.date("2026-10-30"), "from author/time")
        #expect(referral.referrerName == "Ravi Shankar")
        #expect(referral.referrerOrganisation == nil)
        #expect(referral.recipient == nil)
        #expect(referral.sections.map(\.kind) == ["reason", "medications", "allergies"])
        #expect(referral.sections[1].title == "History of medication use", "a null title falls back to the section code's name")
        #expect(referral.sections[1].entries == [.init(text: "Dabigatran 150 mg capsule")])
        #expect(referral.sections[2].entries.isEmpty)
        #expect(incoming.proposedAlerts.map(\.kind) == [.precaution(.anticoagulant)])
        #expect(incoming.warnings.contains("The letter does not say what type of document it is (no document code)"))
        #expect(incoming.warnings.contains { $0.contains("effective time is missing or null") })
    }

    @Test("Several recordTargets, ids and authors: the first is read, every id keeps its system, warnings say so")
    func severalRecordTargets() throws {
        let incoming = try CDAFixtures.read("cda-several-record-targets.xml")
        let patient = incoming.patient
        #expect(patient.familyName == "Oduya")
        #expect(patient.identifiers == [
            PatientIdentifier(system: .other("2.16.840.1.113883.19.5.6060.1"), value: "H-20931"),
            PatientIdentifier(system: .ihi, value: "8003608000228437"),
            PatientIdentifier(system: .medicare, value: "3951234582"),
            PatientIdentifier(system: .dva, value: "NX123456"),
            PatientIdentifier(system: .other("urn:ietf:rfc:3986"), value: "urn:uuid:6f0c3b2a-1d4e-4f5a-8b6c-7d8e9f0a1b2c"),
        ])
        #expect(patient.sex == .intersex)
        #expect(patient.dateOfBirth == CDAFixtures.date("1988-01-01"))
        #expect(patient.email == "k.oduya@example.org")
        #expect(incoming.referral.referrerName == "Dr Ines Carvalho")
        #expect(incoming.referral.documentID == "2.16.840.1.113883.19.5.6060^R-1")
        #expect(incoming.warnings.contains { $0.contains("2 recordTargets") && $0.contains("Oduya, Kemi") })
        #expect(incoming.warnings.contains { $0.contains("2 authors") })
        #expect(incoming.warnings.contains { $0.contains("given only as 1988") })
        #expect(incoming.warnings.contains { $0.contains("2 document ids") })
    }

    @Test("xml-stylesheet and other processing instructions are ignored")
    func stylesheetProcessingInstruction() throws {
        let incoming = try CDAFixtures.read("cda-stylesheet-pi.xml")
        #expect(incoming.patient.familyName == "Fitzgerald")
        #expect(incoming.referral.reason == "Hamstring strain, now 8 weeks; residual trigger points in biceps femoris.")
        #expect(incoming.warnings.isEmpty)
    }

    @Test("Codes outside the expected value sets are imported with a warning each")
    func unexpectedCodes() throws {
        let incoming = try CDAFixtures.read("cda-unexpected-codes.xml")
        let referral = incoming.referral
        #expect(referral.documentCode == "34133-9")
        #expect(referral.sections.map(\.kind) == ["reason", "other", "other", "medications"])
        #expect(referral.sections[1].code == "8716-3")
        #expect(referral.sections[2].text == "Mobilising independently.")
        #expect(incoming.patient.sex == .notStated)
        #expect(incoming.proposedAlerts.map(\.kind) == [.precaution(.anticoagulant)])
        let warnings = incoming.warnings
        #expect(warnings.count == 5)
        #expect(warnings.contains { $0.hasPrefix("Administrative gender X (Something else)") && $0.contains("line 15") })
        #expect(warnings.contains { $0.hasPrefix("The document type 34133-9") })
        #expect(warnings.contains { $0.hasPrefix("Section \"Vital Signs\" has code 8716-3 (LOINC)") && $0.contains("line 40") })
        #expect(warnings.contains { $0.hasPrefix("Section \"Ward notes\" has code HOSP-NOTES (1.2.3.4.5.6)") })
        #expect(warnings.contains { $0.hasPrefix("Medications: code ENOX40 is in code system 1.2.3.4.5.7") })
    }

    @Test("An extra, user-supplied CDA schema is applied on top of the profile")
    func extraSchema() throws {
        let strict = try XMLSchema(data: Data("""
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:hl7-org:v3" elementFormDefault="qualified">
              <xs:element name="ClinicalDocument">
                <xs:complexType><xs:sequence><xs:element name="typeId"><xs:complexType><xs:anyAttribute processContents="skip"/></xs:complexType></xs:element></xs:sequence></xs:complexType>
              </xs:element>
            </xs:schema>
            """.utf8), name: "tiny-cda.xsd")
        do {
            _ = try CDAFixtures.read("cda-stylesheet-pi.xml", extraSchema: strict)
            Issue.record("a letter the extra schema refuses was imported")
        } catch let errors as ClinicXMLErrors {
            let first = try #require(errors.errors.first)
            #expect(first.kind == .invalid)
            #expect(first.message.hasPrefix("full CDA schema tiny-cda.xsd: "))
            #expect(first.line == 8)
            #expect(first.path == "/ClinicalDocument/id")
        }
        let open = try XMLSchema(data: Data("""
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:hl7-org:v3">
              <xs:element name="ClinicalDocument"><xs:complexType><xs:sequence><xs:any processContents="skip" minOccurs="0" maxOccurs="unbounded"/></xs:sequence><xs:anyAttribute processContents="skip"/></xs:complexType></xs:element>
            </xs:schema>
            """.utf8), name: "open-cda.xsd")
        #expect(try CDAFixtures.read("cda-stylesheet-pi.xml", extraSchema: open).patient.familyName == "Fitzgerald")
    }
}

/// The CDA examples shipped in Import/ (for trying `knot import`) must import as they are.
@Suite("CDA examples in Import/")
struct CDAImportExamplesTests {
    @Test("Every Import/cda-*.xml reads without refusal and keeps its bytes")
    func importExamples() throws {
        let tests = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        let folder = tests.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Import")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix("cda-") && $0.hasSuffix(".xml") }.sorted()
        #expect(names.count >= 4)
        for name in names {
            let bytes = try Data(contentsOf: folder.appendingPathComponent(name))
            let incoming = try CDAReferralReader.read(bytes, fileName: name, today: CDAFixtures.today)
            #expect(incoming.referral.originalLetter == bytes, "\(name)")
            #expect(!incoming.referral.referrerName.isEmpty, "\(name)")
        }
    }
}
