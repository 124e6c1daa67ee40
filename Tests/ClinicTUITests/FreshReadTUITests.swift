import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicTestSupport
@testable import ClinicTUI

/// The front end keeps one session open all day: what another program commits
/// shows on the next screen that reads it, also after a read failed on a row changed outside Knot.
@Suite struct FreshReadTUITests {
    @Test func aChangeCommittedElsewhereShowsOnTheNextReadAlsoAfterAFailedRead() throws {
        let tui = try TUIHarness("fresh-read", demo: false, user: "amy") { setup in
            let training = DryNeedlingTraining(course: "DN level 1", hours: 27, completedOn: try LocalDate(year: 2024, month: 3, day: 1))
            _ = try setup.addPractitioner(Practitioner(handle: "amy", name: "Amy Physio", profession: .physiotherapist,
                                                       dryNeedlingTraining: training))
            _ = try setup.addPatient(Patient(recordNumber: "K1", givenNames: "Jane", familyName: "Smith",
                                             dateOfBirth: try LocalDate(year: 1980, month: 5, day: 1)), today: fixedToday)
        }
        let path = tui.session.database.path
        let visit = try tui.session.newVisit(patientKey: "K1", at: OutcomeChartTests.day(2), complaint: "Knee pain", pain: PainScores())
        let visitID = try #require(visit.id)
        _ = try tui.session.addOutcome(visitID: visitID, try OutcomeMeasure(scale: .lefs, items: Array(repeating: 2, count: 20)))
        func lefs(_ item: Int) -> String { "'[" + Array(repeating: String(item), count: 20).joined(separator: ",") + "]'" }

        try tui.type("smi")
        try tui.press(.enter, .enter)
        #expect(tui.screen.contains("LEFS 40/80"), "\(tui.screen)")
        try tui.press(.escape)

        // Another program commits a change: the visit, opened again, shows it.
        try StoreProbe.execute(path, "UPDATE outcome_measure SET items_json = \(lefs(3)) WHERE visit_id = \(visitID)")
        try tui.press(.enter)
        #expect(tui.screen.contains("LEFS 60/80"), "\(tui.screen)")
        try tui.press(.escape)

        // A value out of range: the visit does not open, and the status line names the row.
        try StoreProbe.execute(path, "UPDATE outcome_measure SET items_json = \(lefs(9)) WHERE visit_id = \(visitID)")
        try tui.press(.enter)
        #expect(!tui.screen.contains("Visit in progress"), "\(tui.screen)")
        #expect(tui.screen.contains("outcome_measure") || tui.screen.contains("outcome measure"), "\(tui.screen)")

        // Repaired elsewhere: the same front end's next read sees the repair.
        try StoreProbe.execute(path, "UPDATE outcome_measure SET items_json = \(lefs(1)) WHERE visit_id = \(visitID)")
        if case .visit = tui.app.state.current { try tui.press(.escape) }
        try tui.press(.enter)
        #expect(tui.screen.contains("LEFS 20/80"), "\(tui.screen)")
    }
}
