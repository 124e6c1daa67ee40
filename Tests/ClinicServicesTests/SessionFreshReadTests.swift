import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicTestSupport

/// A session kept open (the front end keeps one all day, a batch import one for minutes) sees,
/// on every read, what was committed before that read began: by another program (python's
/// sqlite3, as `StoreProbe` writes), by a colleague's Knot, and also after a read on the same
/// session failed because a row was changed outside Knot. A failed read must not leave the
/// store holding an old snapshot. On every store (`TestStore.all`).
@Suite("an open session reads what others committed, also after a failed read")
struct SessionFreshReadTests {
    /// The NDI items of the patient's outcome measures, as `clinic.session` reads them now.
    private func items(_ clinic: EntryCorrectionClinic) throws -> [[Int?]] {
        try clinic.session.database.read { try $0.outcomes(patientID: clinic.patient.id!) }.map(\.measure.items)
    }

    @Test("a change another program commits shows on the same session's next read", arguments: TestStore.all)
    func aChangeCommittedElsewhereShowsOnTheNextRead(store: TestStore) throws {
        let clinic = try EntryCorrectionClinic(store)
        let visitID = try #require(try clinic.addVisit().id)
        _ = try clinic.session.addOutcome(visitID: visitID, try OutcomeMeasure(scale: .ndi, items: Array(repeating: 2, count: 10)))
        #expect(try items(clinic) == [Array(repeating: 2, count: 10)])

        try StoreProbe.execute(clinic.location, "UPDATE outcome_measure SET items_json = '[3,3,3,3,3,3,3,3,3,3]' WHERE visit_id = \(visitID)")
        #expect(try items(clinic) == [Array(repeating: 3, count: 10)])

        // A colleague's Knot, in its own session, records another measure: it shows at once.
        let colleague = try ClinicSession.open(path: clinic.location, handle: "mchen", environment: [:])
        _ = try colleague.addOutcome(visitID: visitID, try OutcomeMeasure(scale: .ndi, items: Array(repeating: 1, count: 10)))
        #expect(try items(clinic) == [Array(repeating: 3, count: 10), Array(repeating: 1, count: 10)])
    }

    @Test("after a read fails on a row changed outside Knot, the same session's next read sees what was committed since",
          arguments: TestStore.all)
    func aFailedReadLeavesNoOldSnapshotBehind(store: TestStore) throws {
        let clinic = try EntryCorrectionClinic(store)
        let visit = try clinic.addVisit()
        let visitID = try #require(visit.id), pointID = try #require(visit.triggerPoints.first?.id)
        _ = try clinic.session.addOutcome(visitID: visitID, try OutcomeMeasure(scale: .ndi, items: Array(repeating: 2, count: 10)))
        #expect(try items(clinic) == [Array(repeating: 2, count: 10)])

        // A read that fails as damaged, on the session that stays open.
        try StoreProbe.execute(clinic.location, "UPDATE trigger_point SET likely_causes = 'stress,bogus' WHERE id = \(pointID)")
        let failed = caught { try clinic.session.database.read { try $0.visit(id: visitID) } }
        guard case .damaged(let table, _, _, _)? = failed as? StorageError, table == "trigger_point" else {
            Issue.record("not reported as damaged: \(String(describing: failed))")
            return
        }

        // Another program repairs the row and changes the outcome measure; the same session sees both.
        try StoreProbe.execute(clinic.location, "UPDATE trigger_point SET likely_causes = 'stress' WHERE id = \(pointID)")
        try StoreProbe.execute(clinic.location, "UPDATE outcome_measure SET items_json = '[4,4,4,4,4,4,4,4,4,4]' WHERE visit_id = \(visitID)")
        #expect(try items(clinic) == [Array(repeating: 4, count: 10)])
        #expect(try clinic.visit(visitID).triggerPoints.first?.likelyCauses == [.stress])

        // A value out of range committed elsewhere is reported by the same session, not missed.
        try StoreProbe.execute(clinic.location, "UPDATE outcome_measure SET items_json = '[2,2,2,2,2,2,2,2,2,9]' WHERE visit_id = \(visitID)")
        let outcome = caught { try items(clinic) }
        guard case .damaged(let outcomeTable, _, let column, _)? = outcome as? StorageError else {
            Issue.record("not reported as damaged: \(String(describing: outcome))")
            return
        }
        #expect(outcomeTable == "outcome_measure" && column == "items_json")

        // And after that second failed read, a repair committed elsewhere shows again.
        try StoreProbe.execute(clinic.location, "UPDATE outcome_measure SET items_json = '[5,5,5,5,5,5,5,5,5,5]' WHERE visit_id = \(visitID)")
        #expect(try items(clinic) == [Array(repeating: 5, count: 10)])
    }
}
