import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// Biomechanical findings (F6) and treatments (F7) recorded from the visit editor: the model's
/// ranges refuse bad values with nothing saved, what is saved is in the database and on the
/// visit editor.
@Suite struct BiomechTreatmentTests {
    /// One practitioner (`amy`) and one patient, Jane Smith.
    func clinic(_ name: String) throws -> TUIHarness {
        try TUIHarness(name, demo: false, user: "amy") { setup in
            _ = try setup.addPractitioner(Practitioner(handle: "amy", name: "Amy Physio", profession: .physiotherapist))
            _ = try setup.addPatient(Patient(recordNumber: "K1", givenNames: "Jane", familyName: "Smith",
                                             dateOfBirth: try LocalDate(year: 1980, month: 5, day: 1)),
                                     today: fixedToday)
        }
    }

    /// Opens Jane's chart and starts a visit with a complaint typed (which creates the draft).
    func startVisit(_ tui: TUIHarness) throws {
        try tui.type("smi")
        try tui.press(.enter, .character("n"))
        try tui.type("Heel pain")
    }

    func said(_ tui: TUIHarness) -> String { tui.app.state.message?.text ?? "" }

    @Test func fpi6ItemsShowTheirTotalLiveAndSaveWithIt() throws {
        let tui = try clinic("biomech-fpi6")
        try startVisit(tui)
        try tui.press(.function(6))
        #expect(tui.app.state.current.kind == .biomechForm)
        #expect(tui.screen.contains("[fpi6]"), "FPI-6 is the first kind:\n\(tui.screen)")
        try tui.press(.tab)
        for score in ["2", "1", "-1"] {
            try tui.type(score)
            try tui.press(.tab)
        }
        #expect(tui.screen.contains("+2 so far, 3 of 6 scored"), "the running total shows as items are scored:\n\(tui.screen)")
        for score in ["2", "+2", "2"] {
            try tui.type(score)
            try tui.press(.tab)
        }
        #expect(tui.screen.contains("Total      +8 (pronated)"), "\(tui.screen)")
        try tui.type("r")
        try tui.press(.tab)
        try tui.type("standing relaxed")
        try expectGolden("biomech-form-fpi6", tui.screen)

        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Biomechanical finding saved: FPI-6 +8 (pronated), right.", "\(tui.screen)")
        #expect(tui.app.state.current.kind == .newVisit)
        let saved = try tui.firstVisit().biomechanics
        #expect(saved.count == 1)
        guard case .footPostureIndex(let fpi) = saved.first?.measure else {
            Issue.record("an FPI-6 was saved as \(String(describing: saved.first?.measure))")
            return
        }
        #expect(fpi.items.map(\.value) == [2, 1, -1, 2, 2, 2])
        #expect(fpi.total == 8 && fpi.category == .pronated)
        #expect(saved.first?.side == .right && saved.first?.notes == "standing relaxed")
        #expect(tui.screen.contains("Biomechanics"), "\(tui.screen)")
        #expect(tui.screen.contains("FPI-6 +8 (pronated), right: standing relaxed"))
    }

