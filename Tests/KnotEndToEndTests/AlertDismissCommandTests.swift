import Foundation
import Testing
import ClinicModel
import ClinicTestSupport

/// Issue 13 through the built `knot`: a referral's proposed anticoagulant is dismissed only with a
/// reason; then the screen may answer it absent, `patient show` lists the reason, and the clinic
/// export carries it.
@Suite("knot alert dismiss: a reason is required")
struct AlertDismissCommandTests {
    let clinic = EndToEndClinic()
    static let referral = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Import/referral-au-gp-anticoagulant.xml").path
    static let reason = "Apixaban stopped in October; GP letter of 2026-11-28 on file"

    /// The clinic with the anticoagulant referral filed: the patient's record number and the proposed alert's id.
    func referredPatient() throws -> (record: String, alert: Int64) {
        try clinic.setUp()
        let imported = try clinic.knot(["import", Self.referral])
        try #require(imported.status == 0, "\(imported.stderr)")
        let list = try clinic.knot(["patient", "search", "--json", "1951-06-23"])
        let record = try #require(list.stdout.firstMatch(of: /"recordNumber"\s*:\s*"([^"]+)"/)?.1).description
        let alerts = try chartAlerts(record)
        let proposed = try #require(alerts.first { ($0["kind"] as? String) == "precaution:anticoagulant" && ($0["status"] as? String) == "proposed" })
        return (record, try #require((proposed["id"] as? NSNumber)?.int64Value))
    }

    func chartAlerts(_ record: String, database: String? = nil) throws -> [[String: Any]] {
        let show = try clinic.knot(["patient", "show", record, "--json"], database: database)
        try #require(show.status == 0, "\(show.stderr)")
        let chart = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any]
        return try #require((chart?["patient"] as? [String: Any])?["alerts"] as? [[String: Any]])
    }

    static var allAbsent: [String] { ["--absent", Precaution.allCases.map(\.rawValue).joined(separator: ",")] }

    @Test("without --reason, or with a word, exit 65 naming --reason; the database is unchanged")
    func reasonRequired() throws {
        let (_, alert) = try referredPatient()
        for extra in [[], ["--reason", ""], ["--reason", "no"], ["--reason", "not taking"]] {
            let before = KnotProcess.fingerprint(clinic.db)
            let r = try clinic.knot(["alert", "dismiss", String(alert)] + extra)
            #expect(r.status == 65, "\(extra): \(r.stdout) \(r.stderr)")
            #expect(r.stderr.contains("--reason"), "\(r.stderr)")
            #expect(KnotProcess.fingerprint(clinic.db) == before, "\(extra): a refusal must not change the database")
        }
        // Reception may not dismiss, reason or not (77, said before the missing reason).
        for extra in [["--reason", Self.reason], []] {
            let desk = try clinic.knot(["alert", "dismiss", String(alert)] + extra, as: "rec")
            #expect(desk.status == 77, "\(extra): \(desk.stderr)")
        }
    }

    @Test("dismissed with a reason: the screen answers it absent, patient show lists the reason, the export keeps it")
    func dismissedWithReason() throws {
        let (record, alert) = try referredPatient()
        try clinic.knot(["consent", "record", record, "--risks", "bruising,soreness,fainting", "--benefits-explained"])
        let blocked = try clinic.knot(["screen", "record", record, "--valid-days", "90"] + Self.allAbsent)
        #expect(blocked.status == 1 && blocked.stderr.contains("--reason"), "the refusal says how to dismiss: \(blocked.stderr)")

        let done = try clinic.knot(["alert", "dismiss", String(alert), "--reason", Self.reason])
        #expect(done.status == 0, "\(done.stderr)")
        #expect(done.stdout.contains("Alert \(alert) dismissed: \(Self.reason)"), "\(done.stdout)")

        let screen = try clinic.knot(["screen", "record", record, "--valid-days", "90"] + Self.allAbsent)
        #expect(screen.status == 0, "\(screen.stderr)")
        #expect(screen.stdout.contains("no precautions present"), "\(screen.stdout)")

        let show = try clinic.knot(["patient", "show", record])
        #expect(show.stdout.contains("DISMISSED ALERTS"), "\(show.stdout)")
        #expect(show.stdout.contains("reason: \(Self.reason)"), "\(show.stdout)")
        #expect(!show.stdout.contains("PROPOSED"), "\(show.stdout)")
        let json = try chartAlerts(record).first { ($0["id"] as? NSNumber)?.int64Value == alert }
        #expect(json?["dismissReason"] as? String == Self.reason)

        // The export carries the reason (its import into another database: AlertDismissalTests).
        let export = clinic.home.file("clinic.xml")
        let exported = try clinic.knot(["export", "--output", export])
        #expect(exported.status == 0, "\(exported.stderr)")
        let xml = try String(contentsOfFile: export, encoding: .utf8)
        #expect(xml.contains("<dismissReason>\(Self.reason)</dismissReason>"))
    }
}
