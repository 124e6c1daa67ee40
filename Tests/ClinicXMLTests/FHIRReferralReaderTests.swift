import Testing
import Foundation
import ClinicModel
import ClinicTestSupport
import LibXML
@testable import ClinicXML

/// Reading FHIR R4 referrals in XML: the AU eRequesting-shaped and NHS e-RS-shaped bundles and
/// the lone ServiceRequest in Import/, what the practitioner sees after an import, and what is
/// refused, naming what and where.
@Suite("FHIR referrals")
struct FHIRReferralReaderTests {
    let today = SampleRecords.day("2026-11-25")

    func read(_ name: String) throws -> IncomingReferral {
        try FHIRReferralReader.read(try TestFiles.importFile(name), fileName: name, today: today)
    }

    func read(text: String) throws -> IncomingReferral {
        try FHIRReferralReader.read(Data(text.utf8), fileName: "inline.xml", today: today)
    }

    /// The refusals of `text` (fails the test when it is read).
    func refusals(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [ClinicXMLError] {
        do {
            _ = try FHIRReferralReader.read(Data(text.utf8), fileName: "inline.xml", today: today)
            Issue.record("the letter was read", sourceLocation: sourceLocation)
        } catch {
            return error.errors
        }
        return []
    }

    func section(_ incoming: IncomingReferral, _ title: String) -> ReferralSection? {
        incoming.referral.sections.first { $0.title == title }
    }

    func alertKinds(_ incoming: IncomingReferral) -> [PatientAlert.Kind] { incoming.proposedAlerts.map(\.kind) }

    @Test("AU eRequesting bundle: IHI and Medicare, the GP by PractitionerRole, five sessions, apixaban and nickel")
    func australianBundle() throws {
        let bytes = try TestFiles.importFile("fhir-au-erequesting-bundle.xml")
        let incoming = try read("fhir-au-erequesting-bundle.xml")
        let patient = incoming.patient
        #expect(patient.givenNames == "Graham Lars")
        #expect(patient.familyName == "Pettersen")
        #expect(patient.dateOfBirth == SampleRecords.day("1958-03-14"))
        #expect(patient.sex == .male)
        #expect(patient.phone == "0491 570 156")
        #expect(patient.address == "7 Albion Street, Surry Hills NSW 2010, AU")
        #expect(patient.identifiers == [PatientIdentifier(system: .ihi, value: "8003608333647261"),
                                        PatientIdentifier(system: .medicare, value: "6951449607")])
        #expect(patient.generalPractitioner == "Dr Lucia Ferreira, Albion Street Family Practice")

        let referral = incoming.referral
        #expect(referral.format == .fhir)
        #expect(referral.referrerName == "Dr Lucia Ferreira")
        #expect(referral.referrerOrganisation == "Albion Street Family Practice")
        #expect(referral.referrerProviderNumber == "2426621B")
        #expect(referral.referrerContact == "(02) 9555 0188")
        #expect(referral.recipient == "Crown Street Physiotherapy")
        #expect(referral.date == SampleRecords.day("2026-11-12"))
        #expect(referral.expiresOn == SampleRecords.day("2027-11-11"))
        #expect(referral.sessionsAllowed == 5)
        #expect(referral.documentID == "http://ns.electronichealth.net.au/id/hpio-scoped/order/1.0/8003621566684455|ERQ-2026-11-0731")
        #expect(referral.documentCode == "3457005")
        #expect(referral.letterKey == "fhir-id:" + (referral.documentID ?? ""))
        #expect(referral.reason == "Chronic neck and upper back pain for 6 months, worse with desk work; please assess and treat, dry needling acceptable to the patient\nChronic neck pain")
        #expect(referral.sections.map(\.title) == ["Reason for referral", "Request", "Problems", "Medications", "Allergies", "Notes", "Narrative", "Attachments"])
        #expect(section(incoming, "Medications")?.text == "apixaban 5 mg tablet / Eliquis 5 mg tablet, 1 tablet twice daily\nparacetamol 665 mg modified release, 2 tablets up to three times daily when needed")
        #expect(section(incoming, "Problems")?.text == "Chronic neck pain (active), since 2026-05")
        #expect(section(incoming, "Allergies")?.text == "Nickel: Contact dermatitis")
        #expect(section(incoming, "Request")?.text.contains("Quantity: 5 sessions") == true)
        #expect(referral.attachments.count == 1 && referral.attachments[0].mediaType == "text/plain")
        #expect(String(decoding: referral.attachments[0].data, as: UTF8.self).hasPrefix("Physiotherapy referral - Graham Pettersen"))
        #expect(referral.originalLetter == bytes)
        #expect(referral.originalSHA256 == LetterDigest.sha256Hex(bytes))
        #expect(referral.letterIdentifiers == patient.identifiers)

