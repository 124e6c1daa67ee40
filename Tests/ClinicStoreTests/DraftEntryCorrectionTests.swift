import Foundation
import Testing
import GRDB
import ClinicModel
import ClinicServices
@testable import ClinicStore

/// Issue 13 B: a draft's trigger points, biomechanical findings, treatments and needling
/// entries are corrected (edited) or struck out (kept with a marker and the reason, left out of
/// the note and the counts), through the services as the command line and front end use them;
/// a signed visit refuses both ("amend it instead").
@Suite struct DraftEntryCorrectionTests {
    /// A clinic with a patient covered by consent and a screen, and a draft with one of each entry.
    struct Draft {
        let clinic: Clinic
        let session: ClinicSession
        let visitID: Int64
        var visit: Visit { get throws { try clinic.db.read { try $0.visit(id: visitID)! } } }

        init(needles: Int = 3, removed: Int = 0) throws {
            clinic = try Clinic()
            let patient = try clinic.addPatient("Jane", "Smith")
            let day = testToday.adding(days: -7)
            let v = try clinic.addVisit(patient: patient, day: day, needles: needles, removed: removed)
            visitID = v.id!
            let practitionerID = clinic.practitioner.id!
            try clinic.db.write { tx in
                _ = try tx.insertConsent(Consent(patientID: patient.id!, practitionerID: practitionerID, recordedAt: moment(day, hour: 9), risksExplained: Set(Consent.Risk.allCases)), actor: "test")
                _ = try tx.insertScreen(PrecautionScreen(patientID: patient.id!, practitionerID: practitionerID, recordedAt: moment(day, hour: 9),
                                                         validUntil: day.adding(days: 90)), actor: "test")
                _ = try tx.insertBiomechanical(BiomechanicalFinding(measure: .lunge(LungeCentimetres(unchecked: 7)), side: .left), visitID: v.id!, actor: "test")
                _ = try tx.insertTreatment(Treatment(kind: .ischaemicCompression, muscleID: "upper-trapezius", side: .left,
                                                     holdTime: Seconds(unchecked: 60), cycles: 3), visitID: v.id!, actor: "test")
            }
            session = ClinicSession(database: clinic.db, user: clinic.practitioner)
        }

        func audit() throws -> [String] {
            try clinic.db.read { try $0.auditLog(limit: 1000) }.compactMap(\.event.detail)
        }
    }

    @Test func editingEachKindSavesItAndAuditsWhatChanged() throws {
        let d = try Draft()
        defer { d.clinic.close() }
        var v = try d.visit
        var tp = v.triggerPoints[0]
        tp.tenderness = NPRS(unchecked: 5)
        tp.localTwitchResponse = true
        _ = try d.session.editTriggerPoint(visitID: d.visitID, tp)
        var bio = v.biomechanics[0]
        bio.measure = .lunge(LungeCentimetres(unchecked: 9.5))
        _ = try d.session.editBiomechanical(visitID: d.visitID, bio)
        var treatment = v.treatments[0]
        treatment.cycles = 5
        _ = try d.session.editTreatment(visitID: d.visitID, treatment)
        var needling = v.needling[0]
        needling.needlesInserted = 2
        needling.needlesRemoved = 2
        _ = try d.session.editNeedling(visitID: d.visitID, needling)

        v = try d.visit
        #expect(v.triggerPoints.count == 1 && v.triggerPoints[0].tenderness?.value == 5 && v.triggerPoints[0].localTwitchResponse)
        #expect(v.biomechanics[0].measure == .lunge(LungeCentimetres(unchecked: 9.5)))
        #expect(v.treatments[0].cycles == 5)
        #expect(v.needleCount.inserted == 2 && v.needleCount.removed == 2, "the needle count follows the corrected entry")
        let summary = try d.clinic.db.read { try $0.visitSummaries(patientID: v.patientID) }[0]
        #expect(summary.needlesInserted == 2 && summary.needlesRemoved == 2)
        let audit = try d.audit()
        #expect(audit.contains { $0.hasPrefix("trigger point \(tp.id!) edited:") && $0.contains("tenderness - → 5") })
        #expect(audit.contains { $0.hasPrefix("needling entry \(needling.id!) edited:") && $0.contains("needlesInserted 3 → 2") })
        #expect(audit.contains { $0.hasPrefix("treatment \(treatment.id!) edited:") && $0.contains("cycles 3 → 5") })
        #expect(audit.contains { $0.hasPrefix("biomechanical finding \(bio.id!) edited:") })
        #expect(try d.session.sign(visitID: d.visitID).status == .signed, "balanced after the correction")
    }

    @Test func editingANeedlingEntryChecksItsRulesAgain() throws {
        let d = try Draft()
        defer { d.clinic.close() }
        var entry = try d.visit.needling[0]
        entry.needlesRemoved = 4   // more out than in
        #expect(throws: StorageError.self) { try d.session.editNeedling(visitID: d.visitID, entry) }
        entry = try d.visit.needling[0]
        entry.muscleID = "rhomboid-major"   // over the lung fields: depth is required
        entry.depth = nil
        let error = caught { try d.session.editNeedling(visitID: d.visitID, entry) }
        #expect((error as? StorageError)?.invalidFields.isEmpty == false)
        #expect(try d.visit.needling[0].needlesInserted == 3 && d.visit.needling[0].muscleID == "infraspinatus", "nothing half-written")
    }

