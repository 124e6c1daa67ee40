import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicTestSupport

/// A clinic on one store (`TestStore`: an SQLite file, or a fresh PostgreSQL database) for the
/// correction suites (entries, outcome measures, consents and screens): one trained
/// practitioner, mchen, and one patient, Jane Smith, written through the store's protocol as
/// the use cases write them.
struct EntryCorrectionClinic {
    /// The date the tests treat as today: fixed, and not after the real date.
    static let today = try! LocalDate(year: 2026, month: 6, day: 30)

    let place: TestClinicLocation
    let session: ClinicSession
    let practitioner: Practitioner
    let patient: Patient
    var location: String { place.location }

    init(_ store: TestStore) throws {
        place = try store.newClinic()
        let setup = try ClinicSession.open(path: place.location, handle: "", environment: [:])
        let training = DryNeedlingTraining(course: "DN 1", hours: 24, completedOn: try LocalDate(year: 2020, month: 3, day: 1))
        practitioner = try #require(try setup.setUpClinic(firstAccount: Practitioner(
            handle: "mchen", name: "Mei Chen", profession: .physiotherapist, dryNeedlingTraining: training)))
        session = try ClinicSession.open(path: place.location, handle: "mchen", environment: [:])
        patient = try session.database.write { tx in
            try tx.insertPatient(Patient(recordNumber: "", givenNames: "Jane", familyName: "Smith",
                                         dateOfBirth: try LocalDate(parsing: "1980-05-17")), actor: "test", today: Self.today)
        }
    }

    /// A moment on `day` at `hour` in the machine's time zone.
    static func moment(_ day: LocalDate, hour: Int = 10, minute: Int = 0) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = .current
        return cal.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: hour, minute: minute))!
    }

    /// A draft visit on `day` with one trigger point and, when `needles` > 0, one needling entry
    /// with `needles` inserted and `removed` removed.
    func addVisit(day: LocalDate = today.adding(days: -7), needles: Int = 0, removed: Int? = nil) throws -> Visit {
        let patientID = try #require(patient.id), practitionerID = try #require(practitioner.id)
        return try session.database.write { tx in
            var v = try tx.insertVisit(Visit(patientID: patientID, practitionerID: practitionerID, startedAt: Self.moment(day),
                                             complaint: "Neck pain", pain: PainScores(now: NPRS(unchecked: 6))), actor: "test")
            v.triggerPoints.append(try tx.insertTriggerPoint(TriggerPointFinding(muscleID: "upper-trapezius", side: .left, activity: .active),
                                                             visitID: v.id!, actor: "test"))
            if needles > 0 {
                v.needling.append(try tx.insertNeedling(Self.needling(needles, removed: removed ?? needles), visitID: v.id!, actor: "test"))
            }
            return v
        }
    }

    /// A consent covering every risk and a screen with nothing present, both recorded at 09:00 on `day`.
    @discardableResult
    func addConsentAndScreen(day: LocalDate, minute: Int = 0) throws -> (consent: Int64, screen: Int64) {
        let patientID = try #require(patient.id), practitionerID = try #require(practitioner.id)
        return try session.database.write { tx in
            let c = try tx.insertConsent(Consent(patientID: patientID, practitionerID: practitionerID, recordedAt: Self.moment(day, hour: 9, minute: minute),
                                                 risksExplained: Set(Consent.Risk.allCases), benefitsExplained: true, validUntil: day.adding(days: 90)), actor: "test")
            let s = try tx.insertScreen(PrecautionScreen(patientID: patientID, practitionerID: practitionerID,
                                                         recordedAt: Self.moment(day, hour: 9, minute: minute), validUntil: day.adding(days: 90)),
                                        actor: "test")
            return (c.id!, s.id!)
        }
    }

    static func needling(_ inserted: Int, removed: Int) -> NeedlingEntry {
        NeedlingEntry(muscleID: "infraspinatus", side: .left, needle: Needle(brand: "Seirin J-type", gaugeMm: 0.25, lengthMm: 40, lot: "SJ2606"),
                      needlesInserted: inserted, needlesRemoved: removed, technique: .staticInSitu,
                      depth: DepthMillimetres(unchecked: 20), timeInSitu: Seconds(unchecked: 600))
    }

    func visit(_ id: Int64) throws -> Visit { try #require(try session.database.read { try $0.visit(id: id) }) }

    /// The details of every audit event, newest first.
    func audit() throws -> [String] {
        try session.database.read { try $0.auditLog(patientID: nil, limit: 1000) }.compactMap(\.event.detail)
    }

    /// The audit trail verifies (each event's hash over the one before).
    func auditVerifies() throws -> Bool { try session.verifyAudit().firstProblem == nil }
}
