import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// Issue 13's list, checked on every form of the front end through the keys, on a real
/// database: the focused label is marked (one `▸` on the screen), Left/Right change a choice
/// where the form has one, and Esc on a changed form asks before anything typed is lost.
@Suite struct FormChecklistTests {
    // MARK: Clinics and helpers


    /// José Álvarez's chart in the demo clinic (his newest visit is signed), as mchen.
    func demoChart(_ name: String) throws -> TUIHarness {
        let tui = try TUIHarness(name)
        try tui.type("alvarez")
        try tui.press(.enter)
        #expect(tui.app.state.current.kind == .chart, "\(tui.screen)")
        return tui
    }

    func said(_ tui: TUIHarness) -> String { tui.app.state.message?.text ?? "" }

    /// Exactly one label on the screen carries the focus marker, and it is `label`.
    func expectMarked(_ tui: TUIHarness, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let marked = tui.lines.filter { $0.contains(FormLabel.marker) }
        #expect(marked.count == 1 && marked.first?.contains(FormLabel.marker + label) == true,
                "the focused field, \(label), is marked (and only it):\n\(tui.screen)", sourceLocation: sourceLocation)
    }

    /// Esc on the changed form asks; n keeps the form open with its typing.
    func expectEscapeAsks(_ tui: TUIHarness, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let kind = tui.app.state.current.kind
        try tui.press(.escape)
        #expect(said(tui).hasPrefix("Discard the typing? y/n"), "Esc asks on \(kind):\n\(tui.screen)", sourceLocation: sourceLocation)
        #expect(tui.app.state.current.kind == kind, "the form stays open while asking", sourceLocation: sourceLocation)
        try tui.press(.character("n"))
        #expect(said(tui) == "Kept: go on typing.", sourceLocation: sourceLocation)
        #expect(tui.app.state.current.kind == kind, "n keeps the form", sourceLocation: sourceLocation)
        try tui.press(.escape, .character("y"))
        #expect(tui.app.state.current.kind != kind, "y closes it", sourceLocation: sourceLocation)
    }

    /// A needling entry on the soleus with `inserted` in and none out, saved.
    func needlesStillIn(_ tui: TUIHarness, inserted: String) throws {
        try tui.press(.function(4))
        try tui.type("soleus")
        try tui.press(.tab, .tab, .ctrl("u"))
        try tui.type("0.25x40")
        try tui.press(.tab, .ctrl("u"))
        try tui.type("Seirin")
        try tui.press(.tab, .ctrl("u"))
        try tui.type("A123")
        try tui.press(.tab, .ctrl("u"))
        try tui.type(inserted)
        try tui.press(.tab, .ctrl("u"))
        try tui.type("0")
        try tui.keyNeedlingClaims(removed: "0")
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("Needling entry saved"), "\(tui.screen)")
    }

    // MARK: The visit editor's forms

    @Test func theNewVisitEditorMarksItsFieldAndKeepsTypingOnEscape() throws {
        let tui = try TUIHarness.visitStarted("checklist-new-visit")
        expectMarked(tui, "Complaint")
        try tui.press(.tab)
        expectMarked(tui, "Pain now")
        // Nothing there waits for Ctrl-S: the complaint is saved as typed, so Esc loses nothing.
        try tui.press(.escape)
        #expect(try tui.firstVisit().complaint == "Calf pain", "\(tui.screen)")
    }

    @Test func theSafetyFormMarksItsQuestionAndLeftRightAnswerIt() throws {
        let tui = try TUIHarness.visitStarted("checklist-safety")
        try tui.press(.function(2))
        expectMarked(tui, "Informed consent to dry needling")
        try tui.press(.right)
        guard case .safetyForm(let refused) = tui.app.state.current else {
            Issue.record("the safety form is open:\n\(tui.screen)")
            return
        }
        #expect(refused.consentGiven == true, "Right answers consent, unanswered until then, yes")
        try tui.press(.right)
        guard case .safetyForm(let turned) = tui.app.state.current else { return }
        #expect(turned.consentGiven == false, "Right turns consent over")
        try tui.press(.left)
        try tui.press(.tab, .tab)
        expectMarked(tui, "Risks explained:")
        try tui.press(.right)
        guard case .safetyForm(let ticked) = tui.app.state.current else { return }
        #expect(ticked.risks == [Consent.Risk.allCases[0]] && ticked.focus == .risk(Consent.Risk.allCases[0]),
                "Right ticks the risk and stays on it")
        try tui.press(.left)
        try tui.press(Array(repeating: Key.character("y"), count: Consent.Risk.allCases.count + 1))  // each risk, then the benefits explained
        let first = Precaution.allCases[0]
        expectMarked(tui, first.displayName)
        // ? → yes → no → yes, the focus staying on the question.
        try tui.press(.right)
        guard case .safetyForm(let yes) = tui.app.state.current else { return }
        #expect(yes.answers[first] == true && yes.focus == .precaution(first), "Right answers yes and stays")
        #expect(tui.lines.contains { $0.contains(FormLabel.marker + first.displayName) && $0.contains("[yes]") }, "\(tui.screen)")
        try tui.press(.right)
        guard case .safetyForm(let no) = tui.app.state.current else { return }
        #expect(no.answers[first] == false && no.focus == .precaution(first))
        try tui.press(.left)
        guard case .safetyForm(let again) = tui.app.state.current else { return }
        #expect(again.answers[first] == true)
        try tui.press(.tab)
        expectMarked(tui, first.displayName)       // on its reason: the question's row stays marked
        #expect(said(tui).isEmpty || !said(tui).contains("Not"), "\(said(tui))")

        // Ctrl-S is still refused while the others are unanswered.
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("not answered"), "\(said(tui))")
        #expect(try tui.session.database.read { tx in try tx.screens(patientID: 1).count } == 0)
        try expectEscapeAsks(tui)
    }

    @Test func theTriggerPointFormChecklist() throws {
        let tui = try TUIHarness.visitStarted("checklist-trigger-point")
        try tui.press(.function(3))
        expectMarked(tui, "Muscle")
        try tui.type("soleus")
        try tui.press(.tab)
        expectMarked(tui, "Side")
        try tui.press(.right, .right)             // nothing chosen for the user: the first, then the next
        guard case .triggerPointForm(let form) = tui.app.state.current else {
            Issue.record("the trigger point form is open:\n\(tui.screen)")
            return
        }
        #expect(form.side == .right)
        try expectEscapeAsks(tui)
    }

    @Test func theNeedlingFormChecklist() throws {
        let tui = try TUIHarness.visitStarted("checklist-needling")
        try tui.press(.function(4))
        expectMarked(tui, "Muscle")
        try tui.type("soleus")
        try tui.press(.tab)
        expectMarked(tui, "Side")
        try tui.press(.right)                     // nothing chosen for the user: Right takes the first
        guard case .needlingForm(let first) = tui.app.state.current else {
            Issue.record("the needling form is open:\n\(tui.screen)")
            return
        }
        #expect(first.side == .left)
        try tui.press(.right)
        guard case .needlingForm(let form) = tui.app.state.current else { return }
        #expect(form.side == .right)
        try tui.press(.left)
        guard case .needlingForm(let back) = tui.app.state.current else { return }
        #expect(back.side == .left)
        try expectEscapeAsks(tui)
    }

    @Test func theNeedlesOutFormChecklist() throws {
        let tui = try TUIHarness.visitStarted("checklist-needles-out")
        try tui.recordConsentAndScreenNonePresent()
        try needlesStillIn(tui, inserted: "3")
        try tui.press(.function(5))
        guard case .needlesOutForm = tui.app.state.current else {
            Issue.record("the needles-out form is open:\n\(tui.screen)")
            return
        }
        expectMarked(tui, "out now")
        try tui.type("3")
        try expectEscapeAsks(tui)
        #expect(try tui.firstVisit().needling.first?.needlesRemoved == 0, "nothing saved")
    }

    @Test func theBiomechanicalFormChecklist() throws {
        let tui = try TUIHarness.visitStarted("checklist-biomech")
        try tui.press(.function(6))
        expectMarked(tui, "Kind")
        guard case .biomechForm(let before) = tui.app.state.current else {
            Issue.record("the biomechanical form is open:\n\(tui.screen)")
            return
        }
        try tui.press(.right)
        guard case .biomechForm(let after) = tui.app.state.current else { return }
        #expect(after.kind != before.kind, "Right changes the kind")
        try tui.press(.left)
        guard case .biomechForm(let back) = tui.app.state.current else { return }
        #expect(back.kind == before.kind, "Left changes it back")
        try tui.press(.right)
        try expectEscapeAsks(tui)
    }

    @Test func theTreatmentFormChecklist() throws {
        let tui = try TUIHarness.visitStarted("checklist-treatment")
        try tui.press(.function(7))
        expectMarked(tui, "Kind")
        guard case .treatmentForm(let before) = tui.app.state.current else {
            Issue.record("the treatment form is open:\n\(tui.screen)")
            return
        }
        #expect(before.kind == nil, "no kind is chosen for the practitioner")
        try tui.press(.right)
        guard case .treatmentForm(let first) = tui.app.state.current else { return }
        #expect(first.kind == .ischaemicCompression, "Right chooses the first kind")
        try tui.press(.right)
        guard case .treatmentForm(let after) = tui.app.state.current else { return }
        #expect(after.kind != first.kind, "Right changes the kind")
        try tui.press(.left)
        guard case .treatmentForm(let back) = tui.app.state.current else { return }
        #expect(back.kind == first.kind, "Left changes it back")
        try tui.press(.right)
        try expectEscapeAsks(tui)
    }

    // MARK: The chart's forms

    @Test func thePatientFormChecklist() throws {
        let tui = try demoChart("checklist-patient")
        try tui.press(.character("e"))
        guard case .patientForm(let opened) = tui.app.state.current else {
            Issue.record("the patient form is open:\n\(tui.screen)")
            return
        }
        expectMarked(tui, "Family")
        try tui.press(.tab, .tab, .tab, .tab)
        expectMarked(tui, "Sex")
        try tui.press(.right)
        guard case .patientForm(let after) = tui.app.state.current else { return }
        #expect(after.sex != opened.sex, "Right changes the sex")
        try tui.press(.left)
        guard case .patientForm(let back) = tui.app.state.current else { return }
        #expect(back.sex == opened.sex)
        try tui.press(.right)
        try expectEscapeAsks(tui)
    }

    @Test func theAlertFormChecklist() throws {
        let tui = try demoChart("checklist-alert")
        try tui.press(.character("!"), .character("n"))
        guard case .alertForm(let opened) = tui.app.state.current else {
            Issue.record("the alert form is open:\n\(tui.screen)")
            return
        }
        expectMarked(tui, "Kind")
        try tui.press(.right)
        guard case .alertForm(let after) = tui.app.state.current else { return }
        #expect(after.kind != opened.kind, "Right changes the kind")
        try tui.press(.left)
        guard case .alertForm(let back) = tui.app.state.current else { return }
        #expect(back.kind == opened.kind, "Left changes it back")
        try tui.press(.tab)
        expectMarked(tui, "Text")
        try tui.type("Latex: hives")
        try expectEscapeAsks(tui)
    }

    @Test func theAmendFormChecklist() throws {
        let tui = try demoChart("checklist-amend")
        try tui.press(.enter, .character("m"))
        guard case .amendForm = tui.app.state.current else {
            Issue.record("the amend form is open:\n\(tui.screen)")
            return
        }
        expectMarked(tui, "Complaint")
        try tui.press(.tab, .tab)
        expectMarked(tui, "Pain now")
        try tui.type("5")
        try tui.press(.tab, .backTab)              // back to the pain score: 5 is selected, typing replaces it
        guard case .amendForm(let back) = tui.app.state.current else { return }
        #expect(back.value(.painNow).isSelected, "a value typed is selected when its field gets the focus again")
        try tui.type("4")
        try tui.type("12")                         // a third digit does not fit: refused, and said
        guard case .amendForm(let typed) = tui.app.state.current else { return }
        #expect(typed.value(.painNow).text == "41", "typed over the 5:\n\(tui.screen)")
        #expect(said(tui).contains("Not typed: this field takes at most 2 characters"), "\(said(tui))")
        #expect(tui.screen.contains("NPRS is 0 to 10"), "the range shows as the value is out of it:\n\(tui.screen)")

        // The reason shows its counter near its limit, and refuses visibly past it.
        try tui.press(.tab, .tab, .tab, .tab, .tab, .tab)   // past the impression and its code
        expectMarked(tui, "Reason")
        try tui.press(.paste(String(repeating: "a", count: 1990)))
        #expect(tui.screen.contains("1990/2000"), "\(tui.screen)")
        try tui.press(.paste(String(repeating: "b", count: 11)))
        #expect(said(tui).contains("at most 2000 characters"), "\(said(tui))")
        try expectEscapeAsks(tui)
        #expect(tui.app.state.current.kind == .visit)
    }
}

