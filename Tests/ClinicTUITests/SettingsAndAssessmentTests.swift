import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// Issue 16 in the front end: the clinic's settings screen (F9 on the patient list), the
/// clinical impression (F8 on the visit editor) and outcome measures item by item (F9), each
/// saved through the same use case as its subcommand, on a real database.
@Suite struct SettingsScreenTests {
    func said(_ tui: TUIHarness) -> String { tui.app.state.message?.text ?? "" }

    func settingsForm(_ tui: TUIHarness) -> SettingsFormState? {
        if case .settingsForm(let form) = tui.app.state.current { return form }
        return nil
    }

    /// Moves the focus to `field` (Tab from the first field).
    func go(to field: SettingsFormState.Focus, in tui: TUIHarness) throws {
        try tui.press(.pageUp)
        let steps = SettingsFormState.Focus.allCases.firstIndex(of: field) ?? 0
        try tui.press(Array(repeating: Key.tab, count: steps))
    }

    @Test func theAdministratorChangesSettingsAndOnlyWhatWasTypedIsSaved() throws {
        let tui = try TUIHarness("settings-admin")  // mchen: the demo clinic's administrator
        let before = try tui.session.clinicSettings()
        try tui.press(.function(9))
        #expect(tui.app.state.current.kind == .settingsForm, "\(tui.screen)")
        try expectGolden("settings-form", tui.screen)
        #expect(settingsForm(tui)?.canEdit == true)

        try tui.type("Harbour Physio")  // the name is selected: typing replaces it
        try go(to: .phone, in: tui)
        try tui.type("(02) 9555 0100")
        try go(to: .country, in: tui)
        try tui.type("NZ")
        try go(to: .openDays, in: tui)
        try tui.type("mon-fri")
        try go(to: .acuteDays, in: tui)
        try tui.type("5")
        #expect(tui.screen.contains("* days to the review when acute"), "a changed field is marked:\n\(tui.screen)")
        try tui.press(.ctrl("s"))
        #expect(said(tui).hasPrefix("Clinic settings saved (name, phone, country, open days, acute)"), "\(said(tui))")
        #expect(said(tui).contains("emergency number 111"), "the number in force is said: \(said(tui))")
        #expect(tui.app.state.current.kind == .patientList)

        let after = try tui.session.clinicSettings()
        #expect(after.clinic.name == "Harbour Physio")
        #expect(after.clinic.phone == "(02) 9555 0100")
        #expect(after.clinic.country == "NZ")
        #expect(after.clinic.emergencyNumber == "111", "the emergency number was not typed: it follows the country")
        #expect(after.clinic.openWeekdays == Set(1...5))
        #expect(after.reviewRules.acuteDays == 5)
        #expect(after.reviewRules.chronicDays == before.reviewRules.chronicDays)
        #expect(after.clinic.email == before.clinic.email && after.timeZone == before.timeZone && after.needleStock == before.needleStock)
        let audited = try tui.session.database.read { tx in
            try tx.auditLog(patientID: nil, limit: 50).map(\.event).filter { $0.entity == "clinic-setting" }.compactMap(\.detail)
        }
        #expect(audited.contains { $0.contains("phone") && $0.contains("(02) 9555 0100") }, "\(audited)")
    }

    @Test func aRefusedValueNamesTheFieldSavesNothingAndGoesBackToIt() throws {
        let tui = try TUIHarness("settings-refused")
        let before = try tui.session.clinicSettings()
        try tui.press(.function(9))
        try tui.type("Harbour Physio")
        try go(to: .email, in: tui)
        try tui.press(.ctrl("u"))  // an email is not selected on focus (up to 254 characters)
        try tui.type("not an address")
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("Not saved: Email: 'not an address' must be an address"), "\(said(tui))")
        #expect(settingsForm(tui)?.focus == .email, "the focus goes back to the field refused")
        #expect(try tui.session.clinicSettings() == before, "all or nothing: the name is not saved either")

