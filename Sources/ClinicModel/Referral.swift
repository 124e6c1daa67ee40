import Foundation

/// The format a referral letter arrived in.
public enum ReferralFormat: String, Sendable, Hashable, Codable {
    /// Knot's own simple referral format (`urn:knot:referral:1`).
    case knot
    /// HL7 CDA R2 (`urn:hl7-org:v3`), including Australian eReferrals.
    case cda
    /// HL7 FHIR R4 in XML (`http://hl7.org/fhir`): a Bundle or a ServiceRequest (Australian
    /// eRequesting, the NHS e-Referral Service).
    case fhir
    /// Typed in by reception.
    case manual
}

/// One section of a referral letter, kept as readable text plus any coded entries.
public struct ReferralSection: Sendable, Hashable, Codable {
    /// One coded entry of a section (a medication, a problem), with its code when the sender gave one.
    public struct CodedEntry: Sendable, Hashable, Codable {
        /// The code as sent.
        public var code: String?
        /// The code system as sent (an OID or URI).
        public var codeSystem: String?
        /// The code's display name as sent.
        public var displayName: String?
        /// The entry in words, when the letter gave text.
        public var text: String?
        /// An entry; every part is optional.
        public init(code: String? = nil, codeSystem: String? = nil, displayName: String? = nil, text: String? = nil) {
            self.code = code; self.codeSystem = codeSystem; self.displayName = displayName; self.text = text
        }
    }
    /// A stable kind: `reason`, `history`, `problems`, `medications`, `allergies`, `assessment`,
    /// `plan`, or `other`.
    public var kind: String
    /// The code as sent (LOINC 42349-1, an NCTIS code...), if any.
    public var code: String?
    /// The code system of `code` (an OID or URI), if any.
    public var codeSystem: String?
    /// The section's title as the letter gave it.
    public var title: String
    /// The section's text, readable as sent.
    public var text: String
    /// The coded entries of the section.
    public var entries: [CodedEntry]

    /// A section of kind `kind` (Knot's short name for the section's meaning).
    public init(kind: String, code: String? = nil, codeSystem: String? = nil, title: String, text: String,
                entries: [CodedEntry] = []) {
        self.kind = kind; self.code = code; self.codeSystem = codeSystem; self.title = title
        self.text = text; self.entries = entries
    }
}

/// An attachment carried by a referral (a PDF or plain text in a CDA nonXMLBody).
public struct ReferralAttachment: Sendable, Hashable, Codable {
    /// The MIME type (`application/pdf`, `text/plain`).
    public var mediaType: String
    /// The attachment's bytes, as received.
    public var data: Data
    /// An attachment of `mediaType`.
    public init(mediaType: String, data: Data) { self.mediaType = mediaType; self.data = data }
}

