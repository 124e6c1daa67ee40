import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import ClinicTestSupport

/// Right patient, right record: identifiers that differ make a conflict, names fold the same way
/// everywhere, a conflict waits for a person, the same letter is the same letter whatever its
/// bytes, and a new version of a letter replaces the old one with both kept. On every store
/// (`TestStore.all`): each test's clinic is worked by the records team (a maintenance session:
/// the tests' own set-up, with no account to check; the permission table has its own tests).
@Suite("Matching letters to patients, and the same letter")
struct ReferralMatchingTests {
    let dir = TemporaryDirectory(prefix: "knot-matching")

    /// Zoë Müller, born 1982-07-15, IHI 8003608123456782, as K00001.
    func zoe(_ s: ClinicSession) throws -> Patient {
        var p = Patient(recordNumber: "", givenNames: "Zoë", familyName: "Müller", dateOfBirth: try LocalDate(parsing: "1982-07-15"))
        p.identifiers = [PatientIdentifier(system: .ihi, value: "8003608123456782")]
        let saved = try s.addPatient(p)
        try #require(saved.recordNumber == "K00001")
        return saved
    }

    func letter(_ text: String, _ name: String = "letter-\(UUID().uuidString.prefix(6)).xml") throws -> String {
        try ReferralLetterFixtures.write(text, in: dir, name: name)
    }

    func referralCount(_ s: ClinicSession) throws -> Int {
        try s.listPatients(includeArchived: true).reduce(0) { $0 + (try s.referrals(patientKey: $1.recordNumber).1.count) }
    }

    @Test("a letter with another IHI for the same name and birth date is a conflict, and its IHI is kept when a person files it", arguments: TestStore.all)
    func ihiConflict(store: TestStore) throws {
        let clinic = try store.newClinic()
        let s = try clinic.maintenanceSession()
        _ = try zoe(s)
        let outcome = s.importFile(try letter(ReferralLetterFixtures.cda()))
        #expect(outcome.status == .conflict, "\(outcome.detail)")
        #expect(outcome.detail.contains("IHI"), "\(outcome.detail)")
        #expect(!outcome.detail.contains("8003609999999996"), "identifier values are patient data: not in messages")
        #expect(outcome.candidates.map(\.recordNumber) == ["K00001"])
        let held = try #require(outcome.conflictID)
        #expect(try referralCount(s) == 0, "nothing filed until a person decides")
        #expect(try s.chart(key: "K00001").patient.alerts.isEmpty, "no alert proposed on a doubtful match")
        #expect(try s.referralConflicts().map(\.id) == [held])

        let filed = try s.resolveReferralConflict(id: held, .patient("K00001"))
        #expect(filed.status == .matched, "\(filed.detail)")
        #expect(filed.proposedAlerts == 1)
        let chart = try s.chart(key: "K00001")
        let referralID = try #require(chart.referrals.first?.referral.id)
        let referral = try s.referral(id: referralID)
        #expect(referral.letterIdentifiers == [PatientIdentifier(system: .ihi, value: "8003609999999996")], "the letter's IHI is kept with the referral")
        #expect(chart.patient.identifiers == [PatientIdentifier(system: .ihi, value: "8003608123456782")], "the patient's own IHI is unchanged")
        #expect(chart.patient.alerts.map(\.kind) == [.precaution(.anticoagulant)])
        #expect(try s.referralConflicts().isEmpty)
        let audit = try s.database.read { try $0.auditLog(patientID: 1, limit: 50) }
        #expect(audit.contains { $0.event.detail?.contains("filed by hand") == true && $0.event.detail?.contains("conflict #\(held)") == true })

        #expect(throws: ServiceError.self) { try s.resolveReferralConflict(id: held, .newPatient) }
        #expect(throws: ServiceError.self) { try s.resolveReferralConflict(id: 999, .newPatient) }
    }

