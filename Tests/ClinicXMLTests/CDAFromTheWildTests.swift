import Testing
import Foundation
import ClinicModel
import ClinicXML

/// CDA documents as real EHRs write them (issue 17): an author that is the sending system,
/// `xsi:type` on any CDA datatype, and a header that breaks the schema where Knot does not look.
@Suite("CDA letters from the wild")
struct CDAFromTheWildTests {
    /// The EHR system as author: a device, `id nullFlavor="NI"`, with or without its organisation.
    static func deviceAuthor(organisation: Bool = true) -> String {
        """
        <author><time value="20261101"/><assignedAuthor><id nullFlavor="NI"/>
          <assignedAuthoringDevice><manufacturerModelName>Hearthstone EHR</manufacturerModelName><softwareName>Hearthstone 2026</softwareName></assignedAuthoringDevice>
          \(organisation ? "<representedOrganization><name>Lakeshore Family Medicine</name></representedOrganization>" : "")
        </assignedAuthor></author>
        """
    }

    static let systemWarning = "The letter's author is a system (Hearthstone EHR, Hearthstone 2026), not a person"

    /// A referral for Rosa Delgado (on warfarin) with `header` after the recordTarget.
    static func letter(header: String, title: String = "<title>Referral</title>",
                       effectiveTime: String = "<effectiveTime value=\"20261101\"/>",
                       code: String = "<code code=\"57133-1\" codeSystem=\"2.16.840.1.113883.6.1\"/>",
                       name: String = "<name><given>Rosa</given><family>Delgado</family></name>",
                       telecom: String = "", id: String = "<id root=\"2.16.840.1.113883.19.5.4711\" extension=\"R-1\"/>") -> Data {
        Data("""
        <ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:sdtc="urn:hl7-org:sdtc">
          \(id)
          \(code)
          \(title)
          \(effectiveTime)
          <recordTarget><patientRole><id root="2.16.840.1.113883.19.5.4711.2" extension="MRN-300415"/>\(telecom)
            <patient>\(name)<birthTime value="19610722"/><sdtc:deceasedInd value="false"/></patient>
          </patientRole></recordTarget>
          \(header)
          <component><structuredBody>
            <component><section><code code="42349-1" codeSystem="2.16.840.1.113883.6.1"/><title>Reason for referral</title><text>Neck pain after a fall.</text></section></component>
            <component><section><code code="10160-0" codeSystem="2.16.840.1.113883.6.1"/><title>Medications</title><text>Warfarin 5 mg daily</text></section></component>
          </structuredBody></component>
        </ClinicalDocument>
        """.utf8)
    }

    static func read(_ data: Data, strict: Bool = false) throws -> IncomingReferral {
        try CDAReferralReader.read(data, fileName: "wild.xml", strict: strict, today: CDAFixtures.today)
    }

    static func refusals(_ data: Data, strict: Bool = false) -> [ClinicXMLError] {
        do {
            _ = try read(data, strict: strict)
        } catch let errors as ClinicXMLErrors {
            return errors.errors
        } catch {
            return [ClinicXMLError(kind: .unreadable, message: "\(error)")]
        }
        return []
    }

    // MARK: - The referrer

    struct Fallback: Sendable, CustomStringConvertible {
        var description: String
        var header: String
        var referrer: String
        var organisation: String?
        var providerNumber: String? = nil
        var warning: String
    }

