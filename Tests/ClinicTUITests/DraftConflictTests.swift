import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// Two terminals on one draft (two front ends on the same database file): neither one's work
/// is overwritten silently, and the second one's typing stays on screen until it chooses.
@Suite struct DraftConflictTests {
    func said(_ tui: TUIHarness) -> String { tui.app.state.message?.text ?? "" }

    /// Terminal A with a draft for Jane Smith ("Calf pain"), and terminal B with the same draft
    /// opened from the chart.
    func twoTerminals(_ name: String) throws -> (a: TUIHarness, b: TUIHarness) {
        let a = try TUIHarness.visitStarted(name)
        let b = try TUIHarness(sharing: a, user: "amy")
        try b.type("smi")
        try b.press(.enter, .enter)
        guard case .newVisit(let form) = b.app.state.current else {
            Issue.record("B did not open the draft: \(b.screen)")
            throw CancellationError()
        }
        #expect(form.complaint.text == "Calf pain")
        #expect(form.draft?.id == visitID(a))
        return (a, b)
    }

    func visitID(_ tui: TUIHarness) -> Int64? {
        if case .newVisit(let form) = tui.app.state.current { return form.draft?.id }
        return nil
    }

    func stored(_ tui: TUIHarness) throws -> Visit {
        let id = try #require(visitID(tui))
        return try #require(try tui.session.database.read { tx in try tx.visit(id: id) })
    }

    @Test func secondTerminalIsToldAndKeepsItsTypingUntilItReloads() throws {
        let (a, b) = try twoTerminals("conflict-reload")
        try a.type(" and heel")
        #expect(try stored(a).complaint == "Calf pain and heel")

        try b.type(" left")
        #expect(said(b).contains("another terminal changed this draft (visit 1)"), "\(said(b))")
        #expect(b.screen.contains("Calf pain left"), "B's typing stays on screen")
        #expect(b.screen.contains("ANOTHER TERMINAL CHANGED THIS DRAFT (visit 1)"))
        #expect(b.screen.contains("Saved there: “Calf pain and heel”"))
        #expect(try stored(a).complaint == "Calf pain and heel", "the database keeps A's text, not B's")

        // More typing is not saved either, and the status line keeps saying so.
        try b.type(" side")
        #expect(said(b).contains("another terminal changed this draft"))
        #expect(b.screen.contains("Calf pain left side"))
        #expect(try stored(a).complaint == "Calf pain and heel")

        // Signing is refused while the screen and the database disagree.
        try b.press(.function(10))
        #expect(said(b).hasPrefix("Not signed: another terminal changed this draft"))
        #expect(try stored(a).status == .draft)

        // Ctrl-L: B sees A's text, and B's typing saves again from there.
        try b.press(.ctrl("l"))
        #expect(said(b).hasPrefix("Reloaded the saved draft (visit 1)"))
        #expect(b.screen.contains("Calf pain and heel"))
        #expect(!b.screen.contains("Calf pain left"))
        #expect(!b.screen.contains("ANOTHER TERMINAL"))
        try b.type(", worse on stairs")
        #expect(try stored(b).complaint == "Calf pain and heel, worse on stairs")

        // Now A is the stale one: A is told in turn, nothing of B's is overwritten.
        try a.type("!")
        #expect(said(a).contains("another terminal changed this draft (visit 1)"))
        #expect(try stored(a).complaint == "Calf pain and heel, worse on stairs")
    }

    @Test func keepingMineIsAChoiceAndSavesOverTheOtherTerminal() throws {
        let (a, b) = try twoTerminals("conflict-keep")
        try a.type(" and heel")
        try b.press(.tab)
        try b.type("7")
        #expect(said(b).contains("another terminal changed this draft"))
        #expect(try stored(a).pain.now == nil)

        // Esc warns first: leaving would drop the typing.
        try b.press(.escape)
        #expect(b.app.state.current.kind == .newVisit)
        #expect(said(b).contains("Esc again leaves without it"))

        try b.press(.ctrl("s"))
        #expect(said(b).hasPrefix("Your typing saved over the other terminal's (visit 1)"), "\(said(b))")
        let visit = try stored(b)
        #expect(visit.complaint == "Calf pain", "B's complaint as B's screen shows it")
        #expect(visit.pain.now?.value == 7)
        #expect(!b.screen.contains("ANOTHER TERMINAL"))
    }

    @Test func findingsAddedByTheOtherTerminalSurviveTheNextSave() throws {
        let (a, b) = try twoTerminals("conflict-findings")
        // A adds a trigger point while B has the draft open.
        try a.press(.function(3))
        try a.type("soleus")
        try a.press(.tab)
        try a.keyTriggerPointFindings()
        try a.press(.ctrl("s"))
        #expect(said(a).hasPrefix("Trigger point saved: Soleus"), "\(said(a))")
        #expect(try stored(a).triggerPoints.count == 1)

        // B types: the header A saw is the header B started from, so B's text is saved on
        // top and A's finding is kept (and now shown on B's screen).
        try b.type(",")
        #expect(said(b).hasPrefix("Another terminal added to this draft (visit 1)"), "\(said(b))")
        try b.type(" left")
        var visit = try stored(b)
        #expect(visit.complaint == "Calf pain, left")
        #expect(visit.triggerPoints.count == 1)
        #expect(b.screen.contains("Soleus"))

        // And B goes on saving as it types; A's finding is still there.
        try b.type(" side")
        visit = try stored(b)
        #expect(visit.complaint == "Calf pain, left side")
        #expect(visit.triggerPoints.map(\.muscleID) == [try #require(MuscleCatalogue.search("soleus", limit: 1).first).id])
        #expect(!said(b).contains("another terminal changed"))
    }
}
