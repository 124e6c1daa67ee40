import Foundation
import Testing
import ClinicModel
import ClinicServices
import TerminalKit
@testable import ClinicTUI

/// What reaches `update` says what it is: an intent (a key) or an effect's result. Keeping a
/// form's typing as a draft, clearing the status line and answering a question follow from
/// that type, not from a list kept by hand.
@Suite struct MessageKindTests {
    func savesFormDraft(_ effects: [Effect]) -> Bool {
        effects.contains { if case .saveFormDraft = $0 { true } else { false } }
    }

    @Test("typing into a form is kept as a draft; a result that redraws the same form is not the user's typing")
    func draftFollowsTheMessageKind() throws {
        let tui = try FormDraftTests().clinic("message-kind-draft")
        try tui.press(.function(2))
        try tui.type("Lee")
        #expect(tui.app.state.current.kind == .patientForm)
        #expect(try tui.session.database.read { try $0.formDraftCount() } == 1)
        let typing = tui.app.state

        // A key that changes the form: its typing is kept.
        let (typed, keep) = Update.update(typing, .intent(.edit(.character("s"))))
        #expect(savesFormDraft(keep))
        guard case .patientForm(let form) = typed.current else { Issue.record("the form closed"); return }
        #expect(form.duplicates == nil)

        // The service answering with look-alikes changes the same form (it now asks), yet
        // nothing was typed: no draft is saved, and the question and its status line stand.
        let (asked, none) = Update.update(typing, .result(.possibleDuplicates(["K1  Smith, Jane  1980-05-01  same name"])))
        #expect(!savesFormDraft(none))
        guard case .patientForm(let asking) = asked.current else { Issue.record("the form closed"); return }
        #expect(asking.duplicates?.count == 1)
        #expect(asked.message?.text.contains("May already be registered") == true)

        // A late result (a refusal from elsewhere) while the question is asked: the question
        // stays; only a key answers it.
        let (still, _) = Update.update(asked, .result(.failed("Not saved: the disk is full.")))
        guard case .patientForm(let stillAsking) = still.current else { Issue.record("the form closed"); return }
        #expect(stillAsking.duplicates?.count == 1)
        let (answered, _) = Update.update(asked, .intent(.edit(.character("n"))))
        guard case .patientForm(let back) = answered.current else { Issue.record("the form closed"); return }
        #expect(back.duplicates == nil)
        #expect(answered.message?.text.hasPrefix("Not registered") == true)
    }

    @Test("a key clears the status line; a result leaves it to say its own")
    func statusLineFollowsTheMessageKind() throws {
        let tui = try TUIHarness("message-kind-status")
        var state = tui.app.state
        state.message = StatusMessage(kind: .info, text: "Imported referral-minimal.xml")
        let (afterResult, _) = Update.update(state, .result(.inboxCheckStopped))
        #expect(afterResult.message?.text == "Imported referral-minimal.xml")
        let (afterKey, _) = Update.update(state, .intent(.moveDown))
        #expect(afterKey.message == nil)
    }
}

/// The referral inbox dry-runs every letter before it can list them: on a full folder that
/// takes a while, so it is done off the input loop, with a progress line, and keys still work.
@Suite struct InboxProgressTests {
    /// `count` copies of a Knot referral letter at a fixed path (the screen shows it).
    static func manyLetters(_ name: String, count: Int, filePath: String = #filePath) throws -> String {
        let folder = "/tmp/knot-tui-tests/inbox-\(name)"
        let fm = FileManager.default
        try? fm.removeItem(atPath: folder)
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let letter = URL(fileURLWithPath: filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Import/referral-minimal.xml").standardized.path
        for n in 1...count {
            try fm.copyItem(atPath: letter, toPath: "\(folder)/letter-\(String(format: "%03d", n)).xml")
        }
        return folder
    }

    func inbox(_ tui: TUIHarness) -> InboxState? {
        guard case .inbox(let inbox) = tui.app.state.current else { return nil }
        return inbox
    }

    @Test("F6 shows the inbox at once with a progress line, and draws the list when every letter is checked")
    func progressThenList() throws {
        let folder = try Self.manyLetters("progress", count: 40)
        let tui = try TUIHarness("inbox-progress", importFolder: folder)
        tui.app.background.hold()  // the dry runs wait, so the screen is read before any is done
        try tui.pressLeavingWorkRunning(.function(6))
        // The loop went back to reading keys before the dry runs were done.
        #expect(inbox(tui)?.checking?.total == 40)
        #expect(tui.screen.contains("\(folder): checking 40 letters"))
        #expect(tui.screen.contains("Checking the letters: 0 of 40 (a dry run of each; Esc leaves)."))

        tui.app.background.release()
        try tui.settle()
        #expect(inbox(tui)?.checking == nil)
        #expect(inbox(tui)?.listing.entries.count == 40)
        #expect(inbox(tui)?.listing.entries.allSatisfy { $0.status == .created } == true)
        #expect(tui.screen.contains("\(folder): 40 letters"))
        #expect(tui.screen.contains("letter-001.xml"))
        #expect(!tui.screen.contains("Checking the letters"))
        #expect(tui.screen.contains("Enter previews a letter"))
    }

    @Test("the check reports after every letter, in order, and stops when asked")
    func reportsEachLetter() throws {
        let folder = try Self.manyLetters("reports", count: 12)
        let tui = try TUIHarness("inbox-reports", importFolder: folder)
        let performer = EffectPerformer(session: tui.session, today: fixedToday, now: { fixedNow }, importFolder: folder)
        let files = performer.inboxFiles()
        var seen: [Int] = []
        let listing = performer.checkInbox(files, report: { seen.append($0.checked); #expect($0.total == 12) }, isCancelled: { false })
        #expect(seen == Array(1...12))
        #expect(listing?.entries.count == 12)

        var checked = 0
        let stopped = performer.checkInbox(files, report: { checked = $0.checked }, isCancelled: { checked == 3 })
        #expect(stopped == nil)
        #expect(checked == 3)
    }

    @Test("Esc leaves the inbox while its letters are checked; the late list does not come back")
    func escapeLeavesWhileChecking() throws {
        let folder = try Self.manyLetters("escape", count: 40)
        let tui = try TUIHarness("inbox-escape", importFolder: folder)
        tui.app.background.hold()  // the dry runs wait, so Esc comes while they run
        try tui.pressLeavingWorkRunning(.function(6))
        #expect(inbox(tui)?.checking != nil)
        try tui.pressLeavingWorkRunning(.escape)
        #expect(tui.app.state.current.kind == .patientList)
        tui.app.background.release()
        try tui.settle()
        #expect(tui.app.state.current.kind == .patientList)
        #expect(!tui.app.state.stack.contains { $0.kind == .inbox })
        #expect(!tui.screen.contains("Referral inbox"))

        // F6 again checks afresh and lists them all.
        try tui.press(.function(6))
        #expect(inbox(tui)?.listing.entries.count == 40)
    }
}
