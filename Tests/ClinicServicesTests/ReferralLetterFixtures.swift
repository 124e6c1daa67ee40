import Foundation
import ClinicTestSupport

/// Referral letters written for the matching and same-letter tests (fictional people).
enum ReferralLetterFixtures {
    /// A CDA referral for a patient with an IHI, on apixaban, with a document id and optionally a
    /// setId and versionNumber.
    static func cda(given: String = "Zoë", family: String = "Müller", birth: String = "19820715",
                    ihi: String = "8003609999999996", documentID: String = "L-2026-0001",
                    setID: String? = nil, version: Int? = nil, reason: String = "Neck and shoulder pain, please assess and treat.") -> String {
        let set = setID.map { "<setId root=\"1.2.36.1.2001.1005.88\" extension=\"\($0)\"/>" } ?? ""
        let versionNumber = version.map { "<versionNumber value=\"\($0)\"/>" } ?? ""
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <ClinicalDocument xmlns="urn:hl7-org:v3">
          <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
          <id root="1.2.36.1.2001.1005.88.1" extension="\(documentID)"/>
          <code code="57133-1" codeSystem="2.16.840.1.113883.6.1" displayName="Referral note"/>
          <title>Referral letter</title>
          <effectiveTime value="20261115"/>
          <confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/>
          \(set)
          \(versionNumber)
          <recordTarget>
            <patientRole>
              <id root="1.2.36.1.2001.1003.0.\(ihi)" assigningAuthorityName="IHI"/>
              <patient>
                <name><given>\(given)</given><family>\(family)</family></name>
                <administrativeGenderCode code="F" codeSystem="2.16.840.1.113883.13.68"/>
                <birthTime value="\(birth)"/>
              </patient>
            </patientRole>
          </recordTarget>
          <author>
            <time value="20261115"/>
            <assignedAuthor>
              <id root="1.2.36.1.2001.1005.88.2" extension="dr-li"/>
              <assignedPerson><name><prefix>Dr</prefix><given>Wei</given><family>Li</family></name></assignedPerson>
              <representedOrganization><name>Northside Family Practice</name></representedOrganization>
            </assignedAuthor>
          </author>
          <custodian><assignedCustodian><representedCustodianOrganization><id root="1.2.36.1.2001.1005.88"/></representedCustodianOrganization></assignedCustodian></custodian>
          <component>
            <structuredBody>
              <component>
                <section>
                  <title>Reason for referral</title>
                  <text><paragraph>\(reason)</paragraph></text>
                </section>
              </component>
              <component>
                <section>
                  <title>Current medications</title>
                  <text><list><item>Apixaban 5 mg twice daily</item></list></text>
                </section>
              </component>
            </structuredBody>
          </component>
        </ClinicalDocument>

        """
    }

    /// A Knot-format referral, without an id unless given.
    static func knot(given: String, family: String, dob: String, id: String? = nil, medicare: String? = nil) -> String {
        let ident = medicare.map { "<identifier system=\"medicare\">\($0)</identifier>" } ?? ""
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <referral xmlns="urn:knot:referral:1" version="1"\(id.map { " id=\"\($0)\"" } ?? "")>
          <referrer><name>Dr Ann Lee</name><organisation>Harbour GP</organisation></referrer>
          <date>2026-11-01</date>
          <patient>
            <givenNames>\(given)</givenNames><familyName>\(family)</familyName><dateOfBirth>\(dob)</dateOfBirth><sex>female</sex>
            \(ident)
          </patient>
          <reason>Calf pain for six weeks, please assess and treat.</reason>
        </referral>

        """
    }

    /// Writes `text` to a new file in `dir` and returns its path.
    static func write(_ text: String, in dir: TemporaryDirectory, name: String) throws -> String {
        let path = dir.file(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}
