import Foundation
import Testing
import ClinicModel
import ClinicStore
import ClinicTestSupport

/// IHI and Medicare check digits through the built `knot`: `patient add` and `patient edit`
/// refuse a number whose check digit does not match (bad input, exit 65, naming the field and
/// nothing else about the patient); a clinic holding numbers stored before the check still
/// edits, exports, makes a new clinic (`init --from`) and imports into a running one.
@Suite("Identifier check digits (knot)")
struct IdentifierCheckDigitCommandTests {
    let clinic = EndToEndClinic()

    @Test("knot patient add with a bad Medicare or IHI check digit exits 65 naming the field; good numbers register")
    func patientAddRefusesABadCheckDigit() throws {
        try clinic.setUp()
        let person = ["patient", "add", "--given", "Jo", "--family", "Smith", "--dob", "1980-05-17"]
        let medicare = try clinic.knot(person + ["--id", "medicare:2123456719"])
        #expect(medicare.status == 65, "\(medicare.status) \(medicare.stderr)")
        #expect(medicare.stderr.contains("identifiers[0].value"), "\(medicare.stderr)")
        #expect(medicare.stderr.contains("check digit") && medicare.stderr.contains("does not match"), "\(medicare.stderr)")
        #expect(!medicare.stderr.contains("Smith") && !medicare.stderr.contains("1980"), "nothing else about the patient: \(medicare.stderr)")

        let ihi = try clinic.knot(person + ["--id", "medicare:2123456701", "--id", "ihi:8003608166690513"])
        #expect(ihi.status == 65, "\(ihi.status) \(ihi.stderr)")
        #expect(ihi.stderr.contains("identifiers[1].value") && ihi.stderr.contains("check digit"), "\(ihi.stderr)")
        #expect(try clinic.knot(["patient", "list"]).stdout.contains("Smith") == false, "nothing registered")

        let good = try clinic.knot(person + ["--id", "medicare:2123456701", "--id", "ihi:8003608166690503", "--record", "K1"])
        #expect(good.status == 0, "\(good.stderr)")
        let shown = try clinic.knot(["patient", "show", "K1"]).stdout
        #expect(shown.contains("MEDICARE: 2123456701") && shown.contains("IHI: 8003608166690503"), "\(shown)")

        // An edit that adds a mistyped number is refused the same way, and changes nothing.
        let edit = try clinic.knot(["patient", "edit", "K1", "--phone", "0412 345 678", "--id", "dva:NX1", "--id", "medicare:3951234562"])
        #expect(edit.status == 65, "\(edit.status) \(edit.stderr)")
        #expect(edit.stderr.contains("identifiers[3].value") && edit.stderr.contains("check digit"), "\(edit.stderr)")
        let after = try clinic.knot(["patient", "show", "K1"]).stdout
        #expect(!after.contains("0412 345 678") && !after.contains("NX1"), "\(after)")
    }

    @Test("a clinic holding numbers that fail the check (stored before it) edits, exports, init --from and imports")
    func storedNumbersStillMove() throws {
        try clinic.setUp()
        // As an older Knot could store it: through the store, which checks the shape only.
        var jo = Patient(recordNumber: "K1", givenNames: "Jo", familyName: "Smith", dateOfBirth: try LocalDate(parsing: "1980-05-17"))
        jo.identifiers = [PatientIdentifier(system: .medicare, value: "2123456719"), PatientIdentifier(system: .ihi, value: "8003608166690513")]
        do {
            let db = try ClinicDatabase(path: clinic.db)
            try db.write { tx in _ = try tx.insertPatient(jo, actor: "amy") }
        }
        let edited = try clinic.knot(["patient", "edit", "K1", "--phone", "0412 345 678"])
        #expect(edited.status == 0, "an edit of another field keeps the number on file: \(edited.stderr)")

        let export = clinic.home.file("clinic.xml")
        let exported = try clinic.knot(["export", "--output", export])
        try #require(exported.status == 0, "\(exported.stderr)")

        let copy = clinic.home.file("copy.sqlite")
        let made = try clinic.knot(["init", "--from", export], as: nil, database: copy)
        #expect(made.status == 0, "\(made.stdout) \(made.stderr)")
        let shown = try clinic.knot(["patient", "show", "K1"], database: copy).stdout
        #expect(shown.contains("MEDICARE: 2123456719") && shown.contains("IHI: 8003608166690513"), "\(shown)")

        let running = clinic.home.file("running.sqlite")
        #expect(try clinic.knot(["init", "--handle", "bob", "--name", "Bob Physio"], as: nil, database: running).status == 0)
        let imported = try clinic.knot(["import", "--untrusted", export], as: "bob", database: running)
        #expect(imported.status == 0, "\(imported.stdout) \(imported.stderr)")
        let there = try clinic.knot(["patient", "search", "smith"], as: "bob", database: running).stdout
        #expect(there.contains("Smith"), "\(there)")
    }
}
