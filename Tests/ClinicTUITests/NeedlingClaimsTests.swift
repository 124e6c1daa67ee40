import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// The needling form fills in nothing that states a clinical fact: the side, the needles
/// inserted and removed, the technique, the twitches, the adverse events and whether the sharps were disposed of
/// start blank, the entry is not saved until the practitioner keys each, and what is stored is
/// what was keyed.
@Suite struct NeedlingClaimsTests {
    let workflow = VisitWorkflowTests()

    func form(_ tui: TUIHarness) throws -> NeedlingFormState {
        guard case .needlingForm(let form) = tui.app.state.current else { throw FormNotShown() }
        return form
    }

    struct FormNotShown: Error {}

    @Test func sideTechniqueRemovedAndSharpsStartBlankAndMustBeKeyed() throws {
        let tui = try workflow.clinic("needling-claims")
        try workflow.startVisit(tui)
        try tui.recordConsentAndScreenNonePresent()
        try tui.press(.function(4))
        let blank = try form(tui)
        #expect(blank.side == nil && blank.technique == nil && blank.removed.text.isEmpty && blank.sharpsDisposed == nil)
        #expect(blank.inserted.text.isEmpty && blank.twitches.text.isEmpty, "no count is stated for the practitioner")
        #expect(!blank.adverse.isAnswered, "no adverse event is not claimed for the practitioner either")
        #expect(tui.screen.contains("not chosen: type l, r, m or b"), "\(tui.screen)")
        #expect(tui.screen.contains("not chosen: type s, p or e"), "\(tui.screen)")

        // Muscle, needle and the count inserted: the form still asks for each claim in turn.
        try tui.type("soleus")
        try tui.press(.tab, .tab)
        try tui.type("0.25x40")
        try tui.press(.tab)
        try tui.type("Seirin")
        try tui.press(.tab)
        try tui.type("A123")
        try tui.press(.tab, .ctrl("u"))
        try tui.type("2")
        #expect(try form(tui).side == nil, "a paired muscle does not choose a side for the user")
        try tui.press(.ctrl("s"))
        #expect(workflow.said(tui).contains("choose the side: l, r, m or b"), "\(tui.screen)")
        try tui.press(.backTab, .backTab, .backTab, .backTab, .character("r"))
        try tui.press(.ctrl("s"))
        #expect(workflow.said(tui).contains("type the number of needles removed (0 while they are still in)"), "\(tui.screen)")
        try tui.press(.tab, .tab, .tab, .tab, .tab)
        try tui.type("0")
        try tui.press(.ctrl("s"))
        #expect(workflow.said(tui).contains("choose the technique: static, pistoning or electrical"), "\(tui.screen)")
        try tui.press(.tab, .character("p"))
        try tui.press(.ctrl("s"))
        #expect(workflow.said(tui).contains("type the number of local twitch responses elicited (0 if none)"), "\(tui.screen)")
        try tui.focusNeedling(.twitches)
        try tui.type("0")
        try tui.press(.ctrl("s"))
        #expect(workflow.said(tui).contains("adverse events: not answered: n for none, + to add one"), "\(tui.screen)")
        #expect(tui.screen.contains("not answered: n none, + adds an event"), "\(tui.screen)")
        try tui.focusNeedling(.adverse)
        try tui.press(.character("n"))
        #expect(try form(tui).adverse.isAnswered && form(tui).adverse.events.isEmpty)
        try tui.press(.ctrl("s"))
        #expect(workflow.said(tui).contains("answer whether the sharps were disposed of: y or n"), "\(tui.screen)")
        #expect(tui.screen.contains("disposed of in the sharps container? type y or n"), "\(tui.screen)")
        #expect(try tui.firstVisit().needling.isEmpty, "nothing is stored until every claim is keyed")

        // Sharps is the last field: n is an answer like y, and it is what is stored.
        try tui.answerNeedlingSharps("n")
        try tui.press(.ctrl("s"))
        #expect(workflow.said(tui).contains("Needling entry saved: Soleus, right, 2 in, 0 out."), "\(tui.screen)")
        let stored = try #require(try tui.firstVisit().needling.first)
        #expect(stored.side == .right && stored.needlesRemoved == 0 && stored.technique == .pistoning && !stored.sharpsDisposed)
        #expect(stored.needlesInserted == 2 && stored.twitchResponses == 0, "0 twitches stored because 0 was typed")
    }

    /// Accepting the form's counts as they open states nothing: Ctrl-S with the needles
    /// inserted and the twitches untouched is refused naming each in turn, and nothing is
    /// written until both are typed; then what was typed is stored.
    @Test func insertedAndTwitchesUntouchedAreRefusedNamingEachAndNothingIsWritten() throws {
        let tui = try workflow.clinic("needling-claims-counts")
        try workflow.startVisit(tui)
        try tui.recordConsentAndScreenNonePresent()
        try tui.press(.function(4))
        try tui.type("soleus")
        try tui.press(.tab, .character("l"), .tab)
        try tui.type("0.25x40")
        try tui.press(.tab)
        try tui.type("Seirin")
        try tui.press(.tab)
        try tui.type("A123")
        // Every other claim keyed; the needles inserted and the twitches left as the form opened.
        try tui.focusNeedling(.removed)
        try tui.type("0")
        try tui.press(.tab, .character("s"))
        try tui.answerNeedlingSharps("y")
        #expect(try form(tui).inserted.text.isEmpty && form(tui).twitches.text.isEmpty)
        #expect(tui.screen.contains("Inserted") && tui.screen.contains("not answered: needles, 1-50"), "\(tui.screen)")
        #expect(tui.screen.contains("not answered: local twitch responses, 0-100 (0 if none)"), "\(tui.screen)")
        #expect(tui.screen.contains("Needle count for the visit: 0 in, 0 out"), "no needle counted until one is typed:\n\(tui.screen)")

        try tui.press(.ctrl("s"))
        #expect(workflow.said(tui).contains("type the number of needles inserted"), "\(tui.screen)")
        #expect(try tui.firstVisit().needling.isEmpty, "nothing written")
        try tui.focusNeedling(.inserted)
        try tui.type("3")
        try tui.press(.ctrl("s"))
        #expect(workflow.said(tui).contains("type the number of local twitch responses elicited (0 if none)"), "\(tui.screen)")
        #expect(try tui.firstVisit().needling.isEmpty, "nothing written")
        #expect(try form(tui).inserted.text == "3", "what was typed is kept after the refusal")

        try tui.focusNeedling(.twitches)
        try tui.type("2")
        try tui.press(.ctrl("s"))
        #expect(workflow.said(tui).contains("Needling entry saved: Soleus, left, 3 in, 0 out."), "\(tui.screen)")
        let stored = try #require(try tui.firstVisit().needling.first)
        #expect(stored.needlesInserted == 3 && stored.twitchResponses == 2 && stored.needlesRemoved == 0)
    }

    @Test func aMidlineMuscleHasOneSideAndTheFormSaysSo() throws {
        let tui = try workflow.clinic("needling-claims-midline")
        try workflow.startVisit(tui)
        try tui.recordConsentAndScreenNonePresent()
        try tui.press(.function(4))
        try tui.type("diaphragm")
        try tui.press(.tab)
        #expect(try form(tui).side == .midline, "an unpaired muscle has only the midline")
        #expect(!tui.screen.contains("not chosen: type l, r, m or b"))
    }
}
