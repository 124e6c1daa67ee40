import Foundation
import Testing
import ClinicTestSupport

/// `knot template list|show|edit|reset` as a clinic administrator meets it: the clinic's wording
/// is stored with the clinic and used in every practitioner's letters; a template with an error
/// is refused with its line and nothing is stored; reset brings Knot's wording back.
@Suite("knot template")
struct TemplateCommandTests {
    @Test("edit from a file and with $EDITOR, refused with the line on an error, used in letters, reset")
    func templatesThroughTheCommandLine() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        try #require(clinic.knot(["practitioner", "add", "--handle", "doc", "--name", "Doc Holm"]).status == 0)
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        let visit = String(try clinic.signedVisit("K1"))

        let list = try clinic.knot(["template", "list"])
        #expect(list.status == 0, "\(list.stderr)")
        for name in ["patient.opening", "patient.closing", "referrer.greeting", "referrer.opening", "referrer.closing"] {
            #expect(list.stdout.contains(name))
        }
        #expect(!list.stdout.contains("[changed"))
        let shown = try clinic.knot(["template", "show", "referrer.closing"])
        #expect(shown.stdout.hasPrefix("Kind regards,\n\n{{practitioner.signature}}\n"))

        // An error: refused with the template, line and rule; nothing stored, nothing audited.
        let bad = clinic.home.file("bad.mustache")
        try Data("With thanks,\n\n{{#practitioner}}{{name}}\n".utf8).write(to: URL(fileURLWithPath: bad))
        let refused = try clinic.knot(["template", "edit", "referrer.closing", "--file", bad])
        #expect(refused.status == 65, "\(refused.stderr)")
        #expect(refused.stderr.contains("template referrer.closing, line 3"), "\(refused.stderr)")
        #expect(refused.stderr.contains("{{#practitioner}}"), "\(refused.stderr)")
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM letter_template") == "0")
        let partial = clinic.home.file("partial.mustache")
        try Data("{{> /etc/passwd}}\n".utf8).write(to: URL(fileURLWithPath: partial))
        let reached = try clinic.knot(["template", "edit", "referrer.closing", "--file", partial])
        #expect(reached.status == 65 && reached.stderr.contains("partial"), "\(reached.stderr)")

        // A good one, through $EDITOR (a script that writes the new text), for every practitioner.
        let editor = clinic.home.file("editor.sh")
        try Data("#!/bin/sh\nprintf 'With thanks,\\n\\n{{practitioner.name}}, {{clinic.name}}\\n' > \"$1\"\n".utf8)
            .write(to: URL(fileURLWithPath: editor))
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: editor)
        let edited = try clinic.knot(["template", "edit", "referrer.closing"], environment: ["EDITOR": editor, "VISUAL": ""])
        #expect(edited.status == 0, "\(edited.stderr)")
        let letter = try clinic.knot(["plan", visit, "--for", "referrer"], as: "doc")
        #expect(letter.status == 0, "\(letter.stderr)")
        #expect(letter.stdout.contains("\nWith thanks,\n\nAmy Physio, Knot clinic\n"), "\(letter.stdout)")
        #expect(!letter.stdout.contains("Thank you for referring"), "no referral, no thanks")
        #expect(try clinic.knot(["template", "list"]).stdout.contains("[changed by amy]"))
        #expect(try clinic.knot(["audit", "log"]).stdout.contains("letter-template"))

        // Only an administrator changes the clinic's wording.
        let byDoc = try clinic.knot(["template", "edit", "referrer.closing", "--file", bad], as: "doc")
        #expect(byDoc.status == 77, "\(byDoc.stderr)")

        let reset = try clinic.knot(["template", "reset", "referrer.closing"])
        #expect(reset.status == 0 && reset.stdout.contains("back to Knot's wording"), "\(reset.stderr)")
        let again = try clinic.knot(["plan", visit, "--for", "referrer"])
        #expect(again.stdout.contains("Kind regards,"))
        let unknown = try clinic.knot(["template", "show", "letterhead"])
        #expect(unknown.status == 65 && unknown.stderr.contains("must be one of"), "\(unknown.stderr)")
    }
}
