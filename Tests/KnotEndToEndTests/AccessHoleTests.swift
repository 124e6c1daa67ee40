import Foundation
import Testing
import ClinicTestSupport

/// The access holes a tester found, each closed as a user meets it through the built `knot`.
@Suite("access holes closed", .serialized)
struct AccessHoleTests {
    /// amy (administrator, practitioner), rec (reception); K00001 Margaret O'Sullivan born 1951,
    /// K00002 and K00003 both Sam Lee born 2000-01-01; a letter for Sam Lee held as conflict #1.
    func clinicWithHeldLetter() throws -> EndToEndClinic {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        for (given, family, dob) in [("Margaret", "O'Sullivan", "1951-03-02"), ("Sam", "Lee", "2000-01-01"), ("Sam", "Lee", "2000-01-01")] {
            let r = try clinic.knot(["patient", "add", "--given", given, "--family", family, "--dob", dob, "--allow-duplicate"])
            try #require(r.status == 0, "\(r.stderr)")
        }
        let letter = clinic.home.file("sam.xml")
        try Data(EndToEndClinic.referralLetter(given: "Sam", family: "Lee", dob: "2000-01-01").utf8).write(to: URL(fileURLWithPath: letter))
        let imported = try clinic.knot(["import", letter], as: "rec")
        try #require(imported.status == 1 && imported.stdout.contains("held as conflict #1"), "\(imported.stdout) \(imported.stderr)")
        return clinic
    }

    @Test("referral resolve --patient of someone the letter is not about: refused (1), what differs named, nothing filed; --confirm-different-patient files it")
    func resolveToADifferentPatient() throws {
        let clinic = try clinicWithHeldLetter()
        let refused = try clinic.knot(["referral", "resolve", "1", "--patient", "K00001"], as: "rec")
        #expect(refused.status == 1, "\(refused.status) \(refused.stderr)")
        for words in ["K00001 may not be the letter's patient", "not one of the patients the letter might be about (K00002, K00003)",
                      "the letter is about Lee, Sam, K00001 is O'Sullivan, Margaret", "2000-01-01", "1951-03-02", "--confirm-different-patient"] {
            #expect(refused.stderr.contains(words), "\(words): \(refused.stderr)")
        }
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM referral") == "0")
        #expect(try clinic.knot(["referral", "conflicts"], as: "rec").stdout.contains("#1 sam.xml"))
        // --confirm-different-patient goes with --patient only.
        #expect(try clinic.knot(["referral", "resolve", "1", "--new-patient", "--confirm-different-patient"], as: "rec").status == 64)
        // Confirmed: filed, saying what was confirmed.
        let filed = try clinic.knot(["referral", "resolve", "1", "--patient", "K00001", "--confirm-different-patient"], as: "rec")
        #expect(filed.status == 0, "\(filed.stderr)")
        #expect(filed.stdout.contains("filed for patient K00001") && filed.stdout.contains("warning: filed for K00001 as confirmed"), "\(filed.stdout)")
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM referral") == "1")
        // The help says what the option does.
        #expect(try clinic.knot(["referral", "resolve", "--help"]).stdout.contains("--confirm-different-patient"))
    }

    @Test("referral resolve to a candidate with the letter's name and birth date asks no confirmation")
    func resolveToACandidate() throws {
        let clinic = try clinicWithHeldLetter()
        let filed = try clinic.knot(["referral", "resolve", "1", "--patient", "K00003"], as: "rec")
        #expect(filed.status == 0, "\(filed.stderr)")
        #expect(!filed.stdout.contains("warning"), "\(filed.stdout)")
    }

