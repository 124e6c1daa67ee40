import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicTestSupport

/// Issue 13 B: a draft's trigger points, biomechanical findings, treatments and needling
/// entries are corrected (edited) or struck out (kept with a marker and the reason, left out of
/// the note and the counts), through the services as the command line and front end use them;
/// a signed visit refuses both ("amend it instead"). On every store (`TestStore.all`).
@Suite("correcting a draft's entries, on every store")
struct DraftEntryCorrectionTests {
    /// A clinic with a patient covered by consent and a screen, and a draft with one of each entry.
    struct Draft {
        let clinic: EntryCorrectionClinic
        let visitID: Int64
        var session: ClinicSession { clinic.session }
        var visit: Visit { get throws { try clinic.visit(visitID) } }

        init(_ store: TestStore, needles: Int = 3, removed: Int = 0) throws {
            clinic = try EntryCorrectionClinic(store)
            let day = EntryCorrectionClinic.today.adding(days: -7)
            let v = try clinic.addVisit(day: day, needles: needles, removed: removed)
            let id = try #require(v.id)
            visitID = id
            try clinic.addConsentAndScreen(day: day)
            try clinic.session.database.write { tx in
                _ = try tx.insertBiomechanical(BiomechanicalFinding(measure: .lunge(LungeCentimetres(unchecked: 7)), side: .left), visitID: id, actor: "test")
                _ = try tx.insertTreatment(Treatment(kind: .ischaemicCompression, muscleID: "upper-trapezius", side: .left,
                                                     holdTime: Seconds(unchecked: 60), cycles: 3), visitID: id, actor: "test")
            }
        }

        func audit() throws -> [String] { try clinic.audit() }
    }

