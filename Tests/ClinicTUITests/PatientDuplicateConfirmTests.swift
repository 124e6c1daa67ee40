import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// Registering from the front end someone who may already be on file: the candidates are
/// shown and the practitioner answers y (a different person) or goes back; nothing is saved
/// before that answer.
@Suite struct PatientDuplicateConfirmTests {
    func fillNewPatient(_ tui: TUIHarness) throws {
        try tui.press(.function(2))
        try tui.press(.ctrl("u"))
        try tui.type("Quill")
        try tui.press(.tab)
        try tui.type("Tóm")
        try tui.press(.tab, .tab)
        try tui.type("17/05/1980")
    }

    @Test func aPossibleDuplicateShowsTheCandidatesAndIsRegisteredOnlyAfterYes() throws {
        var existing: Patient?
        let tui = try TUIHarness("patient-duplicate-confirm") { setup in
            existing = try setup.addPatient(Patient(recordNumber: "Q1", givenNames: "Tom", familyName: "Quill",
                                                    dateOfBirth: try LocalDate(year: 1980, month: 5, day: 17)), today: fixedToday)
        }
        let before = try tui.session.patientCount()
        try fillNewPatient(tui)
        try tui.press(.ctrl("s"))
        #expect(tui.screen.contains("may be the same person"), "\(tui.screen)")
        #expect(tui.screen.contains("Q1  Quill, Tom  born 1980-05-17"))
        #expect(tui.screen.contains("y register anyway"))
        #expect(try tui.session.patientCount() == before, "nothing saved before the answer")

        // Any other key: back to the form as typed, still nothing saved.
        try tui.type("n")
        #expect(!tui.screen.contains("may be the same person"))
        #expect(tui.screen.contains("Not registered"))
        #expect(tui.app.state.current.kind == .patientForm)
        #expect(tui.screen.contains("Quill"))
        #expect(try tui.session.patientCount() == before)

        // Asked again, and yes registers a second patient.
        try tui.press(.ctrl("s"))
        #expect(tui.screen.contains("Q1  Quill, Tom  born 1980-05-17"))
        try tui.type("y")
        #expect(try tui.session.patientCount() == before + 1)
        guard case .chart(let chart) = tui.app.state.current else {
            Issue.record("the new patient's chart did not open")
            return
        }
        #expect(chart.chart.patient.id != existing?.id)
        #expect(chart.chart.patient.givenNames == "Tóm")
    }
}
