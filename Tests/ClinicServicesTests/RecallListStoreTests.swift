import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicTestSupport

/// The recall list (`knot reviews`, the front end's reviews screen) on every store
/// (`TestStore.all`): who is due is decided by each patient's latest final plan.
@Suite("The recall list on every store")
struct RecallListStoreTests {
    static let today = try! LocalDate(year: 2026, month: 6, day: 30)

    /// 10:00 on `day`, in the machine's zone.
    static func moment(_ day: LocalDate) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = .current
        return cal.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 10))!
    }

    @Test("only patients whose latest final plan is due and who were not seen since are listed, by review date",
          arguments: TestStore.all)
    func reviewsDueListsOnlyPatientsWhoseLatestFinalPlanIsDueAndNotYetSeen(store: TestStore) throws {
        let clinic = try store.newClinic()
        let s = try clinic.maintenanceSession()
        let t = Self.today
        let mei = try s.addPractitioner(Practitioner(handle: "mchen", name: "Mei Chen", profession: .physiotherapist))
        func patient(_ given: String, _ family: String) throws -> Patient {
            try s.database.write { tx in
                try tx.insertPatient(Patient(recordNumber: "", givenNames: given, familyName: family,
                                             dateOfBirth: try LocalDate(parsing: "1980-05-17")), actor: "test", today: t)
            }
        }
        func visit(_ p: Patient, _ day: LocalDate) throws -> Visit {
            try s.database.write { tx in
                try tx.insertVisit(Visit(patientID: p.id!, practitionerID: mei.id!, startedAt: Self.moment(day), complaint: "Neck pain",
                                         pain: PainScores(now: NPRS(unchecked: 6))), actor: "test")
            }
        }
        func plan(after v: Visit, review: LocalDate?, status: FollowUpPlan.Status = .final, sign: Bool = true) throws {
            try s.database.write { tx in
                if sign { try tx.signVisit(id: v.id!, at: v.startedAt.addingTimeInterval(1800), actor: "test") }
                try tx.insertPlan(FollowUpPlan(visitID: v.id!, status: status, reviewDate: review,
                                               items: [.init(section: .review, text: "Review")]), actor: "test")
            }
        }
        // Due: review passed, no visit since.
        try plan(after: try visit(try patient("Ava", "Overdue"), t.adding(days: -60)), review: t.adding(days: -20))
        // Due today.
        try plan(after: try visit(try patient("Dan", "Duetoday"), t.adding(days: -14)), review: t)
        // Not yet due.
        try plan(after: try visit(try patient("Lee", "Later"), t.adding(days: -7)), review: t.adding(days: 7))
        // Seen again after the plan: not due.
        let seen = try patient("Sam", "Seenagain")
        try plan(after: try visit(seen, t.adding(days: -40)), review: t.adding(days: -10))
        _ = try visit(seen, t.adding(days: -5))
        // Only a draft plan: not on the list.
        try plan(after: try visit(try patient("Di", "Draftplan"), t.adding(days: -30)), review: t.adding(days: -3), status: .draft)
        // A newer version of the plan moved the review later: the newest counts.
        let moved = try visit(try patient("Max", "Moved"), t.adding(days: -30))
        try plan(after: moved, review: t.adding(days: -2))
        try plan(after: moved, review: t.adding(days: 10), sign: false)
        // Archived: not on the list.
        var archived = try patient("Arch", "Ived")
        try plan(after: try visit(archived, t.adding(days: -60)), review: t.adding(days: -30))
        archived.archived = true
        try s.database.write { tx in try tx.updatePatient(archived, actor: "test", today: t) }

        let due = try s.reviewsDue(by: t, today: t)
        #expect(due.map(\.patient.familyName) == ["Overdue", "Duetoday"])
        #expect(due.map(\.reviewDate) == [t.adding(days: -20), t])
        #expect(due.map(\.overdueDays) == [20, 0])
        #expect(try s.reviewsDue(by: t.adding(days: 7), today: t).map(\.patient.familyName) == ["Overdue", "Duetoday", "Later"])
    }
}
