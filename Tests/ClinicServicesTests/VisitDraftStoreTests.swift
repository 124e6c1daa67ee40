import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicTestSupport

/// A visit's draft and signing through the use cases, on every store (`TestStore.all`: SQLite,
/// and PostgreSQL when KNOT_TEST_POSTGRES names a server): the visit side of the conformance
/// suite, as far as the PostgreSQL store has it (header, revision, impression, signing, amendments, plans, the timeline).
@Suite("a visit draft on every store")
struct VisitDraftStoreTests {
    @Test("two sessions saving one draft: the second is refused, nothing overwritten; signed, it stays, and the trail verifies",
          arguments: TestStore.all)
    func draftConflictAndSigning(store: TestStore) throws {
        let clinic = try store.newClinic()
        let path = clinic.location
        let setup = try ClinicSession.open(path: path, handle: "", environment: [:])
        try setup.setUpClinic(firstAccount: Practitioner(handle: "amy", name: "Amy Physio", profession: .physiotherapist))
        let front = try ClinicSession.open(path: path, handle: "amy", environment: [:])
        let back = try ClinicSession.open(path: path, handle: "amy", environment: [:])
        _ = try front.addPatient(Patient(recordNumber: "K1", givenNames: "Jo", familyName: "Smith",
                                         dateOfBirth: try LocalDate(parsing: "1980-05-17")))
        let startedAt = Date(timeIntervalSince1970: 1_780_000_000.5)
        let opened = try front.newVisit(patientKey: "K1", at: startedAt, complaint: "neck",
                                        pain: PainScores(now: NPRS(unchecked: 6), worst: NPRS(unchecked: 8)),
                                        psfs: [PSFSItem(activity: "Reversing the car", score: PSFSScore(unchecked: 4))])
        let id = try #require(opened.id)
        var mine = try #require(try front.database.read { try $0.visit(id: id) })
        var theirs = try #require(try back.database.read { try $0.visit(id: id) })
        #expect(mine == opened, "read back as written")
        let revision = try front.database.read { try $0.visitRevision(id: id) }

        mine.complaint = "neck and shoulder (front desk terminal)"
        #expect(try front.saveDraft(mine, expectedRevision: revision) == revision + 1)
        theirs.complaint = "neck only (treatment room terminal)"
        #expect {
            try back.saveDraft(theirs, expectedRevision: revision)
        } throws: { error in
            guard let e = error as? StorageError, case .draftConflict(let v) = e else { return false }
            return v == id && e.description.contains("nothing was overwritten")
        }
        #expect(try back.database.read { try $0.visit(id: id) }?.complaint == "neck and shoulder (front desk terminal)")

        // The impression: recorded, replaced with a code, read back; each change audited with what changed.
        _ = try front.setImpression(visitID: id, ClinicalImpression(text: "Myofascial pain", code: nil, codeSystem: nil))
        let coded = ClinicalImpression(text: "Myofascial pain, upper trapezius", code: "M79.1", codeSystem: .icd10)
        _ = try front.setImpression(visitID: id, coded)
        #expect(try back.database.read { try $0.visit(id: id) }?.impression == coded)
        let details = try front.database.read { try $0.auditLog(patientID: nil, limit: 50) }.compactMap(\.event.detail)
        #expect(details.contains("impression recorded"))
        #expect(details.contains("impression replaced: words, code none → icd-10:M79.1"))

