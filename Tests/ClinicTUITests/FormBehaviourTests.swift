import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// The forms do what a practitioner expects (issue 13, part F): typing over a pre-filled value
/// replaces it, the pain score is saved only once it is a whole score, limits show and refuse
/// visibly, Esc asks before discarding typing, Left/Right change choices, the focused field is
/// marked, F10 shows what will be signed and asks once, errors name the front end's keys, and
/// the help fits 80 columns with every key. Each on a real database, through the keys.
@Suite struct FormBehaviourTests {

    func said(_ tui: TUIHarness) -> String { tui.app.state.message?.text ?? "" }

    func tab(_ tui: TUIHarness, _ times: Int) throws {
        try tui.press(Array(repeating: Key.tab, count: times))
    }

    /// Consent and screen, then one soleus entry: 0.25x40 Seirin, lot A123, 1 in, 1 out.
    func firstEntry(_ tui: TUIHarness) throws {
        try tui.recordConsentAndScreenNonePresent()
        try tui.press(.function(4))
        try tui.type("soleus")
        try tab(tui, 2)
        try tui.type("0.25x40")
        try tui.press(.tab)
        try tui.type("Seirin")
        try tui.press(.tab)
        try tui.type("A123")
        try tui.keyNeedlingClaims()
        try tui.press(.ctrl("s"))
        #expect(try tui.firstVisit().needling.count == 1, "\(tui.screen)")
    }

    @Test func typingOverARememberedLotAndNeedleCountReplacesThem() throws {
        let tui = try TUIHarness.visitStarted("forms-type-over")
        try firstEntry(tui)
        try tui.press(.function(4))
        try tui.type("gastroc")
        try tab(tui, 2)                            // take the muscle, past the side: the size, pre-filled
        guard case .needlingForm(let atSize) = tui.app.state.current else {
            Issue.record("the needling form is open:\n\(tui.screen)")
            return
        }
        #expect(atSize.size.text == "0.25x40" && atSize.size.isSelected, "the remembered size is selected")
        #expect(tui.lines.contains { $0.hasPrefix("▸Needle") }, "the focused field is marked:\n\(tui.screen)")
        try tab(tui, 2)
        try tui.type("A123")                       // the same lot, typed again over the remembered one
        try tui.press(.tab)
        try tui.type("2")                          // inserted: blank, never pre-filled
        try tui.press(.tab)
        try tui.type("2")
        guard case .needlingForm(let form) = tui.app.state.current else {
            Issue.record("still on the needling form")
            return
        }
        #expect(form.lot.text == "A123", "not A123A123")
        #expect(form.inserted.text == "2" && form.removed.text == "2", "not 12")
        #expect(tui.screen.contains("Needle count for the visit: 3 in, 3 out (balanced)"), "\(tui.screen)")

        // Left keeps a selected value to edit it.
        try tui.press(.backTab, .left)
        try tui.type("1")
        guard case .needlingForm(let edited) = tui.app.state.current else { return }
        #expect(edited.inserted.text == "12", "Left deselects and keeps the value: typed in front of it")
        try tui.press(.backspace)
        try tui.keyNeedlingClaims(removed: "2")
        try tui.press(.ctrl("s"))
        let second = try #require(try tui.firstVisit().needling.last)
        #expect(second.needle.lot == "A123" && second.needlesInserted == 2 && second.needlesRemoved == 2, "\(tui.screen)")
    }

    @Test func painIsSavedOnlyOnceItIsAWholeScore() throws {
        let tui = try TUIHarness.visitStarted("forms-pain")
        try tui.press(.tab)
        try tui.type("1")
        #expect(try tui.firstVisit().pain.now == nil, "an interim 1 is not saved while 10 may follow")
        #expect(tui.screen.contains("not saved yet: Tab saves it"), "\(tui.screen)")
        try tui.type("0")
        #expect(try tui.firstVisit().pain.now?.value == 10, "\(tui.screen)")

        try tui.press(.backTab, .tab)              // back into the pain field: 10 is selected
        try tui.type("8")
        #expect(try tui.firstVisit().pain.now?.value == 8, "typed over the saved 10, and whole at once")

        try tui.press(.backTab, .tab)
        try tui.type("1")
        #expect(try tui.firstVisit().pain.now?.value == 8)
        try tui.press(.backTab)                    // leaving the field saves the 1
        #expect(try tui.firstVisit().pain.now?.value == 1)

        // F10 never signs a stale interim value: it saves what is shown, then asks.
        try tui.press(.tab)
        try tui.type("1")
        try tui.press(.backspace)
        try tui.type("6")
        try tui.press(.backspace)
        try tui.type("1")
        try tui.press(.function(10))
        #expect(tui.screen.contains("Pain now: 1 (NPRS 0-10)"), "\(tui.screen)")
        try tui.press(.character("y"))
        let signed = try tui.firstVisit()
        #expect(signed.status == .signed)
        #expect(signed.pain.now?.value == 1)
    }

