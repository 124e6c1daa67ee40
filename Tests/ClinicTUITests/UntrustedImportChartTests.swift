import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import ClinicTestSupport
import TerminalKit
@testable import ClinicTUI

/// A record imported from a clinic export this clinic could not trust (`--untrusted`) says so on
/// the chart, in red, before anything in it is read: which file, when, and why.
@Suite struct UntrustedImportChartTests {
    @Test func aPatientFromAnUntrustedExportIsMarkedOnTheChart() throws {
        // Another clinic's export of one patient, without its signature beside it.
        let source = TemporaryDirectory(prefix: "knot-untrusted-source")
        let export = source.file("other-clinic.xml")
        let db = try ClinicDatabase(path: source.file("other.sqlite"))
        let other = ClinicSession.maintenance(database: db, actor: "other")
        let bo = try other.addPractitioner(Practitioner(handle: "bo", name: "Bo Other", profession: .physiotherapist))
        _ = try other.addPatient(Patient(recordNumber: "X1", givenNames: "Zed", familyName: "Quill",
                                         dateOfBirth: try LocalDate(year: 1975, month: 3, day: 2)), today: fixedToday)
        let practitioner = ClinicSession(database: db, user: bo)
        let visit = try practitioner.newVisit(patientKey: "X1", at: fixedNow.addingTimeInterval(-86_400), complaint: "Neck pain",
                                              pain: PainScores())
        _ = try practitioner.sign(visitID: visit.id!)
        _ = try other.export(to: export)
        try db.close()
        try? FileManager.default.removeItem(atPath: export + ".sig")

        let tui = try TUIHarness("untrusted-chart", demo: false, user: "amy") { setup in
            _ = try setup.addPractitioner(Practitioner(handle: "amy", name: "Amy Physio", profession: .physiotherapist))
            _ = try setup.addPatient(Patient(recordNumber: "K1", givenNames: "Jane", familyName: "Smith",
                                             dateOfBirth: try LocalDate(year: 1980, month: 5, day: 1)), today: fixedToday)
            var options = ImportOptions()
            options.untrusted = true
            let outcome = setup.importFile(export, options: options)
            try #require(outcome.status == .created, "\(outcome.detail)")
        }
        try tui.type("quill")
        try tui.press(.enter)
        let row = try #require(tui.row(containing: "UNTRUSTED IMPORT: from other-clinic.xml"), "\(tui.screen)")
        #expect(tui.lines[row].contains("unsigned"), "\(tui.lines[row])")
        #expect(row < (tui.row(containing: "No alerts recorded") ?? 99), "the mark comes before the record's content")

        // Its signed visit, opened read only, says so too.
        try tui.press(.enter)
        #expect(tui.screen.contains("Neck pain"), "\(tui.screen)")
        #expect(tui.screen.contains("UNTRUSTED IMPORT: from other-clinic.xml"), "\(tui.screen)")
        try tui.press(.escape)

        // A patient of this clinic's own carries no mark.
        try tui.press(.escape)
        try tui.press(Array(repeating: Key.backspace, count: 5))
        try tui.type("smith")
        try tui.press(.enter)
        #expect(tui.screen.contains("Smith, Jane") && !tui.screen.contains("UNTRUSTED"), "\(tui.screen)")
    }
}
