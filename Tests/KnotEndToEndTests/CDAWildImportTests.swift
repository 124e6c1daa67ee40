import Foundation
import Testing
import ClinicTestSupport

/// CDA letters from the wild through `knot import` and `knot referral show` (issue 17): a system
/// author with the physician as legal authenticator, and a letter broken where Knot does not look,
/// imported with its warnings, or refused with `--strict`.
@Suite("knot import: CDA letters from the wild")
struct CDAWildImportTests {
    static let importFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Import").path
    static func example(_ name: String) -> String { (importFolder as NSString).appendingPathComponent(name) }

    @Test("a letter broken only in its header imports with each part left out listed, and its original kept byte for byte")
    func lenientImport() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        let letter = Self.example("cda-schema-broken-usable.xml")
        let r = try clinic.knot(["import", letter])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("CREATED  \(letter) [cda]"), "\(r.stdout)")
        #expect(r.stdout.contains("warning: cda-schema-broken-usable.xml:14:/ClinicalDocument/effectiveTime: not valid against Knot's CDA profile"))
        #expect(r.stdout.contains("the effectiveTime element is left out"))
        #expect(r.stdout.contains("warning: cda-schema-broken-usable.xml:16:/ClinicalDocument/setId:"))
        #expect(r.stdout.contains("the referrer Dr Ingrid Solberg is taken from the referring participant"))

        let list = try clinic.knot(["referral", "list", "K00001"])
        #expect(list.stdout.contains("Berg, Tomas") && list.stdout.contains("Dr Ingrid Solberg"), "\(list.stdout)\(list.stderr)")
        let show = try clinic.knot(["referral", "show", "1"])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("From: Dr Ingrid Solberg, Cedar Ridge Clinic (provider 1942718305)"), "\(show.stdout)")
        #expect(show.stdout.contains("warning on import: cda-schema-broken-usable.xml:14:"))
        let original = try clinic.knot(["referral", "show", "1", "--original"])
        #expect(Data(original.stdout.utf8) == FileManager.default.contents(atPath: letter))
        let alerts = try clinic.knot(["patient", "show", "K00001"])
        #expect(alerts.stdout.lowercased().contains("metal"), "\(alerts.stdout)")
    }

    @Test("--strict refuses the same letter (exit 65), naming each line, and writes nothing")
    func strictImport() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        let before = KnotProcess.fingerprint(clinic.db)
        let r = try clinic.knot(["import", "--strict", Self.example("cda-schema-broken-usable.xml")])
        #expect(r.status == 65, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("REJECTED"))
        #expect(r.stdout.contains("cda-schema-broken-usable.xml:14:"))
        #expect(r.stdout.contains("cda-schema-broken-usable.xml:16:"))
        #expect(KnotProcess.fingerprint(clinic.db) == before)
    }

    @Test("a system author: the legal authenticator is the referrer, the anticoagulant is proposed")
    func systemAuthor() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        let r = try clinic.knot(["import", "--strict", Self.example("cda-ehr-system-author.xml")])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("warning: The letter's author is a system (Hearthstone EHR, Hearthstone EHR 2026.2), not a person;"
                                  + " the referrer Dr Daniel Okonkwo is taken from the legal authenticator (legalAuthenticator)"), "\(r.stdout)")
        let show = try clinic.knot(["referral", "show", "1"])
        #expect(show.stdout.contains("From: Dr Daniel Okonkwo, Lakeshore Family Medicine (provider 1588667638)"), "\(show.stdout)")
        #expect(show.stdout.contains("Valid: until 2027-02-02, 6 sessions"), "\(show.stdout)")
        let patient = try clinic.knot(["patient", "show", "K00001", "--json"])
        #expect(patient.stdout.contains("precaution:anticoagulant"), "\(patient.stdout)")
    }
}
