import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// A doubtful letter in the referral inbox: the preview shows the patients it might be about,
/// and the user files it for one of them, or as a new patient; nothing is filed by `y`.
@Suite struct InboxConflictTests {
    /// A folder holding one letter for someone with a demo patient's family name (in capitals)
    /// and birth date but other given names.
    func folder(_ name: String, like someone: PatientSummary) throws -> String {
        let folder = "/tmp/knot-tui-tests/inbox-\(name)"
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <referral xmlns="urn:knot:referral:1" version="1">
          <referrer><name>Dr Ann Lee</name></referrer>
          <date>2026-11-01</date>
          <patient><givenNames>Xanthe</givenNames><familyName>\(someone.familyName.uppercased())</familyName><dateOfBirth>\(someone.dateOfBirth)</dateOfBirth></patient>
          <reason>Calf pain.</reason>
        </referral>
        """
        try Data(xml.utf8).write(to: URL(fileURLWithPath: "\(folder)/doubtful.xml"))
        return folder
    }

    func status(_ tui: TUIHarness) -> [ImportOutcome.Status] {
        guard case .inbox(let inbox) = tui.app.state.current else { return [] }
        return inbox.listing.entries.map(\.status)
    }

    @Test func conflictShowsCandidatesAndFilesForTheOneChosen() throws {
        let probe = try TUIHarness("inbox-conflict-probe")
        let someone = try #require(probe.session.listPatients(limit: 1).first)
        let tui = try TUIHarness("inbox-conflict", importFolder: try folder("conflict", like: someone))
        try tui.press(.ctrl("l"))
        #expect(status(tui) == [.conflict])
        try tui.press(.enter)
        #expect(tui.screen.contains("Candidates"))
        #expect(tui.screen.contains("1. \(someone.recordNumber) \(someone.displayName)"), "\(tui.screen)")
        #expect(tui.screen.contains("Press 1 to file it for that patient, N for a new patient"))
        let referralsBefore = try tui.session.referrals(patientKey: someone.recordNumber).1.count

        try tui.type("y")
        #expect(tui.app.state.current.kind == .inboxPreview, "y does not file a conflict")
        #expect(tui.screen.contains("choose the patient"))
        try tui.type("7")
        #expect(tui.screen.contains("There is no candidate 7"))

        // The candidate's given names are not the letter's: asked first, nothing filed until y.
        try tui.type("1")
        #expect(tui.app.state.current.kind == .inboxPreview)
        #expect(tui.screen.contains("may not be the letter's"), "\(tui.screen)")
        #expect(tui.screen.contains("Xanthe"), "what differs is named: \(tui.screen)")
        #expect(try tui.session.referrals(patientKey: someone.recordNumber).1.count == referralsBefore)
        try tui.press(.escape)
        #expect(tui.app.state.current.kind == .inboxPreview, "Esc answers no")
        #expect(tui.screen.contains("Not filed"), "\(tui.screen)")
        #expect(try tui.session.referrals(patientKey: someone.recordNumber).1.count == referralsBefore)
        try tui.type("1")
        try tui.type("y")
        #expect(tui.app.state.current.kind == .inbox)
        #expect(tui.screen.contains("Imported doubtful.xml"), "\(tui.screen)")
        #expect(status(tui) == [.skipped])
        #expect(try tui.session.referrals(patientKey: someone.recordNumber).1.count == referralsBefore + 1)
    }

    @Test func conflictFiledAsANewPatient() throws {
        let probe = try TUIHarness("inbox-conflict-new-probe")
        let someone = try #require(probe.session.listPatients(limit: 1).first)
        let tui = try TUIHarness("inbox-conflict-new", importFolder: try folder("conflict-new", like: someone))
        let before = try tui.session.listPatients(includeArchived: true, limit: 10_000).count
        try tui.press(.ctrl("l"))  // the list is drawn once its letters are checked
        try tui.press(.enter)
        try tui.type("N")
        #expect(tui.screen.contains("Imported doubtful.xml: new patient"), "\(tui.screen)")
        #expect(try tui.session.listPatients(includeArchived: true, limit: 10_000).count == before + 1)
    }
}
