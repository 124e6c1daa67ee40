import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicTestSupport

/// A visit written whole with its entries, as an import writes it (`preservingID`), on every
/// store (`TestStore.all`): every kind keeps its id and reads back as written, and the next entry
/// added gets an id after them.
@Suite("a visit's entries written with their ids, on every store")
struct VisitEntryStoreTests {
    @Test("every kind of entry keeps its id and reads back as written; the next one gets a new id", arguments: TestStore.all)
    func entriesKeepTheirIDs(store: TestStore) throws {
        let clinic = try EntryCorrectionClinic(store)
        let day = EntryCorrectionClinic.today.adding(days: -3)
        try clinic.addConsentAndScreen(day: day)
        var visit = Visit(id: 40, patientID: clinic.patient.id!, practitionerID: clinic.practitioner.id!,
                          startedAt: EntryCorrectionClinic.moment(day), complaint: "Heel pain", pain: PainScores(now: NPRS(unchecked: 5)))
        visit.triggerPoints = [TriggerPointFinding(id: 11, muscleID: "soleus", side: .right, location: "mid belly", activity: .latent,
                                                   tautBand: true, localTwitchResponse: false, referredPainReproduced: true,
                                                   tenderness: NPRS(unchecked: 6),
                                                   pressurePainThreshold: PressurePainThreshold(value: KilogramsPerSquareCentimetre(unchecked: 2.5), probeSizeCm2: 1),
                                                   likelyCauses: [.increasedActivity, .sustainedPosture], notes: "tender")]
        visit.biomechanics = [BiomechanicalFinding(id: 12, measure: .lunge(LungeCentimetres(unchecked: 6.5)), side: .right, notes: "stiff")]
        visit.treatments = [Treatment(id: 13, kind: .pressureRelease, muscleID: "soleus", side: .right, holdTime: Seconds(unchecked: 45),
                                      cycles: 2, notes: "eased")]
        var needling = EntryCorrectionClinic.needling(2, removed: 2)
        needling.id = 14
        visit.needling = [needling]
        visit.outcomes = [OutcomeMeasure(unchecked: .visaA, items: [10, 10, 10, 10, 10, 10, 10, 30], id: 15)]
        let written = try clinic.session.database.write { try $0.insertVisit(visit, actor: "import", preservingID: true) }
        let read = try clinic.visit(40)
        #expect(read.triggerPoints == visit.triggerPoints && read.biomechanics == visit.biomechanics && read.treatments == visit.treatments)
        #expect(read.needling.map(\.id) == [14] && read.needling.first?.needle == needling.needle)
        #expect(read.outcomes == visit.outcomes && written.outcomes == visit.outcomes)
        let next = try clinic.session.addOutcome(visitID: 40, try OutcomeMeasure(scale: .ndi, items: Array(repeating: 1, count: 10)))
        #expect((next.id ?? 0) > 15, "\(String(describing: next.id))")
        let point = try clinic.session.addTriggerPoint(visitID: 40, TriggerPointFinding(muscleID: "upper-trapezius", side: .left, activity: .active))
        #expect((point.id ?? 0) > 11, "\(String(describing: point.id))")
    }
}
