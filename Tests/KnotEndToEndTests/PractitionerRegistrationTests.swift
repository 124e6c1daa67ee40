import Foundation
import Testing
import ClinicTestSupport

/// A practitioner's registration body and number, and a provider number (issue 16), as an
/// administrator meets them through the built `knot`: the formats of AHPRA, HCPC and NPI
/// checked (refused with the field and rule, exit 1 as every model rule, nothing written), shown by `practitioner list` and `show`, audited, signed
/// on every letter and plan (text, HTML, XML), and carried by the clinic export.
@Suite("practitioner registration")
struct PractitionerRegistrationTests {
    @Test("add and set with a body: formats checked, nothing written when refused, list and show, audited")
    func registrationThroughTheCommandLine() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        let added = try clinic.knot(["practitioner", "add", "--handle", "kate", "--name", "Kate Ng", "--profession", "podiatrist",
                                     "--registration-body", "ahpra", "--registration-number", "pod0001876543",
                                     "--provider-number", "2426621B"])
        #expect(added.status == 0, "\(added.stderr)")
        // A known body in its own spelling, the number's letters in capitals.
        #expect(try SQLiteProbe.query(clinic.db, "SELECT registration_body, registration_number, provider_number FROM practitioner WHERE handle = 'kate'")
                == [["AHPRA", "POD0001876543", "2426621B"]])

        // A number not in its body's form is bad input (65); a body without its number is a rule refused (1).
        let refusals: [([String], String, Int32)] = [
            (["--registration-body", "AHPRA", "--registration-number", "PHY123"], "three letters and ten digits", 65),
            (["--registration-body", "HCPC", "--registration-number", "PH12A456"], "two letters and digits", 65),
            (["--registration-body", "NPI", "--registration-number", "1234567890"], "check digit", 65),
            (["--registration-body", "NPI", "--registration-number", "12345"], "ten digits", 65),
            (["--registration-body", "Physiotherapy Board"], "required with a registration body", 1),
            (["--provider-number", "24266;rm"], "letters, digits", 65),
        ]
        for (args, rule, status) in refusals {
            let r = try clinic.knot(["practitioner", "add", "--handle", "bad", "--name", "Bad Number"] + args)
            #expect(r.status == status, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains(rule), "\(args): \(r.stderr)")
        }
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM practitioner WHERE handle = 'bad'") == "0")

        // Every body Knot knows, and any other register by name.
        for (handle, body, number) in [("hana", "HCPC", "PH123456"), ("ned", "NPI", "1234567893"),
                                        ("olly", "Physiotherapy Board of New Zealand", "70-12345")] {
            let r = try clinic.knot(["practitioner", "add", "--handle", handle, "--name", "Someone \(handle)",
                                     "--registration-body", body, "--registration-number", number])
            #expect(r.status == 0, "\(body): \(r.stderr)")
        }

        // set (edit) changes it; a wrong format is refused and the old one kept.
        let set = try clinic.knot(["practitioner", "set", "amy", "--registration-body", "AHPRA", "--registration-number", "PHY0001234567"])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout.contains("AHPRA registration PHY0001234567"), "\(set.stdout)")
        let wrong = try clinic.knot(["practitioner", "set", "amy", "--registration-number", "PHY12"])
        #expect(wrong.status == 65 && wrong.stderr.contains("registrationNumber"), "\(wrong.stderr)")
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT registration_number FROM practitioner WHERE handle = 'amy'") == "PHY0001234567")

        let list = try clinic.knot(["practitioner", "list"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("AHPRA PHY0001234567"))
        #expect(list.stdout.contains("AHPRA POD0001876543") && list.stdout.contains("2426621B"))
        #expect(list.stdout.contains("NPI 1234567893"))
        let shown = try clinic.knot(["practitioner", "show", "kate"], as: "rec")
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("Registration: AHPRA POD0001876543\n"), "\(shown.stdout)")
        #expect(shown.stdout.contains("Provider number: 2426621B\n"))
        #expect(shown.stdout.contains("Letters and plans sign: Kate Ng, Podiatrist, AHPRA registration POD0001876543"))
        let json = try clinic.knot(["practitioner", "show", "kate", "--json"])
        #expect(json.stdout.contains("\"registrationBody\" : \"AHPRA\"") || json.stdout.contains("\"registrationBody\":\"AHPRA\""), "\(json.stdout)")
        #expect(try clinic.knot(["practitioner", "show", "nobody"]).status == 66)

        // Removed with an empty number (the body goes with it); audited with what changed.
        let removed = try clinic.knot(["practitioner", "set", "olly", "--registration-number", ""])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(try SQLiteProbe.query(clinic.db, "SELECT registration_body, registration_number FROM practitioner WHERE handle = 'olly'") == [["NULL", "NULL"]])
        let audit = try clinic.knot(["audit", "log"]).stdout
        #expect(audit.contains("AHPRA registration PHY0001234567"), "\(audit)")
        #expect(audit.contains("registration removed"))

        // Only an administrator changes a registration.
        let byReception = try clinic.knot(["practitioner", "set", "kate", "--registration-number", "POD0009999999"], as: "rec")
        #expect(byReception.status == 77)
    }

    @Test("every letter and plan signs Name, Profession, BODY registration NUMBER; the export carries it")
    func theSignatureAndTheExport() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        #expect(try clinic.knot(["practitioner", "set", "amy", "--registration-body", "AHPRA", "--registration-number", "PHY0001234567",
                                 "--provider-number", "2426621B"]).status == 0)
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        let visit = String(try clinic.signedVisit("K1"))
        let signature = "Amy Physio, Physiotherapist, AHPRA registration PHY0001234567"

        let letter = try clinic.knot(["plan", visit, "--for", "referrer"])
        #expect(letter.status == 0, "\(letter.stderr)")
        #expect(letter.stdout.contains("Kind regards,\n\n\(signature)\nProvider number 2426621B\nKnot clinic\n"), "\(letter.stdout)")
        let html = try clinic.knot(["plan", visit, "--for", "referrer", "--format", "html"]).stdout
        #expect(html.contains(signature))
        let plan = try clinic.knot(["plan", visit]).stdout
        #expect(plan.contains(signature), "\(plan)")
        #expect(try clinic.knot(["plan", visit, "--format", "html"]).stdout.contains(signature))
        let xml = try clinic.knot(["plan", visit, "--format", "xml"])
        #expect(xml.status == 0, "\(xml.stderr)")
        #expect(xml.stdout.contains("<registrationNumber body=\"AHPRA\">PHY0001234567</registrationNumber>"), "\(xml.stdout)")
        #expect(xml.stdout.contains("<providerNumber>2426621B</providerNumber>"))
        #expect(xml.stdout.contains("<signature>\(signature)</signature>"))

        // The export carries body and provider number; a clinic made from it signs the same way.
        let a = clinic.home.file("a.xml"), b = clinic.home.file("b.xml")
        #expect(try clinic.knot(["export", "--output", a, "--no-audit"]).status == 0)
        let exported = String(decoding: try #require(FileManager.default.contents(atPath: a)), as: UTF8.self)
        #expect(exported.contains("<registrationNumber body=\"AHPRA\">PHY0001234567</registrationNumber>"))
        #expect(exported.contains("<providerNumber>2426621B</providerNumber>"))
        let copy = clinic.home.file("copy.sqlite")
        let made = try clinic.knot(["init", "--from", a], as: nil, database: copy)
        try #require(made.status == 0, "\(made.stderr)")
        #expect(try clinic.knot(["practitioner", "show", "amy"], database: copy).stdout.contains("Registration: AHPRA PHY0001234567"))
        #expect(try clinic.knot(["export", "--output", b, "--no-audit"], database: copy).status == 0)
        #expect(FileManager.default.contents(atPath: a) == FileManager.default.contents(atPath: b))

        // An export from before bodies were recorded (a bare number, no provider number) imports.
        let old = clinic.home.file("old.xml")
        let stripped = exported.replacingOccurrences(of: "<registrationNumber body=\"AHPRA\">", with: "<registrationNumber>")
            .replacingOccurrences(of: "<providerNumber>2426621B</providerNumber>", with: "")
        try Data(stripped.utf8).write(to: URL(fileURLWithPath: old))
        let fromOld = clinic.home.file("old.sqlite")
        let r = try clinic.knot(["init", "--untrusted", "--from", old], as: nil, database: fromOld)
        try #require(r.status == 0, "\(r.stderr)")
        #expect(try SQLiteProbe.query(fromOld, "SELECT registration_body, registration_number, provider_number FROM practitioner WHERE handle = 'amy'")
                == [["NULL", "PHY0001234567", "NULL"]])
        #expect(try clinic.knot(["plan", visit, "--for", "referrer"], database: fromOld).stdout
                .contains("Amy Physio, Physiotherapist, registration PHY0001234567\n"))
    }
}
