import Foundation
import Testing
import GRDB
import ClinicModel
import ClinicServices
@testable import ClinicStore

/// Issue 16: an outcome measure saved by mistake on a draft is struck out (kept, marked, with
/// the reason, and left out of the visit, the trends and everything built from them), and the
/// impression is replaced or cleared with the audit trail saying which; a signed visit refuses
/// both, in the service and in the schema.
@Suite struct OutcomeCorrectionTests {
    struct Draft {
        let clinic: Clinic
        let session: ClinicSession
        let visitID: Int64
        let patientID: Int64
        var visit: Visit { get throws { try clinic.db.read { try $0.visit(id: visitID)! } } }

        init() throws {
            clinic = try Clinic()
            let patient = try clinic.addPatient("Jane", "Smith")
            patientID = patient.id!
            visitID = try clinic.addVisit(patient: patient).id!
            session = ClinicSession(database: clinic.db, user: clinic.practitioner)
            _ = try session.addOutcome(visitID: visitID, try OutcomeMeasure(scale: .lefs, items: Array(repeating: 1, count: 20)))
            _ = try session.addOutcome(visitID: visitID, try OutcomeMeasure(scale: .ndi, items: Array(repeating: 2, count: 10)))
        }

        func audit() throws -> [String] {
            try clinic.db.read { try $0.auditLog(limit: 1000) }.compactMap(\.event.detail)
        }
    }

    @Test func aStruckMeasureIsKeptWithItsReasonAndLeavesTheVisitAndTheTrends() throws {
        let d = try Draft()
        defer { d.clinic.close() }
        let lefs = try d.visit.outcomes[0]
        let struck = try d.session.strikeOutcome(visitID: d.visitID, number: 1, reason: "entered for the wrong visit")
        #expect(struck.kind == .outcome && struck.id == lefs.id && struck.summary == "LEFS 20/80")
        #expect(try d.visit.outcomes.map(\.scale) == [.ndi], "the NDI is now outcome 1")
        let trends = try d.session.outcomeTrends(patientKey: String(d.patientID)).1
        #expect(trends.map(\.scale) == [.ndi], "the struck LEFS leaves the trends (and the plans and letters built from them)")
        let kept = try d.clinic.db.read { tx in
            try Row.fetchOne(tx.db, sql: "SELECT struck_by, strike_reason, score FROM outcome_measure WHERE id = ?", arguments: [lefs.id])
        }
        let by: String? = kept?["struck_by"], why: String? = kept?["strike_reason"], score: Double? = kept?["score"]
        #expect(by == "mchen" && why == "entered for the wrong visit" && score == 20, "the row is kept, marked, not deleted")
        let listed = try d.session.struckEntries(visitID: d.visitID)
        #expect(listed.count == 1 && listed[0].kind == .outcome && listed[0].reason == "entered for the wrong visit")
        #expect(try d.audit().contains("struck out outcome measure \(lefs.id!) (LEFS 20/80); reason: entered for the wrong visit"))
        // Re-entered with the right items, it is a new measure in force.
        _ = try d.session.addOutcome(visitID: d.visitID, try OutcomeMeasure(scale: .lefs, items: Array(repeating: 3, count: 20)))
        #expect(try d.visit.outcomes.map(\.summary) == ["NDI 40%", "LEFS 60/80"])
        // A struck measure is never changed again.
        #expect(throws: (any Error).self) {
            try d.clinic.db.write { try $0.db.execute(sql: "UPDATE outcome_measure SET score = 80 WHERE id = ?", arguments: [lefs.id]) }
        }
    }

    @Test func aStrikeNeedsAReasonAndAnOutcomeInForce() throws {
        let d = try Draft()
        defer { d.clinic.close() }
        let noReason = caught { try d.session.strikeOutcome(visitID: d.visitID, number: 1, reason: "  ") }
        #expect((noReason as? ValidationErrors)?.errors.map(\.field) == ["reason"])
        let missing = caught { try d.session.strikeOutcome(visitID: d.visitID, number: 3, reason: "x") }
        #expect("\(missing.map { "\($0)" } ?? "")".contains("it has 2, numbered 1 to 2"), "\(String(describing: missing))")
        #expect(try d.visit.outcomes.count == 2)
    }

    @Test func aSignedVisitsMeasureIsNotStruckInTheServiceNorInTheSchema() throws {
        let d = try Draft()
        defer { d.clinic.close() }
        _ = try d.session.sign(visitID: d.visitID)
        let id = try d.visit.outcomes[0].id!
        let auditBefore = try d.audit().count
        let refused = caught { try d.session.strikeOutcome(visitID: d.visitID, number: 1, reason: "oops") }
        #expect("\(refused.map { "\($0)" } ?? "")".contains("amend it instead"))
        #expect(throws: (any Error).self) {
            try d.clinic.db.write { try $0.strikeEntry(.outcome, id: id, visitID: d.visitID, reason: "x", summary: "x", actor: "mchen") }
        }
        let impression = caught { try d.session.setImpression(visitID: d.visitID, nil) }
        #expect("\(impression.map { "\($0)" } ?? "")".contains("signed"))
        #expect(try d.visit.outcomes.count == 2)
        #expect(try d.audit().count == auditBefore)
    }

    @Test func theImpressionIsRecordedReplacedAndClearedAndTheAuditSaysWhich() throws {
        let d = try Draft()
        defer { d.clinic.close() }
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
