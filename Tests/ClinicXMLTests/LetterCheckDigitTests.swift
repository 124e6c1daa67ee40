import Foundation
import Testing
import ClinicModel
import ClinicTestSupport
@testable import ClinicXML

/// A letter's IHI or Medicare number that fails its check digit is read, kept as written under its
/// issuer's OID (never as an IHI or Medicare number) with a warning naming its line; the letter
/// is still read.
@Suite("Letters: identifiers that fail their check digit")
struct LetterCheckDigitTests {
    let today = SampleRecords.day("2026-11-25")

    @Test("FHIR: a Medicare number with a wrong check digit is kept under the Medicare OID, with a warning naming its line")
    func fhirMedicare() throws {
        let good = try #require(String(data: try TestFiles.importFile("fhir-au-erequesting-bundle.xml"), encoding: .utf8))
        let text = good.replacingOccurrences(of: "6951449607", with: "6951449677")
        let line = try #require(text.components(separatedBy: "\n").firstIndex { $0.contains("6951449677") }) + 1
        let incoming = try FHIRReferralReader.read(Data(text.utf8), fileName: "bundle.xml", today: today)
        #expect(incoming.patient.identifiers == [PatientIdentifier(system: .ihi, value: "8003608333647261"),
                                                 PatientIdentifier(system: .other("1.2.36.1.5001.1.0.7"), value: "6951449677")])
        let warning = try #require(incoming.warnings.first { $0.contains("check digit") }, "\(incoming.warnings)")
        #expect(warning.contains("(line \(line))"), "\(warning)")
        #expect(incoming.referral.importWarnings.contains(warning))
    }

    @Test("FHIR: an IHI with a wrong check digit is kept under the HI Service OID, with a warning")
    func fhirIHI() throws {
        let good = try #require(String(data: try TestFiles.importFile("fhir-au-erequesting-bundle.xml"), encoding: .utf8))
        let incoming = try FHIRReferralReader.read(Data(good.replacingOccurrences(of: "8003608333647261", with: "8003608333647262").utf8),
                                                   fileName: "bundle.xml", today: today)
        #expect(incoming.patient.identifiers.first == PatientIdentifier(system: .other("1.2.36.1.2001.1003.0"), value: "8003608333647262"))
        #expect(!incoming.patient.identifiers.contains { $0.system == .ihi })
        #expect(incoming.warnings.contains { $0.contains("is not an IHI: the check digit does not match") }, "\(incoming.warnings)")
    }

    @Test("CDA: an IHI root with a wrong check digit is kept under the HI root, with a warning naming its line")
    func cdaIHI() throws {
        let good = try #require(String(data: try TestFiles.importFile("cda-au-ereferral.xml"), encoding: .utf8))
        let text = good.replacingOccurrences(of: "8003608166690503", with: "8003608166690513")
        let line = try #require(text.components(separatedBy: "\n").firstIndex { $0.contains("8003608166690513") }) + 1
        let incoming = try CDAReferralReader.read(Data(text.utf8), fileName: "letter.xml", today: today)
        #expect(incoming.patient.identifiers.contains(PatientIdentifier(system: .other("1.2.36.1.2001.1003.0"), value: "8003608166690513")))
        #expect(!incoming.patient.identifiers.contains { $0.system == .ihi })
        let warning = try #require(incoming.warnings.first { $0.contains("check digit") }, "\(incoming.warnings)")
        #expect(warning.contains("(line \(line))"), "\(warning)")
    }
}
