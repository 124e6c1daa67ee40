import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicTestSupport

/// Issue 16: an outcome measure saved by mistake on a draft is struck out (kept, marked, with
/// the reason, and left out of the visit, the trends and everything built from them), and the
/// impression is replaced or cleared with the audit trail saying which; a signed visit refuses
/// both, in the service and in the schema. On every store (`TestStore.all`).
@Suite("correcting a draft's outcome measures and impression, on every store")
struct OutcomeCorrectionTests {
    struct Draft {
        let clinic: EntryCorrectionClinic
        let visitID: Int64
        let patientID: Int64
        var session: ClinicSession { clinic.session }
        var visit: Visit { get throws { try clinic.visit(visitID) } }

        init(_ store: TestStore) throws {
            clinic = try EntryCorrectionClinic(store)
            patientID = try #require(clinic.patient.id)
            visitID = try #require(try clinic.addVisit().id)
            _ = try clinic.session.addOutcome(visitID: visitID, try OutcomeMeasure(scale: .lefs, items: Array(repeating: 1, count: 20)))
            _ = try clinic.session.addOutcome(visitID: visitID, try OutcomeMeasure(scale: .ndi, items: Array(repeating: 2, count: 10)))
        }

        func audit() throws -> [String] { try clinic.audit() }
    }

    @Test("a struck measure is kept with its reason and leaves the visit and the trends", arguments: TestStore.all)
    func aStruckMeasureIsKeptWithItsReasonAndLeavesTheVisitAndTheTrends(store: TestStore) throws {
        let d = try Draft(store)
        #expect(try d.visit.outcomes.map(\.summary) == ["LEFS 20/80", "NDI 40%"], "read back in the order recorded")
        #expect(try d.session.database.read { try $0.outcomes(patientID: d.patientID) }.map(\.visitID) == [d.visitID, d.visitID])
        let lefs = try d.visit.outcomes[0]
        let struck = try d.session.strikeOutcome(visitID: d.visitID, number: 1, reason: "entered for the wrong visit")
        #expect(struck.kind == .outcome && struck.id == lefs.id && struck.summary == "LEFS 20/80")
        #expect(try d.visit.outcomes.map(\.scale) == [.ndi], "the NDI is now outcome 1")
        let trends = try d.session.outcomeTrends(patientKey: String(d.patientID)).1
        #expect(trends.map(\.scale) == [.ndi], "the struck LEFS leaves the trends (and the plans and letters built from them)")
        let row = "FROM outcome_measure WHERE id = \(lefs.id!)"
        #expect(try StoreProbe.scalar(d.clinic.location, "SELECT struck_by \(row)") == "mchen", "the row is kept, marked, not deleted")
        #expect(try StoreProbe.scalar(d.clinic.location, "SELECT strike_reason \(row)") == "entered for the wrong visit")
        #expect(try StoreProbe.scalar(d.clinic.location, "SELECT CAST(score AS INTEGER) \(row)") == "20")
        let listed = try d.session.struckEntries(visitID: d.visitID)
        #expect(listed.count == 1 && listed[0].kind == .outcome && listed[0].reason == "entered for the wrong visit")
        #expect(try d.audit().contains("struck out outcome measure \(lefs.id!) (LEFS 20/80); reason: entered for the wrong visit"))
        // Re-entered with the right items, it is a new measure in force.
        _ = try d.session.addOutcome(visitID: d.visitID, try OutcomeMeasure(scale: .lefs, items: Array(repeating: 3, count: 20)))
        #expect(try d.visit.outcomes.map(\.summary) == ["NDI 40%", "LEFS 60/80"])
        // A struck measure is never changed again.
        #expect(throws: (any Error).self) {
            try StoreProbe.execute(d.clinic.location, "UPDATE outcome_measure SET score = 80 WHERE id = \(lefs.id!)")
        }
        #expect(try d.clinic.auditVerifies())
    }

    @Test("a strike needs a reason and an outcome measure in force", arguments: TestStore.all)
    func aStrikeNeedsAReasonAndAnOutcomeInForce(store: TestStore) throws {
        let d = try Draft(store)
        let noReason = caught { try d.session.strikeOutcome(visitID: d.visitID, number: 1, reason: "  ") }
        #expect((noReason as? ValidationErrors)?.errors.map(\.field) == ["reason"])
        let missing = caught { try d.session.strikeOutcome(visitID: d.visitID, number: 3, reason: "x") }
        #expect("\(missing.map { "\($0)" } ?? "")".contains("it has 2, numbered 1 to 2"), "\(String(describing: missing))")
        #expect(try d.visit.outcomes.count == 2)
    }

    @Test("a signed visit's measure is not struck, in the service nor in the schema", arguments: TestStore.all)
    func aSignedVisitsMeasureIsNotStruckInTheServiceNorInTheSchema(store: TestStore) throws {
        let d = try Draft(store)
        _ = try d.session.sign(visitID: d.visitID)
        let id = try d.visit.outcomes[0].id!
        let auditBefore = try d.audit().count
        let refused = caught { try d.session.strikeOutcome(visitID: d.visitID, number: 1, reason: "oops") }
        #expect("\(refused.map { "\($0)" } ?? "")".contains("amend it instead"))
        #expect(throws: (any Error).self) {
            try d.session.database.write { try $0.strikeEntry(.outcome, id: id, visitID: d.visitID, reason: "x", summary: "x", at: Date(), actor: "mchen") }
        }
        let impression = caught { try d.session.setImpression(visitID: d.visitID, nil) }
        #expect("\(impression.map { "\($0)" } ?? "")".contains("signed"))
        #expect(try d.visit.outcomes.count == 2)
        #expect(try d.audit().count == auditBefore)
    }

    @Test("the impression is recorded, replaced and cleared, and the audit says which", arguments: TestStore.all)
    func theImpressionIsRecordedReplacedAndClearedAndTheAuditSaysWhich(store: TestStore) throws {
        let d = try Draft(store)
        _ = try d.session.setImpression(visitID: d.visitID, ClinicalImpression(text: "Left upper trapezius myofascial pain"))
        _ = try d.session.setImpression(visitID: d.visitID, ClinicalImpression(text: "Cervical radiculopathy", code: "M54.12", codeSystem: .icd10))
        #expect(try d.visit.impression?.text == "Cervical radiculopathy")
        _ = try d.session.setImpression(visitID: d.visitID, nil)
        #expect(try d.visit.impression == nil)
        let audit = try d.audit()
        #expect(audit.contains("impression recorded"))
        #expect(audit.contains("impression replaced: words, code none → icd-10:M54.12"))
        #expect(audit.contains("impression cleared (code was icd-10:M54.12)"))
        #expect(!audit.contains { $0.contains("radiculopathy") || $0.contains("trapezius myofascial") }, "the words are named, not copied")
    }
}
