import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import ClinicTestSupport

/// Importing FHIR R4 referrals on a real temporary database: filed with format fhir, alerts
/// proposed, the same letter skipped, and a doubtful match held and filed by a person; on
/// every store (`TestStore.all`).
@Suite("Importing FHIR referrals")
struct FHIRReferralImportTests {
    let dir = TemporaryDirectory(prefix: "knot-fhir")


    /// A file of Import/, copied into the test's folder.
    func example(_ name: String, replacing: [(String, String)] = []) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var text = try String(contentsOf: root.appendingPathComponent("Import").appendingPathComponent(name), encoding: .utf8)
        for (old, new) in replacing { text = text.replacingOccurrences(of: old, with: new) }
        let path = dir.file("\(UUID().uuidString.prefix(6))-\(name)")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("the AU bundle makes a patient, a fhir referral with five sessions, and two proposed alerts; again it is skipped", arguments: TestStore.all)
    func importsAndSkipsTheSameLetter(store: TestStore) throws {
        let clinic = try store.newClinic()
        let s = try clinic.maintenanceSession()
        let path = try example("fhir-au-erequesting-bundle.xml")
        let outcome = s.importFile(path)
        #expect(outcome.status == .created, "\(outcome.detail)")
        #expect(outcome.format == "fhir")
        #expect(outcome.proposedAlerts == 2)
        let chart = try s.chart(key: "K00001")
        #expect(chart.patient.familyName == "Pettersen")
        #expect(chart.patient.identifiers.contains(PatientIdentifier(system: .ihi, value: "8003608333647261")))
        #expect(Set(chart.patient.alerts.map(\.kind)) == [.precaution(.anticoagulant), .precaution(.metalAllergy)])
        #expect(chart.patient.alerts.allSatisfy { $0.status == .proposed })
        let referral = try #require(chart.referrals.first?.referral)
        #expect(referral.format == .fhir)
        #expect(referral.sessionsAllowed == 5)
        #expect(referral.referrerName == "Dr Lucia Ferreira")

        // The same letter with other line endings is the same letter (its bundle identifier).
        let again = s.importFile(try example("fhir-au-erequesting-bundle.xml", replacing: [("\n", "\r\n")]))
        #expect(again.status == .skipped, "\(again.detail)")
    }

    @Test("a FHIR letter whose IHI differs from the patient on file is held, and filed by a person as format fhir", arguments: TestStore.all)
    func heldAndResolved(store: TestStore) throws {
        let clinic = try store.newClinic()
        let s = try clinic.maintenanceSession()
        var p = Patient(recordNumber: "", givenNames: "Graham Lars", familyName: "Pettersen", dateOfBirth: try LocalDate(parsing: "1958-03-14"))
        p.identifiers = [PatientIdentifier(system: .ihi, value: "8003608000000000")]
        _ = try s.addPatient(p)
        let held = s.importFile(try example("fhir-au-erequesting-bundle.xml"))
        #expect(held.status == .conflict, "\(held.detail)")
        let id = try #require(held.conflictID)
        #expect(try s.referralConflicts().first?.format == "fhir")
        let filed = try s.resolveReferralConflict(id: id, .patient("K00001"))
        #expect(filed.status == .matched, "\(filed.detail)")
        #expect(filed.format == "fhir")
        #expect(try s.referralConflicts().isEmpty)
        #expect(try s.chart(key: "K00001").referrals.first?.referral.format == .fhir)
    }

    @Test("every FHIR example in Import/ files as a new patient", arguments: TestStore.all)
    func everyExample(store: TestStore) throws {
        let clinic = try store.newClinic()
        let s = try clinic.maintenanceSession()
        for name in ["fhir-au-erequesting-bundle.xml", "fhir-uk-ers-bundle.xml", "fhir-servicerequest-contained.xml"] {
            let outcome = s.importFile(try example(name))
            #expect(outcome.status == .created, "\(name): \(outcome.detail)")
            #expect(outcome.proposedAlerts == 2, "\(name)")
        }
        #expect(try s.listPatients().count == 3)
    }
}
