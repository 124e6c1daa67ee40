import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// Amending a signed visit from its read-only view: the form, its checks, the save through the
/// service, and the view showing the amendment beside the untouched original.
@Suite struct AmendTests {
    func said(_ tui: TUIHarness) -> String { tui.app.state.message?.text ?? "" }

    /// Opens José Álvarez's newest visit (signed in the demo clinic).
    func openSignedVisit(_ tui: TUIHarness) throws -> VisitRecord {
        try tui.type("alvarez")
        try tui.press(.enter, .enter)
        guard case .visit(let view) = tui.app.state.current else {
            Issue.record("no visit view: \(tui.screen)")
            throw CancellationError()
        }
        #expect(view.record.visit.status == .signed)
        return view.record
    }

    @Test func amendmentIsSavedBesideTheUntouchedOriginal() throws {
        let tui = try TUIHarness("amend-save")
        let record = try openSignedVisit(tui)
        let id = try #require(record.visit.id)
        #expect(record.visit.pain.now?.value == 6)
        try tui.press(.character("m"))
        #expect(tui.app.state.current.kind == .amendForm)
        // Complaint: a new text; pain now: 5; the reason.
        try tui.type("Right shoulder pain reaching overhead")
        try tui.press(.tab, .tab)
        try tui.type("5")
        try tui.press(.tab, .tab, .tab)
        try tui.type("Pain now misheard: the patient said 5")
        try expectGolden("amend-form", tui.screen)
        try tui.press(.ctrl("s"))

        #expect(said(tui).contains("saved (complaint, pain now); the signed original is kept"), "\(said(tui))")
        guard case .visit(let view) = tui.app.state.current else {
            Issue.record("the visit view should be back: \(tui.screen)")
            return
        }
        #expect(view.record.amendments.count == record.amendments.count + 1)
        // On screen: who, when, why, before → after.
        let saved = try #require(view.record.amendments.last)
        #expect(tui.screen.contains("Amended \(Formatting.dateTime(saved.amendedAt)) by Mei Chen"), "\(tui.screen)")
        #expect(tui.screen.contains("Why: Pain now misheard: the patient said 5"))
        #expect(tui.screen.contains("Pain now: “6” → “5”"))
        #expect(tui.screen.contains("Complaint: “Shoulder pain reaching overhead and lying on that side” →"))

        // In the database: the signed note is unchanged, the amendment sits beside it.
        let stored = try tui.session.visitRecord(id: id)
        #expect(stored.visit.pain.now?.value == 6)
        #expect(stored.visit.complaint == record.visit.complaint)
        #expect(stored.visit.signedAt == record.visit.signedAt)
        let amendment = try #require(stored.amendments.last)
        #expect(amendment.reason == "Pain now misheard: the patient said 5")
        #expect(amendment.changes == [
            Amendment.Change(field: "complaint", before: record.visit.complaint ?? "", after: "Right shoulder pain reaching overhead"),
            Amendment.Change(field: "pain.now", before: "6", after: "5"),
        ])
        #expect(stored.author(of: amendment) == "Mei Chen")

        // The chart marks the visit amended; the top of the note says it was corrected and
        // the original complaint is still there.
        try tui.press(.escape)
        #expect(tui.screen.contains("amended  NPRS 6"), "\(tui.screen)")
        try tui.press(.enter)
        #expect(tui.screen.contains("Corrected after signing (1 amendment): the note below is as signed"))
        #expect(tui.screen.contains("Complaint: Shoulder pain reaching overhead and lying on that side"))
    }

    @Test func refusalsLeaveTheFormOpenWithTheTypingAndNothingSaved() throws {
        let tui = try TUIHarness("amend-refused")
        let record = try openSignedVisit(tui)
        let id = try #require(record.visit.id)
        try tui.press(.character("m"))

        // Nothing typed.
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Not saved: type a new value for at least one field (blank fields stay as signed)")

        // Pain worst 11 is not an NPRS score: marked on screen and refused.
        try tui.press(.tab, .tab, .tab, .tab)
        try tui.type("11")
        #expect(tui.screen.contains("NPRS is 0 to 10"))
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Not saved: pain worst is an NPRS score, a whole number from 0 to 10")

        // A valid score but no reason.
        try tui.press(.backspace, .backspace)
        try tui.type("8")
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Not saved: give the reason for the amendment (it is kept with it)")
        guard case .amendForm(let form) = tui.app.state.current else {
            Issue.record("the form should stay open: \(tui.screen)")
            return
        }
        #expect(form.value(.painWorst).text == "8")
        #expect(try tui.session.visitRecord(id: id).amendments.count == record.amendments.count)

        // Letters do not go into a pain field; the same value as signed is no change.
        try tui.type("x")
        if case .amendForm(let after) = tui.app.state.current {
            #expect(after.value(.painWorst).text == "8", "letters do not go into a pain field")
        }
        try tui.press(.backspace)
        try tui.type("7")
        try tui.press(.tab)
        try tui.type("Typo")
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Not saved: the new pain worst is the same as the signed one")

        // Esc cancels: back on the visit, nothing saved.
        try tui.press(.escape)
        #expect(tui.app.state.current.kind == .visit)
        #expect(said(tui).hasPrefix("Cancelled: nothing saved"))
        #expect(try tui.session.visitRecord(id: id).amendments.count == record.amendments.count)
    }

    @Test func ctrlYCopiesTheSignedTextToCorrectIt() throws {
        let tui = try TUIHarness("amend-copy")
        let record = try openSignedVisit(tui)
        try tui.press(.character("m"), .tab)  // notes
        try tui.press(.ctrl("y"))
        try tui.type(" Also carries shopping.")
        try tui.press(.tab, .tab, .tab, .tab)
        try tui.type("Left out what aggravates it")
        try tui.press(.ctrl("s"))
        let stored = try tui.session.visitRecord(id: try #require(record.visit.id))
        let change = try #require(stored.amendments.last?.changes.first)
        #expect(change.field == "notes")
        #expect(change.before == record.visit.notes)
        #expect(change.after == (record.visit.notes ?? "") + " Also carries shopping.")
    }

    @Test func onlyAPractitionerAmendsAndOnlyASignedVisit() throws {
        // Nobody chosen (no account): not even the patient list, and the way in is named.
        let nobody = try TUIHarness("amend-nobody", user: nil)
        try nobody.type("alvarez")
        #expect(said(nobody).contains("has no Knot account"), "\(said(nobody))")
        #expect(!nobody.screen.contains("Álvarez"))
        let signed = try openSignedVisit(try TUIHarness("amend-somebody"))

        // Reception never reaches a visit from the chart; if it did, `m` still refuses.
        let size = TerminalSize(rows: 24, columns: 80)
        var reception = AppState(context: SessionContext(databasePath: "x", workingAs: "reception", isReception: true,
                                                         canRecordVisits: false, today: fixedToday), size: size)
        reception.stack.append(.visit(VisitViewState(record: signed)))
        let (afterReception, effects) = Update.update(reception, .amendVisit)
        #expect(effects.isEmpty)
        #expect(afterReception.current.kind == .visit)
        #expect(afterReception.message?.text.hasPrefix("Reception cannot amend clinical notes") == true)

        // A draft is edited, not amended.
        var draft = signed
        draft.visit.status = .draft
        draft.visit.signedAt = nil
        var practitioner = AppState(context: SessionContext(databasePath: "x", workingAs: "mchen", isReception: false,
                                                            canRecordVisits: true, today: fixedToday), size: size)
        practitioner.stack.append(.visit(VisitViewState(record: draft)))
        let (afterDraft, _) = Update.update(practitioner, .amendVisit)
        #expect(afterDraft.current.kind == .visit)
        #expect(afterDraft.message?.text.contains("a draft is edited, not amended") == true)
    }

    @Test func theCommandLineAndTheFormShareOneFieldList() throws {
        #expect(AmendableField.allCases.map(\.rawValue) == ["complaint", "notes", "pain.now", "pain.best", "pain.worst"])
        var visit = Visit(patientID: 1, practitionerID: 1, startedAt: fixedNow, complaint: "Heel pain",
                          pain: PainScores(now: try NPRS(4, field: "pain.now")))
        visit.notes = nil
        #expect(AmendableField.currentValue(of: "complaint", in: visit) == "Heel pain")
        #expect(AmendableField.currentValue(of: "pain.now", in: visit) == "4")
        #expect(AmendableField.currentValue(of: "notes", in: visit) == "")
        #expect(AmendableField.currentValue(of: "pain.elsewhere", in: visit) == "", "an unknown field reads as blank, as before")
    }
}