    @Test func strikingKeepsTheRowMarkedLeavesTheNoteAndTheCountAndIsAudited() throws {
        let d = try Draft(needles: 3, removed: 0)
        defer { d.clinic.close() }
        let before = try d.visit
        let entryID = before.needling[0].id!
        let struck = try d.session.strikeEntry(visitID: d.visitID, kind: .needling, id: entryID, reason: "entered twice")
        #expect(struck.summary.contains("3 in, 0 out"))
        let after = try d.visit
        #expect(after.needling.isEmpty && after.needleCount.inserted == 0)
        #expect(try d.clinic.db.read { try $0.visitSummaries(patientID: after.patientID) }[0].needlesInserted == 0)
        _ = try d.session.strikeEntry(visitID: d.visitID, kind: .triggerPoint, id: before.triggerPoints[0].id!, reason: "wrong muscle")
        _ = try d.session.strikeEntry(visitID: d.visitID, kind: .biomechanical, id: before.biomechanics[0].id!, reason: "other patient's")
        _ = try d.session.strikeEntry(visitID: d.visitID, kind: .treatment, id: before.treatments[0].id!, reason: "not given")
        let v = try d.visit
        #expect(v.triggerPoints.isEmpty && v.biomechanics.isEmpty && v.treatments.isEmpty)
        // Kept in the database, with who, when and why; never hard-deleted.
        let rows = try d.clinic.raw().read { db in
            try Row.fetchAll(db, sql: "SELECT strike_reason, struck_by FROM needling_entry WHERE id = ?", arguments: [entryID])
        }
        #expect(rows.count == 1 && rows[0]["strike_reason"] as String? == "entered twice" && rows[0]["struck_by"] as String? == "mchen")
        #expect(try d.clinic.db.read { try $0.struckEntries(visitID: d.visitID) }.count == 4)
        let audit = try d.audit()
        #expect(audit.contains { $0.hasPrefix("struck out needling entry \(entryID) (") && $0.hasSuffix("reason: entered twice") })
        #expect(audit.contains { $0.hasPrefix("struck out trigger point") && $0.hasSuffix("reason: wrong muscle") })
        // A struck entry is not struck (or edited) again.
        #expect(throws: ServiceError.self) { try d.session.strikeEntry(visitID: d.visitID, kind: .needling, id: entryID, reason: "again") }
        #expect(throws: (any Error).self) {
            try d.clinic.raw().write { try $0.execute(sql: "UPDATE needling_entry SET inserted = 1 WHERE id = ?", arguments: [entryID]) }
        }
        // The struck needles do not hold up signing.
        #expect(try d.session.sign(visitID: d.visitID).status == .signed)
    }

    @Test func strikingNeedsAReason() throws {
        let d = try Draft()
        defer { d.clinic.close() }
        let id = try d.visit.triggerPoints[0].id!
        let error = caught { try d.session.strikeEntry(visitID: d.visitID, kind: .triggerPoint, id: id, reason: "   ") }
        #expect((error as? ValidationErrors)?.errors.map(\.field) == ["reason"])
        #expect(try d.visit.triggerPoints.count == 1)
    }

    @Test func aSignedVisitRefusesEditsAndStrikesAmendItInstead() throws {
        let d = try Draft(needles: 2, removed: 2)
        defer { d.clinic.close() }
        _ = try d.session.sign(visitID: d.visitID)
        let v = try d.visit
        let auditBefore = try d.audit().count
        var tp = v.triggerPoints[0]
        tp.tenderness = NPRS(unchecked: 1)
        for attempt in [
            { _ = try d.session.editTriggerPoint(visitID: d.visitID, tp) },
            { _ = try d.session.editNeedling(visitID: d.visitID, v.needling[0]) },
            { _ = try d.session.strikeEntry(visitID: d.visitID, kind: .treatment, id: v.treatments[0].id!, reason: "oops") },
        ] as [() throws -> Void] {
            let error = caught(attempt)
            #expect("\(error.map { "\($0)" } ?? "")".contains("amend it instead"))
        }
        #expect(try d.visit == v)
        #expect(try d.audit().count == auditBefore)
        // The schema refuses it too, whatever calls it.
        #expect(throws: (any Error).self) {
            try d.clinic.db.write { try $0.strikeEntry(.treatment, id: v.treatments[0].id!, visitID: d.visitID, reason: "x", summary: "x", actor: "mchen") }
        }
        #expect(throws: (any Error).self) {
            try d.clinic.db.write { try $0.updateTriggerPoint(tp, visitID: d.visitID, actor: "mchen") }
        }
    }

    @Test func entriesAreAddressedAsVisitShowNumbersThem() throws {
        let d = try Draft()
        defer { d.clinic.close() }
        let v = try d.visit
        let first = try d.session.draftEntry(visitID: d.visitID, section: .findings, number: 1)
        #expect(first.kind == .triggerPoint && first.id == v.triggerPoints[0].id!)
        let second = try d.session.draftEntry(visitID: d.visitID, section: .findings, number: 2)
        #expect(second.kind == .biomechanical && second.id == v.biomechanics[0].id!)
        let needle = try d.session.draftEntry(visitID: d.visitID, section: .needling, number: 1)
        #expect(needle.kind == .needling && needle.id == v.needling[0].id!)
        #expect(throws: ServiceError.self) { try d.session.draftEntry(visitID: d.visitID, section: .treatments, number: 2) }
    }
}
