import Foundation
import Testing
import ClinicTestSupport

/// Records retention: `knot retention report` lists the records past the retention period
/// (adults 7 years after last contact; minors until they turn 25, or 7 years if later) and
/// deletes nothing; `knot patient archive` hides a patient from lists but keeps the record in
/// exports and the audit trail.
@Suite("retention and archiving")
struct RetentionTests {
    @Test("the retention report applies the adult and minor rules to the last contact")
    func report() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        // Today is whatever the clock says; dates are chosen far enough either side of the limits.
        try clinic.addPatient("Ada", "Pastadult", dob: "1960-02-01", record: "A1")      // adult, last seen 2015: past (2022)
        try clinic.addPatient("Ben", "Recentadult", dob: "1960-02-01", record: "A2")    // adult, seen 2015 and last this year: kept
        try clinic.addPatient("Cy", "Pastminor", dob: "1990-06-01", record: "M1")       // seen at 8 in 1998: until 25 (2015): past
        try clinic.addPatient("Di", "Keptminor", dob: "2005-01-01", record: "M2")       // seen at 7 in 2012: until 25 (2030): kept
        try clinic.addPatient("Ed", "Neverseen", dob: "1950-01-01", record: "N1")       // registered today, no visit yet: kept
        try clinic.addPatient("Flo", "Archivedpast", dob: "1950-01-01", record: "R1")   // past and archived: still reported
        for (record, at) in [("A1", "2015-03-01"), ("A2", "2015-03-01"), ("A2", "\(Calendar.current.component(.year, from: Date()))-01-02"),
                             ("M1", "1998-06-10"), ("M2", "2012-01-10"), ("R1", "2010-01-01")] {
            let r = try clinic.knot(["visit", "new", record, "--complaint", "neck pain", "--at", at])
            try #require(r.status == 0, "\(record) \(at): \(r.stderr)")
        }
        try #require(clinic.knot(["patient", "archive", "R1"]).status == 0)
        let r = try clinic.knot(["retention", "report", "--json"])
        try #require(r.status == 0, "\(r.stderr)")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        let listed = Dictionary(uniqueKeysWithValues: items.compactMap { item -> (String, [String: Any])? in
            guard let p = item["patient"] as? [String: Any], let rec = p["recordNumber"] as? String else { return nil }
            return (rec, item)
        })
        #expect(Set(listed.keys) == ["A1", "M1", "R1"], "listed: \(listed.keys.sorted())")
        #expect(listed["A1"]?["retainUntil"] as? String == "2022-03-01")
        #expect(listed["A1"]?["lastContact"] as? String == "2015-03-01")
        #expect(listed["M1"]?["retainUntil"] as? String == "2015-06-01")
        #expect((listed["M1"]?["rule"] as? String)?.contains("minor") == true)
        // The text table says the same, and nothing was deleted.
        let text = try clinic.knot(["retention", "report"])
        #expect(text.stdout.contains("Pastadult, Ada"))
        #expect(!text.stdout.contains("Keptminor"))
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM patient") == "6")
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM visit") == "6")
    }

    @Test("an archived patient leaves the lists and searches but stays in exports, the chart and the audit trail")
    func archive() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        try clinic.addPatient("Al", "Smithers", dob: "1975-01-01", record: "K2")
        try clinic.signedVisit("K1")
        let a = try clinic.knot(["patient", "archive", "K1"])
        #expect(a.status == 0, "\(a.stderr)")
        #expect(a.stdout.contains("archived"))
        #expect(try !clinic.knot(["patient", "list"]).stdout.contains("K1"))
        #expect(try clinic.knot(["patient", "list"]).stdout.contains("K2"))
        #expect(try !clinic.knot(["patient", "search", "smith"]).stdout.contains("K1"))
        #expect(try clinic.knot(["patient", "list", "--archived"]).stdout.contains("Smith, Jo (archived)"))
        #expect(try clinic.knot(["patient", "search", "smith", "--archived"]).stdout.contains("K1"))
        // The chart and the visit are still there.
        #expect(try clinic.knot(["patient", "show", "K1"]).status == 0)
        #expect(try clinic.knot(["history", "K1"]).stdout.contains("signed"))
        // The export carries the patient and the visit.
        let export = clinic.home.file("all.xml")
        let e = try clinic.knot(["export", "-o", export, "--json"])
        #expect(e.status == 0, "\(e.stderr)")
        let xml = try String(contentsOfFile: export, encoding: .utf8)
        #expect(xml.contains("Smith"))
        #expect(xml.contains("K1"))
        #expect(xml.contains("archived"))
        // The audit trail names the archiving.
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM audit_event WHERE action = 'archive' AND entity = 'patient'") == "1")
        let log = try clinic.knot(["audit", "log", "--patient", "K1"])
        #expect(log.stdout.contains("archive"))
        // And it comes back.
        #expect(try clinic.knot(["patient", "archive", "K1", "--restore"]).status == 0)
        #expect(try clinic.knot(["patient", "list"]).stdout.contains("K1"))
    }
}