        try go(to: .acuteDays, in: tui)
        try tui.press(.backspace)
        try tui.type("99")
        try go(to: .email, in: tui)
        try tui.press(.ctrl("u"))  // the refused email emptied
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("Acute: '99' must be 1 to 90 days"), "\(said(tui))")
        #expect(settingsForm(tui)?.focus == .acuteDays)
        #expect(try tui.session.clinicSettings() == before)

        try tui.type("7")
        try go(to: .timeZone, in: tui)
        try tui.type("Mars/Olympus")
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("Time zone: 'Mars/Olympus'"), "\(said(tui))")
        #expect(try tui.session.clinicSettings() == before)
    }

    @Test func anEmptiedFieldGoesBackToItsDefault() throws {
        let tui = try TUIHarness("settings-clear") { setup in
            var change = ClinicSettingsChange()
            change.phone = "02 9555 0100"
            change.emergencyNumber = "112"
            try setup.changeClinicSettings(change)
        }
        try tui.press(.function(9))
        try go(to: .phone, in: tui)
        try tui.press(.backspace)  // selected on focus: Backspace clears it
        try go(to: .emergencyNumber, in: tui)
        try tui.press(.backspace)
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("phone to its default, emergency to its default"), "\(said(tui))")
        let after = try tui.session.clinicSettings()
        #expect(after.clinic.phone == nil)
        #expect(after.clinic.emergencyNumber == ClinicProfile.emergencyNumber(country: after.clinic.country))
    }

    @Test func anExpiredNeedleLotIsFlagged() throws {
        let tui = try TUIHarness("settings-expired-lot") { setup in
            var change = ClinicSettingsChange()
            change.needleBrand = "Seirin"
            change.needleLot = "L2401"
            change.needleLotExpiry = "2026-01-31"
            try setup.changeClinicSettings(change)
        }
        try tui.press(.function(9), .pageDown)
        #expect(tui.screen.contains("2026-01-31") && tui.screen.contains("EXPIRED: needle entries refuse this lot"), "\(tui.screen)")
    }

    @Test func untouchedSettingsSaveNothing() throws {
        let tui = try TUIHarness("settings-untouched")
        let events = try tui.session.database.read { try $0.auditLog(patientID: nil, limit: 100_000).count }
        try tui.press(.function(9), .ctrl("s"))
        #expect(said(tui) == "Not saved: nothing changed: type over a value, then Ctrl-S", "\(said(tui))")
        try tui.press(.escape)
        #expect(tui.app.state.current.kind == .patientList, "nothing typed: Esc just closes")
        #expect(try tui.session.database.read { try $0.auditLog(patientID: nil, limit: 100_000).count } == events)
    }

    @Test("the settings are read only for a practitioner who is not an administrator, and for reception",
          arguments: ["tkowalski", "reception"])
    func readOnlyForOthers(_ handle: String) throws {
        let tui = try TUIHarness("settings-readonly-\(handle)", user: handle)
        let before = try tui.session.clinicSettings()
        try tui.press(.function(9))
        #expect(tui.app.state.current.kind == .settingsForm, "\(tui.screen)")
        #expect(settingsForm(tui)?.canEdit == false)
        #expect(tui.screen.contains("read only: a clinic administrator changes them"), "\(tui.screen)")
        try tui.type("Other name")
        #expect(settingsForm(tui)?.text(.name) == before.clinic.name, "typing changes nothing")
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Not saved: only a clinic administrator changes the clinic's settings.")
        #expect(try tui.session.clinicSettings() == before)
        // Even asked directly, the service refuses (the permission table).
        let performer = EffectPerformer(session: tui.session, today: fixedToday, now: { fixedNow }, importFolder: "/nonexistent")
        var change = ClinicSettingsChange()
        change.name = "Other name"
        guard case .failed(let refusal) = performer.perform(.saveSettings(change, timeZone: nil)) else {
            Issue.record("\(handle) changed the settings")
            return
        }
        #expect(refusal.contains("works as"), "\(refusal)")
        try tui.press(.escape)
        #expect(tui.app.state.current.kind == .patientList)
    }

    @Test func theSettingsTypingIsKeptUntilSaved() throws {
        let first = try TUIHarness("settings-kept")
        try first.press(.function(9))
        try first.type("Harbour Physio")
        let again = try TUIHarness(sharing: first)
        try again.press(.function(9))
        #expect(settingsForm(again)?.text(.name) == "Harbour Physio", "\(again.screen)")
        #expect(said(again).hasPrefix("Restored the clinic's settings you were typing"), "\(said(again))")
        try again.press(.ctrl("s"))
        #expect(try again.session.clinicSettings().clinic.name == "Harbour Physio")
        #expect(try again.session.formDraft(.clinicSettings) == nil)
    }

    @Test func thePatientListHelpListsTheSettings() throws {
        let tui = try TUIHarness("settings-help")
        try tui.press(.character("?"))
        #expect(tui.screen.contains("clinic settings"), "\(tui.screen)")
    }
}

@Suite struct ImpressionAndOutcomeTests {
    /// Amy and Jane Smith, a visit started with a complaint: the biomechanics tests' clinic.
    let fixture = BiomechTreatmentTests()

