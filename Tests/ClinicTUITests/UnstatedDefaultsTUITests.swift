import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// The last defaults that stated what nobody said, at the keyboard: the trigger-point form's
/// algometer probe (it read 1.0 cm² before anyone typed it) and the needling form's `+` adverse
/// event (it was a mild bruise before anyone chose it). Each starts blank, Ctrl-S is refused
/// naming it with nothing saved, and what is keyed is what is recorded. (The precaution
/// screen's days are in SafetyFormTests.)
@Suite struct UnstatedDefaultsTUITests {
    func said(_ tui: TUIHarness) -> String { tui.app.state.message?.text ?? "" }

    func triggerPointForm(_ tui: TUIHarness) throws -> TriggerPointFormState {
        guard case .triggerPointForm(let form) = tui.app.state.current else {
            Issue.record("the trigger-point form should be open:\n\(tui.screen)")
            throw CancellationError()
        }
        return form
    }

    @Test func aThresholdWithoutItsProbeIsRefusedAndTheProbeTypedIsRecorded() throws {
        let tui = try TUIHarness.visitStarted("unstated-probe")
        try tui.press(.function(3))
        try tui.type("soleus")
        try tui.press(.tab)
        try tui.keyTriggerPointFindings()
        #expect(try triggerPointForm(tui).probe.text.isEmpty, "no probe is assumed")
        try tui.press(.tab, .tab)                  // from the referred pain, past the tenderness, to the PPT
        #expect(try triggerPointForm(tui).focus == .ppt)
        try tui.type("3.2")
        let row = try #require(tui.lines.first { $0.contains("kg/cm²") }, "\(tui.screen)")
        #expect(row.contains("Probe") && row.contains("not answered") && !row.contains("1.0"), "\(row)")

        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("probe size: not answered: type the algometer's probe area in cm² (0.5 to 2) for the PPT"),
                "\(said(tui))")
        #expect(try tui.firstVisit().triggerPoints.isEmpty, "nothing saved")
        #expect(try triggerPointForm(tui).ppt.text == "3.2", "the form stays open with what was typed")

        try tui.press(.tab)
        try tui.type("1.5")
        #expect(!(tui.lines.first { $0.contains("kg/cm²") } ?? "").contains("not answered"), "\(tui.screen)")
        try tui.press(.ctrl("s"))
        let saved = try #require(try tui.firstVisit().triggerPoints.first, "\(said(tui))")
        #expect(saved.pressurePainThreshold == PressurePainThreshold(value: try KilogramsPerSquareCentimetre(3.2, field: "ppt"),
                                                                     probeSizeCm2: 1.5))
    }

    @Test func noThresholdNeedsNoProbe() throws {
        let tui = try TUIHarness.visitStarted("unstated-probe-none")
        try tui.press(.function(3))
        try tui.type("soleus")
        try tui.press(.tab)
        try tui.keyTriggerPointFindings()
        #expect(!(tui.lines.first { $0.contains("kg/cm²") } ?? "").contains("not answered"), "optional while no PPT:\n\(tui.screen)")
        try tui.press(.ctrl("s"))
        let saved = try #require(try tui.firstVisit().triggerPoints.first, "\(said(tui))")
        #expect(saved.pressurePainThreshold == nil)
    }

    @Test func plusAddsAnAdverseEventWithItsKindAndSeverityUnchosenAndCtrlSNamesEach() throws {
        let tui = try TUIHarness.visitStarted("unstated-adverse")
        try tui.needlingUpToTechnique()
        try tui.keyNeedlingClaims()
        try tui.focusNeedling(.adverse)
        try tui.press(.character("+"))
        let row = try #require(tui.needlingForm()?.adverse.rows.first)
        #expect(row.kind == nil && row.severity == nil, "no event is named for the practitioner")
        #expect(!tui.screen.contains("bruising") && !tui.screen.contains("mild"), "\(tui.screen)")
        #expect(tui.lines.contains { $0.contains("? kind") && $0.contains("? severity") }, "\(tui.screen)")

        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("the adverse event: the kind is not chosen: type its first letter or Space (bruising, bleeding"),
                "\(said(tui))")
        #expect(try tui.firstVisit().needling.isEmpty, "nothing saved")

        try tui.focusNeedling(.adverse)
        try tui.press(.character("b"), .character("b"))  // bruising, then bleeding
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("the adverse event (bleeding): the severity is not chosen: m mild, s significant or serious"),
                "\(said(tui))")
        #expect(try tui.firstVisit().needling.isEmpty, "nothing saved")

        try tui.focusNeedling(.adverse)
        try tui.press(.tab, .character("m"))       // the severity: mild
        try tui.press(.tab)
        try tui.type("pressure 2 min")
        try tui.press(.ctrl("s"))
        let entry = try #require(try tui.firstVisit().needling.first, "\(said(tui))")
        #expect(entry.adverseEvents == [AdverseEvent(kind: .bleeding, severity: .mild, action: "pressure 2 min")])
    }
}
