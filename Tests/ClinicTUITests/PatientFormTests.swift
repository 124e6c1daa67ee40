import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// Registering a patient and correcting details from the front end, with the same rules as
/// `knot patient add|edit`.
@Suite struct PatientFormTests {
    func stored(_ tui: TUIHarness, _ search: String) throws -> [Patient] {
        try tui.session.database.read { tx in
            try tx.searchPatients(search).compactMap { try tx.patient(id: $0.id) }
        }
    }

    @Test func aPatientFoundNowhereIsRegisteredFromTheListAndTheChartOpens() throws {
        let tui = try TUIHarness("patient-form-new")
        try tui.type("zabrowski")
        #expect(try stored(tui, "zabrowski").isEmpty)
        try tui.press(.function(2))
        #expect(tui.screen.contains("New patient"))
        #expect(tui.screen.contains("Zabrowski"), "the family name searched for is filled in")
        try tui.press(.tab)
        try tui.type("Ada Maria")
        try tui.press(.tab, .tab)
        try tui.type("17/05/1980")
        try tui.press(.tab)
        try tui.type("f")
        try tui.press(.tab)
        try tui.type("0412 345 678")
        try tui.press(.tab, .tab, .tab, .tab)
        try tui.type("2951234571")
        try expectGolden("patient-form-new", tui.screen)
        try tui.press(.ctrl("s"))

        let saved = try #require(try stored(tui, "zabrowski").first)
        #expect(saved.givenNames == "Ada Maria")
        #expect(saved.dateOfBirth == (try LocalDate(year: 1980, month: 5, day: 17)))
        #expect(saved.sex == .female)
        #expect(saved.phone == "0412 345 678")
        #expect(saved.identifiers.contains(PatientIdentifier(system: .medicare, value: "2951234571")))
        #expect(!saved.recordNumber.isEmpty)
        #expect(tui.screen.contains("Registered Zabrowski, Ada Maria as \(saved.recordNumber)."))
        guard case .chart(let chart) = tui.app.state.current else {
            Issue.record("the new patient's chart did not open")
            return
        }
        #expect(chart.chart.patient.id == saved.id)
    }

    @Test func anImpossibleBirthDateIsRefusedAndNothingIsSaved() throws {
        let tui = try TUIHarness("patient-form-bad-date")
        let before = try tui.session.patientCount()
        try tui.press(.function(2))
        try tui.type("Quill")
        try tui.press(.tab)
        try tui.type("Tom")
        try tui.press(.tab, .tab)
        try tui.type("31/02/1980")
        try tui.press(.ctrl("s"))
        #expect(tui.screen.contains("Not saved:"))
        #expect(tui.screen.contains("31"), "the status line names the value")
        #expect(try tui.session.patientCount() == before)
        #expect(tui.app.state.current.kind == .patientForm, "the form stays open with what was typed")
        #expect(tui.screen.contains("Quill"))

        // Without a family name the form says which field is missing (Esc asks first: typing is discarded on y).
        try tui.press(.escape, .character("y"))
        #expect(tui.screen.contains("Cancelled: nothing saved."))
        try tui.press(.function(2), .ctrl("s"))
        #expect(tui.screen.contains("Not saved: type the family name"))
        #expect(try tui.session.patientCount() == before)
    }

    @Test func detailsAreCorrectedFromTheChartAndEverythingElseIsKept() throws {
        let tui = try TUIHarness("patient-form-edit")
        let original = try #require(try stored(tui, "alvarez").first)
        try tui.type("alvarez")
        try tui.press(.enter, .character("e"))
        #expect(tui.screen.contains("Correct details of \(original.displayName)"))
        try tui.press(.tab, .tab, .tab, .tab, .tab)  // family, given, preferred, birth date, sex -> phone
        try tui.press(.ctrl("u"))
        try tui.type("03 9876 5432")
        try tui.press(.ctrl("s"))

        let saved = try #require(try stored(tui, "alvarez").first)
        #expect(saved.id == original.id)
        #expect(saved.phone == "03 9876 5432")
        #expect(saved.recordNumber == original.recordNumber)
        #expect(saved.alerts.map(\.text) == original.alerts.map(\.text), "alerts are not the form's to change")
        #expect(saved.dateOfBirth == original.dateOfBirth)
        #expect(tui.screen.contains("Details of \(original.displayName) updated."))
        guard case .chart = tui.app.state.current else {
            Issue.record("not back on the chart")
            return
        }
    }

