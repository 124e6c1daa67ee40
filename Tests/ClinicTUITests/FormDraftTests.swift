import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// Typed work survives: an open form's typing is kept as it is typed, so a front end thrown
/// away without quitting (a closed terminal, a killed process) loses nothing. The next front
/// end on the same file offers it again to the same practitioner, where it was typed.
@Suite struct FormDraftTests {
    /// Amy (and Ben, a second practitioner) and Jane Smith, no demo clinic.
    func clinic(_ name: String) throws -> TUIHarness {
        try TUIHarness(name, demo: false, user: "amy") { setup in
            let training = DryNeedlingTraining(course: "DN level 1", hours: 27, completedOn: try LocalDate(year: 2024, month: 3, day: 1))
            for (handle, name) in [("amy", "Amy Physio"), ("ben", "Ben Physio")] {
                _ = try setup.addPractitioner(Practitioner(handle: handle, name: name, profession: .physiotherapist,
                                                           dryNeedlingTraining: training))
            }
            _ = try setup.addPatient(Patient(recordNumber: "K1", givenNames: "Jane", familyName: "Smith",
                                             dateOfBirth: try LocalDate(year: 1980, month: 5, day: 1)), today: fixedToday)
        }
    }

    func said(_ tui: TUIHarness) -> String { tui.app.state.message?.text ?? "" }

    /// The form draft rows of every practitioner.
    func keptDrafts(_ tui: TUIHarness) throws -> Int {
        try tui.session.database.read { try $0.formDraftCount() }
    }

    /// Starts Jane's visit, records consent and screen, and types part of a needling entry:
    /// soleus on the left, the needle, 3 inserted and 1 removed, then back to the inserted
    /// count. No Ctrl-S (and the sharps not answered yet).
    func typeHalfANeedlingEntry(_ tui: TUIHarness) throws {
        try tui.type("smi")
        try tui.press(.enter, .character("n"))
        try tui.type("Calf pain")
        try tui.recordConsentAndScreenNonePresent()
        try tui.press(.function(4))
        try tui.type("soleus")
        try tui.press(.tab, .character("l"), .tab)  // take the muscle, key the side
        try tui.type("0.25x40")
        try tui.press(.tab)
        try tui.type("Seirin")
        try tui.press(.tab)
        try tui.type("A123")
        try tui.press(.tab, .tab)
        try tui.type("1")
        try tui.press(.backTab, .ctrl("u"))
        try tui.type("3")
    }

    /// A second front end on the same file (the first one is simply dropped, never quit),
    /// with Jane's chart open and Enter on her draft visit.
    func comeBack(to tui: TUIHarness, as user: String = "amy") throws -> TUIHarness {
        let again = try TUIHarness(sharing: tui, user: user)
        try again.type("smi")
        try again.press(.enter, .enter)
        return again
    }

    @Test func aNeedlingEntryTypedBeforeTheProcessDiedIsBackAndSaves() throws {
        let first = try clinic("formdraft-needling")
        try typeHalfANeedlingEntry(first)
        #expect(first.screen.contains("NEEDLE COUNT: 3 in, 1 out"), "\(first.screen)")
        #expect(try keptDrafts(first) == 1)
        let visitID = try #require(try first.firstVisit().id)

        let tui = try comeBack(to: first)
        guard case .needlingForm(let form) = tui.app.state.current else {
            Issue.record("the needling form should be back over the visit:\n\(tui.screen)")
            return
        }
        #expect(form.picker.chosen?.id == "soleus")
        #expect(form.inserted.text == "3")
        #expect(form.brand.text == "Seirin" && form.lot.text == "A123" && form.size.text == "0.25x40")
        #expect(form.focus == .inserted)
        #expect(said(tui) == "Restored the needling entry you were typing at 10:00; Ctrl-S saves it, Esc then y discards it.")
        #expect(tui.screen.contains("Restored the needling entry"))
        #expect(tui.screen.contains("NEEDLE COUNT: 3 in, 1 out"))
        #expect(tui.app.state.stack.dropLast().last?.kind == .newVisit, "over the visit editor, as it was")

        #expect(form.side == .left && form.removed.text == "1", "the keyed side and count are kept with the draft")
        try tui.press(.tab, .tab, .character("p"))
        try tui.focusNeedling(.twitches)
        try tui.type("0")
        try tui.answerNeedlingSharps()
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("Needling entry saved: Soleus, left, 3 in, 1 out."), "\(tui.screen)")
        let entry = try #require(try tui.firstVisit().needling.first)
        #expect(entry.muscleID == "soleus" && entry.needlesInserted == 3 && entry.needle.lot == "A123")
        #expect(try keptDrafts(tui) == 0, "saved: the form draft is gone")
        #expect(try tui.session.formDraft(.visit(visitID)) == nil)

