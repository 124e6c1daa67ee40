import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// The patient form refuses a Medicare number whose check digit does not match, as it refuses
/// other bad values: on the status line, the form kept open, nothing saved.
@Suite struct PatientFormCheckDigitTests {
    @Test func aMistypedMedicareNumberIsRefusedAndNothingIsSaved() throws {
        let tui = try TUIHarness("patient-form-check-digit")
        let before = try tui.session.patientCount()
        try tui.press(.function(2))
        try tui.type("Quill")
        try tui.press(.tab)
        try tui.type("Tom")
        try tui.press(.tab, .tab)
        try tui.type("17/05/1980")
        try tui.press(.tab, .tab, .tab, .tab, .tab, .tab)
        try tui.type("2951234561")
        try tui.press(.ctrl("s"))
        #expect(tui.screen.contains("Not saved: Medicare no."), "\(tui.screen)")
        #expect(tui.screen.contains("check digit"), "\(tui.screen)")
        #expect(try tui.session.patientCount() == before)
        #expect(tui.app.state.current.kind == .patientForm, "the form stays open with what was typed")

        // The number as on the card (check digit 7) registers.
        for _ in 0..<10 { try tui.press(.backspace) }
        try tui.type("2951234571")
        try tui.press(.ctrl("s"))
        #expect(try tui.session.patientCount() == before + 1, "\(tui.screen)")
    }
}
