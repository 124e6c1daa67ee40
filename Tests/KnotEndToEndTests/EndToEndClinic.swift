import Foundation
import Testing
import ClinicTestSupport

/// A clinic on a temporary database, driven through the built `knot` as a user would.
///
/// Shared by the reliability, fault, privacy and retention tests: one practitioner (`amy`),
/// one reception user (`rec`), and helpers to write referral letters to import.
struct EndToEndClinic {
    let home = TemporaryDirectory(prefix: "knot-rel")
    /// The clinic's place on another store (`init(store:)`), or nil for `clinic.sqlite` in `home`.
    let place: TestClinicLocation?
    /// What `--database` / `KNOT_DATABASE` is: the SQLite file, or a `postgres://` URL.
    var db: String { place?.location ?? home.file("clinic.sqlite") }

    init() { place = nil }

    /// A clinic on `store` (a conformance test's argument: `@Test(arguments: TestStore.all)`);
    /// read its rows behind Knot's back with `StoreProbe.scalar(clinic.db, ...)`.
    init(store: TestStore) throws {
        place = store == .sqlite ? nil : try store.newClinic()
    }

    @discardableResult
    func knot(_ args: [String], as practitioner: String? = "amy", database: String? = nil,
              environment: [String: String] = [:]) throws -> KnotProcess.Result {
        var env = ["KNOT_DATABASE": database ?? db]
        if let practitioner { env["KNOT_PRACTITIONER"] = practitioner }
        for (k, v) in environment { env[k] = v }
        return try KnotProcess.run(args, home: home.path, environment: env)
    }

    /// `knot init` with a practitioner and a reception user.
    func setUp() throws {
        let a = try knot(["init", "--handle", "amy", "--name", "Amy Physio"], as: nil)
        try #require(a.status == 0, "\(a.stderr)")
        let r = try knot(["practitioner", "add", "--handle", "rec", "--name", "Rita Reception", "--role", "reception"])
        try #require(r.status == 0, "\(r.stderr)")
    }

    /// Adds a patient and returns the record number.
    @discardableResult
    func addPatient(_ given: String, _ family: String, dob: String, record: String) throws -> String {
        let r = try knot(["patient", "add", "--given", given, "--family", family, "--dob", dob, "--record", record])
        try #require(r.status == 0, "\(r.stderr)")
        return record
    }

    /// What a command printed with `--json`, once it exited 0.
    func json(_ r: KnotProcess.Result) throws -> [String: Any] {
        try #require(r.status == 0, "\(r.status) \(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)")
    }

    /// A clinic set up with patient K1 and one draft visit; returns the visit id.
    func draftVisit() throws -> String {
        try setUp()
        try addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        let v = try json(knot(["visit", "new", "K1", "--complaint", "Left calf pain", "--json"]))
        return String(try #require((v["id"] as? NSNumber)?.int64Value))
    }

    /// A visit with consent, screen, one needling site (balanced) and a signature; returns its id.
    @discardableResult
    func signedVisit(_ record: String, complaint: String = "Left calf pain", at: String? = nil) throws -> Int64 {
        var args = ["visit", "new", record, "--complaint", complaint, "--pain-now", "6", "--json"]
        if let at { args += ["--at", at] }
        let v = try knot(args)
        try #require(v.status == 0, "\(v.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(v.stdout.utf8)) as? [String: Any]
        let id = try #require((json?["id"] as? NSNumber)?.int64Value)
        try #require(knot(["finding", "add", String(id), "--muscle", "gastrocnemius-medial", "--side", "left", "--taut-band", "--no-referred", "--active", "--twitch",
                           "--tenderness", "7"]).status == 0)
        let s = try knot(["visit", "sign", String(id)])
        try #require(s.status == 0, "\(s.stderr)")
        return id
    }

    /// Writes `count` Knot referral letters (distinct patients, some on an anticoagulant) into `folder`.
    static func writeReferrals(count: Int, into folder: String, seed: Int = 0, padding: Int = 0) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var files: [String] = []
        for i in 0..<count {
            let n = seed * 10_000 + i
            let meds = i % 3 == 0 ? "<medications><medication>Apixaban 5 mg bd</medication></medications>" : ""
            let history = padding > 0 ? "<history>\(String(repeating: "Long history of calf and heel pain. ", count: padding))</history>" : ""
            let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <referral xmlns="urn:knot:referral:1" version="1">
              <referrer><name>Dr Sarah Okafor</name><organisation>Harbour GP</organisation></referrer>
              <date>2026-11-20</date>
              <sessionsAllowed>5</sessionsAllowed>
              <patient>
                <givenNames>Given\(letters(n))</givenNames>
                <familyName>Family\(letters(n))</familyName>
                <dateOfBirth>19\(50 + i % 50)-0\(1 + i % 9)-1\(i % 10)</dateOfBirth>
              </patient>
              <reason>Calf trigger points, runner (letter \(n)).</reason>
              \(history)
              \(meds)
            </referral>
            """
            let path = (folder as NSString).appendingPathComponent(String(format: "letter-%05d.xml", i))
            try Data(xml.utf8).write(to: URL(fileURLWithPath: path))
            files.append(path)
        }
        return files
    }

    /// A Knot referral letter for one patient.
    static func referralLetter(given: String, family: String, dob: String, reason: String = "Calf pain.") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <referral xmlns="urn:knot:referral:1" version="1">
          <referrer><name>Dr Sarah Okafor</name></referrer>
          <date>2026-11-20</date>
          <patient><givenNames>\(given)</givenNames><familyName>\(family)</familyName><dateOfBirth>\(dob)</dateOfBirth></patient>
          <reason>\(reason)</reason>
        </referral>
        """
    }

    /// A number as letters (names refuse digits): 0 → "a", 27 → "bb".
    static func letters(_ n: Int) -> String {
        var n = n, s = ""
        repeat { s.append(Character(UnicodeScalar(UInt8(97 + n % 26)))); n /= 26 } while n > 0
        return s
    }
}

/// Whether the long versions of the reliability tests run (`KNOT_LONG_TESTS=1`).
let longTests = ProcessInfo.processInfo.environment["KNOT_LONG_TESTS"] == "1"
