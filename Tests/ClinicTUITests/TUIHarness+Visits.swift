import Foundation
import Testing
import ClinicModel
import ClinicServices
@testable import ClinicTUI

extension TUIHarness {
    /// Jane Smith (K1) and amy (a physiotherapist trained in dry needling), on the patient list
    /// as amy.
    static func janeAndAmy(_ name: String) throws -> TUIHarness {
        try TUIHarness(name, demo: false, user: "amy") { setup in
            let training = DryNeedlingTraining(course: "DN level 1", hours: 27, completedOn: try LocalDate(year: 2024, month: 3, day: 1))
            _ = try setup.addPractitioner(Practitioner(handle: "amy", name: "Amy Physio", profession: .physiotherapist,
                                                       dryNeedlingTraining: training))
            _ = try setup.addPatient(Patient(recordNumber: "K1", givenNames: "Jane", familyName: "Smith",
                                             dateOfBirth: try LocalDate(year: 1980, month: 5, day: 1)), today: fixedToday)
        }
    }

    /// `janeAndAmy` with a visit started on Jane from the front end: her chart opened by search,
    /// `n`, the complaint typed (which creates the draft). The forms' tests start here.
    static func visitStarted(_ name: String) throws -> TUIHarness {
        let tui = try janeAndAmy(name)
        try tui.type("smi")
        try tui.press(.enter, .character("n"))
        try tui.type("Calf pain")
        return tui
    }

    /// The first patient's newest visit as stored (what the screens saved, read behind them).
    func firstVisit() throws -> Visit {
        try session.database.read { tx in
            let summary = try #require(try tx.visitSummaries(patientID: 1).first)
            return try #require(try tx.visit(id: summary.id))
        }
    }
}
