import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// A FHIR referral in the referral inbox is listed, previewed and imported like a CDA or Knot letter.
@Suite struct InboxFHIRTests {
    @Test func fhirBundleIsPreviewedAndImported() throws {
        let folder = "/tmp/knot-tui-tests/inbox-fhir"
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let source = root.appendingPathComponent("Import/fhir-uk-ers-bundle.xml")
        try Data(contentsOf: source).write(to: URL(fileURLWithPath: "\(folder)/fhir-uk-ers-bundle.xml"))

        let tui = try TUIHarness("inbox-fhir", importFolder: folder)
        try tui.press(.ctrl("l"))
        #expect(tui.screen.contains("FHIR referral"), "\(tui.screen)")
        try tui.press(.enter)
        #expect(tui.screen.contains("fhir-uk-ers-bundle.xml (FHIR referral)"), "\(tui.screen)")
        #expect(tui.screen.contains("Ashworth"), "\(tui.screen)")
        #expect(tui.screen.contains("Dr Oliver Hartley"), "\(tui.screen)")
        try tui.type("y")
        #expect(tui.screen.contains("Imported fhir-uk-ers-bundle.xml"), "\(tui.screen)")
        let filed = try #require(try tui.session.listPatients(limit: 500).first { $0.familyName == "Ashworth" })
        let referral = try #require(try tui.session.referrals(patientKey: filed.recordNumber).1.first?.referral)
        #expect(referral.format == .fhir)
    }
}
