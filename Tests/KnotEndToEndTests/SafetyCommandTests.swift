import Foundation
import Testing
import ClinicModel
import ClinicTestSupport

/// Issue 13 through the built `knot`, as the practitioner met it: every refusal exits non-zero,
/// names what is missing, and leaves the database as it was.
@Suite("knot consent, screen and needle: the safety rules")
struct SafetyCommandTests {
    let clinic = EndToEndClinic()
    static let referral = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Import/referral-au-gp-anticoagulant.xml").path
    static let risks = ["--risks", "bruising,soreness,fainting", "--benefits-explained"]

    /// `knot` that must succeed.
    @discardableResult
    func ok(_ args: String...) throws -> KnotProcess.Result { try ok(args) }

    /// `knot` that must be refused with `code` without touching the database; returns stderr.
    func refused(_ args: String..., code: Int32 = 1) throws -> String { try refused(args, code: code) }

    /// A clinic with Jo Smith (K1, an adult) and a draft visit 1.
    func adultWithVisit() throws {
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        try ok("visit", "new", "K1", "--complaint", "Calf and neck pain")
    }

    @Test("a referral's proposed anticoagulant: the screen is refused without an answer, and absent is refused too")
    func proposedAnticoagulant() throws {
        try clinic.setUp()
        try ok("import", Self.referral)
        let list = try ok("patient", "search", "--json", "1951-06-23")
        let record = try #require(list.stdout.firstMatch(of: /"recordNumber"\s*:\s*"([^"]+)"/)?.1).description
        try ok("consent", "record", record, "--risks", "bruising,soreness,fainting", "--benefits-explained")

        let silent = try refused("screen", "record", record, "--valid-days", "90")
        #expect(silent.contains("every precaution must be answered") && silent.contains("anticoagulant"), "\(silent)")
        let none = try refused("screen", "record", record, "--valid-days", "90", "--none-present")
        #expect(none.contains("--none-present") && none.contains("proposed") && none.contains("anticoagulant medicine"), "\(none)")
        let absent = try refused("screen", "record", record, "--valid-days", "90", "--absent", Precaution.allCases.map(\.rawValue).joined(separator: ","))
        #expect(absent.contains("--absent anticoagulant"), "\(absent)")

        let others = Precaution.allCases.filter { $0 != .anticoagulant }.map(\.rawValue).joined(separator: ",")
        let done = try ok("screen", "record", record, "--valid-days", "90", "--present", "anticoagulant",
                          "--ack", "anticoagulant=Apixaban; superficial sites only, firm pressure after", "--absent", others)
        #expect(done.stdout.contains("present: anticoagulant"))
    }

    @Test("--none-present is refused while a confirmed alert says otherwise; --ack without --present is an error")
    func nonePresentAndAck() throws {
        try adultWithVisit()
        try ok("alert", "add", "K1", "--kind", "metal-allergy", "--text", "Nickel: rash")
        let none = try refused("screen", "record", "K1", "--valid-days", "90", "--none-present")
        #expect(none.contains("confirms 'metal allergy'"), "\(none)")
        let ack = try refused("screen", "record", "K1", "--valid-days", "90", "--present", "metal-allergy", "--ack", "metal-allergy=Gold-plated needles used",
                              "--ack", "epilepsy=Well controlled", "--absent",
                              Precaution.allCases.filter { $0 != .metalAllergy }.map(\.rawValue).joined(separator: ","))
        #expect(ack.contains("--ack: 'epilepsy' acknowledges a precaution not answered present"), "\(ack)")
    }

    @Test("consent without --risks is refused (exit 64 with the usage, a statement left out): the risks explained are listed, never implied")
    func consentNeedsRisks() throws {
        try adultWithVisit()
        let said = try refused("consent", "record", "K1", code: 64)
        #expect(said.contains("--risks is required") && said.contains("Usage: knot consent record"), "\(said)")
        let few = try refused("consent", "record", "K1", "--risks", "bruising", "--benefits-explained")
        #expect(few.contains("must include bruising, soreness and fainting"), "\(few)")
    }

    @Test("a lung-field muscle under a consent without pneumothorax, and depth 0 over the lung, are refused")
    func lungFields() throws {
        try adultWithVisit()
        try ok("consent", "record", "K1", "--risks", "bruising,soreness,fainting", "--benefits-explained")
        try ok("screen", "record", "K1", "--valid-days", "90", "--none-present")
        let needle = ["--size", "0.25x40", "--brand", "Seirin", "--lot", "L2411", "--inserted", "1", "--removed", "1"]
        let noPneumothorax = try refused(["needle", "add", "1", "--muscle", "upper-trapezius", "--side", "right", "--technique", "pistoning", "--twitches", "0", "--no-adverse", "--sharps-disposed", "--depth", "12"] + needle)
        #expect(noPneumothorax.contains("does not name pneumothorax"), "\(noPneumothorax)")
        try ok("consent", "record", "K1", "--risks", "bruising,soreness,fainting,pneumothorax", "--benefits-explained")
        let zero = try refused(["needle", "add", "1", "--muscle", "upper-trapezius", "--side", "right", "--technique", "pistoning", "--twitches", "0", "--no-adverse", "--sharps-disposed", "--depth", "0"] + needle)
        #expect(zero.contains("--depth: '0' over the lung fields the depth must be 1-40 mm (needle length 40 mm)"), "\(zero)")
        let deep = try refused(["needle", "add", "1", "--muscle", "upper-trapezius", "--side", "right", "--technique", "pistoning", "--twitches", "0", "--no-adverse", "--sharps-disposed", "--depth", "41"] + needle)
        #expect(deep.contains("1-40 mm (needle length 40 mm)"), "\(deep)")
        try ok(["needle", "add", "1", "--muscle", "upper-trapezius", "--side", "right", "--technique", "pistoning", "--twitches", "0", "--no-adverse", "--sharps-disposed", "--depth", "12"] + needle)
    }

