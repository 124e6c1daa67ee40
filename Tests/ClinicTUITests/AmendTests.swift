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
        try tui.press(.tab, .tab, .tab, .tab, .tab, .tab)  // past likely causes, impression, impression code
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

        // The chart marks the visit amended and shows it as amended; the top of the note says it
        // was corrected, shows the note as amended, and the original complaint is one step away.
        try tui.press(.escape)
        #expect(tui.screen.contains("amended  NPRS 5"), "\(tui.screen)")
        try tui.press(.enter)
        #expect(tui.screen.contains("Corrected after signing (1 amendment): the note below is as amended"), "\(tui.screen)")
        #expect(tui.screen.contains("Complaint: Right shoulder pain reaching overhead (amended from"), "\(tui.screen)")
        #expect(tui.screen.contains("reaching overhead and lying on that side, "), "the signed complaint is beside it")
        #expect(tui.screen.contains("now 5 (amended from 6, \(ClinicModel.LocalDate(saved.amendedAt)))"), "\(tui.screen)")
    }

    @Test func refusalsLeaveTheFormOpenWithTheTypingAndNothingSaved() throws {
        let tui = try TUIHarness("amend-refused")
        let record = try openSignedVisit(tui)
        let id = try #require(record.visit.id)
        try tui.press(.character("m"))

        // Nothing typed.
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Not saved: type a new value for at least one field (blank fields stay as they are; PgDn for the entries)")

        // Pain worst 11 is not an NPRS score: marked on screen and refused.
        try tui.press(.tab, .tab, .tab, .tab)
        try tui.type("11")
        #expect(tui.screen.contains("NPRS is 0 to 10"))
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Not saved: pain worst '11' is out of range: NPRS is 0 to 10")

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
        try tui.press(.tab, .tab, .tab, .tab)
        try tui.type("Typo")
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Not saved: the new pain worst is the same as the one on the note")

        // Esc cancels (asking first, as something was typed): back on the visit, nothing saved.
        try tui.press(.escape, .character("y"))
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
        try tui.press(.tab, .tab, .tab, .tab, .tab, .tab, .tab)
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
        #expect(AmendableField.noteFields.map(\.rawValue) == ["complaint", "notes", "pain.now", "pain.best", "pain.worst", "likely-cause-notes", "impression", "impression-code"])
        var visit = Visit(patientID: 1, practitionerID: 1, startedAt: fixedNow, complaint: "Heel pain",
                          pain: PainScores(now: try NPRS(4, field: "pain.now")))
        visit.notes = nil
        #expect(AmendableField.currentValue(of: "complaint", in: visit) == "Heel pain")
        #expect(AmendableField.currentValue(of: "pain.now", in: visit) == "4")
        #expect(AmendableField.currentValue(of: "notes", in: visit) == "")
        #expect(AmendableField.currentValue(of: "pain.elsewhere", in: visit) == "", "an unknown field reads as blank, as before")
        #expect(AmendableField(rawValue: "side") == nil)
        #expect(AmendableField(rawValue: "needle.2.depth") == AmendableField(.needle, 2, "depth"))
        #expect(AmendableField.fields(of: visit).count == AmendableField.noteFields.count, "no entries, no entry fields")
    }

    /// Opens the form on the demo visit, moves to its first needling entry with PgDn and
    /// returns the form.
    func formOnFirstNeedlingEntry(_ tui: TUIHarness) throws -> AmendFormState {
        try tui.press(.character("m"))
        for _ in 0..<20 {
            guard case .amendForm(let form) = tui.app.state.current else { break }
            if form.target.entry == .needle { return form }
            try tui.press(.pageDown)
        }
        Issue.record("no needling entry in the amendment form: \(tui.screen)")
        throw CancellationError()
    }

    @Test func anEntryIsPickedWithPgDnAndItsFieldsAmended() throws {
        let tui = try TUIHarness("amend-entry")
        let record = try openSignedVisit(tui)
        let id = try #require(record.visit.id)
        let signedEntry = try #require(record.visit.needling.first)
        let form = try formOnFirstNeedlingEntry(tui)
        #expect(tui.screen.contains("(PgDn/PgUp): Needling 1: \(signedEntry.muscle?.name ?? signedEntry.muscleID)"), "\(tui.screen)")
        #expect(form.focus == .field(AmendableField(.needle, 1, "muscle")))
        // Down to the depth (muscle, side, trigger point, brand, size, lot, in, out, technique, depth).
        for _ in 0..<9 { try tui.press(.tab) }
        #expect(tui.screen.contains("Depth (mm)"))
        let depth = signedEntry.depth.map { $0.value + 1 } ?? 10
        let typed = depth == depth.rounded() ? String(Int(depth)) : String(depth)
        // A value the entry's rules refuse is marked before saving: deeper than the needle.
        try tui.type("999")
        #expect(tui.screen.contains("999 is out of range: needle depth"), "\(tui.screen)")
        try tui.press(.backspace, .backspace, .backspace)
        try tui.type(typed)
        try tui.press(.pageUp, .pageDown)  // the typing stays when moving between entries
        guard case .amendForm(let back) = tui.app.state.current else { throw CancellationError() }
        #expect(back.value(AmendableField(.needle, 1, "depth")).text == typed)
        #expect(tui.screen.contains("Needling 1 depth (mm): “"), "the summary lists the change: \(tui.screen)")
        #expect(tui.screen.contains("Correcting 12 of 14 (PgDn/PgUp): Needling 1:"), "\(tui.screen)")
        // To the reason: Tab past the last field.
        for _ in 0..<20 { try tui.press(.tab) }
        try tui.type("Depth read from the wrong site")
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("saved (needling 1 depth (mm))"), "\(said(tui))")

        let stored = try tui.session.visitRecord(id: id)
        #expect(stored.visit.needling.first?.depth == signedEntry.depth, "the signed note is unchanged")
        #expect(stored.asAmended.visit.needling.first?.depth?.value == depth)
        #expect(stored.amendments.last?.changes.map(\.field) == ["needle.1.depth"])
        // The view shows the entry as amended with the signed value beside it.
        #expect(tui.screen.contains("↳ amended: depth \(typed) (amended from"), "\(tui.screen)")
    }

    @Test func aFormKeptBeforeEntriesCouldBePickedStillReadsBack() throws {
        let tui = try TUIHarness("amend-old-draft")
        _ = try openSignedVisit(tui)
        try tui.press(.character("m"))
        try tui.type("Right shoulder pain")
        guard case .amendForm(let form) = tui.app.state.current else { throw CancellationError() }
        var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(form)) as? [String: Any])
        #expect(object["target"] != nil)
        object.removeValue(forKey: "target")
        let old = try JSONDecoder().decode(AmendFormState.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.target == AmendFormState.Target(entry: nil, index: 0))
        #expect(old.value(.complaint).text == "Right shoulder pain")
    }
}