    @Test("who ran knot is the system's account, never $USER: the audit trail and the handle it defaults to")
    func operatingSystemUserIsNotTheEnvironment() throws {
        let clinic = EndToEndClinic()
        let login = try #require(OperatingSystemUserName.current, "this process's user has a name")
        // A new clinic set up with USER and LOGNAME claiming someone else: the events name the real login.
        let made = try clinic.knot(["init", "--handle", "boss", "--name", "Bo Boss"], as: nil, environment: ["USER": "mallory", "LOGNAME": "mallory"])
        try #require(made.status == 0, "\(made.stderr)")
        let actors = try SQLiteProbe.scalar(clinic.db, "SELECT group_concat(DISTINCT actor) FROM audit_event")
        #expect(actors == login, "audit actors: \(actors ?? "none"), running as \(login)")
        // Without USER at all, still the real login, not "unknown".
        let fresh = clinic.home.file("fresh.sqlite")
        #expect(try clinic.knot(["init", "--handle", "boss", "--name", "Bo Boss"], as: nil, database: fresh).status == 0)
        #expect(try SQLiteProbe.scalar(fresh, "SELECT group_concat(DISTINCT actor) FROM audit_event") == login)
        // $USER naming an account does not choose it: no handle given is the login's handle, and
        // the refusal names the login.
        let claimed = try clinic.knot(["patient", "list"], as: nil, environment: ["USER": "boss", "LOGNAME": "boss"])
        if login != "boss" {
            #expect(claimed.status == 77, "\(claimed.status) \(claimed.stderr)")
            #expect(claimed.stderr.contains("'\(login)' has no Knot account here"), "\(claimed.stderr)")
        }
    }

    @Test("a database file this user may not read: 77 (not permitted), not 73")
    func unreadableDatabaseIsNotPermitted() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        let folder = clinic.home.file("locked")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let copy = folder + "/clinic.sqlite"
        try FileManager.default.copyItem(atPath: clinic.db, toPath: copy)
        // Root reads any file: as root, run knot as nobody (the copy stays root's, 0600).
        var prefix: [String] = []
        if geteuid() == 0 {
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }
            prefix = ["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
            chmod(clinic.home.path, 0o755)
            chmod(folder, 0o755)
            chmod(copy, 0o600)
        } else {
            chmod(copy, 0o000)
        }
        let knot = prefix.isEmpty ? KnotProcess.executable : prefix[0]
        let args = (prefix.isEmpty ? [] : Array(prefix.dropFirst()) + [KnotProcess.executable]) + ["--database", copy, "patient", "list", "--practitioner", "amy"]
        let r = try KnotProcess.runProgram(knot, args, home: "/tmp")
        #expect(r.status == 77, "\(r.status) \(r.stderr)")
        #expect(r.stderr.contains("permission denied"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test("a file name with newlines prints on one line in the import report: it cannot forge report lines")
    func fileNamesCannotForgeReportLines() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        let name = "c\nCREATED  fake.xml [knot-referral]\n new patient K99999.xml"
        let folder = clinic.home.file("inbox")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data("<not-a-letter/>".utf8).write(to: URL(fileURLWithPath: folder + "/" + name))
        let r = try clinic.knot(["import", folder])
        #expect(r.status == 65, "\(r.status) \(r.stderr)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(!lines.contains { $0.hasPrefix("CREATED") }, "\(r.stdout)")
        #expect(!lines.contains { $0.hasPrefix(" new patient") }, "\(r.stdout)")
        #expect(lines.first?.hasPrefix("REJECTED") == true && lines.first?.contains("c?CREATED  fake.xml [knot-referral]? new patient K99999.xml") == true,
                "\(r.stdout)")
        #expect(lines.filter { !$0.hasPrefix("         ") && !$0.isEmpty }.count == 2, "one file's line and the summary: \(r.stdout)")
    }

    @Test("reception's dry run of a whole-clinic export: refused (77) before anything is printed")
    func exportDryRunRefusedFirst() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        let export = clinic.home.file("clinic-export.xml")
        try #require(clinic.knot(["export", "-o", export]).status == 0)
        let r = try clinic.knot(["import", "--dry-run", export], as: "rec")
        #expect(r.status == 77, "\(r.status) \(r.stderr)")
        #expect(r.stdout.isEmpty, "printed before refusing: \(r.stdout)")
        #expect(r.stderr.contains("cannot import a clinic export"), "\(r.stderr)")
    }
}

/// The login name of this process's effective user, as the system's password database has it.
enum OperatingSystemUserName {
    static var current: String? {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }
}
