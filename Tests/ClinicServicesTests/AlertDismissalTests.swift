import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import ClinicTestSupport

/// Issue 13: a proposed alert is dismissed only with a reason, through the use case, on a
/// temporary database. The reason is stored on the alert and in the audit trail; a refusal
/// writes nothing.
@Suite("Dismissing an alert needs a reason")
struct AlertDismissalTests {
    let dir = TemporaryDirectory(prefix: "knot-alert-reason")

    static let proposedApixaban = PatientAlert(kind: .precaution(.anticoagulant), text: "Apixaban 5 mg bd", status: .proposed,
                                               source: "referral 2026-11-20 (medications)")

    /// amy (trained physiotherapist), a receptionist, and Jo Smith with a proposed anticoagulant.
    func clinic() throws -> (db: ClinicDatabase, amy: ClinicSession, desk: ClinicSession, patient: Patient, alertID: Int64) {
        let db = try ClinicDatabase(path: dir.file("clinic.sqlite"))
        let setup = ClinicSession.maintenance(database: db, actor: "setup")
        let training = DryNeedlingTraining(course: "DN level 1", hours: 27, completedOn: try LocalDate(parsing: "2024-03-01"))
        let amy = try setup.addPractitioner(Practitioner(handle: "amy", name: "Amy Nguyen", profession: .physiotherapist,
                                                         dryNeedlingTraining: training))
        let desk = try setup.addPractitioner(Practitioner(handle: "desk", name: "Front Desk", profession: .other, role: .reception))
        let patient = try setup.addPatient(Patient(recordNumber: "K1", givenNames: "Jo", familyName: "Smith",
                                                   dateOfBirth: try LocalDate(parsing: "1980-05-17"), alerts: [Self.proposedApixaban]))
        return (db, ClinicSession(database: db, user: amy), ClinicSession(database: db, user: desk), patient, try #require(patient.alerts.first?.id))
    }

    func alert(_ s: ClinicSession, _ p: Patient, _ id: Int64) throws -> PatientAlert {
        try #require(try s.alert(id: id, patientID: p.id!))
    }

    func auditDetails(_ db: ClinicDatabase, _ p: Patient) throws -> [String] {
        try db.read { tx in try tx.auditLog(patientID: p.id!).filter { $0.event.entity == "alert" }.compactMap(\.event.detail) }
    }

    @Test("without a reason, or with fewer than three words, the dismissal is refused naming reason; nothing changes")
    func reasonRequired() throws {
        let (db, amy, _, jo, id) = try clinic()
        let auditBefore = try auditDetails(db, jo)
        for reason in [nil, "", "   ", "no", "not taking", "not applicable"] as [String?] {
            do {
                try amy.setAlert(id: id, status: .dismissed, reason: reason)
                Issue.record("dismissed with reason \(String(describing: reason))")
            } catch let error as ValidationError {
                #expect(error.field == "reason")
                #expect(error.rule.contains("required") || error.rule.contains("too short"), "\(error)")
            }
            #expect(try alert(amy, jo, id).status == .proposed)
            #expect(try alert(amy, jo, id).dismissReason == nil)
        }
        #expect(try auditDetails(db, jo) == auditBefore, "a refusal is not audited as a change")
    }

    @Test("the reason is stored on the alert (trimmed) and audited with the dismissal")
    func reasonStoredAndAudited() throws {
        let (db, amy, _, jo, id) = try clinic()
        try amy.setAlert(id: id, status: .dismissed, reason: "  Apixaban stopped in October, GP letter on file  ")
        let dismissed = try alert(amy, jo, id)
        #expect(dismissed.status == .dismissed)
        #expect(dismissed.dismissReason == "Apixaban stopped in October, GP letter on file")
        #expect(try auditDetails(db, jo).first == "dismissed: Apixaban stopped in October, GP letter on file")
        let chart = try amy.chart(key: "K1")
        #expect(chart.patient.alerts.first?.dismissReason == "Apixaban stopped in October, GP letter on file")

        // Reinstated (confirmed): the alert is active again, the reason stays in the audit trail only.
        try amy.setAlert(id: id, status: .confirmed)
        #expect(try alert(amy, jo, id).dismissReason == nil)
        #expect(try auditDetails(db, jo).prefix(2) == ["confirmed", "dismissed: Apixaban stopped in October, GP letter on file"])
    }

    @Test("dismissed with a reason, the proposed precaution no longer stops 'none present'")
    func dismissedNoLongerBlocks() throws {
        let (_, amy, _, _, id) = try clinic()
        #expect(throws: (any Error).self) { try amy.recordScreen(patientKey: "K1", answers: ScreenAnswers(nonePresent: true), validDays: 90) }
        try amy.setAlert(id: id, status: .dismissed, reason: "Apixaban stopped in October, GP letter on file")
        #expect(try amy.recordScreen(patientKey: "K1", answers: ScreenAnswers(nonePresent: true), validDays: 90).present.isEmpty)
    }

    @Test("reception may not dismiss an alert, reason or not")
    func receptionMayNot() throws {
        let (_, amy, desk, jo, id) = try clinic()
        #expect(throws: ServiceError.self) {
            try desk.setAlert(id: id, status: .dismissed, reason: "Patient says she stopped the apixaban")
        }
        #expect(try alert(amy, jo, id).status == .proposed)
    }

    @Test("SQLite itself refuses a dismissal that brings no reason")
    func schemaRefusesBareDismissal() throws {
        let (db, amy, _, jo, id) = try clinic()
        #expect(throws: (any Error).self) {
            try db.write { tx in try tx.setAlertStatus(alertID: id, status: .dismissed, dismissReason: nil, actor: "amy") }
        }
        #expect(try alert(amy, jo, id).status == .proposed)
    }

    /// The alerts of K1 in a new database made from `export` (imported as into an empty clinic).
    func importedAlerts(_ export: String, into name: String) throws -> [PatientAlert] {
        let copy = try ClinicDatabase(path: dir.file(name))
        let session = ClinicSession.maintenance(database: copy, actor: "import")
        // These exports are made by hand in the test, unsigned: imported as untrusted.
        var options = ImportOptions()
        options.untrusted = true
        let outcome = session.importFile(export, options: options)
        try #require(outcome.status == .created, "\(outcome.detail)")
        return try #require(try copy.read { tx in try tx.patient(key: "K1") }).alerts
    }

    @Test("export then import into a new database keeps the reason; an older export without it still imports")
    func exportRoundTrip() throws {
        let (_, amy, _, _, id) = try clinic()
        try amy.setAlert(id: id, status: .dismissed, reason: "Apixaban stopped in October, GP letter on file")
        let export = dir.file("clinic.xml")
        _ = try amy.export(to: export)
        let xml = try String(contentsOfFile: export, encoding: .utf8)
        #expect(xml.contains("<dismissReason>Apixaban stopped in October, GP letter on file</dismissReason>"))

        let copied = try #require(try importedAlerts(export, into: "copy.sqlite").first { $0.id == id })
        #expect(copied.status == .dismissed)
        #expect(copied.dismissReason == "Apixaban stopped in October, GP letter on file")

        // As an older Knot wrote it: no <dismissReason>. It imports; the dismissal has no reason.
        let older = xml.replacing(/<dismissReason>[^<]*<\/dismissReason>/, with: "")
        #expect(older != xml)
        let olderFile = dir.file("older.xml")
        try older.write(toFile: olderFile, atomically: true, encoding: .utf8)
        let old = try #require(try importedAlerts(olderFile, into: "older.sqlite").first { $0.id == id })
        #expect(old.status == .dismissed)
        #expect(old.dismissReason == nil)
    }
}