    @Test("a 17-year-old is not needled without a guardian or a mature-minor assessment")
    func minor() throws {
        try clinic.setUp()
        let dob = LocalDate.today().adding(years: -17).description
        try clinic.addPatient("Sam", "Young", dob: dob, record: "K2")
        try ok("visit", "new", "K2", "--complaint", "Calf pain")
        let said = try refused("consent", "record", "K2", "--risks", "bruising,soreness,fainting", "--benefits-explained")
        #expect(said.contains("the patient is 17 (under 18)") && said.contains("--guardian-name"), "\(said)")
        let half = try refused("consent", "record", "K2", "--risks", "bruising,soreness,fainting", "--benefits-explained", "--guardian-name", "Kim Young", code: 64)
        #expect(half.contains("--guardian-relationship is required with --guardian-name"), "\(half)")
        let r = try ok("consent", "record", "K2", "--risks", "bruising,soreness,fainting", "--benefits-explained",
                       "--guardian-name", "Kim Young", "--guardian-relationship", "mother")
        #expect(r.stdout.contains("guardian: Kim Young (mother)"))
        try ok("screen", "record", "K2", "--valid-days", "90", "--none-present")
        try ok("needle", "add", "1", "--muscle", "gastrocnemius-medial", "--side", "left", "--technique", "pistoning", "--twitches", "0", "--no-adverse", "--sharps-disposed", "--size", "0.25x40", "--brand", "Seirin",
               "--lot", "L1", "--inserted", "1", "--removed", "1")
    }

    @Test("late entries are marked with when and by whom, in visit show and the export; never in the future")
    func lateEntry() throws {
        try clinic.setUp()
        try clinic.addPatient("Jo", "Smith", dob: "1980-05-17", record: "K1")
        let day = LocalDate.today().adding(days: -1).description
        try ok("visit", "new", "K1", "--complaint", "Calf pain", "--at", "\(day)T09:00")
        try ok("consent", "record", "K1", "--risks", "bruising,soreness,fainting", "--benefits-explained", "--at", "\(day)T09:05")
        try ok("screen", "record", "K1", "--valid-days", "90", "--none-present", "--at", "\(day)T09:06")
        let future = try refused("needle", "add", "1", "--muscle", "gastrocnemius-medial", "--side", "left", "--technique", "pistoning", "--twitches", "0", "--no-adverse", "--sharps-disposed", "--size", "0.25x40",
                                 "--brand", "Seirin", "--lot", "L1", "--inserted", "1", "--removed", "1",
                                 "--at", "\(LocalDate.today().adding(days: 2))T09:10")
        #expect(future.contains("is in the future"), "\(future)")
        let needled = try ok("needle", "add", "1", "--muscle", "gastrocnemius-medial", "--side", "left", "--technique", "pistoning", "--twitches", "0", "--no-adverse", "--sharps-disposed", "--size", "0.25x40",
                             "--brand", "Seirin", "--lot", "L1", "--inserted", "1", "--removed", "1", "--at", "\(day)T09:10")
        #expect(needled.stdout.contains("late entry, written"))
        let show = try ok("visit", "show", "1").stdout
        #expect(show.contains("late entry, written") && show.contains("by Amy Physio"), "\(show)")
        #expect(show.contains("Consent 1, given \(day) 09:05"), "\(show)")
        let export = clinic.home.file("clinic.xml")
        try ok("export", "--output", export)
        let xml = try String(contentsOfFile: export, encoding: .utf8)
        #expect(xml.components(separatedBy: "writtenBy=").count - 1 == 3, "consent, screen and needling carry the mark")
        #expect(xml.contains("performedAt="))
    }

    func refused(_ args: [String], code: Int32 = 1) throws -> String {
        let before = KnotProcess.fingerprint(clinic.db)
        let r = try clinic.knot(args)
        #expect(r.status == code, "\(args) should be refused: \(r.stdout) \(r.stderr)")
        #expect(KnotProcess.fingerprint(clinic.db) == before, "\(args): a refusal must not change the database")
        return r.stderr
    }

    @discardableResult
    func ok(_ args: [String]) throws -> KnotProcess.Result {
        let r = try clinic.knot(args)
        try #require(r.status == 0, "\(args): \(r.stderr)")
        return r
    }
}
