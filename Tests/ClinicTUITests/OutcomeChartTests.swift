import Foundation
import Testing
import ClinicModel
import ClinicServices
@testable import ClinicTUI

/// The chart trends each outcome measure with its MCID, under the pain trend; the visit view
/// shows the impression and the measures.
@Suite struct OutcomeChartTests {
    static func day(_ d: Int) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = ClinicTimeZone.current
        return cal.date(from: DateComponents(year: 2026, month: 11, day: d, hour: 9))!
    }

    @Test func theChartShowsEachScaleOldestFirstWithItsMCID() throws {
        let tui = try TUIHarness("outcome-chart", demo: false, user: "amy") { setup in
            let training = DryNeedlingTraining(course: "DN level 1", hours: 27, completedOn: try LocalDate(year: 2024, month: 3, day: 1))
            _ = try setup.addPractitioner(Practitioner(handle: "amy", name: "Amy Physio", profession: .physiotherapist,
                                                       dryNeedlingTraining: training))
            _ = try setup.addPatient(Patient(recordNumber: "K1", givenNames: "Jane", familyName: "Smith",
                                             dateOfBirth: try LocalDate(year: 1980, month: 5, day: 1)), today: fixedToday)
        }
        let amy = tui.session
        let first = try amy.newVisit(patientKey: "K1", at: Self.day(2), complaint: "Knee pain", pain: PainScores())
        _ = try amy.addOutcome(visitID: first.id!, try OutcomeMeasure(scale: .lefs, items: Array(repeating: 2, count: 20)))
        _ = try amy.setImpression(visitID: first.id!, ClinicalImpression(text: "Patellofemoral pain", code: "M22.2", codeSystem: .icd10))
        _ = try amy.sign(visitID: first.id!)
        let second = try amy.newVisit(patientKey: "K1", at: Self.day(16), complaint: "Knee pain", pain: PainScores())
        _ = try amy.addOutcome(visitID: second.id!, try OutcomeMeasure(scale: .lefs, items: Array(repeating: 3, count: 20)))
        try tui.type("smi")
        try tui.press(.enter)
        #expect(tui.screen.contains(" LEFS 40/80 → 60/80: 20 points better, at least the 9-point MCID"), "\(tui.screen)")
        // The signed first visit (second row, newest first) shows its impression and measures.
        try tui.press(.down, .enter)
        #expect(tui.screen.contains("Impression: Patellofemoral pain (ICD-10 M22.2)"), "\(tui.screen)")
        #expect(tui.screen.contains("Outcome measures: LEFS 40/80"), "\(tui.screen)")
    }
}
