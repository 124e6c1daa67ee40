import Foundation
import Testing
import ClinicTestSupport

/// `needle add` says both numbers a needling entry has: its id, which `needle remove` takes, and
/// its site number in the visit, which `needle edit` and `needle.N.` amendments take. The walk's
/// finding: it printed only the site number ("entry 1"), and `needle remove 1` then recorded the
/// needles out on another patient's entry, whose id was 1.
@Suite("needle add names the entry needle remove takes")
struct NeedleEntryNumberTests {
    let home = TemporaryDirectory(prefix: "knot-needle-entry")
    var db: String { home.file("clinic.sqlite") }

    @discardableResult
    func ok(_ args: String...) throws -> KnotProcess.Result {
        let r = try KnotProcess.run(args, home: home.path, environment: ["KNOT_DATABASE": db, "TZ": "UTC", "KNOT_PRACTITIONER": "amy"])
        try #require(r.status == 0, "knot \(args.joined(separator: " ")): \(r.stderr)")
        return r
    }

    func needle(visit: String, side: String) throws -> String {
        try ok("needle", "add", visit, "--muscle", "soleus", "--side", side, "--technique", "pistoning", "--twitches", "0",
               "--sharps-disposed", "--size", "0.25x30", "--brand", "Seirin", "--lot", "L1", "--inserted", "2", "--no-adverse").stdout
    }

    @Test("two patients, one entry each: the second is 'needling entry 2 (visit 2, site 1)', and needle remove 2 takes the second patient's needles out")
    func theIdIsSaid() throws {
        try ok("init", "--handle", "amy", "--name", "Amy Nguyen", "--time-zone", "Australia/Sydney")
        for (record, given, family, born) in [("K1", "Ann", "Lee", "1980-05-17"), ("K2", "Bob", "Park", "1972-11-02")] {
            try ok("patient", "add", "--given", given, "--family", family, "--dob", born, "--record", record)
            try ok("consent", "record", record, "--risks", "bruising,soreness,fainting", "--benefits-explained")
            try ok("screen", "record", record, "--valid-days", "90", "--none-present")
        }
        try ok("visit", "new", "K1", "--complaint", "Ann calf")
        let first = try needle(visit: "1", side: "left")
        #expect(first.contains("Logged needling entry 1 (visit 1, site 1): Soleus"), "\(first)")
        try ok("visit", "new", "K2", "--complaint", "Bob calf")
        let second = try needle(visit: "2", side: "right")
        #expect(second.contains("Logged needling entry 2 (visit 2, site 1): Soleus"), "\(second)")

        try ok("needle", "remove", "2", "--removed", "2")
        let bob = try ok("visit", "show", "2").stdout
        #expect(bob.contains("2 in / 2 out"), "\(bob)")
        let ann = try ok("visit", "show", "1").stdout
        #expect(ann.contains("2 in / 0 out"), "Ann's needles are not recorded out: \(ann)")
    }
}