        // Coming back once more offers nothing.
        let third = try comeBack(to: tui)
        #expect(third.app.state.current.kind == .newVisit)
        #expect(!said(third).contains("Restored"))
    }

    @Test func escapeOnTheRestoredFormDiscardsIt() throws {
        let first = try clinic("formdraft-escape")
        try typeHalfANeedlingEntry(first)
        let tui = try comeBack(to: first)
        #expect(tui.app.state.current.kind == .needlingForm)
        try tui.press(.escape, .character("y"))  // Esc asks first: the form has typing
        #expect(said(tui).contains("Cancelled: nothing saved."))
        #expect(try keptDrafts(tui) == 0)
        #expect(try tui.firstVisit().needling.isEmpty)
        let third = try comeBack(to: tui)
        #expect(third.app.state.current.kind == .newVisit)
    }

    @Test func escapeOnAFormForgetsItsTypingToo() throws {
        let tui = try clinic("formdraft-escape-first")
        try typeHalfANeedlingEntry(tui)
        #expect(try keptDrafts(tui) == 1)
        try tui.press(.escape, .character("y"))  // Esc asks first: the form has typing
        #expect(try keptDrafts(tui) == 0)
    }

    @Test func anotherPractitionerOpeningTheVisitDoesNotGetIt() throws {
        let first = try clinic("formdraft-other-practitioner")
        try typeHalfANeedlingEntry(first)
        let ben = try comeBack(to: first, as: "ben")
        #expect(ben.app.state.current.kind == .newVisit, "Ben sees the visit, not Amy's half-typed entry:\n\(ben.screen)")
        #expect(!ben.screen.contains("Restored"))
        #expect(try keptDrafts(ben) == 1, "Amy's typing is still kept for her")
        try ben.press(.function(4))
        guard case .needlingForm(let form) = ben.app.state.current else {
            Issue.record("Ben opens a blank needling form: \(ben.screen)")
            return
        }
        #expect(form.picker.chosen == nil && form.inserted.text.isEmpty)
        let amy = try comeBack(to: first)
        #expect(amy.app.state.current.kind == .needlingForm)
    }

    @Test func aFormDraftOfAVisitSignedMeanwhileIsNotRestored() throws {
        let first = try clinic("formdraft-signed")
        try first.type("smi")
        try first.press(.enter, .character("n"))
        try first.type("Calf pain")
        try first.press(.function(3))
        try first.type("soleus")
        try first.press(.tab, .character("r"))
        #expect(try keptDrafts(first) == 1)
        let id = try #require(try first.firstVisit().id)
        _ = try first.session.sign(visitID: id)  // on another terminal, say
        #expect(try keptDrafts(first) == 0, "signing forgets the visit's form drafts")

        let tui = try comeBack(to: first)
        #expect(tui.app.state.current.kind == .visit, "a signed visit opens read-only:\n\(tui.screen)")
        #expect(!said(tui).contains("Restored"))
        #expect(!tui.app.state.stack.contains { $0.isVisitForm })
    }

    @Test func anAmendmentTypedBeforeTheProcessDiedIsBack() throws {
        let first = try TUIHarness("formdraft-amend")
        try first.type("alvarez")
        try first.press(.enter, .enter, .character("m"))
        try first.type("Right shoulder pain")
        try first.press(.tab, .tab)
        try first.type("5")
        #expect(try keptDrafts(first) == 1)

        let tui = try TUIHarness(sharing: first)
        try tui.type("alvarez")
        try tui.press(.enter, .enter)
        #expect(tui.app.state.current.kind == .visit, "the visit opens as usual; the amendment waits for m")
        try tui.press(.character("m"))
        guard case .amendForm(let form) = tui.app.state.current else {
            Issue.record("the amendment form should be open: \(tui.screen)")
            return
        }
        #expect(form.value(.complaint).text == "Right shoulder pain")
        #expect(form.value(.painNow).text == "5")
        #expect(form.focus == .field(.painNow))
        #expect(said(tui) == "Restored the amendment you were typing at 10:00; Ctrl-S saves it, Esc then y discards it.")
        #expect(tui.screen.contains("Pain now: “6” → “5”"), "\(tui.screen)")

        // Another practitioner amending the same visit starts blank.
        let other = try TUIHarness(sharing: first, user: "tkowalski")
        try other.type("alvarez")
        try other.press(.enter, .enter, .character("m"))
        guard case .amendForm(let blank) = other.app.state.current else {
            Issue.record("tkowalski's amendment form: \(other.screen)")
            return
        }
        #expect(blank.value(.complaint).text.isEmpty)

        try tui.press(.tab, .tab, .tab, .tab, .tab, .tab)  // past likely causes, impression, impression code
        try tui.type("Pain now misheard")
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("saved (complaint, pain now)"), "\(said(tui))")
        #expect(try keptDrafts(tui) == 0)
    }

    @Test func aNewPatientTypedBeforeTheProcessDiedIsBackAndRegisters() throws {
        let first = try TUIHarness("formdraft-new-patient")
        try first.press(.function(2))
        try first.type("Quill")
        try first.press(.tab)
        try first.type("Tom")
        #expect(try keptDrafts(first) == 1)

        let tui = try TUIHarness(sharing: first)
        try tui.press(.function(2))
        guard case .patientForm(let form) = tui.app.state.current else {
            Issue.record("the patient form should be open: \(tui.screen)")
            return
        }
        #expect(form.family.text == "Quill" && form.given.text == "Tom")
        #expect(form.editing == nil)
        #expect(said(tui) == "Restored the new patient you were typing at 10:00; Ctrl-S saves it, Esc then y discards it.")
        try tui.press(.tab, .tab)
        try tui.type("17/05/1980")
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("Registered Quill, Tom as"), "\(said(tui))")
        #expect(try keptDrafts(tui) == 0)
        #expect(try tui.session.searchPatients("quill", limit: 5).count == 1)

        // F2 again: a blank form.
        try tui.press(.escape)
        try tui.press(.function(2))
        guard case .patientForm(let again) = tui.app.state.current else { return }
        #expect(again.given.text.isEmpty)
    }

    @Test func aNewAlertTypedBeforeTheProcessDiedIsBackUntilEscape() throws {
        let first = try TUIHarness("formdraft-alert")
        try first.type("cohen")
        try first.press(.enter, .character("!"), .character("n"), .down, .down, .tab)
        try first.type("Penicillin: rash")
        #expect(try keptDrafts(first) == 1)

        let tui = try TUIHarness(sharing: first)
        try tui.type("cohen")
        try tui.press(.enter, .character("!"), .character("n"))
        guard case .alertForm(let form) = tui.app.state.current else {
            Issue.record("the alert form should be open: \(tui.screen)")
            return
        }
        #expect(form.kindIndex == 2 && form.text.text == "Penicillin: rash" && form.focus == .text)
        #expect(said(tui) == "Restored the alert you were typing at 10:00; Ctrl-S saves it, Esc then y discards it.")
        try tui.press(.escape, .character("y"))  // Esc asks first: the form has typing
        #expect(try keptDrafts(tui) == 0)
        try tui.press(.character("n"))
        guard case .alertForm(let blank) = tui.app.state.current else { return }
        #expect(blank.text.text.isEmpty && !said(tui).contains("Restored"))
    }

    @Test func quittingWithCtrlCOnAFormKeepsTheTypingForNextTime() throws {
        let first = try TUIHarness("formdraft-quit")
        try first.press(.function(2))
        try first.type("Quill")
        try first.press(.ctrl("c"))
        #expect(said(first) == "This form is not saved: Ctrl-C again quits and keeps your typing for next time; Ctrl-S saves, Esc cancels.")
        try first.press(.ctrl("c"))
        #expect(!first.app.state.isRunning)

        let tui = try TUIHarness(sharing: first)
        try tui.press(.function(2))
        guard case .patientForm(let form) = tui.app.state.current else {
            Issue.record("the patient form should be open: \(tui.screen)")
            return
        }
        #expect(form.family.text == "Quill")
    }

    @Test func aBurstOfTypingIsSavedOnceAndOnlyTheLastStateCounts() {
        let slot = FormDraftSlot.visit(4)
        var state = PatientFormState()
        state.family.setText("Q")
        let early = Effect.saveFormDraft(FormDraft(slot: slot, form: .patient(state)))
        state.family.setText("Quill")
        let late = Effect.saveFormDraft(FormDraft(slot: slot, form: .patient(state)))
        #expect(early.supersededSlot != nil && early.supersededSlot == late.supersededSlot)
        #expect(Effect.saveFormDraft(FormDraft(slot: .visit(5), form: .patient(state))).supersededSlot != late.supersededSlot)
        #expect(Effect.discardFormDraft(slot).supersededSlot == nil, "a discard is always done, in order")
    }

    @Test func aKeptTextFieldIsCleanedAndItsCursorKeptInside() throws {
        var field = TextField(text: "Seirin J", maxLength: 10)
        field.moveLeft()
        let back = try JSONDecoder().decode(TextField.self, from: try JSONEncoder().encode(field))
        #expect(back == field && back.cursor == 7)
        // A stored draft is input like any other: no terminal controls, the limit and a cursor inside the text.
        let hostile = #"{"text":"ab\u001b[2Jcdefghijklmn","cursor":99,"maxLength":6}"#
        let read = try JSONDecoder().decode(TextField.self, from: Data(hostile.utf8))
        #expect(read.text == "ab[2Jc" && read.cursor == 6)
    }

    @Test func everyFormsStateReadsBackAsTyped() throws {
        var needling = NeedlingFormState(visitID: 3, patientName: "Jane Smith", progress: VisitProgress(
            visit: Visit(patientID: 1, practitionerID: 1, startedAt: fixedNow), revision: 0,
            readiness: NeedlingReadiness(visitDay: fixedToday, patientID: 1, consents: [], screens: [], confirmed: []),
            lastNeedle: nil))
        for key in "upper trap" { _ = needling.apply(.edit(.character(key))) }
        _ = needling.apply(.nextField)
        needling.response.setText("Felt a deep ache — “like a bruise” 中")
        needling.adverse.rows = [AdverseEventList.Row(kind: .suspectedPneumothorax, severity: .serious, action: TextField(text: "Called 000"))]
        needling.technique = .electricalStimulation(settings: "2 Hz")
        let draft = FormDraft(slot: .visit(3), form: .needling(needling))
        let back = try FormDraft(slot: .visit(3), kind: draft.kind, json: try draft.json())
        #expect(back == draft)
        guard case .needling(let form) = back.form else { return }
        #expect(form.picker.chosen?.id == needling.picker.chosen?.id && form.picker.chosen != nil)

        var patient = PatientFormState()
        patient.family.setText("O'Brien")
        patient.sex = .female
        let patientDraft = FormDraft(slot: .newPatient, form: .patient(patient))
        #expect(try FormDraft(slot: .newPatient, kind: "patient", json: try patientDraft.json()) == patientDraft)

        #expect(throws: (any Error).self) { try FormDraft(slot: .newPatient, kind: "needling", json: try patientDraft.json()) }
        #expect(throws: (any Error).self) { try FormDraft(slot: .newPatient, kind: "unknown", json: "{}") }
    }
}
