import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// The trigger-point and needling forms record everything the CLI records (twitch, tenderness,
/// pressure pain threshold, likely causes; electrical settings, time in situ, patient response,
/// adverse events), the quick path still saves with defaults, and a form taller than 80x24
/// scrolls to the field being typed in.
@Suite struct FormFieldsTests {

    /// The read-only visit view's text, wide enough not to wrap.
    func visitView(_ tui: TUIHarness) throws -> String {
        let record = try tui.session.visitRecord(id: try #require(try tui.firstVisit().id))
        return VisitScreen.document(record, width: 400).lines.map(\.text).joined(separator: "\n")
    }

    func said(_ tui: TUIHarness) -> String { tui.app.state.message?.text ?? "" }

    func tab(_ tui: TUIHarness, _ times: Int) throws {
        try tui.press(Array(repeating: Key.tab, count: times))
    }

    func needlingUpToTechnique(_ tui: TUIHarness) throws { try tui.needlingUpToTechnique() }

    @Test func triggerPointIsSavedWithTwitchTendernessThresholdAndCauses() throws {
        let tui = try TUIHarness.visitStarted("fields-trigger-point")
        try tui.press(.function(3))
        try tui.type("gastroc")
        try tui.press(.tab, .character("l"), .tab, .character("a"), .tab)  // take the muscle; left; active
        try tui.type("TrP1 mid-belly")
        try tui.press(.tab, .character("y"))       // taut band
        try tui.press(.tab, .character("y"))       // twitch
        try tui.press(.tab, .character("n"), .tab) // referred: no
        try tui.type("7")
        try tui.press(.tab)
        try tui.type("3.5")
        try tab(tui, 1)
        try tui.type("1.0")                        // the probe: typed, never assumed
        try tab(tui, 1)
        try tui.press(.character(" "), .down, .down, .down, .character(" "))  // injury, sustained posture
        try tui.press(.tab)
        try tui.type("worse after desk work")
        try expectGolden("trigger-point-form-filled", tui.screen)

        try tui.press(.ctrl("s"))
        let muscle = MuscleCatalogue.search("gastroc", limit: MusclePicker.shownResults)[0]
        #expect(said(tui).contains("Trigger point saved: \(muscle.name), left, active."), "\(tui.screen)")
        let findings = try tui.firstVisit().triggerPoints
        #expect(findings.count == 1)
        let saved = try #require(findings.first)
        #expect(saved.muscleID == muscle.id && saved.side == .left && saved.activity == .active)
        #expect(saved.location == "TrP1 mid-belly")
        #expect(saved.tautBand && saved.localTwitchResponse && !saved.referredPainReproduced)
        #expect(saved.tenderness?.value == 7)
        #expect(saved.pressurePainThreshold?.value.value == 3.5)
        #expect(saved.pressurePainThreshold?.probeSizeCm2 == 1.0)
        #expect(saved.likelyCauses == [.injury, .sustainedPosture])
        #expect(saved.notes == "worse after desk work")

        let view = try visitView(tui)
        #expect(view.contains("TrP1 mid-belly; taut band; twitch; tenderness 7/10; PPT 3.5 kg/cm² (probe 1.0 cm²)"), "\(view)")
        #expect(view.contains("likely causes: injury, sustained-posture; worse after desk work"), "\(view)")
    }

    @Test func tendernessOutOfRangeIsRefusedAndTheFormStaysOpen() throws {
        let tui = try TUIHarness.visitStarted("fields-tenderness-11")
        try tui.press(.function(3))
        try tui.type("soleus")
        try tui.press(.tab)
        try tui.keyTriggerPointFindings()
        try tab(tui, 1)                            // from the referred pain to the tenderness
        try tui.type("11")
        try tui.press(.ctrl("s"))
        #expect(said(tui).hasPrefix("Not saved: tenderness: '11' is out of range: NPRS is 0 to 10"), "\(tui.screen)")
        #expect(try tui.firstVisit().triggerPoints.isEmpty, "nothing saved")
        guard case .triggerPointForm(let form) = tui.app.state.current else {
            Issue.record("the form should stay open after a refusal")
            return
        }
        #expect(form.tenderness.text == "11", "what was typed is kept")

        try tui.press(.backspace)
        try tui.press(.ctrl("s"))
        #expect(try tui.firstVisit().triggerPoints.first?.tenderness?.value == 1, "corrected, it saves")
    }

    @Test func electricalNeedlingWithAnAdverseEventIsSavedWithEverything() throws {
        let tui = try TUIHarness.visitStarted("fields-needling-electrical")
        try needlingUpToTechnique(tui)
        #expect(!tui.screen.contains("Settings"), "no settings field before electrical is chosen")
        try tui.press(.character("e"), .tab)
        try tui.type("2 Hz, 10 mA, 10 min")
        try tab(tui, 2)                            // depth optional for soleus
        try tui.type("600")
        try tui.press(.tab, .ctrl("u"))
        try tui.type("3")
        try tui.press(.tab)
        try tui.type("TrP1")
        try tui.press(.tab)
        try tui.type("deep ache, eased after")
        try tui.press(.tab, .character("+"), .character("v"), .tab, .character("s"), .tab)
        try tui.type("lay flat, fluids")
        try expectGolden("needling-form-electrical", tui.screen)

        try tui.answerNeedlingSharps()
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("Needling entry saved: Soleus, left, 1 in, 1 out."), "\(tui.screen)")
        let saved = try #require(try tui.firstVisit().needling.first)
        #expect(saved.technique == .electricalStimulation(settings: "2 Hz, 10 mA, 10 min"))
        #expect(saved.timeInSitu?.value == 600)
        #expect(saved.twitchResponses == 3)
        #expect(saved.triggerPoint == "TrP1")
        #expect(saved.patientResponse == "deep ache, eased after")
        #expect(saved.adverseEvents == [AdverseEvent(kind: .vasovagal, severity: .significant, action: "lay flat, fluids")])
        #expect(saved.sharpsDisposed)

        let view = try visitView(tui)
        #expect(view.contains("Soleus, left · TrP1 · 0.25 x 40 mm Seirin lot A123 · 1 in, 1 out · electrical (2 Hz, 10 mA, 10 min)"),
                "\(view)")
        #expect(view.contains("in situ 600 s · 3 twitches · response: deep ache, eased after"), "\(view)")
        #expect(view.contains("adverse: vasovagal (significant): lay flat, fluids"), "\(view)")
    }

    @Test func aSeriousEventIsHighlightedAndNeedsItsAction() throws {
        let tui = try TUIHarness.visitStarted("fields-adverse-serious")
        try needlingUpToTechnique(tui)
        try tui.focusNeedling(.twitches)
        try tui.type("0")
        try tui.answerNeedlingSharps()
        try tui.press(.backTab)                    // from the sharps up to the adverse events
        try tui.press(.character("+"), .character("s"), .character("s"))  // soreness-after, suspected-pneumothorax
        try tui.press(.tab, .character("s"), .character("s"))               // significant, serious
        #expect(tui.screen.contains("ADVERSE EVENT: suspected-pneumothorax (serious): act now"), "\(tui.screen)")
        #expect(tui.screen.contains("!! suspected-pneumothorax serious"), "\(tui.screen)")

        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("Not saved: adverseEvents[0].action: a serious adverse event needs the action taken"),
                "\(tui.screen)")
        #expect(try tui.firstVisit().needling.isEmpty)
        guard case .needlingForm(let form) = tui.app.state.current else {
            Issue.record("the form should stay open after a refusal")
            return
        }
        #expect(form.adverse.events == [AdverseEvent(kind: .suspectedPneumothorax, severity: .serious)])

        try tui.press(.tab)
        try tui.type("sent to ED")
        try tui.press(.ctrl("s"))
        let saved = try #require(try tui.firstVisit().needling.first, "\(tui.screen)")
        #expect(saved.adverseEvents == [AdverseEvent(kind: .suspectedPneumothorax, severity: .serious, action: "sent to ED")])
        let view = try visitView(tui)
        #expect(view.contains("adverse: suspected-pneumothorax (serious): sent to ED"), "\(view)")
        #expect(view.contains("ADVERSE EVENT: suspected-pneumothorax (serious)"), "the visit view flags it:\n\(view)")
    }

    @Test func quickPathSavesWithTheDefaultsOnceTheClaimsAreKeyed() throws {
        let tui = try TUIHarness.visitStarted("fields-quick")
        try tui.press(.function(3))
        try tui.type("soleus")
        try tui.press(.tab, .ctrl("s"))
        #expect(said(tui).contains("choose the side: l, r, m or b"), "no finding is answered for the practitioner")
        #expect(try tui.firstVisit().triggerPoints.isEmpty)
        try tui.keyTriggerPointFindings()
        try tui.press(.ctrl("s"))
        let finding = try #require(try tui.firstVisit().triggerPoints.first)
        #expect(finding.muscleID == "soleus" && finding.side == .left && finding.activity == .active)
        #expect(finding.tautBand && !finding.localTwitchResponse && !finding.referredPainReproduced)
        #expect(finding.tenderness == nil && finding.pressurePainThreshold == nil)
        #expect(finding.likelyCauses.isEmpty && finding.location == nil && finding.notes == nil)

        try needlingUpToTechnique(tui)
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("type the number of local twitch responses elicited (0 if none)"), "\(tui.screen)")
        #expect(try tui.firstVisit().needling.isEmpty, "no twitch count is answered for the practitioner")
        try tui.focusNeedling(.twitches)
        try tui.type("0")
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("adverse events: not answered: n for none, + to add one"), "\(tui.screen)")
        try tui.focusNeedling(.adverse)
        try tui.press(.character("n"))
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("answer whether the sharps were disposed of: y or n"), "\(tui.screen)")
        #expect(try tui.firstVisit().needling.isEmpty, "the sharps disposal is the practitioner's to say")
        try tui.answerNeedlingSharps()
        try tui.press(.ctrl("s"))
        let entry = try #require(try tui.firstVisit().needling.first, "\(tui.screen)")
        #expect(entry.technique == .pistoning && entry.timeInSitu == nil && entry.twitchResponses == 0)
        #expect(entry.triggerPoint == nil && entry.patientResponse == nil && entry.adverseEvents.isEmpty)
        #expect(entry.sharpsDisposed)
    }

    @Test func theFocusedFieldStaysOnScreenAt80x24() throws {
        let tui = try TUIHarness.visitStarted("fields-scrolling")
        // The likely-cause checklist makes the trigger-point form taller than the screen.
        try tui.press(.function(3))
        try tui.type("soleus")
        try tab(tui, 10)
        try tui.press(Array(repeating: Key.down, count: 9))
        #expect(tui.screen.contains("[ ] repetitive-work-or-lifting"), "\(tui.screen)")
        #expect(tui.screen.contains("↑ more"), "the top scrolled away:\n\(tui.screen)")
        try tui.press(.down)                       // past the last cause: the notes
        #expect(tui.lines.contains { $0.hasPrefix("▸Notes") }, "\(tui.screen)")
        try tui.press(.escape, .character("y"))  // Esc asks first: soleus was typed

        // Electrical settings and three adverse events: the needling form no longer fits.
        try needlingUpToTechnique(tui)
        try tui.press(.character("e"), .tab)
        try tui.type("2 Hz")
        try tab(tui, 6)
        try tui.press(.character("+"), .character("+"), .character("s"), .character("s"))  // suspected pneumothorax
        #expect(tui.screen.contains("ADVERSE EVENT: suspected-pneumothorax (severity ?): act now"), "\(tui.screen)")
        try tui.press(.character("+"))
        try tab(tui, 3)                            // severity, action, then past the last event: sharps
        guard case .needlingForm(let form) = tui.app.state.current else {
            Issue.record("still on the needling form")
            return
        }
        #expect(form.focus == .sharps)
        try expectGolden("needling-form-scrolled", tui.screen)
        #expect(tui.lines.contains { $0.hasPrefix("▸Sharps") }, "the last field is on screen:\n\(tui.screen)")
        #expect(!tui.lines.contains { $0.hasPrefix(" Muscle") }, "the top scrolled away:\n\(tui.screen)")
        #expect(tui.screen.contains("!! suspected-pneumothorax"), "\(tui.screen)")
        #expect(tui.lines[1].contains("Needling for Smith, Jane") && tui.lines[2].contains("Needle count"),
                "the title and the count stay at the top")
        // Back through three events (kind, severity, action each) and five fields to the settings.
        try tui.press(Array(repeating: Key.backTab, count: 15))
        guard case .needlingForm(let back) = tui.app.state.current else { return }
        #expect(back.focus == .settings)
        #expect(tui.lines.contains { $0.hasPrefix("▸Settings") }, "going back scrolls back:\n\(tui.screen)")
    }
}
