import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicTestSupport

/// Needles removed are the total out of a site so far, on every store (`TestStore.all`): a lower
/// total is refused unless it is a correction, and the total on file before is given back.
@Suite("needles removed: the total out, never lowered unless corrected, on every store")
struct NeedlesRemovedTotalTests {
    @Test("2 out, then 1 is refused with nothing written; 3 is taken; 1 as a correction is, saying it was 3", arguments: TestStore.all)
    func aLowerTotalNeedsACorrection(store: TestStore) throws {
        let clinic = try store.newClinic()
        let setup = try ClinicSession.open(path: clinic.location, handle: "", environment: [:])
        let training = DryNeedlingTraining(course: "DN level 1", hours: 27, completedOn: try LocalDate(parsing: "2024-03-01"))
        try setup.setUpClinic(firstAccount: Practitioner(handle: "amy", name: "Amy Physio", profession: .physiotherapist,
                                                         dryNeedlingTraining: training))
        let amy = try ClinicSession.open(path: clinic.location, handle: "amy", environment: [:])
        _ = try amy.addPatient(Patient(recordNumber: "K1", givenNames: "Jo", familyName: "Smith", dateOfBirth: try LocalDate(parsing: "1980-05-17")))
        let visit = try #require(try amy.newVisit(patientKey: "K1", complaint: "Calf", pain: PainScores(now: NPRS(unchecked: 4))).id)
        _ = try amy.recordConsent(patientKey: "K1") { Consent(patientID: $0, practitionerID: $1, risksExplained: Set(Consent.Risk.allCases), benefitsExplained: true) }
        _ = try amy.recordScreen(patientKey: "K1", answers: ScreenAnswers(nonePresent: true), validDays: 90)
        let needle = Needle(brand: "Seirin", gaugeMm: 0.25, lengthMm: 40, lot: "L2411")
        let (entry, _) = try amy.addNeedling(visitID: visit, NeedlingEntry(muscleID: "gastrocnemius-medial", side: .left, needle: needle,
                                                                         needlesInserted: 3, needlesRemoved: 0))
        let entryID = try #require(entry.id)
        func removed() throws -> Int? { try amy.database.read { try $0.visit(id: visit) }?.needling.first?.needlesRemoved }
        let revision = { try amy.database.read { try $0.visitRevision(id: visit) } }

        #expect(try amy.setNeedlesRemoved(entryID: entryID, removed: 2) == 0)
        let before = try revision()
        #expect(throws: NeedleTotalLowered(entryID: entryID, recorded: 2, given: 1)) {
            try amy.setNeedlesRemoved(entryID: entryID, removed: 1)
        }
        #expect(try removed() == 2 && (try revision()) == before, "nothing written: the count and the draft's revision as they were")
        #expect(try amy.setNeedlesRemoved(entryID: entryID, removed: 3) == 2)
        #expect(try amy.setNeedlesRemoved(entryID: entryID, removed: 1, correcting: true) == 3)
        #expect(try removed() == 1)
    }
}
