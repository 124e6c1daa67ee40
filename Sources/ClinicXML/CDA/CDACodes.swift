import Foundation

/// The code tables the CDA reader relies on: section codes (LOINC and Australian NCTIS), the
/// document types it expects, code systems it knows, and identifier roots.
///
/// Kept apart from the reading code so that a new section code, or a new NCTIS release, is a
/// one-line change here. A code outside these tables is never a refusal: the section is kept
/// as `other` (or matched by its title) and the import carries a warning.
enum CDACodes {
    // MARK: - Namespaces

    /// HL7 v3 / CDA R2.
    static let hl7Namespace = "urn:hl7-org:v3"
    /// HL7 SDTC extensions (C-CDA).
    static let sdtcNamespace = "urn:hl7-org:sdtc"
    /// Australian Digital Health Agency CDA extensions.
    static let australianExtensionNamespace = "http://ns.electronichealth.net.au/Ci/Cda/Extensions/3.0"

    // MARK: - Code systems

    static let loinc = "2.16.840.1.113883.6.1"
    static let snomed = "2.16.840.1.113883.6.96"
    static let rxNorm = "2.16.840.1.113883.6.88"
    /// NCTIS Data Components (Australian section and data-element codes).
    static let nctis = "1.2.36.1.2001.1001.101"
    /// Australian Medicines Terminology.
    static let amt = "1.2.36.1.2001.1004.100"

    /// Code systems a coded entry may use without a warning, with a short name for messages.
    static let knownCodeSystems: [String: String] = [
        loinc: "LOINC",
        snomed: "SNOMED CT",
        rxNorm: "RxNorm",
        nctis: "NCTIS",
        amt: "AMT",
        "2.16.840.1.113883.6.90": "ICD-10-CM",
        "2.16.840.1.113883.6.3": "ICD-10",
        "2.16.840.1.113883.6.103": "ICD-9-CM",
        "2.16.840.1.113883.6.69": "NDC",
        "2.16.840.1.113883.3.26.1.1": "NCI Thesaurus",
        "2.16.840.1.113883.6.59": "CVX",
        "2.16.840.1.113883.4.9": "UNII",
        "2.16.840.1.113883.5.4": "HL7 ActCode",
        "2.16.840.1.113883.5.6": "HL7 ActClass",
        "2.16.840.1.113883.5.8": "HL7 ActReason",
        "2.16.840.1.113883.5.1": "HL7 AdministrativeGender",
        "2.16.840.1.113883.13.68": "AS 5017 Sex",
        "2.16.840.1.113883.6.96.1": "SNOMED CT-AU",
        "1.2.36.1.2001.1005.17": "NCTIS Admin Codes",
        "2.16.840.1.113883.12.292": "CVX",
    ]

    /// A short name for `codeSystem` in messages ("LOINC", or the OID itself).
    static func name(ofCodeSystem codeSystem: String?) -> String {
        guard let codeSystem else { return "no code system" }
        return knownCodeSystems[codeSystem] ?? codeSystem
    }

    // MARK: - Document types

    /// Document codes Knot expects for a referral: anything else is imported with a warning.
    static let referralDocumentCodes: [String: String] = [
        "57133-1": "Referral note",
        "11488-4": "Consultation note",
    ]

    // MARK: - Sections

    /// What a section code means to Knot.
    struct SectionCode: Sendable {
        var code: String
        var codeSystem: String
        /// A `ReferralSection.kind`: reason, history, problems, medications, allergies,
        /// assessment, plan or other.
        var kind: String
        var name: String
    }

    static let sectionCodes: [SectionCode] = [
        // LOINC (C-CDA and IHE).
        SectionCode(code: "42349-1", codeSystem: loinc, kind: "reason", name: "Reason for referral"),
        SectionCode(code: "46239-0", codeSystem: loinc, kind: "reason", name: "Chief complaint and reason for visit"),
        SectionCode(code: "29299-5", codeSystem: loinc, kind: "reason", name: "Reason for visit"),
        SectionCode(code: "10154-3", codeSystem: loinc, kind: "history", name: "Chief complaint"),
        SectionCode(code: "10164-2", codeSystem: loinc, kind: "history", name: "History of present illness"),
        SectionCode(code: "11348-0", codeSystem: loinc, kind: "history", name: "History of past illness"),
        SectionCode(code: "47519-4", codeSystem: loinc, kind: "history", name: "History of procedures"),
        SectionCode(code: "29762-2", codeSystem: loinc, kind: "history", name: "Social history"),
        SectionCode(code: "10157-6", codeSystem: loinc, kind: "history", name: "Family history"),
        SectionCode(code: "11450-4", codeSystem: loinc, kind: "problems", name: "Problem list"),
        SectionCode(code: "10160-0", codeSystem: loinc, kind: "medications", name: "History of medication use"),
        SectionCode(code: "29549-3", codeSystem: loinc, kind: "medications", name: "Medications administered"),
        SectionCode(code: "48765-2", codeSystem: loinc, kind: "allergies", name: "Allergies and adverse reactions"),
        SectionCode(code: "51847-2", codeSystem: loinc, kind: "assessment", name: "Assessment and plan"),
        SectionCode(code: "51848-0", codeSystem: loinc, kind: "assessment", name: "Assessment"),
        SectionCode(code: "29545-1", codeSystem: loinc, kind: "assessment", name: "Physical findings"),
        SectionCode(code: "18776-5", codeSystem: loinc, kind: "plan", name: "Plan of treatment"),
        SectionCode(code: "61146-7", codeSystem: loinc, kind: "plan", name: "Goals"),
        // Australian NCTIS (e-Referral, Shared Health Summary, Event Summary).
        SectionCode(code: "102.16347", codeSystem: nctis, kind: "reason", name: "Referral detail"),
        SectionCode(code: "101.16117", codeSystem: nctis, kind: "problems", name: "Medical history"),
        SectionCode(code: "101.16022", codeSystem: nctis, kind: "medications", name: "Medications"),
        SectionCode(code: "101.16146", codeSystem: nctis, kind: "medications", name: "Medications"),
        SectionCode(code: "101.20113", codeSystem: nctis, kind: "allergies", name: "Adverse reactions"),
        SectionCode(code: "102.16080", codeSystem: nctis, kind: "other", name: "Administrative observations"),
        SectionCode(code: "101.20117", codeSystem: nctis, kind: "other", name: "Diagnostic investigations"),
        SectionCode(code: "101.16638", codeSystem: nctis, kind: "other", name: "Immunisations"),
    ]

