import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// Effects that can take long on a big clinic or a big file run off the input loop: the screen
/// shows what is being done, keys are still handled, Esc stops a read, a write runs to its end,
/// and a second request while one runs is answered in words. The work is held at its start
/// (`BackgroundWork.hold`) so the screen can be read while it runs, on any machine's speed.
@Suite struct LongWorkTests {
    func said(_ tui: TUIHarness) -> String { tui.app.state.message?.text ?? "" }

    /// The row above the status line, where the progress line is drawn.
    func progressRow(_ tui: TUIHarness) -> String { tui.lines[tui.lines.count - 2] }

    @Test func openingAChartShowsItsProgressKeepsHandlingKeysAndLandsWhenDone() throws {
        let tui = try TUIHarness("long-chart")
        tui.app.background.hold()
        try tui.pressLeavingWorkRunning(.enter)
        #expect(progressRow(tui).contains("Opening the chart… Esc stops it (a read: nothing is changed)"), "\(tui.screen)")
        #expect(tui.app.state.current.kind == .patientList, "the chart is not shown before it is read")

        // Keys are still handled while it runs: the help opens and closes.
        try tui.pressLeavingWorkRunning(.character("?"))
        #expect(tui.app.state.showsHelp)
        try tui.pressLeavingWorkRunning(.character("?"))
        #expect(!tui.app.state.showsHelp)

        tui.app.background.release()
        try tui.settle()
        #expect(tui.app.state.current.kind == .chart)
        #expect(tui.app.state.working.isEmpty)
        #expect(!tui.screen.contains("Opening the chart"), "the progress line goes once the chart is shown")
    }

    @Test func escStopsAReadAndNothingLands() throws {
        let tui = try TUIHarness("long-esc")
        tui.app.background.hold()
        try tui.pressLeavingWorkRunning(.ctrl("r"))
        #expect(progressRow(tui).contains("Loading the recall list…"), "\(tui.screen)")

        try tui.pressLeavingWorkRunning(.escape)
        #expect(said(tui) == "Stopped loading the recall list: it was a read, nothing was changed.")
        #expect(!tui.screen.contains("Loading the recall list…"))

        tui.app.background.release()
        try tui.settle()
        #expect(tui.app.state.current.kind == .patientList, "a stopped read brings nothing back")
        #expect(tui.app.state.stack.count == 1, "and Esc stopped the work, it did not go back a screen")
    }

    @Test func aSecondRequestWhileOneRunsIsRefusedInWords() throws {
        let tui = try TUIHarness("long-second")
        tui.app.background.hold()
        try tui.pressLeavingWorkRunning(.enter)
        try tui.pressLeavingWorkRunning(.ctrl("r"))
        #expect(said(tui) == "Not started: loading the recall list, because opening the chart is still going on. "
                + "Wait for it or press Esc to stop it, then ask again.", "\(tui.screen)")

