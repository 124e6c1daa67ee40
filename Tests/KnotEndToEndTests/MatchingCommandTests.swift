import Foundation
import Testing
import ClinicTestSupport

/// Issue 14 part A through the built `knot`: a doubtful letter held and filed with
/// `knot referral resolve`, a visit refused another patient's referral, `knot check` on a
/// database damaged with sqlite3, and value errors that name the value typed.
@Suite("Right patient, right record (knot)")
struct MatchingCommandTests {
    let clinic = EndToEndClinic()

    func write(_ text: String, _ name: String) throws -> String {
        let path = clinic.home.file(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func letter(given: String, family: String, dob: String, medicare: String? = nil) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <referral xmlns="urn:knot:referral:1" version="1">
          <referrer><name>Dr Ann Lee</name></referrer>
          <date>2026-11-01</date>
          <patient><givenNames>\(given)</givenNames><familyName>\(family)</familyName><dateOfBirth>\(dob)</dateOfBirth>\(medicare.map { "<identifier system=\"medicare\">\($0)</identifier>" } ?? "")</patient>
          <reason>Calf pain.</reason>
          <medications><medication>Apixaban 5 mg bd</medication></medications>
        </referral>

        """
    }

    @Test("knot import holds a doubtful letter; knot referral resolve files it to the patient chosen, audited")
    func resolveFromTheCommandLine() throws {
        try clinic.setUp()
        #expect(try clinic.knot(["patient", "add", "--given", "Zoë", "--family", "Müller", "--dob", "1982-07-15", "--record", "K00001",
                                 "--id", "medicare:2951234571"]).status == 0)
        let imported = try clinic.knot(["import", try write(letter(given: "Anna", family: "MULLER", dob: "1982-07-15"), "anna.xml")])
        #expect(imported.status == 1, "a conflict is exit 1: \(imported.stdout)")
        #expect(imported.stdout.contains("CONFLICT"))
        #expect(imported.stdout.contains("held as conflict #1"), "\(imported.stdout)")
        #expect(imported.stdout.contains("candidate: K00001 Müller, Zoë, born 1982-07-15"), "\(imported.stdout)")
        let listed = try clinic.knot(["referral", "conflicts"])
        #expect(listed.stdout.contains("#1 anna.xml"), "\(listed.stdout)")

        let both = try clinic.knot(["referral", "resolve", "1"])
        #expect(both.status == 64, "needs --patient or --new-patient: \(both.stderr)")
        let missing = try clinic.knot(["referral", "resolve", "1", "--patient", "K09999"])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("no patient K09999"), "\(missing.stderr)")
        // The letter is about Anna, K00001 is Zoë: filed only when the user confirms it.
        let differs = try clinic.knot(["referral", "resolve", "1", "--patient", "K00001"])
        #expect(differs.status == 1, "\(differs.stderr)")
        #expect(differs.stderr.contains("K00001 is Müller, Zoë") && differs.stderr.contains("--confirm-different-patient"), "\(differs.stderr)")
        let filed = try clinic.knot(["referral", "resolve", "1", "--patient", "K00001", "--confirm-different-patient"])
        #expect(filed.status == 0, "\(filed.stderr)")
        #expect(filed.stdout.contains("filed for patient K00001"), "\(filed.stdout)")
        let again = try clinic.knot(["referral", "resolve", "1", "--new-patient"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("filed already, as referral #1"), "\(again.stderr)")
        let list = try clinic.knot(["referral", "list", "K00001"])
        #expect(list.stdout.contains("Dr Ann Lee"))
        let audit = try clinic.knot(["audit", "log", "--patient", "K00001", "--json"])
        #expect(audit.stdout.contains("filed by hand"), "\(audit.stdout)")

        // A Medicare number that differs is a conflict whatever the name and birth date.
        let other = try clinic.knot(["import", try write(letter(given: "Zoë", family: "Müller", dob: "1982-07-15", medicare: "3951234582"), "zoe.xml")])
        #expect(other.stdout.contains("CONFLICT"), "\(other.stdout)")
        #expect(other.stdout.contains("Medicare number differs"), "\(other.stdout)")
    }

    @Test("a visit cannot take another patient's referral or an unknown one; export and check stay sound")
    func visitReferral() throws {
        try clinic.setUp()
        #expect(try clinic.knot(["import", try write(letter(given: "Mary", family: "Jones", dob: "1950-03-04"), "mary.xml")]).status == 0)
        try clinic.addPatient("Tom", "Hart", dob: "1970-01-01", record: "K00010")
        let cross = try clinic.knot(["visit", "new", "K00010", "--referral", "1"])
        #expect(cross.status == 1)
        #expect(cross.stderr.contains("referral 1 belongs to another patient, not K00010"), "\(cross.stderr)")
        let unknown = try clinic.knot(["visit", "new", "K00010", "--referral", "99999"])
        #expect(unknown.status == 66)
        #expect(unknown.stderr.contains("no referral 99999"), "\(unknown.stderr)")
        #expect(!unknown.stderr.contains("FOREIGN KEY"))
        #expect(try clinic.knot(["export", "--output", clinic.home.file("out.xml")]).status == 0)
        #expect(try clinic.knot(["check"]).status == 0)
    }

    @Test("knot check names a visit linked to another patient's referral in a database damaged with sqlite3")
    func checkDamagedDatabase() throws {
        try clinic.setUp()
        #expect(try clinic.knot(["import", try write(letter(given: "Mary", family: "Jones", dob: "1950-03-04"), "mary.xml")]).status == 0)
        try clinic.addPatient("Tom", "Hart", dob: "1970-01-01", record: "K00010")
        let v = try clinic.knot(["visit", "new", "K00010", "--complaint", "Neck"])
        #expect(v.status == 0, "\(v.stderr)")
        let damage = """
        import sqlite3, sys
        c = sqlite3.connect(sys.argv[1])
        c.executescript("DROP TRIGGER visit_referral_same_patient_insert; DROP TRIGGER visit_referral_same_patient_update;")
        c.execute("UPDATE visit SET referral_id = 1 WHERE patient_id = (SELECT id FROM patient WHERE record_number = 'K00010')")
        c.commit()
        """
        _ = try SQLiteProbe.python(damage, [clinic.db])
        let check = try clinic.knot(["check"])
        #expect(check.status != 0, "\(check.stdout)")
        let said = check.stdout + check.stderr
        #expect(said.contains("is linked to referral 1 of another patient (K00001)"), "\(said)")
        #expect(said.contains("visit_referral_same_patient_insert is missing"), "\(said)")
        // Export still writes the whole clinic, leaving that one link out and saying so.
        let export = try clinic.knot(["export", "--output", clinic.home.file("damaged.xml")])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stderr.contains("is linked to referral 1 of another patient: exported without that link"), "\(export.stderr)")
    }

    @Test("value errors name the value typed")
    func valueErrors() throws {
        try clinic.setUp()
        let dob = try clinic.knot(["patient", "add", "--given", "Ann", "--family", "Lee", "--dob", "1978-02-30"])
        #expect(dob.status == 65, "a date that does not exist is bad input")
        #expect(dob.stderr.contains("'1978-02-30' is invalid for '--dob") && dob.stderr.contains("is not a real calendar date"), "\(dob.stderr)")
        try clinic.addPatient("Tom", "Hart", dob: "2001-06-01", record: "K00010")
        let early = try clinic.knot(["visit", "new", "K00010", "--at", "2000-01-01T10:00"])
        #expect(early.status == 1)
        #expect(early.stderr.contains("'2000-01-01' is before the patient's date of birth (2001-06-01)"), "\(early.stderr)")
        let pain = try clinic.knot(["visit", "new", "K00010", "--pain-now", "8", "--pain-worst", "5"])
        #expect(pain.status == 1)
        #expect(pain.stderr.contains("pain.now: '8' is worse than pain.worst (5)"), "\(pain.stderr)")
    }
}