        #expect(alertKinds(incoming) == [.precaution(.anticoagulant), .precaution(.metalAllergy)])
        #expect(incoming.proposedAlerts.allSatisfy { $0.status == .proposed })
        #expect(incoming.proposedAlerts[0].text.contains("apixaban"))
        #expect(incoming.warnings == [])
    }

    @Test("NHS e-RS document bundle: NHS number, GMC number, Timing count, a Composition section, stopped warfarin")
    func englishBundle() throws {
        let incoming = try read("fhir-uk-ers-bundle.xml")
        let patient = incoming.patient
        #expect(patient.givenNames == "Eleanor" && patient.familyName == "Ashworth")
        #expect(patient.preferredName == "Nell")
        #expect(patient.dateOfBirth == SampleRecords.day("1972-09-30"))
        #expect(patient.sex == .female)
        #expect(patient.email == "nell.ashworth@example.co.uk")
        #expect(patient.identifiers == [PatientIdentifier(system: .other("https://fhir.nhs.uk/Id/nhs-number"), value: "9449306931")])
        #expect(patient.generalPractitioner == "Headingley Medical Practice")

        let referral = incoming.referral
        #expect(referral.referrerName == "Dr Oliver Hartley")
        #expect(referral.referrerProviderNumber == "G8123456")
        #expect(referral.referrerContact == "0113 496 0000")
        #expect(referral.recipient == "Riverside MSK Physiotherapy")
        #expect(referral.date == SampleRecords.day("2026-11-09"))
        #expect(referral.expiresOn == SampleRecords.day("2027-05-08"))
        #expect(referral.sessionsAllowed == 6)
        #expect(referral.reason == "Right plantar fasciitis")
        #expect(referral.documentTitle == "e-Referral: MSK physiotherapy")
        #expect(referral.documentID == "https://tools.ietf.org/html/rfc4122|5f7c9e20-8a1d-4b6e-9c3f-2d4e6f8a0b1c")
        let history = try #require(referral.sections.first { $0.title == "History" })
        #expect(history.kind == "history")
        #expect(history.text == "Right plantar heel pain for four months, first steps in the morning worst.\n- Runs 20 km a week; new shoes in July.\n- No trauma, no night pain.")
        #expect(section(incoming, "Medications")?.text == "Clopidogrel 75mg tablets, One tablet once a day\nWarfarin 1mg tablets (stopped)")
        #expect(section(incoming, "Request")?.text.contains("When: from 2026-11-09 until 2027-05-08\nTimes: 6") == true)

        #expect(alertKinds(incoming) == [.precaution(.antiplatelet), .allergy])
        #expect(incoming.warnings == ["The medication Warfarin 1mg tablets is stopped; it is listed but proposes no alert"])
    }

    @Test("a ServiceRequest on its own: patient, referrer and problem contained, found by #id")
    func containedServiceRequest() throws {
        let incoming = try read("fhir-servicerequest-contained.xml")
        #expect(incoming.patient.displayName.contains("Tuilagi"))
        #expect(incoming.patient.givenNames == "Sione")
        #expect(incoming.patient.identifiers == [PatientIdentifier(system: .ihi, value: "8003608833357361")])
        let referral = incoming.referral
        #expect(referral.referrerName == "Dr Hannah Kirkby")
        #expect(referral.referrerProviderNumber == "4517823K")
        #expect(referral.referrerContact == "h.kirkby@sportsmed.example.com.au")
        #expect(referral.reason == "Left proximal hamstring tendinopathy")
        #expect(referral.sessionsAllowed == 4)
        #expect(referral.expiresOn == SampleRecords.day("2027-02-20"))
        #expect(referral.documentID == "urn:oid:1.2.36.1.2001.1005.41.8003628233352432|SR-2026-4471")
        #expect(section(incoming, "Request")?.text.contains("Body site: Left posterior thigh") == true)
        #expect(alertKinds(incoming) == [.precaution(.antiplatelet), .allergy])
        #expect(incoming.warnings == ["The referral's priority is urgent"])
    }

    // MARK: - Inline letters

    static let patient = """
        <Patient><id value="p"/><name><family value="Lee"/><given value="Ann"/></name><birthDate value="1980-02-03"/></Patient>
        """
    static let gp = """
        <Practitioner><id value="gp"/><name><prefix value="Dr"/><given value="Ravi"/><family value="Iyer"/></name></Practitioner>
        """

    /// A collection bundle of `request` (a ServiceRequest's inner elements) and `resources`.
    func bundle(type: String = "collection", request: String = #"<subject><reference value="Patient/p"/></subject><requester><reference value="Practitioner/gp"/></requester>"#,
                resources: [String] = [patient, gp]) -> String {
        let entries = ([#"<ServiceRequest><id value="sr"/><status value="active"/><intent value="order"/>\#(request)</ServiceRequest>"#] + resources)
            .map { "  <entry><resource>\($0)</resource></entry>" }.joined(separator: "\n")
        return "<?xml version=\"1.0\"?>\n<Bundle xmlns=\"http://hl7.org/fhir\">\n  <type value=\"\(type)\"/>\n\(entries)\n</Bundle>\n"
    }

    @Test("a minimal bundle is read, dated today with a warning, and proposes nothing")
    func minimal() throws {
        let incoming = try read(text: bundle())
        #expect(incoming.patient.familyName == "Lee")
        #expect(incoming.referral.referrerName == "Dr Ravi Iyer")
        #expect(incoming.referral.date == today)
        #expect(incoming.proposedAlerts.isEmpty)
        #expect(incoming.warnings.contains("The letter gives no date; the referral is dated today (\(today)): set the real date"))
        #expect(incoming.warnings.contains("The referral gives no reason (ServiceRequest/reasonCode or reasonReference)"))
    }

    @Test("a root that is not a FHIR Bundle or ServiceRequest is not a FHIR referral")
    func unknownRoots() throws {
        #expect(refusals("<Bundle><type value=\"collection\"/></Bundle>").map(\.kind) == [.unknownFormat])
        #expect(refusals("<Patient xmlns=\"http://hl7.org/fhir\"/>").first?.message.contains("Bundle or ServiceRequest") == true)
        #expect(try DocumentKind.detect(Data(bundle().utf8), fileName: "b.xml") == .fhirReferral)
        #expect(try DocumentKind.detect(Data("<ServiceRequest xmlns=\"http://hl7.org/fhir\"/>".utf8), fileName: "s.xml") == .fhirReferral)
        #expect(try DocumentKind.detect(Data("<Bundle/>".utf8), fileName: "s.xml") == .unknown(root: "Bundle", namespace: nil))
    }

    @Test("FHIR's XML rules: text content, a bad date, an unknown attribute are refused with line and element")
    func xmlRules() throws {
        let text = bundle(resources: [#"<Patient><name><family>Lee</family></name><birthDate value="1980-02-03"/></Patient>"#, Self.gp])
        let textError = try #require(refusals(text).first)
        #expect(textError.kind == .invalid)
        #expect(textError.line == 5)
        #expect(textError.message.contains("Element 'family'") && textError.message.contains("element-only"))
        #expect(textError.path?.hasSuffix("/family") == true, "\(textError)")

        let date = bundle(resources: [Self.patient.replacingOccurrences(of: "1980-02-03", with: "1980-13-03"), Self.gp])
        let dateError = try #require(refusals(date).first)
        #expect(dateError.kind == .invalid && dateError.message.contains("birthDate") && dateError.message.contains("1980-13-03"))

        let attribute = bundle(resources: [Self.patient.replacingOccurrences(of: "<family value", with: "<family code=\"x\" value"), Self.gp])
        #expect(refusals(attribute).first?.message.contains("attribute 'code' is not allowed") == true)
    }

    @Test("what a referral must have: a document or collection, a ServiceRequest, a patient who can be told apart, a referrer")
    func rules() throws {
        let searchset = try #require(refusals(bundle(type: "searchset")).first)
        #expect(searchset.kind == .ruleBroken && searchset.message.contains("Bundle/type is 'searchset'") && searchset.line == 3)

        let noRequest = "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"collection\"/><entry><resource>\(Self.patient)</resource></entry></Bundle>"
        #expect(refusals(noRequest).first?.message.contains("holds no ServiceRequest") == true)

        let anonymous = bundle(resources: [#"<Patient><id value="p"/><name><family value="Lee"/></name></Patient>"#, Self.gp])
        #expect(refusals(anonymous).first?.message.contains("neither a birth date (Patient/birthDate) nor an identifier") == true)

        let nameless = bundle(resources: [#"<Patient><id value="p"/><birthDate value="1980-02-03"/></Patient>"#, Self.gp])
        #expect(refusals(nameless).first?.message.contains("the patient has no name") == true)

        let twoPatients = bundle(request: #"<subject><reference value="Patient/zz"/></subject><requester><reference value="Practitioner/gp"/></requester>"#,
                                 resources: [Self.patient, Self.patient.replacingOccurrences(of: "value=\"p\"", with: "value=\"q\""), Self.gp])
        let subject = try #require(refusals(twoPatients).first)
        #expect(subject.message.contains("ServiceRequest/subject ('Patient/zz') is not a Patient in the letter") && subject.path?.hasSuffix("/subject") == true)

        let noReferrer = bundle(request: #"<subject><reference value="Patient/p"/></subject>"#)
        #expect(refusals(noReferrer).first?.message.contains("names no referrer: ServiceRequest/requester") == true)

        let narrative = bundle(resources: [Self.patient.replacingOccurrences(of: "<id value=\"p\"/>",
            with: #"<id value="p"/><text><status value="generated"/><p xmlns="http://www.w3.org/1999/xhtml">Ann</p></text>"#), Self.gp])
        #expect(refusals(narrative).first?.message.contains("Patient/text: a narrative holds one XHTML div") == true)
    }

    @Test("references: an unresolved subject with one Patient, a requester known only by display, an attachment link never fetched")
    func references() throws {
        let letter = bundle(
            request: #"<subject><reference value="https://elsewhere.example/Patient/9"/></subject><requester><reference value="https://elsewhere.example/Practitioner/1"/><display value="Dr Jo Park"/></requester>"#,
            resources: [Self.patient, #"<DocumentReference><status value="current"/><content><attachment><contentType value="application/pdf"/><url value="https://elsewhere.example/letter.pdf"/><title value="Letter"/></attachment></content></DocumentReference>"#])
        let incoming = try read(text: letter)
        #expect(incoming.patient.familyName == "Lee")
        #expect(incoming.referral.referrerName == "Dr Jo Park")
        #expect(incoming.referral.attachments.isEmpty)
        #expect(incoming.warnings.contains { $0.contains("ServiceRequest/subject ('https://elsewhere.example/Patient/9') is not resolved") })
        #expect(incoming.warnings.contains("The referrer 'https://elsewhere.example/Practitioner/1' is not in the letter; only its name (Dr Jo Park) was read, nothing was fetched"))
        #expect(incoming.warnings.contains("An attachment (Letter) is a link to https://elsewhere.example/letter.pdf, which Knot does not fetch; it stays in the original letter"))
    }

    @Test("a transaction bundle is read with a warning; a resolved or refuted allergy proposes nothing")
    func transactionAndInactiveAllergy() throws {
        let allergy = #"<AllergyIntolerance><verificationStatus><coding><code value="refuted"/></coding></verificationStatus><code><text value="Latex"/></code></AllergyIntolerance>"#
        let incoming = try read(text: bundle(type: "transaction", resources: [Self.patient, Self.gp, allergy]))
        #expect(incoming.proposedAlerts.isEmpty)
        #expect(incoming.warnings.contains("The bundle is a transaction, not a document or collection; its resources are read as a referral all the same"))
        #expect(incoming.warnings.contains("The allergy Latex is refuted; it is listed but proposes no alert"))
    }

    @Test(arguments: HostileXMLCorpus.cases(rootName: "Bundle", namespace: "http://hl7.org/fhir"))
    func hostileLettersAreRefused(_ hostile: HostileXMLCorpus.Case) throws {
        let started = Date()
        var outcome: ClinicXMLErrors?
        do {
            _ = try FHIRReferralReader.read(hostile.data, fileName: "hostile.xml", today: today)
        } catch {
            outcome = error
        }
        #expect(Date().timeIntervalSince(started) < 10, "\(hostile.name) took too long")
        switch hostile.expectation {
        case .acceptable:
            // Parsed safely; the profile or the rules may still refuse what is inside.
            #expect(outcome?.errors.allSatisfy { $0.kind != .unreadable } ?? true, "\(hostile.name): \(outcome!)")
        case .rejectedByParser:
            let errors = try #require(outcome, "\(hostile.name) was accepted")
            #expect(errors.errors.first?.kind == .unreadable, "\(hostile.name): \(errors)")
        case .acceptedByParser:
            let errors = try #require(outcome, "\(hostile.name) was accepted")
            #expect(!errors.errors.isEmpty)
        }
        #expect(!(outcome?.description.contains(HostileXMLCorpus.leakedPasswdMarker) ?? false))
    }
}