    static let fallbacks: [Fallback] = [
        Fallback(description: "legal authenticator",
                 header: deviceAuthor() + """
                 <legalAuthenticator><time value="20261101"/><signatureCode code="S"/><assignedEntity>
                   <id root="2.16.840.1.113883.4.6" extension="1588667638"/>
                   <assignedPerson><name><prefix>Dr</prefix><given>Daniel</given><family>Okonkwo</family></name></assignedPerson>
                 </assignedEntity></legalAuthenticator>
                 """,
                 referrer: "Dr Daniel Okonkwo", organisation: "Lakeshore Family Medicine", providerNumber: "1588667638",
                 warning: systemWarning + "; the referrer Dr Daniel Okonkwo is taken from the legal authenticator (legalAuthenticator)"),
        Fallback(description: "authenticator",
                 header: deviceAuthor() + """
                 <authenticator><time value="20261101"/><signatureCode code="S"/><assignedEntity><id nullFlavor="UNK"/>
                   <assignedPerson><name><prefix>Dr</prefix><given>Amal</given><family>Haddad</family></name></assignedPerson>
                   <representedOrganization><name>Westside Specialists</name></representedOrganization>
                 </assignedEntity></authenticator>
                 """,
                 referrer: "Dr Amal Haddad", organisation: "Westside Specialists",
                 warning: "the referrer Dr Amal Haddad is taken from an authenticator (authenticator)"),
        Fallback(description: "participant REFB",
                 header: deviceAuthor() + """
                 <participant typeCode="IND"><associatedEntity classCode="NOK"><associatedPerson><name>Carlos Delgado</name></associatedPerson></associatedEntity></participant>
                 <participant typeCode="REFB"><associatedEntity classCode="PROV">
                   <associatedPerson><name><prefix>Dr</prefix><given>Ingrid</given><family>Solberg</family></name></associatedPerson>
                   <scopingOrganization><name>Cedar Ridge Clinic</name></scopingOrganization>
                 </associatedEntity></participant>
                 """,
                 referrer: "Dr Ingrid Solberg", organisation: "Cedar Ridge Clinic",
                 warning: "the referrer Dr Ingrid Solberg is taken from the referring participant (participant typeCode=\"REFB\")"),
        Fallback(description: "responsible party",
                 header: deviceAuthor() + """
                 <componentOf><encompassingEncounter><id root="1.2.3" extension="E1"/>
                   <effectiveTime xsi:type="IVL_TS"><low value="20261101"/></effectiveTime>
                   <responsibleParty><assignedEntity><id nullFlavor="NI"/>
                     <assignedPerson><name><given>Wei</given><family>Chen</family></name></assignedPerson>
                   </assignedEntity></responsibleParty>
                 </encompassingEncounter></componentOf>
                 """,
                 referrer: "Wei Chen", organisation: "Lakeshore Family Medicine",
                 warning: "the referrer Wei Chen is taken from the encounter's responsible party (componentOf/encompassingEncounter/responsibleParty)"),
        Fallback(description: "performer (the primary one first)",
                 header: deviceAuthor() + """
                 <documentationOf><serviceEvent classCode="PCPR"><effectiveTime xsi:type="IVL_TS"><low value="20261101"/></effectiveTime>
                   <performer typeCode="PRF"><assignedEntity><id nullFlavor="NI"/><assignedPerson><name><given>Sam</given><family>Nurse</family></name></assignedPerson></assignedEntity></performer>
                   <performer typeCode="PPRF"><assignedEntity><id nullFlavor="NI"/><assignedPerson><name><prefix>Dr</prefix><given>Lena</given><family>Fischer</family></name></assignedPerson></assignedEntity></performer>
                 </serviceEvent></documentationOf>
                 """,
                 referrer: "Dr Lena Fischer", organisation: "Lakeshore Family Medicine",
                 warning: "the referrer Dr Lena Fischer is taken from a performer of the service (documentationOf/serviceEvent/performer)"),
        Fallback(description: "the author's organisation",
                 header: deviceAuthor() + "<custodian><assignedCustodian><representedCustodianOrganization><name>Lakeshore Health System</name></representedCustodianOrganization></assignedCustodian></custodian>",
                 referrer: "Lakeshore Family Medicine", organisation: "Lakeshore Family Medicine",
                 warning: systemWarning + " and no other person is named; the referrer is Lakeshore Family Medicine, from the author's organisation (author/assignedAuthor/representedOrganization)"),
        Fallback(description: "the custodian organisation",
                 header: deviceAuthor(organisation: false) + "<custodian><assignedCustodian><representedCustodianOrganization><name>Lakeshore Health System</name></representedCustodianOrganization></assignedCustodian></custodian>",
                 referrer: "Lakeshore Health System", organisation: "Lakeshore Health System",
                 warning: systemWarning + " and no other person is named; the referrer is Lakeshore Health System, from the custodian organisation (custodian)"),
        Fallback(description: "no one named at all",
                 header: deviceAuthor(organisation: false) + "<custodian><assignedCustodian><representedCustodianOrganization><id root=\"1.2.3\"/></representedCustodianOrganization></assignedCustodian></custodian>",
                 referrer: "Referrer not named in the letter", organisation: nil,
                 warning: systemWarning + " and the letter names no other person or organisation"),
    ]

