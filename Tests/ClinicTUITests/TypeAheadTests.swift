import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// Keys that arrive together (typed ahead over a slow ssh link, or faster than a search
/// answers) end on the same screen as keys handled one by one, with one search and one draft
/// save for the run instead of one per letter.
@Suite struct TypeAheadTests {
    /// The screen without the status line (it names each test's own database file).
    func body(_ tui: TUIHarness) -> [String] {
        tui.lines.filter { !$0.contains("/tmp/knot-tui-tests") }
    }

    @Test func searchTypedAheadShowsTheSameListAsKeyByKey() throws {
        let oneByOne = try TUIHarness("typeahead-keys")
        try oneByOne.type("nguy")
        let together = try TUIHarness("typeahead-burst")
        together.terminal.enqueue(text: "nguy")
        try together.app.run()
        #expect(together.screen.contains("Nguyen"))
        #expect(body(together) == body(oneByOne))

        // Erasing in a burst too: back to the whole list.
        try oneByOne.press(.backspace, .backspace, .backspace, .backspace)
        together.terminal.enqueue(bytes: [0x7F, 0x7F, 0x7F, 0x7F])
        try together.app.run()
        #expect(body(together) == body(oneByOne))
    }

    @Test func complaintTypedAheadIsSavedOnceWithAllItsText() throws {
        let tui = try TUIHarness("typeahead-draft")
        try tui.type("alvarez")
        try tui.press(.enter, .character("n"))
        tui.terminal.enqueue(text: "Left heel pain since May")
        try tui.app.run()
        guard case .newVisit(let form) = tui.app.state.current, let id = form.draft?.id else {
            Issue.record("no draft after typing the complaint")
            return
        }
        var visit = try #require(try tui.session.database.read { try $0.visit(id: id) })
        #expect(visit.complaint == "Left heel pain since May")
        #expect(try tui.session.database.read { try $0.visitRevision(id: id) } == 0, "created once, not saved per letter")
        #expect(tui.screen.contains("Left heel pain since May"))

        // Typing, Tab, then a score, all in one read: the complaint is saved before the Tab.
        tui.terminal.enqueue(text: ", worse mornings\t5")
        try tui.app.run()
        visit = try #require(try tui.session.database.read { try $0.visit(id: id) })
        #expect(visit.complaint == "Left heel pain since May, worse mornings")
        #expect(visit.pain.now?.value == 5)
        #expect(try tui.session.database.read { try $0.visitRevision(id: id) } == 2, "one save for the words, one for the score")
    }
}