/// The read-only visit view lists the entries struck out of the draft, as `knot visit show`
/// does: which one, when, by whom and why.
@Suite struct StruckEntriesViewTests {
    @Test func theSignedVisitListsWhatWasStruckOutWhenByWhomAndWhy() throws {
        let tui = try TUIHarness.visitStarted("visit-view-struck")
        try tui.press(.function(3))
        try tui.type("soleus")
        try tui.press(.tab)
        try tui.keyTriggerPointFindings()
        try tui.press(.ctrl("s"))
        try tui.press(.function(3))
        try tui.type("gastroc")
        try tui.press(.tab)
        try tui.keyTriggerPointFindings()
        try tui.press(.ctrl("s"))
        try tui.press(.down, .down, .character("x"))
        try tui.type("wrong muscle")
        try tui.press(.enter)
        let visitID = try #require(try tui.firstVisit().id)
        let struck = try tui.session.database.read { tx in try tx.struckEntries(visitID: visitID) }
        let entry = try #require(struck.first)
        try tui.press(.function(10), .character("y"))
        #expect(try tui.firstVisit().status == .signed, "\(tui.screen)")
        try tui.press(.enter)
        guard case .visit(let view) = tui.app.state.current else {
            Issue.record("the visit view is open:\n\(tui.screen)")
            return
        }
        let text = VisitScreen.document(view.record, struck: view.struck, width: 80).lines.map(\.text).joined(separator: "\n")
        #expect(text.contains(VisitScreen.struckHeading), "\(text)")
        #expect(text.contains("trigger point \(entry.id), \(Formatting.dateTime(entry.struckAt)) by amy: wrong muscle"), "\(text)")
        #expect(text.contains("Gastrocnemius") && !text.contains("Soleus"), "the struck entry is out of the note:\n\(text)")
        #expect(tui.screen.contains(VisitScreen.struckHeading), "it shows on the screen:\n\(tui.screen)")
    }
}