    func clinic(_ name: String) throws -> TUIHarness { try fixture.clinic(name) }
    func startVisit(_ tui: TUIHarness) throws { try fixture.startVisit(tui) }
    func said(_ tui: TUIHarness) -> String { fixture.said(tui) }
    func visit(_ tui: TUIHarness) throws -> Visit { try tui.firstVisit() }

    @Test func theImpressionIsRecordedWithItsCodeThenCorrectedThenCleared() throws {
        let tui = try clinic("impression-form")
        try startVisit(tui)
        try tui.press(.function(8))
        #expect(tui.app.state.current.kind == .impressionForm, "\(tui.screen)")
        #expect(tui.screen.contains("[none]"), "no code system until one is chosen:\n\(tui.screen)")
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Not saved: impression: is required", "\(said(tui))")
        #expect(try visit(tui).impression == nil)

        try tui.type("Left medial gastrocnemius myofascial pain")
        try tui.press(.tab, .character("s"), .tab)
        try tui.type("24026003")
        try expectGolden("impression-form", tui.screen)
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Impression saved: Left medial gastrocnemius myofascial pain (SNOMED CT 24026003).", "\(said(tui))")
        #expect(tui.app.state.current.kind == .newVisit)
        #expect(tui.screen.contains("Impression"), "the editor lists it:\n\(tui.screen)")
        let saved = try #require(try visit(tui).impression)
        #expect(saved == ClinicalImpression(text: "Left medial gastrocnemius myofascial pain", code: "24026003", codeSystem: .snomedCT))

        // A code without its system is refused, naming the field.
        try tui.press(.function(8), .tab, .character("n"))
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("impression.codeSystem"), "\(said(tui))")
        #expect(try visit(tui).impression == saved)

        // Emptied, it is cleared.
        try tui.press(.escape, .character("y"), .function(8))
        guard case .impressionForm(let form) = tui.app.state.current else {
            Issue.record("F8 opens the impression:\n\(tui.screen)")
            return
        }
        #expect(form.text.text == saved.text, "it opens with the impression recorded")
        try tui.press(.ctrl("u"), .tab, .character("n"), .tab, .ctrl("u"), .ctrl("s"))
        #expect(said(tui) == "Impression cleared.", "\(said(tui))\n\(tui.screen)")
        #expect(try visit(tui).impression == nil)
    }

    @Test func anOutcomeMeasureIsScoredItemByItemWithItsTotalLive() throws {
        let tui = try clinic("outcome-lefs")
        try startVisit(tui)
        try tui.press(.function(9))
        #expect(tui.app.state.current.kind == .outcomeForm, "\(tui.screen)")
        try expectGolden("outcome-form-none", tui.screen)
        try tui.press(.ctrl("s"))
        #expect(said(tui).hasPrefix("Not saved: measure: choose one first"), "\(said(tui))")

        try tui.press(.character("l"), .tab)
        #expect(tui.screen.contains("1. usual work or school (0-4)"), "each item with its label and range:\n\(tui.screen)")
        let scores = [3, 2, 4, 4, 3, 2, 2, 4, 1, 4, 3, 2, 3, 3, 4, 1, 0, 0, 1]
        for score in scores {
            try tui.type(String(score))
            try tui.press(.tab)
        }
        #expect(tui.screen.contains("19 of 20 answered: 1 more to score"), "\(tui.screen)")
        try tui.type("5")
        #expect(tui.screen.contains("item 20 (rolling over in bed) is 0-4: not saved"), "\(tui.screen)")
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("items.item20: '5' is out of range"), "\(said(tui))")
        #expect(try visit(tui).outcomes.isEmpty, "a refusal saves nothing")

        try tui.press(.backspace)
        try tui.type("4")
        #expect(tui.screen.contains("Total      50/80 (20 of 20 answered)"), "\(tui.screen)")
        try expectGolden("outcome-form-lefs", tui.screen)
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Outcome measure saved: LEFS 50/80.", "\(said(tui))")
        let saved = try #require(try visit(tui).outcomes.first)
        #expect(saved.scale == .lefs && saved.items == (scores + [4]).map { Optional($0) })
        #expect(tui.screen.contains("LEFS 50/80"), "the editor lists it:\n\(tui.screen)")
    }

    @Test func ndiAllowsOneItemBlankAndIsAPercentage() throws {
        let tui = try clinic("outcome-ndi")
        try startVisit(tui)
        try tui.press(.function(9), .character("n"), .tab)
        for score in [2, 1, 3, 0, 2, 1, 2, 1, 3] {
            try tui.type(String(score))
            try tui.press(.tab)
        }
        #expect(tui.screen.contains("Total      33.3% (9 of 10 answered)"), "\(tui.screen)")
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Outcome measure saved: NDI 33.3%.", "\(said(tui))")
        #expect(try visit(tui).outcomes.first?.items.last == .some(nil))
    }

    @Test func everyScaleTheModelScoresIsOffered() throws {
        let tui = try clinic("outcome-scales")
        try startVisit(tui)
        try tui.press(.function(9))
        for scale in OutcomeScale.allCases {
            #expect(tui.screen.contains(scale.name), "\(scale.name) missing:\n\(tui.screen)")
        }
        try tui.press(.character("q"))
        guard case .outcomeForm(let form) = tui.app.state.current else { return }
        #expect(form.scale == .quickDASH && form.items.count == OutcomeScale.quickDASH.itemLabels.count)
        let blank = form.items.allSatisfy { $0.isEmpty }
        #expect(blank, "nothing is pre-scored")
    }

    @Test func theVisitEditorShowsTheNewKeysAndTheSignSummaryTheAssessment() throws {
        let tui = try clinic("outcome-keys")
        try startVisit(tui)
        #expect(tui.screen.contains("F8 impression · F9 outcome measure"), "\(tui.screen)")
        try tui.press(.function(1))
        #expect(tui.screen.contains("clinical impression") && tui.screen.contains("outcome measure"), "\(tui.screen)")
        try tui.press(.escape, .function(10))
        #expect(tui.screen.contains("Impression: none") && tui.screen.contains("Outcome measures: none"), "\(tui.screen)")
    }
}

