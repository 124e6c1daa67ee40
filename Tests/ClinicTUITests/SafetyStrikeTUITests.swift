import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// Issue 13 at the keyboard: F2 on a visit that consent and a screen already cover shows them;
/// Ctrl-X asks why (Ctrl-X again: the screen instead), Esc keeps it, Enter strikes it out; the
/// form then asks for it again, and the database keeps the struck one, marked.
@Suite struct SafetyStrikeTUITests {
    func clinic(_ name: String) throws -> TUIHarness { try .janeAndAmy(name) }

    func said(_ tui: TUIHarness) -> String { tui.app.state.message?.text ?? "" }

    @Test func ctrlXStrikesTheCoveringScreenWithAReasonAndTheFormAsksAgain() throws {
        let tui = try clinic("safety-strike")
        try tui.type("smi")
        try tui.press(.enter, .character("n"))
        try tui.type("Calf pain")
        try tui.recordConsentAndScreenNonePresent()
        #expect(tui.screen.contains("consent until"), "\(tui.screen)")

        try tui.press(.function(2))
        #expect(tui.screen.contains("Consent 1 covers this visit") && tui.screen.contains("Precaution screen 1 covers this visit"),
                "\(tui.screen)")
        try tui.press(.ctrl("x"))
        #expect(said(tui).contains("Why strike out consent 1?"), "\(said(tui))")
        try tui.press(.ctrl("x"))
        #expect(said(tui).contains("Why strike out precaution screen 1?"), "\(said(tui))")
        try tui.press(.enter)
        #expect(said(tui).contains("a reason is needed"))
        try tui.press(.escape)
        #expect(said(tui) == "Not struck out.")
        guard case .safetyForm = tui.app.state.current else { Issue.record("Esc keeps the form open: \(tui.screen)"); return }

        try tui.press(.ctrl("x"), .ctrl("x"))
        try tui.type("answered for the wrong patient")
        #expect(tui.screen.contains("answered for the wrong patient"), "\(tui.screen)")
        try tui.press(.enter)
        #expect(said(tui).contains("Struck out precaution screen 1"), "\(said(tui))")
        guard case .safetyForm(let form) = tui.app.state.current else { Issue.record("the form asks again: \(tui.screen)"); return }
        #expect(form.asksScreen && !form.asksConsent, "the screen is asked again, consent still covers")
        let (screens, struck) = try tui.session.database.read { tx in (try tx.screens(patientID: 1), try tx.struckSafety(patientID: 1)) }
        #expect(screens.isEmpty)
        #expect(struck.map(\.kind) == [.screen] && struck.first?.reason == "answered for the wrong patient")
    }
}
