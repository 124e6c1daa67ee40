import Foundation

/// Sex as recorded for clinical purposes (HL7 administrative gender plus "not stated").
public enum Sex: String, Sendable, Codable, CaseIterable {
    /// Female, male, intersex, or not stated (the default).
    case female, male, intersex, notStated = "not-stated"
}

/// A patient identifier with the system that issued it (Medicare, IHI, DVA, an HL7 OID root...).
public struct PatientIdentifier: Sendable, Hashable, Codable {
    /// Well-known systems; anything else is kept by its OID or URI.
    public enum System: Sendable, Hashable, Codable, RawRepresentable, CustomStringConvertible {
        /// Medicare, Individual Healthcare Identifier, Department of Veterans' Affairs, the clinic's own
        /// number, or another system by its OID or URI.
        case medicare, ihi, dva, clinic, other(String)
        public init(rawValue: String) {
            switch rawValue.lowercased() {
            case "medicare": self = .medicare
            case "ihi": self = .ihi
            case "dva": self = .dva
            case "clinic": self = .clinic
            default: self = .other(rawValue)
            }
        }
        public var rawValue: String {
            switch self {
            case .medicare: "medicare"
            case .ihi: "ihi"
            case .dva: "dva"
            case .clinic: "clinic"
            case .other(let s): s
            }
        }
        public var description: String { rawValue }

        /// Whether this system's numbers mean the same with or without spaces: IHI, Medicare
        /// and DVA numbers (written "2953 41877 1" on a card or in a letter), and a letter's IHI
        /// or Medicare number kept unchecked under the issuer's OID. The clinic's own number and
        /// other issuers' identifiers are compared as written.
        public var spacingIsInsignificant: Bool {
            switch self {
            case .ihi, .medicare, .dva: true
            case .clinic: false
            case .other(let root): root == "1.2.36.1.2001.1003.0" || root == "1.2.36.1.5001.1.0.7"
            }
        }
    }

    /// The system that issued the identifier.
    public var system: System
    /// The identifier as issued (a Medicare number, an IHI...).
    public var value: String

    /// An identifier `value` issued by `system`.
    public init(system: System, value: String) { self.system = system; self.value = value }

    /// The value as Knot stores and compares it: for a number whose spacing means nothing
    /// (`System.spacingIsInsignificant`: IHI, Medicare, DVA, and a letter's IHI or Medicare
    /// number kept unchecked), without its white space, so "2953 41877 1" and "2953418771" are
    /// one Medicare number; for any other system the value as written.
    ///
    /// White space is every Unicode scalar with the White_Space property
    /// (`whiteSpaceScalars`), the same characters the stores' SQL removes from numbers stored
    /// before this rule when they look one up (`patient_identifier_number`).
    public var canonicalValue: String { Self.canonicalValue(system: system, value) }

    /// This identifier with its value in canonical form (`canonicalValue`).
    public var canonical: PatientIdentifier { PatientIdentifier(system: system, value: canonicalValue) }

    /// `value` in the canonical form of `system` (see `canonicalValue`).
    public static func canonicalValue(system: System, _ value: String) -> String {
        guard system.spacingIsInsignificant else { return value }
        // Most numbers hold only ASCII and no white space: returned as they are.
        if value.utf8.allSatisfy({ $0 < 0x80 && !((0x09...0x0D).contains($0) || $0 == 0x20) }) { return value }
        return String(String.UnicodeScalarView(value.unicodeScalars.filter { !$0.properties.isWhitespace }))
    }

    /// Whether two identifiers name the same number: the same system and the same canonical value.
    public func sameNumber(as other: PatientIdentifier) -> Bool {
        system == other.system && canonicalValue == other.canonicalValue
    }