    @Test("a conflict filed as a new patient makes a new record, and the held letter is settled", arguments: TestStore.all)
    func resolveAsNewPatient(store: TestStore) throws {
        let clinic = try store.newClinic()
        let s = try clinic.maintenanceSession()
        _ = try zoe(s)
        let held = try #require(s.importFile(try letter(ReferralLetterFixtures.cda())).conflictID)
        let filed = try s.resolveReferralConflict(id: held, .newPatient)
        #expect(filed.status == .created, "\(filed.detail)")
        #expect(try s.listPatients().count == 2)
        #expect(try s.chart(key: "K00002").patient.identifiers == [PatientIdentifier(system: .ihi, value: "8003609999999996")])
        #expect(try s.referralConflicts().isEmpty)
    }

    @Test("the same letter held twice keeps one conflict; a dry run holds nothing", arguments: TestStore.all)
    func heldOnce(store: TestStore) throws {
        let clinic = try store.newClinic()
        let s = try clinic.maintenanceSession()
        _ = try zoe(s)
        let path = try letter(ReferralLetterFixtures.cda())
        #expect(s.importFile(path, options: ImportOptions(dryRun: true)).conflictID == nil)
        #expect(try s.referralConflicts().isEmpty)
        let first = s.importFile(path).conflictID
        let second = s.importFile(path).conflictID
        #expect(first != nil && first == second)
        #expect(try s.referralConflicts().count == 1)
    }

    @Test("names fold case and accents the same in the exact match, the doubtful match and search", arguments: TestStore.all)
    func accentedNames(store: TestStore) throws {
        let clinic = try store.newClinic()
        let s = try clinic.maintenanceSession()
        _ = try zoe(s)
        for family in ["Müller", "MÜLLER", "Muller", "muller"] {
            let o = s.importFile(try letter(ReferralLetterFixtures.knot(given: "Anna", family: family, dob: "1982-07-15")))
            #expect(o.status == .conflict, "Anna \(family): \(o.detail)")
            #expect(o.candidates.map(\.recordNumber) == ["K00001"], "Anna \(family)")
        }
        #expect(try s.listPatients().count == 1, "no new patient for a doubtful match")
        let exact = s.importFile(try letter(ReferralLetterFixtures.knot(given: "ZOE", family: "MULLER", dob: "1982-07-15")))
        #expect(exact.status == .matched, "\(exact.detail)")
        #expect(try s.searchPatients("muller zoe").map(\.recordNumber) == ["K00001"])
        #expect(try s.searchPatients("MÜLLER").map(\.recordNumber) == ["K00001"])
        #expect(PersonNameKey.fold("  MÜLLER-Jones ") == PersonNameKey.fold("muller jones".replacingOccurrences(of: " ", with: "")))
    }

