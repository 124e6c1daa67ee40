import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// The needling form fills in nothing that states a clinical fact: the side, the technique,
/// the needles removed and whether the sharps were disposed of start blank, the entry is not
/// saved until the practitioner keys each, and what is stored is what was keyed.
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
        #expect(workflow.said(tui).contains("answer whether the sharps were disposed of: y or n"), "\(tui.screen)")
        #expect(tui.screen.contains("disposed of in the sharps container? type y or n"), "\(tui.screen)")
        #expect(try tui.firstVisit().needling.isEmpty, "nothing is stored until every claim is keyed")

        // Sharps is the last field: n is an answer like y, and it is what is stored.
        try tui.press(Array(repeating: Key.tab, count: 8))
        try tui.press(.character("n"))
        try tui.press(.ctrl("s"))
        #expect(workflow.said(tui).contains("Needling entry saved: Soleus, right, 2 in, 0 out."), "\(tui.screen)")
        let stored = try #require(try tui.firstVisit().needling.first)
        #expect(stored.side == .right && stored.needlesRemoved == 0 && stored.technique == .pistoning && !stored.sharpsDisposed)
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
