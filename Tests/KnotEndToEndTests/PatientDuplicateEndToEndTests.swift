import Foundation
import Testing
import ClinicTestSupport

/// Issue 13: the same person registered twice without a word, and a mistyped database path that
/// silently started an empty clinic. Driven through the built `knot`.
@Suite("duplicate patients and merge, end to end")
struct PatientDuplicateEndToEndTests {
    @Test("a patient with the same birth date and a similar name is refused with the candidates; --allow-duplicate registers",
          arguments: TestStore.all)
    func duplicateRefusedThenAllowed(store: TestStore) throws {
        let clinic = try EndToEndClinic(store: store)
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        let again = try clinic.knot(["patient", "add", "--given", "JO", "--family", "Smíth", "--dob", "1980-05-17"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("K1  Smith, Jo  born 1980-05-17  (same family name and date of birth; same given name and date of birth)"), "\(again.stderr)")
        #expect(again.stderr.contains("--allow-duplicate"))
        #expect(try StoreProbe.scalar(clinic.db, "SELECT count(*) FROM patient") == "1")

        let typo = try clinic.knot(["patient", "add", "--given", "Jo", "--family", "Smyth", "--dob", "1980-05-17"])
        #expect(typo.status == 1, "one letter apart is a candidate too")
        #expect(typo.stderr.contains("family name one letter apart"))

        let confirmed = try clinic.knot(["patient", "add", "--given", "Jo", "--family", "Smith", "--dob", "1980-05-17", "--record", "K2",
                                         "--allow-duplicate"])
        #expect(confirmed.status == 0, "\(confirmed.stderr)")
        #expect(try StoreProbe.scalar(clinic.db, "SELECT count(*) FROM patient") == "2")

        let other = try clinic.knot(["patient", "add", "--given", "Jo", "--family", "Smith", "--dob", "1981-05-17", "--record", "K3"])
        #expect(other.status == 0, "another birth date is another person: \(other.stderr)")
    }

    @Test("the same identifier is refused with its holder, and --allow-duplicate cannot share it", arguments: TestStore.all)
    func identifierDuplicate(store: TestStore) throws {
        let clinic = try EndToEndClinic(store: store)
        try clinic.setUp()
        #expect(try clinic.knot(["patient", "add", "--given", "Jo", "--family", "Smith", "--dob", "1980-05-17", "--record", "K1",
                                 "--id", "medicare:2951234571"]).status == 0)
        let r = try clinic.knot(["patient", "add", "--given", "Mary", "--family", "Jones", "--dob", "1950-03-04", "--id", "medicare:2951234571"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("K1  Smith, Jo  born 1980-05-17  (same medicare identifier 2951234571)"), "\(r.stderr)")
        let forced = try clinic.knot(["patient", "add", "--given", "Mary", "--family", "Jones", "--dob", "1950-03-04",
                                      "--id", "medicare:2951234571", "--allow-duplicate"])
        #expect(forced.status == 1)
        #expect(try StoreProbe.scalar(clinic.db, "SELECT count(*) FROM patient") == "1")
    }

    @Test("knot patient merge moves every row, signed visits too, archives the other record as merged, and is audited")
    func merge() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        #expect(try clinic.knot(["patient", "add", "--given", "Joanne", "--family", "Smith", "--dob", "1980-05-17", "--record", "K2",
                                 "--id", "dva:NX123456", "--allow-duplicate"]).status == 0)
        try clinic.signedVisit("K1")
        try clinic.signedVisit("K2", complaint: "Right calf pain")
        let rowsOf = { (record: String) throws -> [String] in
            try ["visit", "consent", "precaution_screen", "patient_identifier", "patient_alert", "referral"].map {
                try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM \($0) WHERE patient_id = (SELECT id FROM patient WHERE record_number = '\(record)')") ?? ""
            }
        }
        let k1 = try rowsOf("K1").map { Int($0)! }, k2 = try rowsOf("K2").map { Int($0)! }
        #expect(k2[0] == 1 && k2[3] == 1)

        let reception = try clinic.knot(["patient", "merge", "K1", "K2"], as: "rec")
        #expect(reception.status == 77, "reception cannot move clinical notes")

        let r = try clinic.knot(["patient", "merge", "K1", "K2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Merged K2 into K1"))
        #expect(try rowsOf("K1").map { Int($0)! } == zip(k1, k2).map { $0 + $1 })
        #expect(try rowsOf("K2").allSatisfy { $0 == "0" })
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM visit WHERE status = 'signed' AND patient_id = (SELECT id FROM patient WHERE record_number = 'K1')") == "2")
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT archived || ':' || merged_into FROM patient WHERE record_number = 'K2'")
                == "1:" + (try SQLiteProbe.scalar(clinic.db, "SELECT id FROM patient WHERE record_number = 'K1'") ?? "?"))

        let show = try clinic.knot(["patient", "show", "K2"])
        #expect(show.stdout.contains("MERGED into K1"))
        let list = try clinic.knot(["patient", "list"])
        #expect(!list.stdout.contains("K2"))
        let restore = try clinic.knot(["patient", "archive", "K2", "--restore"])
        #expect(restore.status == 1, "a merged record stays archived")
        #expect(try clinic.knot(["audit", "verify"]).status == 0)
        #expect(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM audit_event WHERE detail LIKE 'merged %'") == "2")
        let twice = try clinic.knot(["patient", "merge", "K1", "K2"])
        #expect(twice.status == 1)
        #expect(twice.stderr.contains("already merged"))

        // The export carries the mark (an optional attribute), and a clinic made from it keeps it.
        let export = clinic.home.file("merged.xml")
        #expect(try clinic.knot(["export", "-o", export]).status == 0)
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: export)), as: UTF8.self).contains("mergedInto=\"K1\""))
        let copy = clinic.home.file("copy.sqlite")
        let made = try clinic.knot(["init", "--from", export], as: nil, database: copy)
        #expect(made.status == 0, "\(made.stderr)")
        let mark = "SELECT p.archived || ':' || k.record_number FROM patient p JOIN patient k ON k.id = p.merged_into WHERE p.record_number = 'K2'"
        #expect(try SQLiteProbe.scalar(copy, mark) == "1:K1")
        #expect(try SQLiteProbe.scalar(copy, "SELECT count(*) FROM visit") == "2")
    }

    @Test("merging two records with different Medicare numbers is refused and changes nothing")
    func mergeIdentifierConflict() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        #expect(try clinic.knot(["patient", "add", "--given", "Jo", "--family", "Smith", "--dob", "1980-05-17", "--record", "K1",
                                 "--id", "medicare:2951234571"]).status == 0)
        #expect(try clinic.knot(["patient", "add", "--given", "Jo", "--family", "Smith", "--dob", "1980-05-17", "--record", "K2",
                                 "--id", "medicare:3951234582", "--allow-duplicate"]).status == 0)
        try clinic.signedVisit("K2")
        let before = KnotProcess.fingerprint(clinic.db)
        let r = try clinic.knot(["patient", "merge", "K1", "K2"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("two different medicare identifiers"), "\(r.stderr)")
        #expect(KnotProcess.fingerprint(clinic.db) == before)
    }
}

