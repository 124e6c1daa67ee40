import Foundation
import Testing
import ClinicTestSupport

/// Who a handle is, and where a record came from, as a clinic meets them through `knot`: an
/// account bound to an operating-system login is refused to any other (exit 77), `knot init`
/// binds the first account to whoever made the clinic, `knot check` warns about accounts anyone
/// may claim; a record imported with `--untrusted` says so in `patient show` and `visit show`.
@Suite struct OriginCommandTests {
    /// The login this test runs as (what Knot compares with).
    static var me: String {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "" }
        return String(cString: name)
    }

    @Test("an account bound to another operating-system user is refused with exit 77 and how; unbound accounts are warned about")
    func handleBoundToLogin() throws {
        let clinic = EndToEndClinic()
        let initialized = try clinic.knot(["init", "--handle", "amy", "--name", "Amy Physio"], as: nil)
        try #require(initialized.status == 0, "\(initialized.stderr)")
        #expect(initialized.stdout.contains("amy belongs to the operating-system user \(Self.me)"), "\(initialized.stdout)")

        // amy was bound to the login that made the clinic: she keeps working.
        #expect(try clinic.knot(["patient", "list"]).status == 0)
        let list = try clinic.knot(["practitioner", "list"])
        #expect(list.stdout.contains("OS USER") && list.stdout.contains(Self.me), "\(list.stdout)")

        // An account for someone else's login: this login cannot claim it.
        let other = "nobody-\(getpid())"
        let added = try clinic.knot(["practitioner", "add", "--handle", "bob", "--name", "Bob Other", "--os-user", other])
        #expect(added.status == 0, "\(added.stderr)")
        let claimed = try clinic.knot(["patient", "list"], as: "bob")
        #expect(claimed.status == 77)
        #expect(claimed.stderr.contains("the account 'bob' belongs to the operating-system user '\(other)', and Knot is running as '\(Self.me)'")
                && claimed.stderr.contains("log in as \(other)") && claimed.stderr.contains("knot practitioner set bob --os-user LOGIN"),
                "\(claimed.stderr)")
        let viaFlag = try clinic.knot(["--practitioner", "bob", "visit", "show", "1"], as: nil)
        #expect(viaFlag.status == 77, "\(viaFlag.stderr)")

        // Not a login name: refused, nothing added.
        let bad = try clinic.knot(["practitioner", "add", "--handle", "eve", "--name", "Eve", "--os-user", "two words"])
        #expect(bad.status != 0 && bad.stderr.contains("--os-user 'two words' is not a login name"), "\(bad.stderr)")
        #expect(try !clinic.knot(["practitioner", "list"]).stdout.contains("eve"))

        // An administrator re-binds it to this login: it works.
        let set = try clinic.knot(["practitioner", "set", "bob", "--os-user", Self.me])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(try clinic.knot(["patient", "list"], as: "bob").status == 0)

        // An account added without --os-user keeps working, and knot check warns about it.
        #expect(try clinic.knot(["practitioner", "add", "--handle", "rec", "--name", "Rita Reception", "--role", "reception"]).status == 0)
        #expect(try clinic.knot(["patient", "list"], as: "rec").status == 0)
        let check = try clinic.knot(["check"])
        #expect(check.status == 0, "\(check.stdout) \(check.stderr)")
        #expect(check.stdout.contains("Warning: account 'rec' is not bound to an operating-system user"), "\(check.stdout)")
        #expect(!check.stdout.contains("account 'amy' is not bound") && !check.stdout.contains("account 'bob' is not bound"), "\(check.stdout)")
        let json = try clinic.knot(["check", "--json"])
        #expect(json.stdout.contains("\"accountWarnings\""), "\(json.stdout)")
        // Unbinding is an administrator's choice too, and is warned about from then on.
        #expect(try clinic.knot(["practitioner", "set", "bob", "--clear-os-user"]).status == 0)
        #expect(try clinic.knot(["check"]).stdout.contains("account 'bob' is not bound"))
        // Reception cannot bind accounts.
        #expect(try clinic.knot(["practitioner", "set", "rec", "--os-user", Self.me], as: "rec").status == 77)
    }

    @Test("a patient and visit imported with --untrusted say so in patient show and visit show, text and --json")
    func untrustedImportIsMarked() throws {
        let source = EndToEndClinic()
        try source.setUp()
        let record = try source.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K7")
        _ = try source.signedVisit(record)
        let export = source.home.file("smith.xml")
        try #require(try source.knot(["export", "--output", export]).status == 0)
        // Another clinic with its own configuration folder (its own key): the export is not trusted there.
        let target = EndToEndClinic()
        let config = ["XDG_CONFIG_HOME": target.home.file("config")]
        func knot(_ args: [String], as who: String? = "amy") throws -> KnotProcess.Result {
            try target.knot(args, as: who, environment: config)
        }
        try #require(try knot(["init", "--handle", "amy", "--name", "Amy Physio"], as: nil).status == 0)
        let refused = try knot(["import", export])
        #expect(refused.status != 0 && (refused.stdout + refused.stderr).contains("does not trust"), "\(refused.stdout) \(refused.stderr)")
        let imported = try knot(["import", "--untrusted", export])
        #expect(imported.status == 0, "\(imported.stdout) \(imported.stderr)")

        let show = try knot(["patient", "show", "K7"])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("!! UNTRUSTED IMPORT: this record came from \(export) on ")
                && show.stdout.contains("signed by a key this clinic does not trust"), "\(show.stdout)")
        let json = try knot(["patient", "show", "K7", "--json"])
        let chart = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let mark = try #require(chart["untrustedImport"] as? [String: Any], "\(json.stdout)")
        #expect(mark["file"] as? String == export && (mark["reason"] as? String)?.contains("does not trust") == true, "\(mark)")
        #expect(mark["importedAt"] != nil)
        let visits = try #require(chart["visits"] as? [[String: Any]])
        let visitID = try #require((visits.first?["id"] as? NSNumber)?.int64Value)

        let visit = try knot(["visit", "show", String(visitID)])
        #expect(visit.stdout.contains("!! UNTRUSTED IMPORT: this record came from \(export)"), "\(visit.stdout)")
        let visitJSON = try knot(["visit", "show", String(visitID), "--json"])
        #expect(visitJSON.stdout.contains("\"untrustedImport\""), "\(visitJSON.stdout)")

        // The clinic's own records carry no mark.
        #expect(try knot(["patient", "add", "--given", "Ann", "--family", "Lee", "--dob", "1970-01-02", "--record", "K1"]).status == 0)
        let own = try knot(["patient", "show", "K1", "--json"])
        #expect(own.status == 0 && !own.stdout.contains("untrustedImport"), "\(own.stdout)")
    }
}
