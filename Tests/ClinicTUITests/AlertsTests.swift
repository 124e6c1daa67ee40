import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// The alerts screen from the chart (`!`): proposed, active and dismissed alerts; confirming,
/// dismissing (with a typed reason) and adding, each checked in the database and on the chart's banner.
@Suite struct AlertsTests {
    func said(_ tui: TUIHarness) -> String { tui.app.state.message?.text ?? "" }

    /// Daniel Cohen (demo: an antiplatelet proposed from his referral) with a latex allergy and
    /// a dismissed note added, so that all three kinds of row show.
    func cohen(_ name: String, user: String? = "mchen") throws -> (TUIHarness, Int64) {
        var id: Int64 = 0
        let tui = try TUIHarness(name, user: user) { setup in
            let patient = try #require(try setup.searchPatients("cohen").first { $0.displayName.hasPrefix("Cohen, Daniel") })
            id = patient.id
            try setup.database.write { tx in
                _ = try tx.insertAlert(PatientAlert(kind: .allergy, text: "Latex: hives"), patientID: patient.id, actor: "tester")
                _ = try tx.insertAlert(PatientAlert(kind: .other, text: "Prefers morning appointments", status: .dismissed,
                                                    source: "referral (notes)"), patientID: patient.id, actor: "tester")
            }
        }
        try tui.type("cohen")
        try tui.press(.enter)
        guard case .chart(let chart) = tui.app.state.current, chart.chart.patient.id == id else {
            Issue.record("not Daniel Cohen's chart: \(tui.screen)")
            throw CancellationError()
        }
        return (tui, id)
    }

    func alerts(_ tui: TUIHarness, _ id: Int64) throws -> [PatientAlert] {
        try tui.session.database.read { tx in try #require(try tx.patient(id: id)).alerts }
    }

    @Test func proposedAlertIsConfirmedAndTheBannerFollows() throws {
        let (tui, id) = try cohen("alerts-confirm")
        #expect(tui.screen.contains("PROPOSED PRECAUTION, NOT YET CONFIRMED: antiplatelet medicine"))
        try tui.press(.character("!"))
        try expectGolden("alerts-list", tui.screen)
        // The proposed alert comes first and is chosen.
        guard case .alerts(let list) = tui.app.state.current else {
            Issue.record("no alerts screen")
            return
        }
        #expect(list.selected?.status == .proposed)

        try tui.press(.character("c"))
        #expect(said(tui).contains("confirmed: it shows on the chart as active"), "\(said(tui))")
        let antiplatelet = try #require(try alerts(tui, id).first { $0.kind == .precaution(.antiplatelet) })
        #expect(antiplatelet.status == .confirmed)
        #expect(tui.screen.contains("2 active, 0 proposed, 1 dismissed"))

        // Back on the chart, the banner says PRECAUTION, no longer PROPOSED.
        try tui.press(.escape)
        #expect(tui.app.state.current.kind == .chart)
        #expect(tui.screen.contains("PRECAUTION: antiplatelet medicine"))
        #expect(!tui.screen.contains("PROPOSED PRECAUTION"))
    }

    @Test func dismissingAsksWhyAndKeepsTheAlertWithTheReason() throws {
        let (tui, id) = try cohen("alerts-dismiss")
        try tui.press(.character("!"), .character("d"))
        #expect(tui.screen.contains("Dismiss this precaution: antiplatelet medicine? Type why it does not apply:"))
        #expect(tui.screen.contains("Enter dismisses it (kept for the record, with the reason) · Esc keeps it"))
        // Esc keeps it, and the typing is not kept for next time.
        try tui.type("stopped")
        try tui.press(.escape)
        #expect(said(tui) == "Not dismissed: the alert stays as it was.")
        #expect(tui.app.state.current.kind == .alerts, "Esc closes the question, not the alerts screen")
        #expect(try alerts(tui, id).first { $0.kind == .precaution(.antiplatelet) }?.status == .proposed)

        // Enter with no reason, or a word, is refused: the question stays open with the typing.
        try tui.press(.character("d"), .enter)
        #expect(said(tui).hasPrefix("Not dismissed: the reason is required"), "\(said(tui))")
        try tui.type("no")
        try tui.press(.enter)
        #expect(said(tui).hasPrefix("Not dismissed: the reason is too short"), "\(said(tui))")
        #expect(try alerts(tui, id).first { $0.kind == .precaution(.antiplatelet) }?.status == .proposed)
        guard case .alerts(let open) = tui.app.state.current else {
            Issue.record("no alerts screen")
            return
        }
        #expect(open.dismissing?.reason.text == "no")

        // Letters that are keys elsewhere on the screen (c, d, n, y) go into the reason.
        try tui.press(.backspace, .backspace)
        try tui.type("aspirin stopped by cardiology, confirmed with the GP")
        try expectGolden("alerts-dismiss-reason", tui.screen)
        try tui.press(.enter)
        #expect(said(tui).contains("dismissed: kept for the record"), "\(said(tui))")
        let all = try alerts(tui, id)
        let dismissed = try #require(all.first { $0.kind == .precaution(.antiplatelet) })
        #expect(dismissed.status == .dismissed)
        #expect(dismissed.dismissReason == "aspirin stopped by cardiology, confirmed with the GP")
        #expect(all.count == 3, "a dismissed alert is kept")
        #expect(tui.screen.contains("1 active, 0 proposed, 2 dismissed"))
        #expect(tui.screen.contains("dismissed: aspirin stopped by cardiology"), "the reason shows beside the dismissed alert")
        let audit = try tui.session.database.read { tx in try tx.auditLog(patientID: id, limit: 100) }
        #expect(audit.contains { $0.event.entity == "alert" && $0.event.detail == "dismissed: aspirin stopped by cardiology, confirmed with the GP" })

        try tui.press(.escape)
        // The alert's banner line goes (the precaution screen in force may still name it, on its own SCREEN line).
        #expect(!tui.screen.contains("PRECAUTION: antiplatelet") && !tui.screen.contains("NOT YET CONFIRMED: antiplatelet"),
                "a dismissed alert leaves the banner: \(tui.screen)")
        #expect(tui.screen.contains("ALLERGY: Latex: hives"))
    }