        let signed = try front.sign(visitID: id)
        #expect(signed.status == .signed && signed.signedAt != nil)
        // A signed visit is never saved as a draft again.
        var late = signed
        late.complaint = "changed after signing"
        #expect(throws: (any Error).self) { try front.saveDraft(late, expectedRevision: nil) }
        // Corrections after signing are amendments beside the signed note.
        let amendment = try front.amend(visitID: id, reason: "typo in the complaint",
                                        changes: [Amendment.Change(field: "complaint", before: "", after: "neck and right shoulder")])
        let kept = try back.database.read { try $0.amendments(visitID: id) }
        #expect(kept.map(\.id) == [amendment.id] && kept.first?.changes.first?.after == "neck and right shoulder")
        #expect(kept.first?.changes.first?.before == "neck and shoulder (front desk terminal)")
        // The follow-up plan: saved, then made final, as two versions.
        let saved = try front.plan(visitID: id, save: true)
        #expect(saved.stored && saved.plan.version == 1 && saved.plan.status == .draft)
        let final = try front.plan(visitID: id, final: true)
        #expect(final.plan.version == 2 && final.plan.status == .final)
        #expect(try back.database.read { try $0.plans(visitID: id) }.map(\.version) == [1, 2])
        #expect(try back.database.read { try $0.plans(visitID: id) }.last?.items == final.plan.items)
        // The timeline shows the complaint as amended, pain now as signed.
        let (_, history) = try back.history(patientKey: "K1")
        #expect(history.map(\.visitID) == [id])
        #expect(history.first?.complaint == "neck and right shoulder" && history.first?.painNow == 6 && history.first?.amendments == 1)
        let stored = try #require(try back.database.read { try $0.visits(patientID: signed.patientID) }.first)
        #expect(stored.complaint == "neck and shoulder (front desk terminal)" && stored.status == .signed)
        #expect(stored.startedAt == opened.startedAt && stored.psfs == opened.psfs && stored.pain == opened.pain)
        let verification = try front.verifyAudit()
        #expect(verification.firstProblem == nil, "\(verification)")
        // create patient, open visit, one save, sign: each audited (plus the accounts' events).
        #expect(verification.eventsChecked >= 4)
    }

    @Test("needling under a consent and a screen: needles must balance before signing; the visit and the needling log read back",
          arguments: TestStore.all)
    func needlingConsentScreenAndBalance(store: TestStore) throws {
        let clinic = try store.newClinic()
        let path = clinic.location
        let setup = try ClinicSession.open(path: path, handle: "", environment: [:])
        let training = DryNeedlingTraining(course: "DN level 1", hours: 27, completedOn: try LocalDate(parsing: "2024-03-01"))
        try setup.setUpClinic(firstAccount: Practitioner(handle: "amy", name: "Amy Physio", profession: .physiotherapist,
                                                         dryNeedlingTraining: training))
        let amy = try ClinicSession.open(path: path, handle: "amy", environment: [:])
        _ = try amy.addPatient(Patient(recordNumber: "K1", givenNames: "Jo", familyName: "Smith",
                                       dateOfBirth: try LocalDate(parsing: "1980-05-17")))
        // No consent yet: needling is refused.
        let visit = try amy.newVisit(patientKey: "K1", complaint: "Calf", pain: PainScores(now: NPRS(unchecked: 4)))
        let id = try #require(visit.id)
        let needle = Needle(brand: "Seirin", gaugeMm: 0.25, lengthMm: 40, lot: "L2411")
        let calf = NeedlingEntry(muscleID: "gastrocnemius-medial", side: .left, needle: needle, needlesInserted: 2, needlesRemoved: 1)
        #expect(throws: (any Error).self) { _ = try amy.addNeedling(visitID: id, calf) }
        let consent = try amy.recordConsent(patientKey: "K1") { Consent(patientID: $0, practitionerID: $1, risksExplained: Set(Consent.Risk.allCases), benefitsExplained: true) }
        let screen = try amy.recordScreen(patientKey: "K1", answers: ScreenAnswers(nonePresent: true), validDays: 90)
        // Field by field: SQLite reads a timestamp back within a millisecond, not to the bit.
        let consents = try amy.database.read { try $0.consents(patientID: visit.patientID) }
        #expect(consents.map(\.id) == [consent.id] && consents.first?.risksExplained == consent.risksExplained
                && consents.first?.validUntil == consent.validUntil && consents.first?.written == consent.written)
        #expect(abs((consents.first?.recordedAt ?? .distantPast).timeIntervalSince(consent.recordedAt)) < 0.001)
        let screens = try amy.database.read { try $0.screens(patientID: visit.patientID) }
        #expect(screens.map(\.id) == [screen.id] && screens.first?.present == screen.present
                && screens.first?.acknowledgments == screen.acknowledgments && screens.first?.validUntil == screen.validUntil)

        let (entry, _) = try amy.addNeedling(visitID: id, calf)
        #expect(try amy.lastNeedle() == needle)
        // One needle still in: signing is refused, by the use case and by the schema.
        #expect(throws: (any Error).self) { _ = try amy.sign(visitID: id) }
        try amy.setNeedlesRemoved(entryID: try #require(entry.id), removed: 2)
        let signed = try amy.sign(visitID: id)
        #expect(signed.status == .signed)
        #expect(signed.needling.map(\.needlesRemoved) == [2] && signed.needling.first?.needle == needle)
        // The needling log of the day: the site, with its patient, practitioner and lot.
        let day = LocalDate(signed.startedAt)
        let log = try amy.needlingLog(from: day, to: day)
        #expect(log.map(\.visitID) == [id] && log.map(\.recordNumber) == ["K1"] && log.map(\.practitioner) == ["amy"])
        #expect(log.map(\.lot) == ["L2411"] && log.map(\.inserted) == [2] && log.map(\.removed) == [2])
        #expect(try amy.needlingLog(from: day.adding(days: 1), to: day.adding(days: 30)).isEmpty)
        let verification = try amy.verifyAudit()
        #expect(verification.firstProblem == nil, "\(verification)")
    }
}

