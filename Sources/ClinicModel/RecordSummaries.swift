// The read models lists and charts show (what a record store hands the use cases), kept in the
// model so that every store and every front end speaks them without importing a store.
import Foundation

/// A patient as lists show them: enough to find and pick, plus their alert count.
public struct PatientSummary: Sendable, Hashable, Codable {
    public var id: Int64
    public var recordNumber: String
    public var givenNames: String
    public var familyName: String
    public var dateOfBirth: LocalDate
    public var phone: String?
    public var alertCount: Int
    public var archived: Bool
    public var displayName: String { "\(familyName), \(givenNames)" }

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
    public var id: Int64
    public var patientID: Int64
    public var practitionerID: Int64
    public var startedAt: Date
    public var status: VisitStatus
    public var complaint: String?
    public var painNow: Int?
    public var needlesInserted: Int
    public var needlesRemoved: Int
    public var amendments: Int

    public init(id: Int64, patientID: Int64, practitionerID: Int64, startedAt: Date, status: VisitStatus, complaint: String?,
                painNow: Int?, needlesInserted: Int, needlesRemoved: Int, amendments: Int) {
        self.id = id; self.patientID = patientID; self.practitionerID = practitionerID; self.startedAt = startedAt
        self.status = status; self.complaint = complaint; self.painNow = painNow
        self.needlesInserted = needlesInserted; self.needlesRemoved = needlesRemoved; self.amendments = amendments
    }
}

/// A referral with how much of it is used: what reception and the chart show.
public struct ReferralStatus: Sendable, Hashable, Codable {
    public var referral: Referral
    public var sessionsUsed: Int

    public init(referral: Referral, sessionsUsed: Int) { self.referral = referral; self.sessionsUsed = sessionsUsed }
    public var sessionsLeft: Int? { referral.sessionsAllowed.map { max(0, $0 - sessionsUsed) } }
    public func isCurrent(on day: LocalDate) -> Bool {
        referral.isCurrent(on: day) && (sessionsLeft.map { $0 > 0 } ?? true)
    }
}

/// A patient already on file who may be the person being registered, and why Knot thinks so.
public struct DuplicateCandidate: Sendable, Hashable, Codable {
    public var patient: PatientSummary
    /// In the clinic's words: "same identifier medicare 2951234561", "same family name and date of birth"...
    public var reasons: [String]

    public init(patient: PatientSummary, reasons: [String]) {
        self.patient = patient
        self.reasons = reasons
    }
}

/// A referral letter held because its patient match was doubtful: nothing clinical is filed
/// until a person picks the patient (`knot referral resolve`, or the inbox).
public struct HeldReferralLetter: Sendable, Hashable {
    public var id: Int64?
    public var fileName: String
    /// `knot` or `cda`.
    public var format: String
    /// The letter, byte for byte as received.
    public var letter: Data
    public var sha256: String
    /// Why the match was doubtful, in the clinic's words.
    public var reason: String
    /// The patients it might be (ids), for the person to choose from.
    public var candidateIDs: [Int64]
    public var receivedAt: Date?
    public var resolvedAt: Date?
    public var resolvedBy: String?
    /// The referral it was filed as, once resolved.
    public var referralID: Int64?

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
    public var name: String
    public var body: String
    public var changedAt: Date
    public var changedBy: String
    public init(name: String, body: String, changedAt: Date, changedBy: String) {
        self.name = name; self.body = body; self.changedAt = changedAt; self.changedBy = changedBy
    }
}