        tui.app.background.release()
        try tui.settle()
        #expect(tui.app.state.current.kind == .chart, "the first request lands")
        #expect(tui.app.state.stack.allSatisfy { $0.kind != .recall }, "the refused one was not started")
    }

    @Test func workThatFollowsFromAResultWaitsForTheLaneAndIsNotLost() throws {
        let tui = try TUIHarness("long-queued")
        tui.app.background.hold()
        try tui.pressLeavingWorkRunning(.ctrl("r"))  // the recall list, held
        // A new patient registered meanwhile (a quick save, in the loop): the chart it opens waits.
        func typed(_ text: String) -> [Key] { text.map { Key.character($0) } }
        var keys: [Key] = [.function(2)]
        keys += typed("Quill")
        keys += [.tab]
        keys += typed("Tom")
        keys += [.tab, .tab]
        keys += typed("17/05/1980")
        keys += [.ctrl("s")]
        try tui.pressLeavingWorkRunning(keys)
        #expect(said(tui).hasPrefix("Registered Quill, Tom as "), "\(tui.screen)")
        #expect(said(tui).hasSuffix("Queued: opening the chart, once loading the recall list is done."), "\(tui.screen)")

        tui.app.background.release()
        try tui.settle()
        guard case .chart(let chart) = tui.app.state.current else {
            Issue.record("the queued chart should be open:\n\(tui.screen)")
            return
        }
        #expect(chart.chart.patient.familyName == "Quill")
        #expect(tui.app.state.stack.contains { $0.kind == .recall }, "the first request landed too")
    }

    @Test func aNewerSearchReplacesTheOneRunningAndTheLastTextWins() throws {
        let tui = try TUIHarness("long-search")
        tui.app.background.hold()
        try tui.pressLeavingWorkRunning(.character("n"))
        #expect(progressRow(tui).contains("Searching…"), "\(tui.screen)")
        try tui.pressLeavingWorkRunning(.character("g"), .character("u"))
        #expect(said(tui).isEmpty, "a newer search is not refused")

        tui.app.background.release()
        try tui.settle()
        guard case .patientList(let list) = tui.app.state.current else {
            Issue.record("the patient list should be shown")
            return
        }
        #expect(list.search.text == "ngu")
        #expect(!list.patients.isEmpty && list.patients.allSatisfy { $0.displayName.lowercased().contains("ngu") },
                "the list is the last search's: \(list.patients.map(\.displayName))")
    }

    @Test func importingALetterIsAWriteThatEscDoesNotStopAndItLands() throws {
        let folder = try InboxAndPlanTests.inboxFolder("long-import")
        let tui = try TUIHarness("long-import", importFolder: folder)
        try tui.press(.ctrl("l"), .down, .enter)
        #expect(tui.screen.contains("Patient: Walsh, Liam"), "\(tui.screen)")

        tui.app.background.hold()
        try tui.pressLeavingWorkRunning(.character("y"))
        #expect(progressRow(tui).contains("Importing the letter… (a write: it completes or rolls back whole)"),
                "\(tui.screen)")
        try tui.pressLeavingWorkRunning(.escape)
        #expect(said(tui).hasPrefix("Still importing the letter: a write completes or rolls back whole, so it is not stopped"))
        #expect(tui.app.state.current.kind == .inboxPreview, "Esc did not leave the letter while it is written")

        tui.app.background.release()
        try tui.settle()
        #expect(said(tui).contains("Imported referral-minimal.xml"), "\(tui.screen)")
        #expect(try tui.session.searchPatients("walsh", limit: 10).count == 1)
    }

    @Test func quittingWhileAWriteRunsWaitsForItToEnd() throws {
        let folder = try InboxAndPlanTests.inboxFolder("long-quit")
        let tui = try TUIHarness("long-quit", importFolder: folder)
        try tui.press(.ctrl("l"), .down, .enter)
        tui.app.background.hold()
        try tui.pressLeavingWorkRunning(.character("y"))
        let work = tui.app.background  // Sendable: released from another thread while the loop quits
        let release = Thread { Thread.sleep(forTimeInterval: 0.2); work.release() }
        release.start()
        try tui.pressLeavingWorkRunning(.ctrl("c"))
        #expect(!tui.app.state.isRunning)
        #expect(try tui.session.searchPatients("walsh", limit: 10).count == 1, "the import ended before the front end did")
    }

    @Test func everyWriteDeclaresItselfAndOnlyReadsAreStopped() {
        let writes: [Effect] = [.loadDemo, .importLetter(path: "x"), .fileLetter(path: "x", .newPatient)]
        for effect in writes { #expect(effect.runsLong?.writes == true, "\(effect)") }
        let reads: [Effect] = [.searchPatients("a"), .openChart(patientID: 1), .loadRecall, .previewLetter(path: "x"),
                               .loadPlan(visitID: 1)]
        for effect in reads { #expect(effect.runsLong?.writes == false, "\(effect)") }
        // Typing saves and one visit's rows stay in the loop (they are quick on any clinic).
        for effect: Effect in [.discardFormDraft(.newPatient), .loadVisitProgress(visitID: 1), .openVisit(id: 1), .storeFinalPlan(visitID: 1)] {
            #expect(effect.runsLong == nil, "\(effect)")
        }
    }
}
