import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import ClinicTestSupport

/// Referral import as the practitioner relies on it: new patients created, known patients matched,
/// doubtful matches reported and never merged, re-imports a no-op, refusals write nothing; on
/// every store (`TestStore.all`).
@Suite("Importing referral letters")
struct ImportMatchingTests {
    let dir = TemporaryDirectory(prefix: "knot-import")

    func session(_ clinic: TestClinicLocation) throws -> ClinicSession {
        // The first account (the clinic's administrator), then work as it: no anonymous imports.
        let setup = try ClinicSession.open(path: clinic.location, handle: nil)
        if setup.user == nil, try setup.hasNoPatients() {
            _ = try? setup.setUpClinic(firstAccount: Practitioner(handle: "amy", name: "Amy Nguyen", profession: .physiotherapist))
        }
        return try ClinicSession.open(path: clinic.location, handle: "amy")
    }

    func letter(given: String, family: String, dob: String, medicare: String? = nil, medication: String = "Paracetamol 1 g prn") throws -> String {
        let ident = medicare.map { "<identifier system=\"medicare\">\($0)</identifier>" } ?? ""
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <referral xmlns="urn:knot:referral:1" version="1">
          <referrer><name>Dr Ann Lee</name><organisation>Harbour GP</organisation></referrer>
          <date>2026-11-01</date>
          <patient>
            <givenNames>\(given)</givenNames><familyName>\(family)</familyName><dateOfBirth>\(dob)</dateOfBirth><sex>female</sex>
            \(ident)
          </patient>
          <reason>Calf pain for six weeks, please assess and treat.</reason>
          <medications><medication>\(medication)</medication></medications>
        </referral>
        """
        let path = dir.file("letter-\(UUID().uuidString.prefix(6)).xml")
        try Data(xml.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a letter for an unknown patient creates the patient, the referral and proposed alerts", arguments: TestStore.all)
    func createsPatient(store: TestStore) throws {
        let clinic = try store.newClinic()
        let s = try session(clinic)
        let path = try letter(given: "Mary", family: "Jones", dob: "1950-03-04", medication: "Apixaban 5 mg twice daily")
        let outcome = s.importFile(path)
        #expect(outcome.status == .created, "\(outcome.detail)")
        #expect(outcome.proposedAlerts == 1)
        let found = try s.searchPatients("jones mary")
        try #require(found.count == 1)
        let chart = try s.chart(key: found[0].recordNumber)
        #expect(chart.referrals.first?.referral.referrerName == "Dr Ann Lee")
        let referralID = try #require(chart.referrals.first?.referral.id)
        let stored = try s.referral(id: referralID)
        #expect(stored.originalLetter == FileManager.default.contents(atPath: path), "the original letter is kept verbatim")
        let expected = try sha256Hex(path)
        #expect(stored.originalSHA256 == expected)
        let alert = try #require(chart.patient.alerts.first)
        #expect(alert.kind == .precaution(.anticoagulant))
        #expect(alert.status == .proposed)
    }

    @Test("the same letter twice is a reported no-op", arguments: TestStore.all)
    func reimportSkipped(store: TestStore) throws {
        let clinic = try store.newClinic()
        let s = try session(clinic)
        let path = try letter(given: "Mary", family: "Jones", dob: "1950-03-04")
        #expect(s.importFile(path).status == .created)
        let again = s.importFile(path)
        #expect(again.status == .skipped)
        #expect(try s.listPatients().count == 1)
        #expect(try s.chart(key: "1").referrals.count == 1)
    }

    @Test("a second letter for the same person is filed against them, by name and DOB or by identifier", arguments: TestStore.all)
    func matches(store: TestStore) throws {
        let clinic = try store.newClinic()
        let s = try session(clinic)
        #expect(s.importFile(try letter(given: "Mary", family: "Jones", dob: "1950-03-04", medicare: "2951234571")).status == .created)
        let byName = s.importFile(try letter(given: "MARY", family: "jones", dob: "1950-03-04", medication: "Aspirin 100 mg"))
        #expect(byName.status == .matched, "\(byName.detail)")
        let byID = s.importFile(try letter(given: "Mary Ellen", family: "Jones", dob: "1950-03-04", medicare: "2951234571", medication: "Iron"))
        #expect(byID.status == .matched, "\(byID.detail)")
        #expect(try s.listPatients().count == 1)
        #expect(try s.chart(key: "1").referrals.count == 3)
    }

    @Test("a doubtful match is reported as a conflict: no patient or referral is written, the letter is held for a person", arguments: TestStore.all)
    func conflict(store: TestStore) throws {
        let clinic = try store.newClinic()
        let s = try session(clinic)
        #expect(s.importFile(try letter(given: "Mary", family: "Jones", dob: "1950-03-04", medicare: "2951234571")).status == .created)
        defer { #expect((try? s.referralConflicts().count) == 2, "each doubtful letter waits for a person") }
        let otherGiven = s.importFile(try letter(given: "Margaret", family: "Jones", dob: "1950-03-04"))
        #expect(otherGiven.status == .conflict)
        #expect(otherGiven.detail.contains("doubtful"))
        let idOtherDOB = s.importFile(try letter(given: "Mary", family: "Jones", dob: "1951-03-04", medicare: "2951234571"))
        #expect(idOtherDOB.status == .conflict)
        #expect(try s.listPatients().count == 1)
        #expect(try s.database.read { try $0.referralStatuses(patientID: 1).count } == 1)
    }

    @Test("an invalid letter is rejected with the line, and nothing is written", arguments: TestStore.all)
    func rejected(store: TestStore) throws {
        let clinic = try store.newClinic()
        let s = try session(clinic)
        let path = dir.file("bad.xml")
        try Data("<?xml version=\"1.0\"?>\n<referral xmlns=\"urn:knot:referral:1\">\n  <date>not a date</date>\n</referral>\n".utf8)
            .write(to: URL(fileURLWithPath: path))
        let events = try StoreProbe.scalar(clinic.location, "SELECT count(*) FROM audit_event")
        let outcome = s.importFile(path)
        #expect(outcome.status == .rejected)
        #expect(outcome.detail.contains(":3") || outcome.detail.contains("line 3"), "\(outcome.detail)")
        #expect(try s.listPatients().isEmpty)
        // No trace: not remembered as imported, not held, no referral, nothing in the trail but the set-up.
        for table in ["imported_document", "referral", "referral_conflict", "patient"] {
            #expect(try StoreProbe.scalar(clinic.location, "SELECT count(*) FROM \(table)") == "0", "\(table)")
        }
        #expect(s.importFile(path).status == .rejected, "refused again, not skipped as seen before")
        #expect(try StoreProbe.scalar(clinic.location, "SELECT count(*) FROM audit_event") == events)
    }

    @Test("a dry run checks everything and writes nothing", arguments: TestStore.all)
    func dryRun(store: TestStore) throws {
        let clinic = try store.newClinic()
        let s = try session(clinic)
        let outcome = s.importFile(try letter(given: "Mary", family: "Jones", dob: "1950-03-04"), options: ImportOptions(dryRun: true))
        #expect(outcome.status == .created)
        #expect(outcome.detail.contains("dry run"))
        #expect(try s.listPatients().isEmpty)
    }
}

func sha256Hex(_ path: String) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    p.arguments = [path]
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(String(decoding: data, as: UTF8.self).prefix(64))
}