/// Only `knot init`, `knot demo`, the front end's first-run question and the default path
/// create a database; anywhere else a missing file is named and nothing is created.
@Suite("which commands create a database")
struct DatabaseCreationTests {
    @Test("a mistyped --database or KNOT_DATABASE is refused (66) by every other command, creating no file and no folder")
    func missingPathRefused() throws {
        let home = TemporaryDirectory(prefix: "knot-missing")
        let letter = home.file("letter.xml")
        try Data("<referral/>".utf8).write(to: URL(fileURLWithPath: letter))
        let folder = home.file("typo")
        let path = folder + "/x.sqlite"
        let commands: [[String]] = [
            ["patient", "list"], ["patient", "add", "--given", "Jo", "--family", "Smith", "--dob", "1980-05-17"],
            ["patient", "search", "smi"], ["practitioner", "list"], ["import", letter], ["export", "-o", home.file("out.xml")],
            ["check"], ["audit", "verify"], ["backup", home.file("b.sqlite")], [],
        ]
        for args in commands {
            for viaOption in [true, false] {
                let r = try KnotProcess.run(viaOption ? ["--database", path] + args : args, home: home.path,
                                            environment: viaOption ? [:] : ["KNOT_DATABASE": path])
                #expect(r.status == 66, "\(args): \(r.status) \(r.stderr)")
                #expect(r.stderr.contains("there is no clinic database at \(path)"), "\(args): \(r.stderr)")
                #expect(r.stderr.contains("knot init"), "\(args): says how to create one")
                #expect(!FileManager.default.fileExists(atPath: folder), "\(args) created \(folder)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: home.file("out.xml")))
    }

    @Test("init and demo create at a given path; the default path is still created on first use")
    func creatorsCreate() throws {
        let home = TemporaryDirectory(prefix: "knot-create")
        let a = home.file("new/a.sqlite"), b = home.file("b.sqlite")
        #expect(try KnotProcess.run(["init", "--handle", "amy", "--name", "Amy Physio"], home: home.path, environment: ["KNOT_DATABASE": a]).status == 0)
        #expect(try KnotProcess.run(["patient", "list"], home: home.path, environment: ["KNOT_DATABASE": a, "KNOT_PRACTITIONER": "amy"]).status == 0)
        #expect(try KnotProcess.run(["--database", b, "demo"], home: home.path).status == 0)
        #expect(try KnotProcess.run(["--database", b, "patient", "list"], home: home.path, environment: ["KNOT_PRACTITIONER": "mchen"]).status == 0)
        // The default path is created on first use; with no account yet, the command says how to make the first.
        let data = home.file("data")
        let r = try KnotProcess.run(["patient", "list"], home: home.path, environment: ["XDG_DATA_HOME": data])
        #expect(r.status == 77 && r.stderr.contains("no Knot account"), "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: data + "/knot/clinic.sqlite"))
    }

    @Test("knot init --from EXPORT makes a new clinic in one step with the export's ids and audit trail")
    func initFromExport() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        let visit = try clinic.signedVisit("K1")
        let export = clinic.home.file("all.xml")
        #expect(try clinic.knot(["export", "-o", export]).status == 0)

        let copy = clinic.home.file("copy/clinic.sqlite")
        let r = try clinic.knot(["init", "--from", export], as: nil, database: copy)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Created the clinic database at \(copy) from \(export)"))
        for sql in ["SELECT group_concat(id || record_number) FROM patient", "SELECT group_concat(id || status) FROM visit",
                    "SELECT group_concat(handle) FROM practitioner"] {
            #expect(try SQLiteProbe.scalar(copy, sql) == (try SQLiteProbe.scalar(clinic.db, sql)), "\(sql)")
        }
        #expect(try SQLiteProbe.scalar(copy, "SELECT count(*) FROM visit WHERE id = \(visit)") == "1")
        let copied = Int(try SQLiteProbe.scalar(copy, "SELECT count(*) FROM audit_event") ?? "") ?? 0
        let original = Int(try SQLiteProbe.scalar(clinic.db, "SELECT count(*) FROM audit_event") ?? "") ?? 0
        #expect(copied >= original - 1 && original > 5, "the audit trail came along (\(copied) of \(original))")
        #expect(try clinic.knot(["audit", "verify"], database: copy).status == 0)

        // A file already there is not overwritten; a letter is not an export; a missing export creates nothing.
        let before = KnotProcess.fingerprint(copy)
        let again = try clinic.knot(["init", "--from", export], as: nil, database: copy)
        #expect(again.status == 73, "\(again.stderr)")
        #expect(KnotProcess.fingerprint(copy) == before)
        let letter = clinic.home.file("letter.xml")
        try Data("<referral xmlns=\"urn:knot:referral:1\"/>".utf8).write(to: URL(fileURLWithPath: letter))
        let other = clinic.home.file("other/clinic.sqlite")
        let notExport = try clinic.knot(["init", "--from", letter], as: nil, database: other)
        #expect(notExport.status == 65, "\(notExport.stderr)")
        let missing = try clinic.knot(["init", "--from", clinic.home.file("none.xml")], as: nil, database: other)
        #expect(missing.status == 66, "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: clinic.home.file("other")))
    }

    @Test("an export refused by the import leaves no new database behind")
    func initFromBrokenExport() throws {
        let clinic = EndToEndClinic()
        let broken = clinic.home.file("broken.xml")
        try Data("<?xml version=\"1.0\"?><records xmlns=\"urn:knot:records:1\" version=\"1\"><patient>".utf8).write(to: URL(fileURLWithPath: broken))
        let target = clinic.home.file("new/clinic.sqlite")
        let r = try clinic.knot(["init", "--from", broken], as: nil, database: target)
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains("no clinic was created"))
        #expect(!FileManager.default.fileExists(atPath: clinic.home.file("new")))
    }
}
