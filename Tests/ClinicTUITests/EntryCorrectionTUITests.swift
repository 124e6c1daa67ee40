import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// Issue 13 B at the keyboard: the visit editor's recorded entries are selected (Down past the
/// Pain field), corrected in their pre-filled form (Enter or `e`) or struck out after a reason
/// (`x` or Delete); the needle count on the editor follows, and the database agrees.
@Suite struct EntryCorrectionTUITests {
    func clinic(_ name: String) throws -> TUIHarness { try .janeAndAmy(name) }

    /// Jane's chart, a new visit with a complaint, consent and screen recorded.
    func startVisit(_ tui: TUIHarness) throws {
        try tui.type("smi")
        try tui.press(.enter, .character("n"))
        try tui.type("Calf pain")
        try tui.recordConsentAndScreenNonePresent()
        #expect(tui.screen.contains("consent until"), "\(tui.screen)")
    }

    /// A needling entry for the upper trapezius, right, saved.
    func addNeedling(_ tui: TUIHarness, inserted: String, removed: String) throws {
        try tui.press(.function(4))
        try tui.type("upper trap")
        try tui.press(.tab, .character("r"), .tab, .ctrl("u"))
        try tui.type("0.25x40")
        try tui.press(.tab, .ctrl("u"))
        try tui.type("Seirin")
        try tui.press(.tab, .ctrl("u"))
        try tui.type("A123")
        try tui.press(.tab, .ctrl("u"))
        try tui.type(inserted)
        try tui.press(.tab, .ctrl("u"))
        try tui.type(removed)
        try tui.press(.tab, .character("s"), .tab)
        try tui.type("12")
        try tui.focusNeedling(.twitches)
        try tui.type("0")
        try tui.answerNeedlingSharps()
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("Needling entry saved"), "\(tui.screen)")
    }

    func said(_ tui: TUIHarness) -> String { tui.app.state.message?.text ?? "" }

    func editor(_ tui: TUIHarness) -> NewVisitState? {
        if case .newVisit(let form) = tui.app.state.current { return form }
        return nil
    }

    @Test func aNeedlingEntrysCountIsCorrectedInItsFormAndTheCountFollows() throws {
        let tui = try clinic("correct-needling-count")
        try startVisit(tui)
        try addNeedling(tui, inserted: "3", removed: "0")
        #expect(tui.screen.contains("NEEDLE COUNT: 3 in, 0 out — 3 unaccounted for"))

        try tui.press(.down, .down)
        #expect(editor(tui)?.selection == 0, "Down past Pain selects the first recorded entry")
        #expect(tui.screen.contains("Selected: Trapezius (upper fibres), right"), "\(tui.screen)")
        try tui.press(.enter)
        #expect(tui.screen.contains("Correcting: Needling for Smith, Jane"), "\(tui.screen)")
        #expect(tui.screen.contains("Seirin") && tui.screen.contains("A123"), "pre-filled with the entry")
        try tui.press(.tab, .tab, .tab, .tab, .tab, .ctrl("u"))
        try tui.type("2")
        try tui.press(.tab, .ctrl("u"))
        try tui.type("2")
        #expect(tui.screen.contains("2 in, 2 out"), "the live count leaves the entry's old numbers out:\n\(tui.screen)")
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Needling entry corrected: Trapezius (upper fibres), right, 2 in, 2 out.", "\(tui.screen)")
        let stored = try tui.firstVisit().needling
        #expect(stored.count == 1 && stored[0].needlesInserted == 2 && stored[0].needlesRemoved == 2, "corrected, not added")
        #expect(stored[0].depth?.value == 12 && stored[0].needle.lot == "A123", "the rest kept as it was")
        #expect(tui.screen.contains("Needles: 2 in, 2 out"), "\(tui.screen)")
        try tui.press(.function(10), .character("y"))
        #expect(try tui.firstVisit().status == .signed)
    }

    @Test func aTriggerPointIsStruckAfterAReasonAndTheNeedleCountFollows() throws {
        let tui = try clinic("correct-strike")
        try startVisit(tui)
        try tui.press(.function(3))
        try tui.type("soleus")
        try tui.press(.tab)
        try tui.keyTriggerPointFindings()
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("Trigger point saved"), "\(tui.screen)")
        try addNeedling(tui, inserted: "2", removed: "0")

        try tui.press(.down, .down, .character("x"))
        #expect(tui.screen.contains("Strike out Soleus"), "\(tui.screen)")
        try tui.press(.enter)
        #expect(said(tui).contains("a reason is needed"))
        #expect(try tui.firstVisit().triggerPoints.count == 1, "no reason, nothing struck")
        try tui.type("wrong muscle")
        try tui.press(.enter)
        #expect(said(tui).contains("Struck out trigger point: Soleus"), "\(tui.screen)")
        #expect(try tui.firstVisit().triggerPoints.isEmpty)
        let visitID = try #require(try tui.firstVisit().id)
        let struck = try tui.session.database.read { tx in try tx.struckEntries(visitID: visitID) }
        #expect(struck.count == 1 && struck[0].reason == "wrong muscle" && struck[0].struckBy == "amy")

        // The selection moves to the needling entry; Delete strikes it and the count follows.
        #expect(tui.screen.contains("Selected: Trapezius (upper fibres), right"), "\(tui.screen)")
        try tui.press(.delete)
        #expect(said(tui).contains("2 needles here not recorded out: strike only if never inserted."), "\(tui.screen)")
        try tui.type("entered on the wrong patient")
        try tui.press(.enter)
        #expect(try tui.firstVisit().needling.isEmpty)
        #expect(tui.screen.contains("Needles: 0 in, 0 out"), "\(tui.screen)")
        #expect(editor(tui)?.selection == nil, "nothing left to select")
    }

    @Test func escapeLeavesTheListAndKeepsTheEntryAndHelpListsTheKeys() throws {
        let tui = try clinic("correct-escape")
        try startVisit(tui)
        try tui.press(.function(3))
        try tui.type("soleus")
        try tui.press(.tab)
        try tui.keyTriggerPointFindings()
        try tui.press(.ctrl("s"))
        try tui.press(.down, .down, .character("x"))
        try tui.type("oops")
        try tui.press(.escape)
        #expect(said(tui) == "Not struck out.")
        #expect(try tui.firstVisit().triggerPoints.count == 1)
        #expect(editor(tui)?.selection == 0)
        try tui.press(.character("q"))
        #expect(editor(tui)?.complaint.text == "Calf pain", "letters do not type into the complaint from the list")
        try tui.press(.escape)
        #expect(editor(tui)?.selection == nil, "Esc goes back to the fields, still on the editor")
        try tui.press(.function(1))
        #expect(tui.screen.contains("x/Delete") && tui.screen.contains("strike it out"), "\(tui.screen)")
    }

    @Test func aTriggerPointIsCorrectedWithE() throws {
        let tui = try clinic("correct-trigger-point")
        try startVisit(tui)
        try tui.press(.function(3))
        try tui.type("soleus")
        try tui.press(.tab)
        try tui.keyTriggerPointFindings()
        try tui.press(.ctrl("s"))
        try tui.press(.down, .down, .character("e"))
        #expect(tui.screen.contains("Correcting: Trigger point for Smith, Jane"), "\(tui.screen)")
        try tui.press(.tab, .character("r"), .ctrl("s"))
        #expect(said(tui).contains("Trigger point corrected: Soleus, right"), "\(tui.screen)")
        #expect(try tui.firstVisit().triggerPoints.map(\.side) == [.right])
    }
}