    /// The table entry for a section code, if Knot knows it.
    static func section(code: String, codeSystem: String?) -> SectionCode? {
        sectionCodes.first { $0.code == code && (codeSystem == nil || $0.codeSystem == codeSystem) }
    }

    /// A section kind guessed from its title, for narrative-only letters whose sections carry
    /// no code: the first rule whose words appear in the lower-cased title wins.
    static let sectionTitleRules: [(words: [String], kind: String)] = [
        (["reason for referral", "referral detail", "reason for consult", "referral reason", "reason for visit"], "reason"),
        (["allerg", "adverse reaction", "intolerance"], "allergies"),
        (["medication", "medicine", "current drugs", "prescri"], "medications"),
        (["problem", "diagnos", "medical history", "past history", "past medical", "condition"], "problems"),
        (["history", "presenting complaint", "complaint"], "history"),
        (["assessment", "impression", "examination", "findings"], "assessment"),
        (["plan", "recommendation", "request", "goal"], "plan"),
        (["referral", "reason"], "reason"),
    ]

    /// `sectionTitleRules` with each word as its bytes, made once.
    private static let sectionTitleRuleBytes = sectionTitleRules.map { (words: $0.words.map { Array($0.utf8) }, kind: $0.kind) }

    static func sectionKind(forTitle title: String) -> String? {
        let lowered = title.lowercased()
        // An ASCII title (most) is searched byte by byte; Foundation's search is kept for the rest.
        if lowered.utf8.allSatisfy({ $0 < 0x80 }) {
            let bytes = Array(lowered.utf8)
            return sectionTitleRuleBytes.first { rule in rule.words.contains { w in
                w.count <= bytes.count && (0...(bytes.count - w.count)).contains { bytes[$0..<($0 + w.count)].elementsEqual(w) }
            } }?.kind
        }
        return sectionTitleRules.first { rule in rule.words.contains { lowered.contains($0) } }?.kind
    }

    // MARK: - Australian referral detail entries (e-Referral IG 7.1.1)

    /// Referral DateTime (value TS).
    static let referralDateTime = "103.16620"
    /// Referral Validity Duration (value IVL_TS: a width, or low/high).
    static let referralValidityDuration = "103.16622"
    /// Reason for referral (value ST), as an entry of the Referral Detail section.
    static let referralReason = "42349-1"

    // MARK: - Identifier roots

    /// The national healthcare identifier root: IHI, HPI-I and HPI-O are `<root>.<16 digits>`.
    static let healthcareIdentifierRoot = "1.2.36.1.2001.1003.0"
    /// Medicare card numbers: 11 digits (with the individual reference) and 10 digits.
    static let medicareRoots: Set<String> = ["1.2.36.1.5001.1.0.7", "1.2.36.1.5001.1.0.7.1"]
    /// Medicare provider number (a referrer's).
    static let medicareProviderNumberRoot = "1.2.36.174030967.0.2"
    /// US National Provider Identifier (a referrer's).
    static let npiRoot = "2.16.840.1.113883.4.6"

    // MARK: - Sex

    /// Administrative gender codes, HL7 (M F UN) and AS 5017 (M F I N).
    static let administrativeGender: [String: String] = [
        "M": "male", "F": "female", "UN": "intersex", "I": "intersex", "N": "not-stated", "U": "not-stated",
    ]

    /// Author codes that say the referrer is the patient's general practitioner (ANZSCO,
    /// SNOMED CT, NUCC), so the letter also fills the patient's GP.
    static let generalPractitionerCodes: Set<String> = ["253111", "62247001", "59058001", "208D00000X", "207Q00000X"]
}
