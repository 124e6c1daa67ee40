import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// A new visit from the chart: typed in seconds, saved as a draft on every change.
@Suite struct NewVisitTests {
    func visits(_ tui: TUIHarness, _ search: String) throws -> [VisitSummary] {
        try tui.session.database.read { tx in
            let patient = try #require(try tx.searchPatients(search).first)
            return try tx.visitSummaries(patientID: patient.id)
        }
    }

    @Test func complaintAndPainAreSavedAsTyped() throws {
        let tui = try TUIHarness("new-visit")
        try tui.type("alvarez")
        try tui.press(.enter)
        let before = try visits(tui, "alvarez").count
        try tui.press(.character("n"))
        try expectGolden("new-visit-empty", tui.screen)
        #expect(try visits(tui, "alvarez").count == before, "opening the form writes nothing")

        try tui.type("Neck ache")
        var all = try visits(tui, "alvarez")
        #expect(all.count == before + 1)
        #expect(all.first?.status == .draft)
        #expect(all.first?.complaint == "Neck ache", "saved as typed, before leaving the field")

        try tui.press(.tab)
        try tui.type("x4")
        #expect(try visits(tui, "alvarez").first?.painNow == 4, "letters are not typed into the pain score")
        try tui.type("1")
        #expect(tui.screen.contains("NPRS is 0 to 10: not saved"))
        #expect(try visits(tui, "alvarez").first?.painNow == 4, "an invalid score is not saved")
        try tui.press(.backspace)
        try expectGolden("new-visit-typed", tui.screen)

        try tui.press(.escape)
        all = try visits(tui, "alvarez")
        #expect(all.count == before + 1, "one draft, updated in place")
        let draft = try #require(all.first)
        #expect(tui.screen.contains("Draft visit \(draft.id) kept"))
        #expect(tui.screen.contains("Last visit 2026-11-20: Neck ache"))
        let row = try #require(tui.lines.first { $0.contains("Neck ache") && $0.contains("draft") })
        #expect(row.contains("2026-11-20") && row.contains("NPRS 4"))
    }

    @Test func leavingAnEmptyFormCreatesNoVisit() throws {
        let tui = try TUIHarness("new-visit-empty")
        try tui.type("alvarez")
        try tui.press(.enter)
        let before = try visits(tui, "alvarez").count
        try tui.press(.character("n"), .tab, .escape)
        #expect(try visits(tui, "alvarez").count == before)
        guard case .chart = tui.app.state.current else {
            Issue.record("not back on the chart")
            return
        }
    }

    @Test func receptionCannotStartAVisit() throws {
        let tui = try TUIHarness("new-visit-reception", user: "reception")
        try tui.type("alvarez")
        try tui.press(.enter, .character("n"))
        #expect(tui.screen.contains("Recording a visit needs a practitioner"))
        guard case .chart = tui.app.state.current else {
            Issue.record("left the chart")
            return
        }
    }
}