    @Test func leavingTheVisitKeepsAValidScoreTypedButNotYetSaved() throws {
        let tui = try TUIHarness.visitStarted("forms-pain-escape")
        try tui.press(.tab)
        try tui.type("1")
        #expect(try tui.firstVisit().pain.now == nil)
        try tui.press(.escape)
        #expect(try tui.firstVisit().pain.now?.value == 1, "the 1 shown is the 1 kept")
        #expect(said(tui).contains("F10 there signs it") && !said(tui).contains("knot visit sign"), "\(said(tui))")
    }

    @Test func comingBackToTheComplaintAddsToItNeverReplacesIt() throws {
        let tui = try TUIHarness.visitStarted("forms-complaint-kept")
        try tui.press(.tab, .backTab)
        try tui.type(", worse on stairs")
        #expect(try tui.firstVisit().complaint == "Calf pain, worse on stairs", "free text is not selected on focus")
    }

    @Test func aPainThatIsNotAScoreIsNotSigned() throws {
        let tui = try TUIHarness.visitStarted("forms-pain-invalid")
        try tui.press(.tab)
        try tui.type("11")
        try tui.press(.function(10))
        #expect(said(tui).contains("Not signed: pain now “11” is not an NPRS score (0-10)"), "\(tui.screen)")
        #expect(try tui.firstVisit().status == .draft)
    }

    @Test func signingShowsASummaryAndAsksOnce() throws {
        let tui = try TUIHarness.visitStarted("forms-sign-summary")
        try firstEntry(tui)
        try tui.press(.function(3))
        try tui.type("soleus")
        try tui.press(.tab)
        try tui.keyTriggerPointFindings()
        try tui.press(.ctrl("s"))
        try tui.press(.tab)
        try tui.type("6")
        try tui.press(.function(10))
        let summary = tui.screen
        let id = try tui.firstVisit().id!
        #expect(summary.contains("Sign visit \(id) for Smith, Jane?"), "\(summary)")
        for line in ["Complaint: Calf pain", "Pain now: 6 (NPRS 0-10)", "Needles: 1 in, 1 out (balanced)",
                     "Adverse events: none", "Consent: until 2027-02-18", "Precaution screen: until 2027-02-18; none present",
                     "Trigger points: 1: Soleus left", "Needling sites: 1: Soleus left", "Biomechanical findings: none",
                     "Treatments: none", "y signs · any other key cancels"] {
            #expect(summary.contains(line), "the summary shows \(line):\n\(summary)")
        }
        try tui.press(.character("n"))
        #expect(said(tui) == "Not signed: the visit stays a draft.")
        #expect(try tui.firstVisit().status == .draft)
        #expect(!tui.screen.contains("y signs"), "the summary closed")

        try tui.press(.function(10), .function(3))   // any other key, a function key too, cancels
        #expect(try tui.firstVisit().status == .draft)
        guard case .newVisit = tui.app.state.current else {
            Issue.record("F3 answered the question, it did not open a form:\n\(tui.screen)")
            return
        }
        try tui.press(.function(10), .character("y"))
        #expect(try tui.firstVisit().status == .signed)
        #expect(said(tui).contains("Visit \(id) signed."))
    }