    @Test("each kind of entry is added, read back whole, edited, and the audit says what changed", arguments: TestStore.all)
    func editingEachKindSavesItAndAuditsWhatChanged(store: TestStore) throws {
        let d = try Draft(store)
        var v = try d.visit
        #expect(v.triggerPoints.map(\.muscleID) == ["upper-trapezius"] && v.triggerPoints[0].activity == .active)
        #expect(v.biomechanics.map(\.measure) == [.lunge(LungeCentimetres(unchecked: 7))])
        #expect(v.treatments.count == 1 && v.treatments[0].kind == .ischaemicCompression && v.treatments[0].holdTime?.value == 60
                && v.treatments[0].cycles == 3 && v.treatments[0].side == .left)
        #expect(v.needling.count == 1 && v.needling[0].needlesInserted == 3)
        var tp = v.triggerPoints[0]
        tp.tenderness = NPRS(unchecked: 5)
        tp.localTwitchResponse = true
        tp.pressurePainThreshold = PressurePainThreshold(value: KilogramsPerSquareCentimetre(unchecked: 3.5), probeSizeCm2: 1)
        tp.likelyCauses = LikelyCause.allCases.prefix(2).map { $0 }
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
        #expect(v.triggerPoints == [tp], "the corrected trigger point reads back as saved")
        #expect(v.biomechanics[0].measure == .lunge(LungeCentimetres(unchecked: 9.5)))
        #expect(v.treatments[0].cycles == 5)
        #expect(v.needleCount.inserted == 2 && v.needleCount.removed == 2, "the needle count follows the corrected entry")
        let summary = try d.session.database.read { try $0.visitSummaries(patientID: v.patientID) }[0]
        #expect(summary.needlesInserted == 2 && summary.needlesRemoved == 2)
        let audit = try d.audit()
        #expect(audit.contains { $0.hasPrefix("trigger point \(tp.id!) edited:") && $0.contains("tenderness - → 5") })
        #expect(audit.contains { $0.hasPrefix("needling entry \(needling.id!) edited:") && $0.contains("needlesInserted 3 → 2") })
        #expect(audit.contains { $0.hasPrefix("treatment \(treatment.id!) edited:") && $0.contains("cycles 3 → 5") })
        #expect(audit.contains { $0.hasPrefix("biomechanical finding \(bio.id!) edited:") })
        #expect(try d.session.sign(visitID: d.visitID).status == .signed, "balanced after the correction")
        #expect(try d.clinic.auditVerifies())
    }

    @Test("editing a needling entry checks its rules again; nothing half-written", arguments: TestStore.all)
    func editingANeedlingEntryChecksItsRulesAgain(store: TestStore) throws {
        let d = try Draft(store)
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

    @Test("a struck entry is kept, marked, left out of the note and the count, and audited", arguments: TestStore.all)
    func strikingKeepsTheRowMarkedLeavesTheNoteAndTheCountAndIsAudited(store: TestStore) throws {
        let d = try Draft(store, needles: 3, removed: 0)
        let before = try d.visit
        let entryID = before.needling[0].id!
        let struck = try d.session.strikeEntry(visitID: d.visitID, kind: .needling, id: entryID, reason: "entered twice")
        #expect(struck.summary.contains("3 in, 0 out"))
        let after = try d.visit
        #expect(after.needling.isEmpty && after.needleCount.inserted == 0)
        #expect(try d.session.database.read { try $0.visitSummaries(patientID: after.patientID) }[0].needlesInserted == 0)
        _ = try d.session.strikeEntry(visitID: d.visitID, kind: .triggerPoint, id: before.triggerPoints[0].id!, reason: "wrong muscle")
        _ = try d.session.strikeEntry(visitID: d.visitID, kind: .biomechanical, id: before.biomechanics[0].id!, reason: "other patient's")
        _ = try d.session.strikeEntry(visitID: d.visitID, kind: .treatment, id: before.treatments[0].id!, reason: "not given")
        let v = try d.visit
        #expect(v.triggerPoints.isEmpty && v.biomechanics.isEmpty && v.treatments.isEmpty)
        // Kept in the database, with who, when and why; never hard-deleted.
        #expect(try StoreProbe.scalar(d.clinic.location, "SELECT count(*) FROM needling_entry WHERE id = \(entryID)") == "1")
        #expect(try StoreProbe.scalar(d.clinic.location, "SELECT strike_reason FROM needling_entry WHERE id = \(entryID)") == "entered twice")
        #expect(try StoreProbe.scalar(d.clinic.location, "SELECT struck_by FROM needling_entry WHERE id = \(entryID)") == "mchen")
        let listed = try d.session.struckEntries(visitID: d.visitID)
        #expect(listed.count == 4)
        #expect(listed.contains { $0.kind == .needling && $0.id == entryID && $0.reason == "entered twice" && $0.struckBy == "mchen" })
        #expect(Set(listed.map(\.kind)) == [.needling, .triggerPoint, .biomechanical, .treatment])
        let audit = try d.audit()
        #expect(audit.contains { $0.hasPrefix("struck out needling entry \(entryID) (") && $0.hasSuffix("reason: entered twice") })
        #expect(audit.contains { $0.hasPrefix("struck out trigger point") && $0.hasSuffix("reason: wrong muscle") })
        // A struck entry is not struck (or edited) again.
        #expect(throws: ServiceError.self) { try d.session.strikeEntry(visitID: d.visitID, kind: .needling, id: entryID, reason: "again") }
        #expect(throws: (any Error).self) {
            try StoreProbe.execute(d.clinic.location, "UPDATE needling_entry SET inserted = 1 WHERE id = \(entryID)")
        }
        // The struck needles do not hold up signing.
        #expect(try d.session.sign(visitID: d.visitID).status == .signed)
        #expect(try d.clinic.auditVerifies())
    }

    @Test("a strike needs a reason", arguments: TestStore.all)
    func strikingNeedsAReason(store: TestStore) throws {
        let d = try Draft(store)
        let id = try d.visit.triggerPoints[0].id!
        let error = caught { try d.session.strikeEntry(visitID: d.visitID, kind: .triggerPoint, id: id, reason: "   ") }
        #expect((error as? ValidationErrors)?.errors.map(\.field) == ["reason"])
        #expect(try d.visit.triggerPoints.count == 1)
    }

    @Test("a signed visit refuses edits and strikes (amend it instead), in the service and in the schema", arguments: TestStore.all)
    func aSignedVisitRefusesEditsAndStrikesAmendItInstead(store: TestStore) throws {
        let d = try Draft(store, needles: 2, removed: 2)
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
            try d.session.database.write { try $0.strikeEntry(.treatment, id: v.treatments[0].id!, visitID: d.visitID, reason: "x", summary: "x",
                                                              at: Date(), actor: "mchen") }
        }
        #expect(throws: (any Error).self) {
            try d.session.database.write { try $0.updateTriggerPoint(tp, visitID: d.visitID, actor: "mchen") }
        }
        #expect(try d.visit == v)
    }

    @Test("entries are addressed as `knot visit show` numbers them", arguments: TestStore.all)
    func entriesAreAddressedAsVisitShowNumbersThem(store: TestStore) throws {
        let d = try Draft(store)
        let v = try d.visit
        let first = try d.session.draftEntry(visitID: d.visitID, section: .findings, number: 1)
        #expect(first.kind == .triggerPoint && first.id == v.triggerPoints[0].id!)
        let second = try d.session.draftEntry(visitID: d.visitID, section: .findings, number: 2)
        #expect(second.kind == .biomechanical && second.id == v.biomechanics[0].id!)
        let needle = try d.session.draftEntry(visitID: d.visitID, section: .needling, number: 1)
        #expect(needle.kind == .needling && needle.id == v.needling[0].id!)
        #expect(throws: ServiceError.self) { try d.session.draftEntry(visitID: d.visitID, section: .treatments, number: 2) }
    }

    @Test("the same corrections make the same audit events on both stores (actor, action, entity, patient, detail)")
    func theSameCorrectionsAuditAlikeOnBothStores() throws {
        func script(_ store: TestStore) throws -> [String] {
            let d = try Draft(store)
            let v = try d.visit
            var tp = v.triggerPoints[0]
            tp.tenderness = NPRS(unchecked: 4)
            tp.notes = "medial border"
            _ = try d.session.editTriggerPoint(visitID: d.visitID, tp)
            var treatment = v.treatments[0]
            treatment.holdTime = Seconds(unchecked: 90)
            _ = try d.session.editTreatment(visitID: d.visitID, treatment)
            _ = try d.session.addOutcome(visitID: d.visitID, try OutcomeMeasure(scale: .ndi, items: Array(repeating: 1, count: 10)))
            _ = try d.session.strikeOutcome(visitID: d.visitID, number: 1, reason: "wrong scale")
            _ = try d.session.strikeEntry(visitID: d.visitID, kind: .biomechanical, id: v.biomechanics[0].id!, reason: "other side")
            _ = try d.session.strikeSafety(.screen, id: 1, reason: "answered for another patient")
            #expect(try d.clinic.auditVerifies())
            return try d.session.database.read { try $0.auditLog(patientID: nil, limit: 1000) }.map { r in
                let e = r.event
                return [e.actor, e.action.rawValue, e.entity, e.entityID.map(String.init) ?? "-", e.patientID.map(String.init) ?? "-",
                        e.detail ?? "-"].joined(separator: " | ")
            }
        }
        let postgres = try script(.postgres)
        let sqlite = try script(.sqlite)
        #expect(postgres == sqlite)
        #expect(sqlite.contains { $0.contains("struck out precaution screen 1 (recorded ") })
    }
}