@Suite struct AssessmentHelpTests {
    @Test func theNewScreensHelpFitsEightyColumnsAndListsEveryKey() throws {
        let tui = try TUIHarness("assessment-help")  // mchen, the demo's administrator
        func check() throws {
            try tui.press(.function(1))
            tui.expectHelpListsEveryKeyUncut()
            try tui.press(.function(1))
        }
        try tui.press(.function(9))
        try check()
        try tui.press(.escape)
        try tui.type("smi")
        try tui.press(.enter, .character("n"))
        try tui.type("Neck pain")
        try check()
        for key in [Key.function(8), .function(9)] {
            try tui.press(key)
            try check()
            try tui.press(.escape)
        }
    }
}

extension TUIHarness {
    /// The help shown lists every key of the screen's table, fits 80 columns and cuts no
    /// key's words.
    func expectHelpListsEveryKeyUncut(sourceLocation: SourceLocation = #_sourceLocation) {
        let kind = app.state.current.kind
        #expect(lines.allSatisfy { displayWidth(of: $0) <= 80 }, sourceLocation: sourceLocation)
        for binding in KeyMap.bindings(for: kind) {
            #expect(lines.contains { $0.contains("│ " + binding.keyLabel) }, "\(kind): \(binding.keyLabel) listed:\n\(screen)",
                    sourceLocation: sourceLocation)
        }
        #expect(lines.filter { $0.contains("│") }.allSatisfy { !$0.contains("…") }, "no key's words cut:\n\(screen)",
                sourceLocation: sourceLocation)
    }
}

@Suite struct AssessmentNarrowTests {
    @Test func theNewScreensDrawInSmallWindows() throws {
        let tui = try TUIHarness("assessment-narrow")
        try tui.press(.function(9))
        for (rows, columns) in [(10, 40), (24, 60), (12, 80)] {
            try tui.resize(rows: rows, columns: columns)
            #expect(tui.screen.contains("Clinic settings"), "\(rows)x\(columns):\n\(tui.screen)")
            try tui.press(.pageDown)
            #expect(tui.lines.allSatisfy { displayWidth(of: $0) <= columns })
            try tui.press(.pageUp)
        }
        try tui.resize(rows: 24, columns: 80)
        try tui.press(.escape)
        try tui.type("smi")
        try tui.press(.enter, .character("n"))
        try tui.type("Neck pain")
        try tui.press(.function(9), .character("l"), .tab)
        try tui.resize(rows: 10, columns: 40)
        #expect(tui.screen.contains("1. usual work"), "\(tui.screen)")
        try tui.press(.pageDown, .pageDown)
        #expect(tui.screen.contains("▸20. rolling"), "the focused item stays in view:\n\(tui.screen)")
        try tui.press(.escape, .character("y"), .function(8))
        try tui.resize(rows: 12, columns: 40)
        #expect(tui.screen.contains("Impression"), "\(tui.screen)")
    }
}
