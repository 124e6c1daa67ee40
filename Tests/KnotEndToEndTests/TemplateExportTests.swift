import Foundation
import Testing
import ClinicTestSupport

/// The clinic's changed templates travel in the clinic export (issue 16): a clinic made from
/// the export (`knot init --from`) has the same wording, changed by the same person at the same
/// time, and exports the same bytes; an export made before templates travelled still imports
/// (Knot's wording applies); a template with an error in an export refuses the import whole.
@Suite("templates in the clinic export")
struct TemplateExportTests {
    static let closing = "Warm regards & thanks,\n\n{{practitioner.signature}}\n\t{{clinic.name}} <reception> “Harbour”\n"

    @Test("exported, taken by init --from with who and when, the same bytes again; an older export imports with Knot's wording")
    func templatesTravel() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        let visit = String(try clinic.signedVisit("K1"))
        let file = clinic.home.file("closing.mustache")
        try Data(Self.closing.utf8).write(to: URL(fileURLWithPath: file))
        #expect(try clinic.knot(["template", "edit", "referrer.closing", "--file", file]).status == 0)
        let opening = clinic.home.file("opening.mustache")
        try Data("Hi {{patient.firstName}},\n\nhere is what we agreed.\n".utf8).write(to: URL(fileURLWithPath: opening))
        #expect(try clinic.knot(["template", "edit", "patient.opening", "--file", opening]).status == 0)

        let a = clinic.home.file("a.xml"), b = clinic.home.file("b.xml")
        let exportedA = try clinic.knot(["export", "--output", a, "--no-audit"])
        try #require(exportedA.status == 0, "\(exportedA.stderr)")
        let exported = String(decoding: try #require(FileManager.default.contents(atPath: a)), as: UTF8.self)
        #expect(exported.contains("<template name=\"patient.opening\" changedAt=\""), "\(exported.prefix(1500))")
        #expect(exported.contains("changedBy=\"amy\">Warm regards &amp; thanks,\n\n{{practitioner.signature}}\n\t{{clinic.name}} &lt;reception&gt; “Harbour”\n</template>"))
        let patientAt = try #require(exported.range(of: "<template name=\"patient.opening\""))
        let referrerAt = try #require(exported.range(of: "<template name=\"referrer.closing\""))
        #expect(patientAt.lowerBound < referrerAt.lowerBound, "sorted by name")

        let copy = clinic.home.file("copy.sqlite")
        let made = try clinic.knot(["init", "--from", a], as: nil, database: copy)
        try #require(made.status == 0, "\(made.stderr)")
        #expect(try clinic.knot(["template", "show", "referrer.closing"], database: copy).stdout
                == (try clinic.knot(["template", "show", "referrer.closing"]).stdout))
        #expect(try clinic.knot(["template", "list"], database: copy).stdout == (try clinic.knot(["template", "list"]).stdout))
        #expect(try SQLiteProbe.query(copy, "SELECT name, changed_at, changed_by FROM letter_template ORDER BY name")
                == (try SQLiteProbe.query(clinic.db, "SELECT name, changed_at, changed_by FROM letter_template ORDER BY name")))
        let letter = try clinic.knot(["plan", visit, "--for", "referrer"], database: copy)
        #expect(letter.stdout.contains("Warm regards & thanks,\n\nAmy Physio, Physiotherapist\n"), "\(letter.stdout)")
        #expect(try clinic.knot(["plan", visit], database: copy).stdout.contains("Hi Jo,"))
        #expect(try clinic.knot(["export", "--output", b, "--no-audit"], database: copy).status == 0)
        #expect(FileManager.default.contents(atPath: a) == FileManager.default.contents(atPath: b), "byte for byte")

        // An export from before templates travelled: the new clinic uses Knot's wording.
        let old = clinic.home.file("old.xml")
        let stripped = exported.replacingOccurrences(of: #"<template name="[a-z.]+" changedAt="[^"]+" changedBy="[^"]+">[^<]*</template>"#,
                                                     with: "", options: .regularExpression)
        #expect(!stripped.contains("<template"))
        try Data(stripped.utf8).write(to: URL(fileURLWithPath: old))
        let fromOld = clinic.home.file("old.sqlite")
        let r = try clinic.knot(["init", "--untrusted", "--from", old], as: nil, database: fromOld)
        try #require(r.status == 0, "\(r.stderr)")
        #expect(!(try clinic.knot(["template", "list"], database: fromOld).stdout.contains("[changed")))
        #expect(try clinic.knot(["plan", visit, "--for", "referrer"], database: fromOld).stdout.contains("Kind regards,\n\nAmy Physio, Physiotherapist\n"))
    }

    @Test("a template with an error in an export refuses the import: its line named, no clinic made")
    func aBrokenTemplateRefusesTheImport() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        let file = clinic.home.file("closing.mustache")
        try Data(Self.closing.utf8).write(to: URL(fileURLWithPath: file))
        #expect(try clinic.knot(["template", "edit", "referrer.closing", "--file", file]).status == 0)
        let a = clinic.home.file("a.xml")
        #expect(try clinic.knot(["export", "--output", a, "--no-audit"]).status == 0)
        let exported = String(decoding: try #require(FileManager.default.contents(atPath: a)), as: UTF8.self)
        let broken = clinic.home.file("broken.xml")
        try Data(exported.replacingOccurrences(of: "\n\t{{clinic.name}}", with: "\n\t{{#referral}}{{clinic.name}}").utf8)
            .write(to: URL(fileURLWithPath: broken))
        let target = clinic.home.file("broken.sqlite")
        let r = try clinic.knot(["init", "--untrusted", "--from", broken], as: nil, database: target)
        #expect(r.status == 65, "\(r.status) \(r.stderr)")
        #expect(r.stderr.contains("template referrer.closing, line 4"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target), "no clinic made from a refused export")
    }
}