    @Test func escapeOnAFilledFormAsksAndOnAnUntouchedOneCloses() throws {
        let tui = try TUIHarness.visitStarted("forms-escape")
        try tui.press(.function(3), .escape)
        guard case .newVisit = tui.app.state.current else {
            Issue.record("Esc on an untouched form closes it:\n\(tui.screen)")
            return
        }
        try tui.press(.function(3))
        try tui.type("soleus")
        try tui.press(.escape)
        #expect(said(tui).hasPrefix("Discard the typing? y/n"), "\(tui.screen)")
        #expect(tui.screen.contains("Discard the typing? y/n"))
        guard case .triggerPointForm = tui.app.state.current else {
            Issue.record("the form stays open while asking")
            return
        }
        try tui.press(.character("n"))
        #expect(said(tui) == "Kept: go on typing.")
        guard case .triggerPointForm(let kept) = tui.app.state.current else {
            Issue.record("n keeps the form")
            return
        }
        #expect(kept.picker.query.text == "soleus", "the typing is kept")
        try tui.press(.escape, .character("y"))
        #expect(said(tui) == "Cancelled: nothing saved.")
        guard case .newVisit = tui.app.state.current else {
            Issue.record("y discards and closes the form")
            return
        }
        #expect(try tui.firstVisit().triggerPoints.isEmpty)
    }

    @Test func leftAndRightChangeChoices() throws {
        let tui = try TUIHarness.visitStarted("forms-left-right")
        try tui.press(.function(3))
        try tui.type("soleus")
        try tui.press(.tab, .right, .right)         // side: none → left → right
        try tui.press(.tab, .left, .left)           // activity: none → active → latent
        try tab(tui, 2)
        try tui.press(.right, .right)               // taut band: none → yes → no
        guard case .triggerPointForm(let form) = tui.app.state.current else {
            Issue.record("the trigger point form is open")
            return
        }
        #expect(form.side == .right && form.activity == .latent && form.tautBand == false)
        try tui.keyTriggerPointFindings()
        try tui.press(.ctrl("s"))
        let finding = try #require(try tui.firstVisit().triggerPoints.first)
        #expect(finding.side == .right && finding.activity == .latent && !finding.tautBand)
    }

    @Test func theComplaintLimitShowsAndAPasteTooLongIsRefusedVisibly() throws {
        let tui = try TUIHarness.visitStarted("forms-limit")
        try tui.press(.ctrl("u"))
        try tui.press(.paste(String(repeating: "a", count: 1999)))
        #expect(tui.screen.contains("1999/2000"), "a counter near the limit:\n\(tui.screen)")
        #expect(try tui.firstVisit().complaint?.count == 1999)
        try tui.press(.paste("bcd"))
        #expect(said(tui).contains("Not typed: this field takes at most 2000 characters"), "\(tui.screen)")
        guard case .newVisit(let form) = tui.app.state.current else { return }
        #expect(form.complaint.text.count == 1999, "refused whole, not cut to fit")
        #expect(try tui.firstVisit().complaint?.count == 1999)
        try tui.type("b")
        #expect(tui.screen.contains("2000/2000"))
        try tui.type("c")
        #expect(said(tui).contains("at most 2000 characters"), "the key past the limit is refused visibly")
        #expect(try tui.firstVisit().complaint?.count == 2000)
    }

    @Test func refusalsNameTheFrontEndKeyNotTheCommand() throws {
        let tui = try TUIHarness.visitStarted("forms-front-end-words")
        try tui.press(.function(4))
        try tui.type("soleus")
        try tab(tui, 2)
        try tui.type("0.25x40")
        try tui.press(.tab)
        try tui.type("Seirin")
        try tui.press(.tab)
        try tui.type("A123")
        try tui.keyNeedlingClaims()
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("F2 consent & screen"), "\(tui.screen)")
        #expect(!said(tui).contains("knot consent record") && !said(tui).contains("knot screen record"))
        #expect(FrontEndWords.translate("visit 3 is a draft: sign it first (knot visit sign 3)")
            == "visit 3 is a draft: sign it first (F10 on the visit screen; Enter on the draft in the chart opens it)")
    }

    @Test func helpFitsEightyColumnsAndListsEveryKey() throws {
        let tui = try TUIHarness.visitStarted("forms-help")
        for open in [nil, Key.function(3), .function(4), .function(6), .function(7)] {
            if let open { try tui.press(open) }
            try tui.press(.function(1))
            tui.expectHelpListsEveryKeyUncut()
            try tui.press(.function(1))
            if open != nil { try tui.press(.escape) }
        }
    }
}
