import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// Issue 16 at the keyboard: the visit editor's list selects the impression and each outcome
/// measure like any other entry; a measure saved by mistake is struck out after a reason (and
/// recorded again with F9), the impression is replaced (Enter) or cleared (`x`, then Ctrl-S).
@Suite struct OutcomeCorrectionTUITests {
    static func day(_ d: Int) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = ClinicTimeZone.current
        return cal.date(from: DateComponents(year: 2026, month: 11, day: d, hour: 9))!
    }

    /// Jane's draft with an impression, a LEFS entered wrongly and an NDI, opened in the editor.
    func editor(_ name: String) throws -> (TUIHarness, Int64) {
        let tui = try TUIHarness.janeAndAmy(name)
        let amy = tui.session
        let draft = try amy.newVisit(patientKey: "K1", at: Self.day(2), complaint: "Knee pain", pain: PainScores())
        _ = try amy.setImpression(visitID: draft.id!, ClinicalImpression(text: "Patellofemoral pain"))
        _ = try amy.addOutcome(visitID: draft.id!, try OutcomeMeasure(scale: .lefs, items: Array(repeating: 1, count: 20)))
        _ = try amy.addOutcome(visitID: draft.id!, try OutcomeMeasure(scale: .ndi, items: Array(repeating: 2, count: 10)))
        try tui.type("smi")
        try tui.press(.enter, .enter)
        #expect(tui.screen.contains("Draft visit \(draft.id!) saved as you type"), "\(tui.screen)")
        return (tui, draft.id!)
    }

    func said(_ tui: TUIHarness) -> String { tui.app.state.message?.text ?? "" }

    func visit(_ tui: TUIHarness, _ id: Int64) throws -> Visit {
        try tui.session.database.read { tx in try #require(try tx.visit(id: id)) }
    }

    @Test func anOutcomeMeasureIsStruckAfterAReasonAndRecordedAgain() throws {
        let (tui, id) = try editor("outcome-strike")
        #expect(tui.screen.contains("   LEFS 20/80") && !tui.screen.contains("LEFS 20/80 · NDI"), "one measure a line:\n\(tui.screen)")
        #expect(tui.screen.contains("   NDI 40%"), "\(tui.screen)")

        try tui.press(.down, .down)
        #expect(tui.screen.contains("Selected: impression: Patellofemoral pain"), "\(tui.screen)")
        try tui.press(.down)
        #expect(tui.screen.contains("Selected: LEFS 20/80"), "\(tui.screen)")
        #expect(tui.screen.contains("x/Delete strike out, then F9 records it again"), "\(tui.screen)")
        try tui.press(.enter)
        #expect(said(tui).contains("striking it out (x) and recording it again (F9)"), "\(tui.screen)")

        try tui.press(.character("x"))
        #expect(tui.screen.contains("Strike out LEFS 20/80?"), "\(tui.screen)")
        try tui.press(.enter)
        #expect(said(tui).contains("a reason is needed"))
        #expect(try visit(tui, id).outcomes.count == 2, "no reason, nothing struck")
        try tui.type("items from the wrong form")
        try tui.press(.enter)
        #expect(said(tui).contains("Struck out outcome measure: LEFS 20/80"), "\(tui.screen)")
        #expect(try visit(tui, id).outcomes.map(\.scale) == [.ndi])
        let struck = try tui.session.database.read { tx in try tx.struckEntries(visitID: id) }
        #expect(struck.count == 1 && struck[0].kind == .outcome && struck[0].reason == "items from the wrong form" && struck[0].struckBy == "amy")
        #expect(!tui.screen.contains("   LEFS 20/80"), "gone from the list:\n\(tui.screen)")
        #expect(tui.screen.contains("Selected: NDI 40%"), "the selection moves on:\n\(tui.screen)")
        let trends = try tui.session.outcomeTrends(patientKey: "K1").1
        #expect(trends.map(\.scale) == [.ndi], "the struck LEFS leaves the trend")
    }

    @Test func theImpressionIsReplacedFromTheListOrClearedWithX() throws {
        let (tui, id) = try editor("impression-clear")
        try tui.press(.down, .down)
        #expect(tui.screen.contains("Enter/e replace · x/Delete clear"), "\(tui.screen)")
        try tui.press(.enter)
        #expect(tui.screen.contains("Clinical impression (working diagnosis) for"), "\(tui.screen)")
        try tui.press(.ctrl("u"))
        try tui.type("Patellar tendinopathy")
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Impression saved: Patellar tendinopathy.", "\(tui.screen)")
        #expect(try visit(tui, id).impression?.text == "Patellar tendinopathy")

        try tui.press(.character("x"))
        #expect(tui.screen.contains("Clinical impression (working diagnosis) for"), "\(tui.screen)")
        #expect(said(tui).contains("Ctrl-S clears the impression"), "\(tui.screen)")
        #expect(try visit(tui, id).impression != nil, "nothing cleared until Ctrl-S")
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Impression cleared.", "\(tui.screen)")
        #expect(try visit(tui, id).impression == nil)
        let audit = try tui.session.database.read { try $0.auditLog(patientID: nil, limit: 100) }.compactMap(\.event.detail)
        #expect(audit.contains("impression replaced: words") && audit.contains("impression cleared"), "\(audit)")
    }
}