    @Test func fpi6WithAnItemMissingOrOutOfRangeIsNotSaved() throws {
        let tui = try clinic("biomech-fpi6-missing")
        try startVisit(tui)
        try tui.press(.function(6), .tab)
        try tui.type("1")
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Not saved: fpi6.item2: is required (-2 to +2)", "\(tui.screen)")
        try tui.press(.tab)
        for score in ["3", "0", "0", "0", "0"] {
            try tui.type(score)
            try tui.press(.tab)
        }
        #expect(tui.screen.contains("+1 so far, 5 of 6 scored · items are -2 to +2 only"), "an out-of-range item is flagged:\n\(tui.screen)")
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("fpi6.item2: '3' is out of range: FPI-6 item is -2 to 2"), "\(said(tui))")
        #expect(try tui.firstVisit().biomechanics.isEmpty)
        #expect(tui.app.state.current.kind == .biomechForm)
    }

    @Test func lungeOutOfRangeIsRefusedWithNothingSavedThenAValidOneIs() throws {
        let tui = try clinic("biomech-lunge")
        try startVisit(tui)
        try tui.press(.function(6), .character("l"))
        #expect(tui.screen.contains("[lunge]"))
        #expect(tui.screen.contains("cm, knee to wall"), "only the lunge's field shows:\n\(tui.screen)")
        #expect(!tui.screen.contains("talar head"))
        try tui.press(.tab)
        try tui.type("45")
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Not saved: lunge: '45.0' is out of range: lunge test is 0.0 to 30.0 cm", "\(tui.screen)")
        #expect(try tui.firstVisit().biomechanics.isEmpty, "a refusal saves nothing")
        guard case .biomechForm(let form) = tui.app.state.current else {
            Issue.record("the form stays open after a refusal:\n\(tui.screen)")
            return
        }
        #expect(form.value.text == "45", "what was typed stays")

        try tui.press(.backspace, .backspace)
        try tui.type("9.5")
        // The side is never chosen for the practitioner: accepting it as it opened is refused.
        #expect(tui.lines.contains { $0.contains("Side") && $0.contains("not chosen: type l, r, m or b") }, "\(tui.screen)")
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Not saved: side: not chosen: type l, r, m or b", "\(tui.screen)")
        #expect(try tui.firstVisit().biomechanics.isEmpty, "nothing saved without the side")
        try tui.press(.tab, .character("l"), .ctrl("s"))
        #expect(said(tui) == "Biomechanical finding saved: Lunge 9.5 cm, left.")
        guard case .lunge(let lunge) = try tui.firstVisit().biomechanics.first?.measure else {
            Issue.record("no lunge saved")
            return
        }
        #expect(lunge.value == 9.5)
    }

    @Test func gaitObservationsAreTickedFromTheChecklist() throws {
        let tui = try clinic("biomech-gait")
        try startVisit(tui)
        try tui.press(.function(6), .character("g"), .tab)
        #expect(tui.screen.contains("nothing ticked: saved as unremarkable"), "\(tui.screen)")
        try tui.press(.character(" "), .right, .character(" "), .down, .character(" "), .character(" "))
        #expect(tui.screen.contains("[x] antalgic") && tui.screen.contains("[x] trendelenburg"), "\(tui.screen)")
        #expect(tui.screen.contains("[ ] circumduction"), "Space twice unticks")
        #expect(tui.screen.contains("2 ticked"))
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Biomechanical finding saved: Gait: antalgic, trendelenburg, midline.", "\(tui.screen)")
        #expect(try tui.firstVisit().biomechanics.first?.measure == .gait([.antalgic, .trendelenburg]))
    }

    @Test func postureNeedsNotesAndStrengthAWholeGrade() throws {
        let tui = try clinic("biomech-posture")
        try startVisit(tui)
        try tui.press(.function(6), .character("p"), .ctrl("s"))
        #expect(said(tui) == "Not saved: notes: is required", "\(tui.screen)")
        try tui.press(.character("s"), .tab)
        try tui.type("hip abduction")
        try tui.press(.tab)
        try tui.type("4.5")
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Not saved: grade: '4.5' a strength grade is a whole number 0-5", "\(tui.screen)")
        try tui.press(.backspace, .backspace)
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Not saved: side: not chosen: type l, r, m or b", "\(tui.screen)")
        try tui.press(.tab, .character("l"), .ctrl("s"))
        #expect(said(tui) == "Biomechanical finding saved: Strength hip abduction 4/5, left.", "\(tui.screen)")
    }

    @Test func treatmentIschaemicCompressionNeedsAMuscleThenSaves() throws {
        let tui = try clinic("treatment-form")
        try startVisit(tui)
        try tui.press(.function(7))
        #expect(tui.app.state.current.kind == .treatmentForm)
        // What was done is never chosen for the practitioner: as it opens, Ctrl-S names the kind.
        #expect(!tui.screen.contains("[ischaemic-compression]") && tui.screen.contains("not chosen: type i, p, s, m, e or o"),
                "\(tui.screen)")
        #expect(!tui.screen.contains(" dry-needling "), "dry needling is logged with the needling form")
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Not saved: kind: not chosen: type its first letter (i, p, s, m, e, o) or Space", "\(tui.screen)")
        #expect(try tui.firstVisit().treatments.isEmpty)
        try tui.press(.character("i"))
        #expect(tui.screen.contains("[ischaemic-compression]"))
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Not saved: muscle: is required for ischaemic compression", "\(tui.screen)")
        #expect(try tui.firstVisit().treatments.isEmpty)
        #expect(tui.app.state.current.kind == .treatmentForm, "the form stays open")

        try tui.press(.tab)
        try tui.type("upper trap")
        try tui.press(.tab, .character("r"), .tab)
        try tui.type("60")
        try tui.press(.tab)
        try tui.type("3")
        try tui.press(.tab)
        try tui.type("home: ball against the wall")
        try expectGolden("treatment-form", tui.screen)
        try tui.press(.ctrl("s"))
        #expect(said(tui).hasPrefix("Treatment saved: ischaemic-compression; Trapezius (upper fibres), right; hold 60 s; 3 cycles"),
                "\(said(tui))")
        let saved = try #require(try tui.firstVisit().treatments.first)
        #expect(saved.kind == .ischaemicCompression && saved.muscleID == "upper-trapezius" && saved.side == .right)
        #expect(saved.holdTime?.value == 60 && saved.cycles == 3 && saved.notes == "home: ball against the wall")
        #expect(tui.screen.contains("Treatments"), "\(tui.screen)")
        #expect(tui.screen.contains("ischaemic-compression; Trapezius (upper fibres), right; hold 60 s"))
    }

    @Test func treatmentSideStaysUnansweredWhenAMuscleIsTakenUnlessItHasOneSide() throws {
        let tui = try clinic("treatment-side")
        try startVisit(tui)
        try tui.press(.function(7), .character("s"), .tab)
        try tui.type("soleus")
        try tui.press(.tab)
        guard case .treatmentForm(let taken) = tui.app.state.current else {
            Issue.record("the treatment form is open:\n\(tui.screen)")
            return
        }
        #expect(taken.picker.chosen?.id == "soleus" && taken.side == nil, "taking a paired muscle chooses no side")
        let line = try #require(tui.lines.first { $0.contains("Side") })
        #expect(line.contains("not chosen: type l, r, m or b") && !line.contains("[left]") && !line.contains("none"), "\(line)")
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Not saved: side: not chosen for Soleus: type l, r, m or b", "\(tui.screen)")
        #expect(try tui.firstVisit().treatments.isEmpty, "nothing saved without the side")
        try tui.press(.character("r"), .ctrl("s"))
        #expect(said(tui).hasPrefix("Treatment saved: stretching; Soleus, right"), "\(said(tui))")
        #expect(try tui.firstVisit().treatments.first?.side == .right)

        // A midline muscle has one side: taking it answers the side.
        try tui.press(.function(7), .character("s"), .tab)
        try tui.type("diaphragm")
        try tui.press(.tab)
        guard case .treatmentForm(let midline) = tui.app.state.current else { return }
        #expect(midline.side == .midline, "\(tui.screen)")
        try tui.press(.ctrl("s"))
        #expect(said(tui).hasPrefix("Treatment saved: stretching; Diaphragm, midline"), "\(said(tui))")
    }

    @Test func treatmentHoldOutsideTheIschaemicCompressionRangeIsRefused() throws {
        let tui = try clinic("treatment-hold")
        try startVisit(tui)
        try tui.press(.function(7), .character("i"), .tab)
        try tui.type("soleus")
        try tui.press(.tab, .tab)
        try tui.type("300")
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("holdTime: '300' ischaemic compression holds are 5 to 180 s"), "\(said(tui))")
        #expect(try tui.firstVisit().treatments.isEmpty)
        // Another kind without a muscle is fine.
        try tui.press(.backTab, .backTab, .backTab, .character("e"))
        #expect(tui.screen.contains("[exercise]"))
        try tui.press(.tab, .ctrl("u"), .tab, .character("n"), .tab, .ctrl("u"), .ctrl("s"))
        #expect(said(tui) == "Treatment saved: exercise.", "\(tui.screen)")
        let saved = try #require(try tui.firstVisit().treatments.first)
        #expect(saved.muscleID == nil && saved.side == nil && saved.holdTime == nil)
    }

    @Test func theVisitEditorShowsCountsAndTheLatestLinesWhenShort() throws {
        let tui = try clinic("biomech-many")
        try startVisit(tui)
        let id = try #require(try tui.firstVisit().id)
        for cm in [5.0, 6, 7, 8, 9, 10] {
            _ = try tui.session.addBiomechanical(visitID: id, BiomechanicalFinding(measure: .lunge(try LungeCentimetres(cm, field: "lunge")), side: .left))
        }
        for _ in 0..<3 {
            _ = try tui.session.addTreatment(visitID: id, Treatment(kind: .stretching, muscleID: "soleus", side: .left))
        }
        try tui.press(.function(6), .character("l"), .tab)
        try tui.type("11")
        try tui.press(.tab, .character("l"), .ctrl("s"))
        #expect(said(tui) == "Biomechanical finding saved: Lunge 11 cm, left.", "\(tui.screen)")
        #expect(tui.screen.contains("Biomechanics (7, latest 4 shown)"), "\(tui.screen)")
        try expectGolden("visit-editor-recorded", tui.screen)
        #expect(tui.screen.contains("Lunge 11 cm, left"), "the latest line shows")
        #expect(!tui.screen.contains("Lunge 5 cm"), "the oldest gives way")
        #expect(tui.screen.contains("Treatments") && !tui.screen.contains("Treatments ("), "the three treatments fit:\n\(tui.screen)")
        #expect(tui.screen.contains("F6 biomechanics · F7 treatment · F8 impression · F9 outcome measure · F10 sign"), "\(tui.screen)")
    }

    @Test func helpListsTheNewKeys() throws {
        let tui = try clinic("biomech-help")
        try startVisit(tui)
        try tui.press(.function(1))
        #expect(tui.screen.contains("F6/Ctrl-P") && tui.screen.contains("add a biomechanical finding"), "\(tui.screen)")
        #expect(tui.screen.contains("F7/Ctrl-G") && tui.screen.contains("add a treatment"))
        try tui.press(.escape, .ctrl("p"), .function(1))
        #expect(tui.screen.contains("Keys: Biomechanical finding"), "\(tui.screen)")
        #expect(tui.screen.contains("tick or untick a gait observation"))
        try tui.press(.escape, .escape, .ctrl("g"), .function(1))
        #expect(tui.screen.contains("Keys: Treatment"), "\(tui.screen)")
        #expect(tui.screen.contains("Ctrl-S/F10"))
    }
}