    /// The Unicode scalars with the White_Space property (Unicode 15), which `canonicalValue`
    /// removes from a number, in code point order. Frozen: the SQLite and PostgreSQL migrations
    /// that index stored numbers by their canonical form remove exactly these.
    public static let whiteSpaceScalars: [Unicode.Scalar] = [
        "\u{09}", "\u{0A}", "\u{0B}", "\u{0C}", "\u{0D}", "\u{20}", "\u{85}", "\u{A0}", "\u{1680}",
        "\u{2000}", "\u{2001}", "\u{2002}", "\u{2003}", "\u{2004}", "\u{2005}", "\u{2006}", "\u{2007}", "\u{2008}",
        "\u{2009}", "\u{200A}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}",
    ]

    /// Checks the identifier's shape where the system has one (IHI: 16 digits starting 800360;
    /// Medicare: 10 or 11 digits).
    public func validate(field: String) throws(ValidationErrors) {
        var v = Validator()
        let name = "\(field).value"
        v.required(name, value)
        v.singleLine(name, value)
        v.maxLength(name, value, 64)
        switch system {
        case .ihi:
            let (count, allDigits, digits) = Self.digitsIgnoringWhiteSpace(value)
            if count != 16 || !allDigits || !digits.hasPrefix("800360") {
                v.badValue(name, value, "is not an IHI (16 digits starting 800360)")
            }
        case .medicare:
            let (count, allDigits, _) = Self.digitsIgnoringWhiteSpace(value)
            if !(10...11).contains(count) || !allDigits {
                v.badValue(name, value, "is not a Medicare number (10 or 11 digits)")
            }
        default: break
        }
        try v.finish()
    }