    func form(_ tui: TUIHarness) throws -> PatientFormState {
        guard case .patientForm(let form) = tui.app.state.current else {
            Issue.record("the patient form should be open:\n\(tui.screen)")
            throw CancellationError()
        }
        return form
    }

    /// The walk's finding: the family name the search pre-fills was not selected, so typing
    /// "Smith" over "Zoë" gave "ZoëSmith"; and the list under the new chart still showed the
    /// search as it was before the patient existed.
    @Test func typingReplacesTheSearchTermPrefilledAsTheFamilyNameAndTheListShowsTheNewPatient() throws {
        let tui = try TUIHarness("patient-form-prefill-replaced")
        try tui.type("Zoë")
        #expect(!tui.screen.contains("Smith, Zoë"))
        try tui.press(.function(2))
        #expect(try form(tui).family.text == "Zoë", "the search is pre-filled")
        #expect(try form(tui).family.isSelected, "and selected, so typing replaces it")
        try tui.type("Smith")
        let family = try form(tui).family.text
        #expect(family == "Smith", "typed over, not added to: \(family)")
        #expect(!tui.screen.contains("ZoëSmith"))
        try tui.press(.tab)
        try tui.type("Zoë")
        try tui.press(.tab, .tab)
        try tui.type("1990-01-02")
        try tui.press(.ctrl("s"))
        let saved = try #require(try stored(tui, "smith zoë").first { $0.dateOfBirth.description == "1990-01-02" }, "\(tui.screen)")
        #expect(saved.familyName == "Smith" && saved.givenNames == "Zoë")
        guard case .chart = tui.app.state.current else {
            Issue.record("the new patient's chart did not open: \(tui.screen)")
            return
        }
        try tui.press(.escape)
        #expect(tui.app.state.current.kind == .patientList)
        #expect(tui.screen.contains("Smith, Zoë"), "the list searched for Zoë again and shows the new patient:\n\(tui.screen)")
    }

    @Test func correctingDetailsTypingReplacesThePrefilledFamilyName() throws {
        let tui = try TUIHarness("patient-form-edit-replaced")
        let original = try #require(try stored(tui, "alvarez").first)
        try tui.type("alvarez")
        try tui.press(.enter, .character("e"))
        #expect(try form(tui).family.text == original.familyName)
        try tui.type("Alvares")
        let family = try form(tui).family.text
        #expect(family == "Alvares", "typed over the family name on file: \(family)")
        // The moving keys keep it to edit: Right goes to its end, and typing adds there.
        try tui.press(.tab, .backTab, .right)
        try tui.type("z")
        #expect(try form(tui).family.text == "Alvaresz")
        try tui.press(.ctrl("s"))
        let saved = try #require(try stored(tui, "alvaresz").first)
        #expect(saved.id == original.id)
    }

    @Test func helpListsTheNewPatientKey() throws {
        let tui = try TUIHarness("patient-form-help")
        try tui.press(.function(1))
        #expect(tui.screen.contains("register a new patient"))
    }
}

/// Ctrl-C on a form that only Ctrl-S saves asks before the typing is lost.
@Suite struct QuitGuardTests {
    @Test func ctrlCOnAnUnsavedFormAsksFirstAndASecondCtrlCQuits() throws {
        let tui = try TUIHarness("quit-guard")
        try tui.press(.function(2))
        try tui.type("Quill")
        try tui.press(.ctrl("c"))
        #expect(tui.app.state.isRunning, "one Ctrl-C does not throw the form away")
        #expect(tui.screen.contains("This form is not saved: Ctrl-C again quits"))
        #expect(tui.screen.contains("Quill"))
        // Any other key disarms it: typing goes on, and Ctrl-C asks again.
        try tui.type("e")
        try tui.press(.ctrl("c"))
        #expect(tui.app.state.isRunning)
        try tui.press(.ctrl("c"))
        #expect(!tui.app.state.isRunning)
    }

    @Test func ctrlCOnTheListQuitsAtOnce() throws {
        let tui = try TUIHarness("quit-list")
        try tui.press(.ctrl("c"))
        #expect(!tui.app.state.isRunning)
    }
}