    @Test("A system author: the referrer is the next part of the header that names someone, with a warning", arguments: fallbacks)
    func systemAuthor(_ expected: Fallback) throws {
        let incoming = try Self.read(Self.letter(header: expected.header))
        #expect(incoming.patient.givenNames == "Rosa")
        #expect(incoming.patient.familyName == "Delgado")
        #expect(incoming.patient.dateOfBirth == CDAFixtures.date("1961-07-22"))
        #expect(incoming.referral.referrerName == expected.referrer)
        #expect(incoming.referral.referrerOrganisation == expected.organisation)
        if let number = expected.providerNumber { #expect(incoming.referral.referrerProviderNumber == number) }
        #expect(incoming.warnings.contains { $0.contains(expected.warning) }, "\(incoming.warnings)")
        #expect(incoming.referral.importWarnings == incoming.warnings)
        #expect(incoming.proposedAlerts.map(\.kind) == [.precaution(.anticoagulant)])
        #expect(incoming.proposedAlerts.allSatisfy { $0.status == .proposed })
        #expect(incoming.referral.date == CDAFixtures.date("2026-11-01"))
    }

    @Test("An author who is a person stays the referrer, without a warning, whoever else is named")
    func personAuthorFirst() throws {
        let header = """
        <author><time value="20261101"/><assignedAuthor><id root="1.2.3" extension="9"/>
          <assignedPerson><name><prefix>Dr</prefix><given>Nora</given><family>Quinn</family></name></assignedPerson></assignedAuthor></author>
        <legalAuthenticator><time value="20261101"/><signatureCode code="S"/><assignedEntity><id nullFlavor="NI"/>
          <assignedPerson><name>Dr Someone Else</name></assignedPerson></assignedEntity></legalAuthenticator>
        """
        let incoming = try Self.read(Self.letter(header: header))
        #expect(incoming.referral.referrerName == "Dr Nora Quinn")
        #expect(!incoming.warnings.contains { $0.contains("referrer") })
    }

    @Test("A letter with no author at all imports; the referrer is named as missing")
    func noAuthor() throws {
        let incoming = try CDAFixtures.read("cda-no-author.xml")
        #expect(incoming.patient.familyName == "Lee")
        #expect(incoming.referral.referrerName == "Referrer not named in the letter")
        #expect(incoming.warnings.contains { $0.hasPrefix("The letter has no author and the letter names no other person or organisation") })
    }

    @Test("An EHR export: a system author, the physician as legal authenticator, xsi:types and sdtc extensions")
    func ehrExport() throws {
        let incoming = try CDAReferralReader.read(CDAFixtures.data("cda-ehr-system-author.xml"), fileName: "cda-ehr-system-author.xml",
                                                  strict: true, today: CDAFixtures.today)
        #expect(incoming.patient.givenNames == "Rosa Maria")
        #expect(incoming.patient.familyName == "Delgado")
        #expect(incoming.referral.referrerName == "Dr Daniel Okonkwo")
        #expect(incoming.referral.referrerOrganisation == "Lakeshore Family Medicine")
        #expect(incoming.referral.referrerProviderNumber == "1588667638")
        #expect(incoming.referral.documentTitle == "Referral to Physical Therapy")
        #expect(incoming.referral.date == CDAFixtures.date("2026-11-04"))
        #expect(incoming.referral.sessionsAllowed == 6)
        #expect(incoming.referral.expiresOn == CDAFixtures.date("2027-02-02"))
        #expect(incoming.patient.generalPractitioner == "Dr Daniel Okonkwo, Lakeshore Family Medicine")
        #expect(incoming.proposedAlerts.map(\.kind) == [.precaution(.anticoagulant)])
        #expect(incoming.warnings.contains {
            $0 == "The letter's author is a system (Hearthstone EHR, Hearthstone EHR 2026.2), not a person; the referrer Dr Daniel Okonkwo is taken from the legal authenticator (legalAuthenticator)"
        })
    }

    // MARK: - xsi:type

    /// Every datatype CDA R2 and its datatypes.xsd define.
    static let allTypes = [
        "ANY", "ANYNonNull", "BIN", "ED", "thumbnail", "ST", "SC", "ADXP", "ENXP", "CD", "CE", "CV", "CS", "CO", "PQR",
        "EIVL.event", "CR", "SXCM_CD", "BXIT_CD", "HXIT_CE", "II", "URL", "TEL", "EN", "PN", "ON", "TN", "AD", "BL", "BN",
        "QTY", "TS", "INT", "SXCM_INT", "IVXB_INT", "IVL_INT", "REAL", "SXCM_REAL", "IVXB_REAL", "IVL_REAL",
        "MO", "SXCM_MO", "IVXB_MO", "IVL_MO", "PQ", "SXCM_PQ", "IVXB_PQ", "IVL_PQ", "BXIT_IVL_PQ", "HXIT_PQ",
        "PPD_PQ", "SXCM_PPD_PQ", "IVXB_PPD_PQ", "IVL_PPD_PQ", "SXCM_TS", "IVXB_TS", "IVL_TS", "PIVL_TS", "EIVL_TS",
        "SXPR_TS", "UVP_TS", "PPD_TS", "SXCM_PPD_TS", "IVXB_PPD_TS", "IVL_PPD_TS", "PIVL_PPD_TS", "EIVL_PPD_TS",
        "RTO_QTY_QTY", "RTO", "RTO_PQ_PQ", "RTO_MO_PQ", "GLIST_TS", "GLIST_PQ", "SLIST_TS", "SLIST_PQ",
        "en.family", "en.given", "en.prefix", "en.suffix", "en.delimiter", "adxp.city", "adxp.streetAddressLine", "adxp.postalCode",
    ]
    static let personAuthor = "<author><time value=\"20261101\"/><assignedAuthor><id root=\"1.2.3\" extension=\"9\"/><assignedPerson><name>Dr Nora Quinn</name></assignedPerson></assignedAuthor></author>"

    @Test("Every CDA datatype named by xsi:type on an element CDA types loosely is accepted, even strictly", arguments: allTypes)
    func everyType(_ type: String) throws {
        // templateId and confidentialityCode are left open by Knot's profile: any CDA datatype derives from them.
        let header = Self.personAuthor + "<templateId xsi:type=\"\(type)\"/><confidentialityCode xsi:type=\"\(type)\" nullFlavor=\"NI\"/>"
        let incoming = try Self.read(Self.letter(header: header), strict: true)
        #expect(incoming.patient.familyName == "Delgado")
        #expect(incoming.referral.referrerName == "Dr Nora Quinn")
        #expect(incoming.proposedAlerts.map(\.kind) == [.precaution(.anticoagulant)])
    }

    static let timeTypes = ["TS", "SXCM_TS", "IVXB_TS", "IVL_TS", "PIVL_TS", "EIVL_TS", "SXPR_TS", "UVP_TS", "PPD_TS",
                            "SXCM_PPD_TS", "IVXB_PPD_TS", "IVL_PPD_TS", "PIVL_PPD_TS", "EIVL_PPD_TS"]

    @Test("A point in time may be any type CDA derives from TS; its value is still read", arguments: timeTypes)
    func pointInTime(_ type: String) throws {
        let data = Self.letter(header: Self.personAuthor, effectiveTime: "<effectiveTime xsi:type=\"\(type)\" value=\"20261030\"/>")
        let incoming = try Self.read(data, strict: true)
        #expect(incoming.referral.date == CDAFixtures.date("2026-10-30"))
    }

    @Test("An interval as the effective time (IVL_TS with low and high) is accepted; the date then comes from the author")
    func intervalTime() throws {
        let data = Self.letter(header: Self.personAuthor,
                               effectiveTime: "<effectiveTime xsi:type=\"IVL_TS\"><low value=\"20261020\"/><high value=\"20261030\"/></effectiveTime>")
        let incoming = try Self.read(data, strict: true)
        #expect(incoming.referral.date == CDAFixtures.date("2026-11-01"))
    }

    static let codeTypes = ["CD", "CE", "CV", "CS", "CO", "PQR", "SXCM_CD", "BXIT_CD", "HXIT_CE", "EIVL.event"]

    @Test("A code may be any type CDA derives from CD; the document type is still read", arguments: codeTypes)
    func codedValue(_ type: String) throws {
        let data = Self.letter(header: Self.personAuthor,
                               code: "<code xsi:type=\"\(type)\" code=\"57133-1\" codeSystem=\"2.16.840.1.113883.6.1\"/>")
        let incoming = try Self.read(data, strict: true)
        #expect(incoming.referral.documentCode == "57133-1")
    }

    @Test("Typed names, telecoms, identifiers and titles (PN, TEL, II, ST, SC) are read as without xsi:type")
    func typedHeader() throws {
        let data = Self.letter(header: Self.personAuthor, title: "<title xsi:type=\"SC\" code=\"x\">Referral to physio</title>",
                               name: "<name xsi:type=\"PN\"><given>Rosa</given><family>Delgado</family></name>",
                               telecom: "<telecom xsi:type=\"TEL\" value=\"tel:+1-608-555-0147\"/>",
                               id: "<id xsi:type=\"II\" root=\"2.16.840.1.113883.19.5.4711\" extension=\"R-1\"/>")
        let incoming = try Self.read(data, strict: true)
        #expect(incoming.referral.documentTitle == "Referral to physio")
        #expect(incoming.patient.phone == "+1-608-555-0147")
        #expect(incoming.referral.documentID == "2.16.840.1.113883.19.5.4711^R-1")
    }

    @Test("A type CDA does not define, or one not derived from the element's type, is refused strictly and left out leniently")
    func wrongTypes() throws {
        let unknown = Self.letter(header: Self.personAuthor, title: "<title xsi:type=\"FOO\">Referral</title>")
        let strictUnknown = Self.refusals(unknown, strict: true)
        #expect(strictUnknown.map(\.kind) == [.invalid])
        #expect(strictUnknown.first?.message.contains("FOO") == true)
        let lenient = try Self.read(unknown)
        #expect(lenient.referral.documentTitle == nil)
        #expect(lenient.warnings.contains { $0.hasPrefix("wild.xml:4:/ClinicalDocument/title: not valid") && $0.contains("the title element is left out with everything in it") })

        let notDerived = Self.letter(header: Self.personAuthor, effectiveTime: "<effectiveTime xsi:type=\"CE\" code=\"x\"/>")
        #expect(!Self.refusals(notDerived, strict: true).isEmpty)
        let read = try Self.read(notDerived)
        #expect(read.referral.date == CDAFixtures.date("2026-11-01"))
        #expect(read.warnings.contains { $0.contains("wild.xml:5:/ClinicalDocument/effectiveTime:") && $0.contains("the effectiveTime element is left out") })
    }

    // MARK: - Lenient where it is safe

    @Test("A letter broken only where Knot does not look imports with a warning per part left out")
    func brokenButUsable() throws {
        let name = "cda-schema-broken-usable.xml"
        let bytes = try CDAFixtures.data(name)
        let incoming = try CDAFixtures.read(name)
        #expect(incoming.patient.givenNames == "Tomas")
        #expect(incoming.patient.familyName == "Berg")
        #expect(incoming.patient.dateOfBirth == CDAFixtures.date("1979-02-14"))
        #expect(incoming.referral.referrerName == "Dr Ingrid Solberg")
        #expect(incoming.referral.referrerOrganisation == "Cedar Ridge Clinic")
        #expect(incoming.referral.referrerProviderNumber == "1942718305")
        #expect(incoming.referral.date == CDAFixtures.date("2026-11-05"))
        #expect(incoming.referral.sessionsAllowed == 4)
        #expect(incoming.referral.documentSetID == nil)
        #expect(incoming.referral.documentID == "2.16.840.1.113883.19.5.5150^RN-2026-7731")
        #expect(incoming.proposedAlerts.map(\.kind) == [.precaution(.metalAllergy)])
        #expect(incoming.referral.originalLetter == bytes)
        let leftOut = incoming.warnings.filter { $0.contains("is left out") }
        #expect(leftOut.count == 2)
        #expect(leftOut.first?.hasPrefix("\(name):14:/ClinicalDocument/effectiveTime: not valid against Knot's CDA profile") == true)
        #expect(leftOut.first?.contains("'20261105-08'") == true)
        #expect(leftOut.last?.hasPrefix("\(name):16:/ClinicalDocument/setId:") == true)
        #expect(incoming.warnings.contains { $0.contains("the referrer Dr Ingrid Solberg is taken from the referring participant") })
    }

    @Test("The same letter read strictly is refused with every problem's line")
    func brokenStrict() throws {
        let name = "cda-schema-broken-usable.xml"
        do {
            _ = try CDAReferralReader.read(CDAFixtures.data(name), fileName: name, strict: true, today: CDAFixtures.today)
            Issue.record("a strict read imported a letter that breaks the profile")
        } catch let error as ClinicXMLErrors {
            #expect(error.errors.map(\.kind) == [.invalid, .invalid])
            #expect(error.errors.map(\.line) == [14, 16])
            #expect(error.errors.first?.path == "/ClinicalDocument/effectiveTime")
        }
    }

    @Test("A time with a bad zone (\"-08\") in the author: the time is left out, the author stays the referrer")
    func authorTime() throws {
        let header = """
        <author><time value="20261101-08"/><assignedAuthor><id root="1.2.3" extension="9"/>
          <assignedPerson><name><prefix>Dr</prefix><given>Nora</given><family>Quinn</family></name></assignedPerson></assignedAuthor></author>
        """
        let data = Self.letter(header: header, effectiveTime: "<effectiveTime nullFlavor=\"UNK\"/>")
        #expect(Self.refusals(data, strict: true).map(\.line) == [9])
        let incoming = try Self.read(data)
        #expect(incoming.referral.referrerName == "Dr Nora Quinn")
        #expect(incoming.patient.familyName == "Delgado")
        #expect(incoming.proposedAlerts.map(\.kind) == [.precaution(.anticoagulant)])
        // No date is left to read: today, with a warning to set it.
        #expect(incoming.referral.date == CDAFixtures.today)
        #expect(incoming.warnings.first?.hasPrefix("wild.xml:9:/ClinicalDocument/author/time: not valid against Knot's CDA profile") == true)
        #expect(incoming.warnings.contains { $0.hasPrefix("The letter gives no date") })
    }

    @Test("A problem in the body is never ignored")
    func bodyProblem() throws {
        let data = Self.letter(header: Self.personAuthor).replacingFirst(
            "<code code=\"42349-1\" codeSystem=\"2.16.840.1.113883.6.1\"/>", with: "<code code=\"42349-1\" codeSystem=\"LOINC 2.x\"/>")
        let found = Self.refusals(data)
        #expect(found.map(\.kind) == [.invalid])
        #expect(found.first?.path?.hasPrefix("/ClinicalDocument/component/structuredBody/component[1]/section/code") == true, "\(found)")
    }

    @Test("A problem Knot cannot place in one part (a one-line letter, the same element in two parts) is never ignored")
    func ambiguousLine() throws {
        let header = "<author><time value=\"2026-11-01\"/><assignedAuthor><id root=\"1.2.3\"/><assignedPerson><name>Dr A B</name></assignedPerson></assignedAuthor></author>"
            + "<legalAuthenticator><time value=\"20261101\"/><signatureCode code=\"S\"/><assignedEntity><id root=\"1.2.3\"/></assignedEntity></legalAuthenticator>"
        let found = Self.refusals(Self.letter(header: header))
        #expect(found.map(\.kind) == [.invalid])
        // Spread over lines, the problem lies in the author's time alone: only the time is left out.
        let spread = header.replacingOccurrences(of: "<legalAuthenticator>", with: "\n<legalAuthenticator>")
        let incoming = try Self.read(Self.letter(header: spread))
        #expect(incoming.referral.referrerName == "Dr A B")
        #expect(incoming.warnings.contains { $0.hasPrefix("wild.xml:9:/ClinicalDocument/author/time:") && $0.contains("the time element is left out") },
                "\(incoming.warnings)")
    }

    @Test("A body problem after an unexpected header element is still found: the letter is validated again without it")
    func problemBehindAnother() throws {
        let data = Self.letter(header: Self.personAuthor + "\n<referralPriority code=\"urgent\"/>").replacingFirst(
            "<code code=\"42349-1\" codeSystem=\"2.16.840.1.113883.6.1\"/>", with: "<code code=\"42349-1\" codeSystem=\"LOINC 2.x\"/>")
        let found = Self.refusals(data)
        #expect(found.contains { $0.message.contains("LOINC 2.x") }, "\(found)")
    }

    @Test("An element CDA does not define in the header is left out leniently, refused strictly")
    func unknownHeaderElement() throws {
        let data = Self.letter(header: Self.personAuthor + "\n<referralPriority code=\"urgent\"/>")
        #expect(Self.refusals(data, strict: true).map(\.kind) == [.invalid])
        let incoming = try Self.read(data)
        #expect(incoming.warnings.contains { $0.contains("the referralPriority element is left out") })
        #expect(incoming.referral.referrerName == "Dr Nora Quinn")
    }
}

extension Data {
    /// The bytes with the first occurrence of `text` replaced (UTF-8).
    func replacingFirst(_ text: String, with replacement: String) -> Data {
        let string = String(decoding: self, as: UTF8.self)
        guard let range = string.range(of: text) else { return self }
        return Data(string.replacingCharacters(in: range, with: replacement).utf8)
    }
}
