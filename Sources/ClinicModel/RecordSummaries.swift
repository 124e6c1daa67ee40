// The read models lists and charts show (what a record store hands the use cases), kept in the
// model so that every store and every front end speaks them without importing a store.
import Foundation

/// A patient as lists show them: enough to find and pick, plus their alert count.
public struct PatientSummary: Sendable, Hashable, Codable {
    /// The patient's store id.
    public var id: Int64
    /// The clinic's record number (`K00042`).
    public var recordNumber: String
    /// The patient's given names.
    public var givenNames: String
    /// The patient's family name.
    public var familyName: String
    /// The date of birth.
    public var dateOfBirth: LocalDate
    /// A phone number, when on file.
    public var phone: String?
    /// How many alerts the patient has.
    public var alertCount: Int
    /// True for an archived patient (hidden from lists unless asked for).
    public var archived: Bool
    /// "Family, Given" as lists show it.
    public var displayName: String { "\(familyName), \(givenNames)" }

    /// A summary from its columns.
    public init(id: Int64, recordNumber: String, givenNames: String, familyName: String, dateOfBirth: LocalDate,
                phone: String?, alertCount: Int, archived: Bool) {
        self.id = id; self.recordNumber = recordNumber; self.givenNames = givenNames; self.familyName = familyName
        self.dateOfBirth = dateOfBirth; self.phone = phone; self.alertCount = alertCount; self.archived = archived
    }

    /// The summary of a full patient record.
    public init(_ p: Patient) {
        self.init(id: p.id ?? 0, recordNumber: p.recordNumber, givenNames: p.givenNames, familyName: p.familyName,
                  dateOfBirth: p.dateOfBirth, phone: p.phone, alertCount: p.alerts.filter { $0.status != .dismissed }.count,
                  archived: p.archived)
    }
}

/// A visit as the timeline shows it.
public struct VisitSummary: Sendable, Hashable, Codable {
    /// The visit's store id.
    public var id: Int64
    /// The patient seen.
    public var patientID: Int64
    /// The practitioner who saw them.
    public var practitionerID: Int64
    /// When the visit started.
    public var startedAt: Date
    /// Draft or signed.
    public var status: VisitStatus
    /// The presenting complaint, when recorded.
    public var complaint: String?
    /// Pain now (NPRS 0-10), when recorded.
    public var painNow: Int?
    /// Needles inserted across every site.
    public var needlesInserted: Int
    /// Needles removed across every site.
    public var needlesRemoved: Int
    /// How many amendments the visit has.
    public var amendments: Int

    /// A summary from its columns.
    public init(id: Int64, patientID: Int64, practitionerID: Int64, startedAt: Date, status: VisitStatus, complaint: String?,
                painNow: Int?, needlesInserted: Int, needlesRemoved: Int, amendments: Int) {
        self.id = id; self.patientID = patientID; self.practitionerID = practitionerID; self.startedAt = startedAt
        self.status = status; self.complaint = complaint; self.painNow = painNow
        self.needlesInserted = needlesInserted; self.needlesRemoved = needlesRemoved; self.amendments = amendments
    }
}

/// A referral with how much of it is used: what reception and the chart show.
public struct ReferralStatus: Sendable, Hashable, Codable {
    /// The referral.
    public var referral: Referral
    /// Visits recorded against it so far.
    public var sessionsUsed: Int

    /// A referral with the number of visits it has been used for.
    public init(referral: Referral, sessionsUsed: Int) { self.referral = referral; self.sessionsUsed = sessionsUsed }
    /// Sessions still allowed (never below 0); nil when the referral sets no limit.
    public var sessionsLeft: Int? { referral.sessionsAllowed.map { max(0, $0 - sessionsUsed) } }
    /// True when the referral covers `day` (on or after its date, not past its expiry) and has sessions left.
    public func isCurrent(on day: LocalDate) -> Bool {
        referral.isCurrent(on: day) && (sessionsLeft.map { $0 > 0 } ?? true)
    }
}

/// A patient already on file who may be the person being registered, and why Knot thinks so.
public struct DuplicateCandidate: Sendable, Hashable, Codable {
    /// The patient on file.
    public var patient: PatientSummary
    /// In the clinic's words: "same identifier medicare 2951234571", "same family name and date of birth"...
    public var reasons: [String]

    /// A candidate with the reasons it matched.
    public init(patient: PatientSummary, reasons: [String]) {
        self.patient = patient
        self.reasons = reasons
    }
}

/// A referral letter held because its patient match was doubtful: nothing clinical is filed
/// until a person picks the patient (`knot referral resolve`, or the inbox).
public struct HeldReferralLetter: Sendable, Hashable {
    /// The held letter's store id (nil until stored).
    public var id: Int64?
    /// The file name the letter arrived under.
    public var fileName: String
    /// `knot` or `cda`.
    public var format: String
    /// The letter, byte for byte as received.
    public var letter: Data
    /// The letter's SHA-256, hex.
    public var sha256: String
    /// Why the match was doubtful, in the clinic's words.
    public var reason: String
    /// The patients it might be (ids), for the person to choose from.
    public var candidateIDs: [Int64]
    /// When the letter arrived.
    public var receivedAt: Date?
    /// When a person picked the patient (nil while held).
    public var resolvedAt: Date?
    /// The handle of the person who resolved it.
    public var resolvedBy: String?
    /// The referral it was filed as, once resolved.
    public var referralID: Int64?

    /// A held letter; it stays held until `resolvedAt` is set.
    public init(id: Int64? = nil, fileName: String, format: String, letter: Data, sha256: String, reason: String,
                candidateIDs: [Int64], receivedAt: Date? = nil, resolvedAt: Date? = nil, resolvedBy: String? = nil,
                referralID: Int64? = nil) {
        self.id = id; self.fileName = fileName; self.format = format; self.letter = letter; self.sha256 = sha256
        self.reason = reason; self.candidateIDs = candidateIDs; self.receivedAt = receivedAt; self.resolvedAt = resolvedAt
        self.resolvedBy = resolvedBy; self.referralID = referralID
    }
}

/// A template the clinic changed (`letter_template`): its name, text, and who changed it when.
public struct StoredLetterTemplate: Sendable, Equatable {
    /// The template's name (`referrer.greeting`...).
    public var name: String
    /// The template's Mustache text as the clinic changed it.
    public var body: String
    /// When it was last changed.
    public var changedAt: Date
    /// The handle of the person who changed it.
    public var changedBy: String
    /// A changed template from its columns.
    public init(name: String, body: String, changedAt: Date, changedBy: String) {
        self.name = name; self.body = body; self.changedAt = changedAt; self.changedBy = changedBy
    }
}