    @Test("ASCII names fold as accented ones do: case, punctuation and runs of spaces")
    func asciiFolding() {
        // The ASCII names take a path without Foundation; the same names with one accent take Foundation's.
        for (plain, accented, folded) in [("  O'Brien-SMITH\tJr ", "  O'Brién-SMITH\tJr ", "obriensmith jr"),
                                          ("Van  der Berg", "Vän  der Berg", "van der berg"),
                                          ("Mary-Jane 2nd.", "Mary-Jané 2nd.", "maryjane 2nd"),
                                          ("!!", "!é!", "")] {
            #expect(PersonNameKey.fold(plain) == folded, "\(plain)")
            #expect(PersonNameKey.fold(accented).replacingOccurrences(of: "e", with: "").replacingOccurrences(of: "a", with: "")
                    == folded.replacingOccurrences(of: "e", with: "").replacingOccurrences(of: "a", with: ""), "\(accented)")
        }
    }

    @Test("a letter re-sent with CRLF line endings or a trailing newline is the same letter, and is skipped", arguments: TestStore.all)
    func resentLetters(store: TestStore) throws {
        let clinic = try store.newClinic()
        let s = try clinic.maintenanceSession()
        let text = ReferralLetterFixtures.knot(given: "Mary", family: "Jones", dob: "1950-03-04")
        #expect(s.importFile(try letter(text)).status == .created)
        let crlf = s.importFile(try letter(text.replacingOccurrences(of: "\n", with: "\r\n")))
        #expect(crlf.status == .skipped, "\(crlf.detail)")
        #expect(crlf.detail.contains("referral #1"))
        let trailing = s.importFile(try letter(text + "\n\n"))
        #expect(trailing.status == .skipped, "\(trailing.detail)")
        let spaces = s.importFile(try letter(text.replacingOccurrences(of: "</reason>", with: "</reason>   ")))
        #expect(spaces.status == .skipped, "\(spaces.detail)")
        #expect(try referralCount(s) == 1)
        #expect(try s.listPatients().count == 1)

        // A CDA letter is the same letter by its document id, whatever its bytes.
        let cda = ReferralLetterFixtures.cda(given: "Ivy", family: "Tan", birth: "19700101", ihi: "8003601111111113", documentID: "D-9")
        #expect(s.importFile(try letter(cda)).status == .created)
        #expect(s.importFile(try letter(cda.replacingOccurrences(of: "\n", with: "\r\n"))).status == .skipped)
        #expect(s.importFile(try letter(cda + "\n")).status == .skipped)
        // A Knot referral with its own id: the id decides.
        let withID = ReferralLetterFixtures.knot(given: "Ken", family: "Ito", dob: "1961-02-03", id: "HGP-77")
        #expect(s.importFile(try letter(withID)).status == .created)
        let edited = s.importFile(try letter(withID.replacingOccurrences(of: "six weeks", with: "seven weeks")))
        #expect(edited.status == .skipped, "\(edited.detail)")
        #expect(try referralCount(s) == 3)
    }

    @Test("a new version of a letter (same setId, higher versionNumber) is filed as a replacement, both kept", arguments: TestStore.all)
    func newVersion(store: TestStore) throws {
        let clinic = try store.newClinic()
        let s = try clinic.maintenanceSession()
        let v1 = s.importFile(try letter(ReferralLetterFixtures.cda(documentID: "V-1", setID: "SET-5", version: 1)))
        #expect(v1.status == .created, "\(v1.detail)")
        let v2 = s.importFile(try letter(ReferralLetterFixtures.cda(documentID: "V-2", setID: "SET-5", version: 2,
                                                                      reason: "Update: now also low back pain.")))
        #expect(v2.status == .matched, "\(v2.detail)")
        #expect(v2.replacesReferralID == 1)
        #expect(v2.detail.contains("replaces referral #1"), "\(v2.detail)")
        let referrals = try s.referrals(patientKey: "K00001").1.map(\.referral)
        #expect(referrals.count == 2, "both versions kept")
        let newer = try s.referral(id: 2)
        #expect(newer.replacesReferralID == 1)
        #expect(newer.documentSetID == "1.2.36.1.2001.1005.88^SET-5")
        #expect(newer.documentVersion == 2)
        // Version 1 again under another document id: not newer, skipped.
        let old = s.importFile(try letter(ReferralLetterFixtures.cda(documentID: "V-1b", setID: "SET-5", version: 1)))
        #expect(old.status == .skipped, "\(old.detail)")
        #expect(try referralCount(s) == 2)
    }

    @Test("a visit links only to its own patient's referral; an unknown referral is named", arguments: TestStore.all)
    func referralBelongsToPatient(store: TestStore) throws {
        let clinic = try store.newClinic()
        let setup = try clinic.maintenanceSession()
        let amy = try setup.addPractitioner(Practitioner(handle: "amy", name: "Amy Physio", profession: .physiotherapist))
        let s = ClinicSession(database: setup.database, user: amy)
        #expect(s.importFile(try letter(ReferralLetterFixtures.knot(given: "Mary", family: "Jones", dob: "1950-03-04"))).status == .created)
        let other = try s.addPatient(Patient(recordNumber: "", givenNames: "Tom", familyName: "Hart", dateOfBirth: try LocalDate(parsing: "1970-01-01")))
        let refused = #expect(throws: ServiceError.self) {
            try s.newVisit(patientKey: other.recordNumber, complaint: "Neck", pain: PainScores(), referralID: 1)
        }
        #expect("\(refused!)".contains("referral 1 belongs to another patient"), "\(refused!)")
        let missing = #expect(throws: ServiceError.self) {
            try s.newVisit(patientKey: other.recordNumber, complaint: "Neck", pain: PainScores(), referralID: 99999)
        }
        #expect("\(missing!)".contains("no referral 99999"))
        #expect(try s.database.read { try $0.visits(patientID: other.id!) }.isEmpty)
        let own = try s.newVisit(patientKey: "K00001", complaint: "Calf", pain: PainScores(), referralID: 1)
        #expect(own.referralID == 1)
        // The schema refuses it too, whatever writes it.
        let out = try StoreProbe.run(clinic.location, ["""
            INSERT INTO visit (patient_id, practitioner_id, referral_id, started_at, status)
            VALUES (\(other.id!), 1, 1, '2026-11-20 10:00:00.000', 'draft')
            """])
        #expect(out.contains("a visit can link only to a referral of its own patient"), "\(out)")
    }

    @Test("a visit before the patient's birth, and pain now above worst pain, are refused naming the value", arguments: TestStore.all)
    func visitValues(store: TestStore) throws {
        let clinic = try store.newClinic()
        let setup = try clinic.maintenanceSession()
        let amy = try setup.addPractitioner(Practitioner(handle: "amy", name: "Amy Physio", profession: .physiotherapist))
        let s = ClinicSession(database: setup.database, user: amy)
        let p = try s.addPatient(Patient(recordNumber: "", givenNames: "Tom", familyName: "Hart", dateOfBirth: try LocalDate(parsing: "2001-06-01")))
        let early = Date(timeIntervalSince1970: 946_728_000)  // 2000-01-01 12:00 UTC
        let before = #expect(throws: ValidationErrors.self) {
            try s.newVisit(patientKey: p.recordNumber, at: early, complaint: nil, pain: PainScores())
        }
        #expect(before?.errors.first?.description.contains("2000-01-01") == true, "\(before!)")
        #expect(before?.errors.first?.description.contains("date of birth") == true)
        let pain = #expect(throws: ValidationErrors.self) {
            try s.newVisit(patientKey: p.recordNumber, complaint: nil, pain: PainScores(now: NPRS(unchecked: 8), worst: NPRS(unchecked: 5)))
        }
        #expect(pain?.errors.first?.field == "pain.now")
        #expect(pain?.errors.first?.value == "8")
    }

    @Test("knot check names a visit linked to another patient's referral, and the missing safety trigger", arguments: TestStore.all)
    func checkFindsDamage(store: TestStore) throws {
        let clinic = try store.newClinic()
        let setup = try clinic.maintenanceSession()
        let amy = try setup.addPractitioner(Practitioner(handle: "amy", name: "Amy Physio", profession: .physiotherapist))
        let s = ClinicSession(database: setup.database, user: amy)
        #expect(s.importFile(try letter(ReferralLetterFixtures.knot(given: "Mary", family: "Jones", dob: "1950-03-04"))).status == .created)
        let other = try s.addPatient(Patient(recordNumber: "", givenNames: "Tom", familyName: "Hart", dateOfBirth: try LocalDate(parsing: "1970-01-01")))
        let visit = try s.newVisit(patientKey: other.recordNumber, complaint: "Neck", pain: PainScores())
        #expect(try s.check().ok)
        if store == .postgres {
            // A disabled trigger guards nothing either.
            #expect(try StoreProbe.run(clinic.location, ["ALTER TABLE visit DISABLE TRIGGER visit_referral_same_patient"]) == "ok")
            let disabled = try s.check().integrityProblems
            #expect(disabled.count == 1 && disabled[0].contains("trigger visit_referral_same_patient on visit is disabled"), "\(disabled)")
        }
        // Behind Knot's back: the safety trigger(s) dropped, then a visit linked to another patient's referral.
        let drop = store == .sqlite
            ? ["DROP TRIGGER visit_referral_same_patient_update", "DROP TRIGGER visit_referral_same_patient_insert"]
            : ["DROP TRIGGER visit_referral_same_patient ON visit"]
        #expect(try StoreProbe.run(clinic.location, drop + ["UPDATE visit SET referral_id = 1 WHERE id = \(visit.id!)"]) == "ok")
        let report = try s.check()
        #expect(!report.ok)
        #expect(report.integrityProblems.contains("visit \(visit.id!) (patient \(other.recordNumber)) is linked to referral 1 of another patient (K00001)"),
                "\(report.integrityProblems)")
        let trigger = store == .sqlite ? "visit_referral_same_patient_insert" : "visit_referral_same_patient"
        #expect(report.integrityProblems.contains { $0.contains("the safety trigger \(trigger) is missing") }, "\(report.integrityProblems)")
    }

    @Test("a clinic export carries the letter's identifiers, identity and replacement link, and the copy skips a re-sent letter")
    func exportKeepsLetterIdentity() throws {
        // SQLite to SQLite: a clinic export from and into PostgreSQL is built with the move between stores.
        let clinic = try TestStore.sqlite.newClinic()
        let s = try clinic.maintenanceSession()
        #expect(s.importFile(try letter(ReferralLetterFixtures.cda(documentID: "V-1", setID: "SET-5", version: 1))).status == .created)
        #expect(s.importFile(try letter(ReferralLetterFixtures.cda(documentID: "V-2", setID: "SET-5", version: 2))).status == .matched)
        let exported = dir.file("clinic-export.xml")
        _ = try s.export(to: exported)

        let copyDir = TemporaryDirectory(prefix: "knot-matching-copy")
        let copy = ClinicSession.maintenance(database: try ClinicDatabase(path: copyDir.file("copy.sqlite")), actor: "records")
        let imported = copy.importFile(exported)
        #expect(imported.status == .created, "\(imported.detail)")
        let newer = try copy.referral(id: 2)
        #expect(newer.replacesReferralID == 1)
        #expect(newer.documentVersion == 2)
        #expect(newer.letterKey == (try s.referral(id: 2)).letterKey)
        #expect(newer.letterIdentifiers == [PatientIdentifier(system: .ihi, value: "8003609999999996")])
        let resent = copy.importFile(try letter(ReferralLetterFixtures.cda(documentID: "V-2", setID: "SET-5", version: 2).replacingOccurrences(of: "\n", with: "\r\n")))
        #expect(resent.status == .skipped, "\(resent.detail)")
    }

    @Test("a letter whose birth date is not a real date names the date as written, and is held rather than making a patient born in 1800", arguments: TestStore.all)
    func unreadableBirthDate(store: TestStore) throws {
        let clinic = try store.newClinic()
        let s = try clinic.maintenanceSession()
        let outcome = s.importFile(try letter(ReferralLetterFixtures.cda(birth: "19780230")))
        #expect(outcome.status == .conflict, "\(outcome.detail)")
        #expect(outcome.detail.contains("'19780230' is not a real calendar date"), "\(outcome.detail)")
        #expect(!outcome.detail.contains("1800"))
        let held = try #require(outcome.conflictID)
        let refused = #expect(throws: ServiceError.self) { try s.resolveReferralConflict(id: held, .newPatient) }
        #expect("\(refused!)".contains("'19780230'"), "\(refused!)")
        #expect(try s.listPatients().isEmpty)
        _ = try zoe(s)
        // The letter gives no birth date to compare: filed for someone on file only when confirmed.
        #expect(throws: ChosenPatientDiffers.self) { try s.resolveReferralConflict(id: held, .patient("K00001")) }
        #expect(try s.resolveReferralConflict(id: held, .patient("K00001"), confirmingDifferentPatient: true).status == .matched)
    }
}