    @Test func newAlertIsAddedActiveAndShowsOnTheChart() throws {
        let (tui, id) = try cohen("alerts-new")
        try tui.press(.character("!"), .character("n"))
        #expect(tui.app.state.current.kind == .alertForm)
        // An allergy needs its text: refused, the form stays.
        try tui.press(.ctrl("s"))
        #expect(said(tui).hasPrefix("Not saved: type what the allergy is to"))
        #expect(tui.app.state.current.kind == .alertForm)

        // Choose "precaution: pregnancy" (down the list), then type the text.
        let pregnancy = try #require(AlertFormState.kinds.firstIndex(of: .precaution(.pregnancy)))
        try tui.press(Array(repeating: Key.down, count: pregnancy))
        try tui.press(.tab)
        try tui.type("22 weeks: no needling over the abdomen or low back")
        try expectGolden("alert-form", tui.screen)
        try tui.press(.ctrl("s"))
        #expect(tui.app.state.current.kind == .alerts)
        #expect(said(tui).contains("added (precaution: pregnancy): it shows on the chart"), "\(said(tui))")
        let added = try #require(try alerts(tui, id).first { $0.kind == .precaution(.pregnancy) })
        #expect(added.status == .confirmed)
        #expect(added.text == "22 weeks: no needling over the abdomen or low back")

        try tui.press(.escape)
        #expect(tui.screen.contains("PRECAUTION: pregnancy: 22 weeks"))
    }

    @Test func theServiceDecidesWhoReviewsAlerts() throws {
        let (tui, id) = try cohen("alerts-reception", user: "reception")
        try tui.press(.character("!"), .character("c"))
        #expect(said(tui).hasPrefix("Not saved:"), "\(said(tui))")
        #expect(said(tui).contains("reception"))
        #expect(try alerts(tui, id).first { $0.kind == .precaution(.antiplatelet) }?.status == .proposed)
        #expect(tui.app.state.current.kind == .alerts)
    }
}
