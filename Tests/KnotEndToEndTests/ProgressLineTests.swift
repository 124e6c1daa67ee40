import Foundation
import Testing
import ClinicTestSupport

/// A whole clinic exported or imported takes minutes at 100,000 patients: on a terminal, `knot
/// export`, `knot import` of a clinic export and `knot init --from` keep one line on stderr
/// counting the patients done (an import then the audit trail's events, then naming its last
/// steps), ending with the whole count; with `--json`, or when stderr is not a terminal (a
/// script, a log), nothing is added.
@Suite struct ProgressLineTests {
    @Test("export, import of the export into an empty clinic, and init --from: a count of patients on the terminal, ending at the whole; none off a terminal or with --json")
    func patientCounts() throws {
        let c = EndToEndClinic()
        try c.setUp()
        for i in 1...3 { try c.addPatient("Pat\(i)", "Count", dob: "1980-05-1\(i)", record: "P\(i)") }
        let env = ["KNOT_DATABASE": c.db, "KNOT_PRACTITIONER": "amy"]

        // Off a terminal (the tests' pipes): the command's lines only.
        let plain = c.home.file("plain.xml")
        let off = try c.knot(["export", "-o", plain])
        #expect(off.status == 0 && off.stderr.isEmpty, "\(off.stderr)")

        let export = c.home.file("clinic.xml")
        let exported = try AccessTests.runOnTerminal(["export", "-o", export], home: c.home.path, environment: env)
        #expect(exported.contains("exporting: 3 of 3 patients"), "\(exported)")
        #expect(exported.contains("Exported 3 patient(s)"), "\(exported)")

        let json = try AccessTests.runOnTerminal(["export", "-o", c.home.file("json.xml"), "--json"], home: c.home.path, environment: env)
        #expect(!json.contains("exporting:"), "\(json)")

        let fresh = c.home.file("fresh.sqlite")
        let created = try AccessTests.runOnTerminal(["init", "--from", export, "--untrusted"], home: c.home.path,
                                                    environment: ["KNOT_DATABASE": fresh])
        #expect(created.contains("importing clinic.xml: 3 patients"), "\(created)")
        // After the patients, the audit trail's events are counted, then the last steps named; the
        // line ends on the whole count.
        let events = try String(contentsOfFile: export, encoding: .utf8).components(separatedBy: "<event ").count - 1
        try #require(events > 1)
        #expect(created.contains("importing clinic.xml: 3 patients; audit trail: 1 event"), "\(created)")
        #expect(created.contains("importing clinic.xml: 3 patients, audit trail: \(events) events; building the indexes and writing to the disk"), "\(created)")
        let lastLine = created.components(separatedBy: "\r\u{1B}[K").last ?? ""
        #expect(lastLine.hasPrefix("importing clinic.xml: 3 patients, audit trail: \(events) events\r\n"), "\(lastLine)")
        #expect(created.contains("Created the clinic database at \(fresh) from \(export): 3 patient(s)"), "\(created)")

        let empty = c.home.file("empty.sqlite")
        let made = try c.knot(["init", "--handle", "zed", "--name", "Zed Admin"], as: nil, database: empty)
        try #require(made.status == 0, "\(made.stderr)")
        let imported = try AccessTests.runOnTerminal(["import", "--untrusted", export], home: c.home.path,
                                                     environment: ["KNOT_DATABASE": empty, "KNOT_PRACTITIONER": "zed"])
        #expect(imported.contains("importing a clinic export: 3 patients"), "\(imported)")
        // Merged into a clinic that has an account, the audit trail is not restored: no count of it.
        #expect(imported.contains("importing a clinic export: 3 patients; building the indexes and writing to the disk"), "\(imported)")
        #expect(!imported.contains("audit trail:"), "\(imported)")
        #expect(imported.contains("CREATED  \(export) [knot-records]"), "\(imported)")
    }
}