/// A referral: who sent the patient, why, and for how long and how many sessions it is valid.
public struct Referral: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64?
    /// The patient the referral is for.
    public var patientID: Int64
    /// The referring clinician's name, or `unnamedReferrer` when the letter names no one (up to 200
    /// characters, one line).
    public var referrerName: String

    /// What a referral records as its referrer when the letter names no one (a system-written
    /// letter with no clinician and no organisation): letters then greet "Dear Doctor" instead.
    public static let unnamedReferrer = "Referrer not named in the letter"

    /// Whether the letter named its referrer (a person or an organisation).
    public var referrerIsNamed: Bool { referrerName != Referral.unnamedReferrer }
    /// The referrer's practice or organisation.
    public var referrerOrganisation: String?
    /// The referrer's provider number, when the letter gave one.
    public var referrerProviderNumber: String?
    /// How to reach the referrer (phone, email, address).
    public var referrerContact: String?
    /// Whom the letter was addressed to.
    public var recipient: String?
    /// The date of the referral.
    public var date: LocalDate
    /// The last day it covers visits (nil: no expiry).
    public var expiresOn: LocalDate?
    /// How many visits it covers (1-100; nil: no limit).
    public var sessionsAllowed: Int?
    /// Why the patient was referred, in the referrer's words.
    public var reason: String
    /// The format the letter arrived in.
    public var format: ReferralFormat
    /// The sender's document id (e.g. CDA `id/@root` + `@extension`).
    public var documentID: String?
    /// The document type as sent (e.g. LOINC 57133-1 "Referral Note").
    public var documentCode: String?
    /// The document title as sent.
    public var documentTitle: String?
    /// The letter's sections, in order.
    public var sections: [ReferralSection]
    /// Attachments the letter carried.
    public var attachments: [ReferralAttachment]
    /// The original letter, byte for byte as received, and its SHA-256 (hex).
    public var originalLetter: Data?
    /// The SHA-256 of `originalLetter`, hex.
    public var originalSHA256: String?
    /// Warnings raised on import (codes outside the expected value set...).
    public var importWarnings: [String]
    /// The patient's identifiers as the letter gave them (IHI, Medicare, an MRN...), kept with
    /// the referral whatever the patient on file holds.
    public var letterIdentifiers: [PatientIdentifier] = []
    /// The CDA `setId` (root^extension) shared by every version of one letter, if sent.
    public var documentSetID: String?
    /// The CDA `versionNumber` within the set, if sent.
    public var documentVersion: Int?
    /// What makes this letter the same letter whatever its bytes: the sender's document id,
    /// else the set and version, else a digest of its text with line endings and trailing
    /// spaces normalised (`LetterDigest.letterKey`).
    public var letterKey: String?
    /// The referral this one replaces (an earlier version of the same letter); both are kept.
    public var replacesReferralID: Int64?

    /// A referral; only patient, referrer, date and reason are required (the format is `manual` unless told).
    public init(id: Int64? = nil, patientID: Int64, referrerName: String, referrerOrganisation: String? = nil,
                referrerProviderNumber: String? = nil, referrerContact: String? = nil, recipient: String? = nil,
                date: LocalDate, expiresOn: LocalDate? = nil, sessionsAllowed: Int? = nil, reason: String,
                format: ReferralFormat = .manual, documentID: String? = nil, documentCode: String? = nil,
                documentTitle: String? = nil, sections: [ReferralSection] = [], attachments: [ReferralAttachment] = [],
                originalLetter: Data? = nil, originalSHA256: String? = nil, importWarnings: [String] = []) {
        self.id = id; self.patientID = patientID; self.referrerName = referrerName
        self.referrerOrganisation = referrerOrganisation; self.referrerProviderNumber = referrerProviderNumber
        self.referrerContact = referrerContact; self.recipient = recipient; self.date = date
        self.expiresOn = expiresOn; self.sessionsAllowed = sessionsAllowed; self.reason = reason
        self.format = format; self.documentID = documentID; self.documentCode = documentCode
        self.documentTitle = documentTitle; self.sections = sections; self.attachments = attachments
        self.originalLetter = originalLetter; self.originalSHA256 = originalSHA256
        self.importWarnings = importWarnings
    }

    /// Whether the referral still covers a visit on `date` (by expiry only; sessions are counted by the store).
    public func isCurrent(on day: LocalDate) -> Bool {
        day >= date && (expiresOn.map { day <= $0 } ?? true)
    }

    /// Checks the referrer's name (one line, up to 200), the reason's length, an expiry not before the
    /// date, 1-100 sessions, and a date not in the future.
    /// - Throws: `ValidationErrors` naming each field that breaks a rule.
    public func validate() throws(ValidationErrors) {
        var v = Validator()
        v.required("referrerName", referrerName)
        v.singleLine("referrerName", referrerName)
        v.maxLength("referrerName", referrerName, 200)
        v.freeText("reason", reason, limit: 100_000)
        if let e = expiresOn, e < date { v.add("expiresOn", e.description, "is before the referral date \(date)") }
        if let s = sessionsAllowed, !(1...100).contains(s) { v.badValue("sessionsAllowed", "\(s)", "must be between 1 and 100") }
        if date > LocalDate.today().adding(days: 1) { v.add("date", date.description, "is in the future") }
        try v.finish()
    }
}
