import Testing
import ClinicModel
import TerminalKit
@testable import ClinicTUI

/// The pure parts on their own: key tables, update and the sparkline.
@Suite struct UpdateTests {
    func listState() -> AppState {
        AppState(context: SessionContext(databasePath: "/x.sqlite", workingAs: "me", isReception: false, canRecordVisits: true,
                                         today: fixedToday),
                 size: TerminalSize(rows: 24, columns: 80))
    }

    @Test func typingOnTheListSearchesAndQuitNeedsCtrl() {
        let state = listState()
        #expect(KeyMap.command(for: .character("q"), in: state).map { "\($0)" } == "edit(q)")
        #expect(KeyMap.command(for: .ctrl("c"), in: state).map { "\($0)" } == "quit")
        let (next, effects) = Update.update(state, .edit(.character("s")))
        #expect(effects == [.searchPatients("s")])
        // A key that does not change the text searches nothing again.
        let (_, none) = Update.update(next, .edit(.right))
        #expect(none.isEmpty)
    }

    @Test func everyScreenHasHelpQuitAndBackOrClear() {
        for kind in ScreenKind.allCases {
            let bindings = KeyMap.bindings(for: kind)
            let keys = bindings.flatMap(\.keys)
            #expect(keys.contains(.function(1)), "\(kind) has no F1 help")
            // Screens that take typing have F1 alone (? is a character there).
            let typesText: Set<ScreenKind> = [.newVisit, .safetyForm, .triggerPointForm, .needlingForm, .needlesOutForm,
                                                .amendForm, .alertForm, .patientForm, .biomechForm, .treatmentForm,
                                                .settingsForm, .outcomeForm, .impressionForm]
            if !typesText.contains(kind) { #expect(keys.contains(.character("?")), "\(kind) has no ? help") }
            #expect(keys.contains(.ctrl("c")), "\(kind) cannot quit with Ctrl-C")
            if kind != .firstRun { #expect(keys.contains(.escape), "\(kind) has no Esc") }
            // No key is bound twice on one screen.
            #expect(Set(keys).count == keys.count, "\(kind) binds a key twice")
        }
    }

    @Test func helpClosesOnAnyKeyButCtrlCQuits() {
        var state = listState()
        state.showsHelp = true
        #expect(KeyMap.command(for: .character("z"), in: state).map { "\($0)" } == "toggleHelp")
        #expect(KeyMap.command(for: .ctrl("c"), in: state).map { "\($0)" } == "quit")
    }

    @Test func selectionStaysInsideTheList() {
        #expect(Update.moved(0, by: .moveUp, count: 5, pageRows: 3) == 0)
        #expect(Update.moved(4, by: .moveDown, count: 5, pageRows: 3) == 4)
        #expect(Update.moved(1, by: .pageDown, count: 5, pageRows: 3) == 4)
        #expect(Update.moved(0, by: .pageDown, count: 0, pageRows: 3) == 0)
    }

    @Test func sparklineScalesNPRSAndMarksMissingScores() {
        #expect(PainTrend.sparkline([0, 5, 10, nil]) == "▁▅█·")
    }

    @Test func renderIsPureAndFitsTinyWindows() {
        let state = listState()
        #expect(Render.render(state, size: TerminalSize(rows: 24, columns: 80)) == Render.render(state, size: TerminalSize(rows: 24, columns: 80)))
        let tiny = Render.render(state, size: TerminalSize(rows: 5, columns: 30))
        #expect(tiny.lines[0].hasPrefix("Knot needs a window"))
    }
}