    /// `value` without its white space (`Character.isWhitespace`): how many characters are left,
    /// whether they are all ASCII digits, and (for a prefix check) their text. ASCII is read as
    /// bytes: there each character but CR LF (white space) is one byte, and the white space is
    /// tab, line feed, vertical tab, form feed, carriage return and space.
    static func digitsIgnoringWhiteSpace(_ value: String) -> (count: Int, allDigits: Bool, text: Substring) {
        if value.utf8.allSatisfy({ $0 < 0x80 }) {
            var count = 0, allDigits = true, whiteSpace = false
            for byte in value.utf8 {
                if (0x09...0x0D).contains(byte) || byte == 0x20 { whiteSpace = true; continue }
                count += 1
                if !(0x30...0x39).contains(byte) { allDigits = false }
            }
            // Most numbers have no white space: the text is the value itself.
            return (count, allDigits, whiteSpace ? Substring(value.filter { !$0.isWhitespace }) : value[...])
        }
        let digits = value.filter { !$0.isWhitespace }
        return (digits.count, digits.allSatisfy(\.isASCIIDigit), Substring(digits))
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

/// Where an alert came from and whether a practitioner has confirmed it.
public enum AlertStatus: String, Sendable, Codable, CaseIterable {
    /// Proposed by an import (e.g. an anticoagulant in a referral's medication list), awaiting review.
    case proposed
    /// Confirmed by a practitioner (or entered by one): shown before every treatment.
    case confirmed
    /// Reviewed and judged not to apply; kept for the record.
    case dismissed
}

/// Something every clinician must see before treating: a needling precaution, an allergy, a note.
public struct PatientAlert: Sendable, Hashable, Codable, Identifiable {
    /// Encoded as `precaution:<name>`, `allergy` or `other` (a stable JSON and storage form).
    public enum Kind: Sendable, Hashable, Codable, CustomStringConvertible {
        /// A needling precaution (`precaution:NAME`).
        case precaution(Precaution)
        /// An allergy (`allergy`).
        case allergy
        /// Any other note every clinician must see (`other`).
        case other

        public var description: String {
            switch self {
            case .precaution(let p): "precaution:\(p.rawValue)"
            case .allergy: "allergy"
            case .other: "other"
            }
        }

        /// Reads `precaution:NAME` (or a bare precaution name), `allergy` or `other`.
        /// - Throws: `ValidationError` on `alert.kind` for any other text.
        public init(parsing text: String) throws(ValidationError) {
            if text == "allergy" { self = .allergy; return }
            if text == "other" { self = .other; return }
            let name = text.hasPrefix("precaution:") ? String(text.dropFirst("precaution:".count)) : text
            guard let p = Precaution(rawValue: name) else {
                throw ValidationError.badValue(field: "alert.kind", value: text,
                                      rule: "is not allergy, other or a precaution (\(Precaution.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            self = .precaution(p)
        }

        public init(from decoder: Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            do { self = try Kind(parsing: text) } catch {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
            }
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(description)
        }
    }
    public var id: Int64?
    /// What kind of alert it is.
    public var kind: Kind
    /// What the clinician must see, in words.
    public var text: String
    /// Proposed, confirmed or dismissed.
    public var status: AlertStatus
    /// Where it came from, e.g. "referral 2026-11-02 (medications)" or "practitioner".
    public var source: String
    /// Why a practitioner judged it not to apply (set when dismissed, e.g. "Apixaban stopped
    /// in October, confirmed with the GP"); nil otherwise, and for alerts dismissed before
    /// Knot asked for a reason.
    public var dismissReason: String?

    /// An alert; by default confirmed, from the practitioner.
    public init(id: Int64? = nil, kind: Kind, text: String, status: AlertStatus = .confirmed, source: String = "practitioner",
                dismissReason: String? = nil) {
        self.id = id; self.kind = kind; self.text = text; self.status = status; self.source = source
        self.dismissReason = dismissReason
    }

    /// The fewest characters and words a dismissal reason has: a reason, not "no" or "n/a".
    public static let dismissReasonMinimum = (characters: 12, words: 3)
    /// The most characters a dismissal reason keeps.
    public static let dismissReasonLimit = 500

    /// A dismissal reason as stored (trimmed), or the rule it breaks (field `reason`).
    ///
    /// Dismissing a proposed precaution lets the screen answer it absent, so the reason is
    /// what a later reader relies on: at least a few words, on one line.
    public static func checkedDismissReason(_ reason: String?) throws(ValidationError) -> String {
        let text = (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let words = text.split(whereSeparator: { $0.isWhitespace }).count
        if text.isEmpty {
            throw ValidationError(field: "reason", value: "", rule: "is required to dismiss an alert: say why it does not apply (e.g. \"apixaban stopped in October, GP letter\")")
        }
        if text.count < dismissReasonMinimum.characters || words < dismissReasonMinimum.words {
            throw ValidationError(field: "reason", value: text,
                                  rule: "is too short: at least \(dismissReasonMinimum.words) words and \(dismissReasonMinimum.characters) characters saying why the alert does not apply")
        }
        if text.count > dismissReasonLimit {
            throw ValidationError.badValue(field: "reason", value: String(text.prefix(40)) + "…", rule: "is longer than \(dismissReasonLimit) characters")
        }
        if text.contains(where: { $0.isNewline }) {
            throw ValidationError.badValue(field: "reason", value: String(text.prefix(40)), rule: "must be one line")
        }
        return text
    }
}

/// A person treated at the clinic.
public struct Patient: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64?
    /// The clinic's own record number (unique), e.g. `K00042`.
    public var recordNumber: String
    /// The patient's given names.
    public var givenNames: String
    /// The patient's family name.
    public var familyName: String
    /// The name the patient likes to be called, when it differs.
    public var preferredName: String?
    /// The date of birth (the age on a visit date decides the minor rules).
    public var dateOfBirth: LocalDate
    /// Sex as recorded for clinical purposes.
    public var sex: Sex
    /// A phone number.
    public var phone: String?
    /// An email address.
    public var email: String?
    /// A postal address, lines as given.
    public var address: String?
    /// Identifiers other systems know the patient by (Medicare, IHI...).
    public var identifiers: [PatientIdentifier]
    /// The patient's general practitioner, as free text (name and practice).
    public var generalPractitioner: String?
    /// Alerts every clinician must see: precautions, allergies, notes.
    public var alerts: [PatientAlert]
    /// Archived patients are hidden from lists but never deleted (records obligations).
    public var archived: Bool

    /// A patient; `recordNumber` is the clinic's own unique number (`K00042`).
    public init(id: Int64? = nil, recordNumber: String, givenNames: String, familyName: String,
                preferredName: String? = nil, dateOfBirth: LocalDate, sex: Sex = .notStated,
                phone: String? = nil, email: String? = nil, address: String? = nil,
                identifiers: [PatientIdentifier] = [], generalPractitioner: String? = nil,
                alerts: [PatientAlert] = [], archived: Bool = false) {
        self.id = id; self.recordNumber = recordNumber; self.givenNames = givenNames
        self.familyName = familyName; self.preferredName = preferredName; self.dateOfBirth = dateOfBirth
        self.sex = sex; self.phone = phone; self.email = email; self.address = address
        self.identifiers = identifiers; self.generalPractitioner = generalPractitioner
        self.alerts = alerts; self.archived = archived
    }

    /// "Family, Given" as lists show it.
    public var displayName: String { "\(familyName), \(givenNames)" }

    /// Age in whole years on `date`.
    public func age(on date: LocalDate = .today()) -> Int { dateOfBirth.years(until: date) }

    /// Confirmed needling precautions (proposed ones wait for the practitioner).
    public var confirmedPrecautions: [Precaution] {
        alerts.compactMap { a in
            if case .precaution(let p) = a.kind, a.status == .confirmed { return p }
            return nil
        }
    }

    /// Digits, spaces, + - ( ) only, and at least six digits. ASCII is read as bytes (each
    /// character one byte but CR LF, which is neither a digit nor one of those).
    static func isPhoneNumber(_ phone: String) -> Bool {
        if phone.utf8.allSatisfy({ $0 < 0x80 }) {
            var digits = 0
            for byte in phone.utf8 {
                switch byte {
                case 0x30...0x39: digits += 1
                case UInt8(ascii: " "), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "("), UInt8(ascii: ")"): continue
                default: return false
                }
            }
            return digits >= 6
        }
        return phone.allSatisfy({ $0.isASCIIDigit || " +-()".contains($0) }) && phone.filter(\.isASCIIDigit).count >= 6
    }

    /// Checks every field; `today` is injectable so tests are deterministic.
    public func validate(today: LocalDate = .today()) throws(ValidationErrors) {
        var v = Validator()
        v.required("recordNumber", recordNumber)
        v.maxLength("recordNumber", recordNumber, 32)
        v.singleLine("recordNumber", recordNumber)
        for (field, value) in [("givenNames", givenNames), ("familyName", familyName)] {
            v.required(field, value)
            v.maxLength(field, value, 100)
            v.singleLine(field, value)
        }
        v.maxLength("preferredName", preferredName, 100)
        v.singleLine("preferredName", preferredName)
        if dateOfBirth > today {
            v.add("dateOfBirth", dateOfBirth.description, "is in the future")
        } else if dateOfBirth.years(until: today) > 130 {
            v.add("dateOfBirth", dateOfBirth.description, "is more than 130 years ago")
        }
        if let phone {
            v.singleLine("phone", phone)
            v.maxLength("phone", phone, 32)
            if !Self.isPhoneNumber(phone) {
                v.badValue("phone", phone, "is not a phone number (digits, spaces, + - ( ) only)")
            }
        }
        if let email {
            v.singleLine("email", email)
            v.maxLength("email", email, 254)
            let parts = email.split(separator: "@", omittingEmptySubsequences: false)
            if parts.count != 2 || parts[0].isEmpty || !parts[1].contains(".") || email.contains(" ") {
                v.badValue("email", email, "is not an email address")
            }
        }
        v.freeText("address", address, limit: 500)
        v.freeText("generalPractitioner", generalPractitioner, limit: 300)
        for (i, ident) in identifiers.enumerated() {
            v.check("") { try ident.validate(field: "identifiers[\(i)]") }
        }
        for (i, alert) in alerts.enumerated() {
            v.required("alerts[\(i)].text", alert.text)
            v.freeText("alerts[\(i)].text", alert.text, limit: 1000)
        }
        try v.finish()
    }
}
