import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// The referral inbox and the plan preview, played key by key on the demo clinic.
@Suite struct InboxAndPlanTests {
    /// A fresh import folder at a fixed path (golden screens show it) holding two letters from
    /// Import/ and one file that is not XML at all.
    static func inboxFolder(_ name: String, filePath: String = #filePath) throws -> String {
        let folder = "/tmp/knot-tui-tests/inbox-\(name)"
        let fm = FileManager.default
        try? fm.removeItem(atPath: folder)
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let examples = URL(fileURLWithPath: filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Import").standardized.path
        for letter in ["referral-minimal.xml", "cda-narrative-only.xml"] {
            try fm.copyItem(atPath: "\(examples)/\(letter)", toPath: "\(folder)/\(letter)")
        }
        try Data("this is not a letter".utf8).write(to: URL(fileURLWithPath: "\(folder)/scanned-fax.xml"))
        try Data("not xml, not listed".utf8).write(to: URL(fileURLWithPath: "\(folder)/notes.txt"))
        return folder
    }

    func inboxEntries(_ tui: TUIHarness) -> [InboxEntry] {
        guard case .inbox(let inbox) = tui.app.state.current else { return [] }
        return inbox.listing.entries
    }

    @Test func inboxListsLettersPreviewsAndImportsOnce() throws {
        let folder = try Self.inboxFolder("import")
        let tui = try TUIHarness("inbox-import", importFolder: folder)
        try tui.press(.ctrl("l"))
        try expectGolden("inbox-list", tui.screen)
        #expect(inboxEntries(tui).map(\.fileName) == ["cda-narrative-only.xml", "referral-minimal.xml", "scanned-fax.xml"])
        #expect(inboxEntries(tui).map(\.status) == [.created, .created, .rejected])

        // Enter on the Knot letter previews the dry run and who the letter is about and from.
        try tui.press(.down, .enter)
        try expectGolden("inbox-preview", tui.screen)
        #expect(tui.screen.contains("Patient: Walsh, Liam, born 2009-04-17"))
        #expect(tui.screen.contains("Referrer: Dr Sarah Okafor"))
        let before = try tui.session.searchPatients("walsh", limit: 10).count
        #expect(before == 0)

        // y imports it for real; the list comes back with the letter marked as imported.
        try tui.type("y")
        #expect(tui.app.state.current.kind == .inbox)
        #expect(tui.screen.contains("Imported referral-minimal.xml"))
        #expect(inboxEntries(tui).map(\.status) == [.created, .skipped, .rejected])
        #expect(tui.lines[tui.row(containing: "referral-minimal.xml") ?? 0].contains("already imported"))

        // Previewing it again says it was imported; y writes nothing a second time.
        try tui.press(.enter)
        #expect(tui.screen.contains("Already imported: nothing to do."))
        try tui.type("y")
        #expect(tui.screen.contains("referral-minimal.xml was already imported: nothing to do."))
        #expect(tui.app.state.current.kind == .inboxPreview)

        // Back on the patient list, the new patient is found by name.
        try tui.press(.escape, .escape)
        #expect(tui.app.state.current.kind == .patientList)
        try tui.type("walsh")
        #expect(tui.screen.contains("Walsh, Liam"))
        #expect(try tui.session.searchPatients("walsh", limit: 10).count == 1)
    }

    @Test func rejectedFileIsShownButNeverImported() throws {
        let folder = try Self.inboxFolder("rejected")
        let tui = try TUIHarness("inbox-rejected", importFolder: folder)
        try tui.press(.function(6))
        #expect(tui.app.state.current.kind == .inbox)
        try tui.press(.down, .down, .enter)
        #expect(tui.screen.contains("scanned-fax.xml"))
        #expect(tui.screen.contains("Not importable: rejected."))
        let patientsBefore = try tui.session.listPatients(includeArchived: true, limit: 1000).count
        try tui.type("y")
        #expect(tui.app.state.current.kind == .inboxPreview, "a rejected file stays in the preview")
        #expect(tui.screen.contains("Not imported: scanned-fax.xml is a rejected"))
        #expect(try tui.session.listPatients(includeArchived: true, limit: 1000).count == patientsBefore)
        try tui.press(.escape)
        #expect(inboxEntries(tui).map(\.status) == [.created, .created, .rejected])
    }

    @Test func inboxKeyIsInThePatientListHelpAndLettersStillType() throws {
        let tui = try TUIHarness("inbox-help", importFolder: try Self.inboxFolder("help"))
        try tui.type("?")
        #expect(tui.screen.contains("F6/Ctrl-L"))
        #expect(tui.screen.contains("referral inbox"))
        try tui.press(.escape)
        try tui.type("i")
        guard case .patientList(let list) = tui.app.state.current else {
            Issue.record("a letter left the patient list")
            return
        }
        #expect(list.search.text == "i")
    }

    @Test func planPreviewShowsThePlanAndStoresItFinal() throws {
        let tui = try TUIHarness("plan-preview")
        try tui.type("alvarez")
        try tui.press(.enter, .enter)
        guard case .visit(let visit) = tui.app.state.current, let visitID = visit.record.visit.id else {
            Issue.record("no visit view")
            return
        }
        let storedBefore = try tui.session.database.read { try $0.plans(visitID: visitID) }
        try tui.type("p")
        #expect(tui.app.state.current.kind == .planPreview)
        try expectGolden("plan-preview", tui.screen)
        try tui.press(.pageDown)
        #expect(tui.app.state.current.kind == .planPreview)

        try tui.type("s")
        let stored = try tui.session.database.read { try $0.plans(visitID: visitID) }
        #expect(stored.count == storedBefore.count + 1)
        let latest = try #require(stored.last)
        #expect(latest.status == .final)
        #expect(tui.screen.contains("Stored plan version \(latest.version) (final)"))
        guard case .planPreview(let preview) = tui.app.state.current else {
            Issue.record("left the plan preview")
            return
        }
        #expect(preview.plan.version == latest.version && preview.plan.status == "final")

        try tui.press(.escape)
        #expect(tui.app.state.current.kind == .visit)
    }

    /// A state showing `screen`, for someone who may or may not record visits.
    func state(showing screen: Screen, practitioner: Bool) -> AppState {
        let context = SessionContext(databasePath: "/tmp/x.sqlite", workingAs: "someone", isReception: !practitioner,
                                     canRecordVisits: practitioner, today: fixedToday)
        var state = AppState(context: context, size: TerminalSize(rows: 24, columns: 80))
        state.stack.append(screen)
        return state
    }

    @Test func onlyAPractitionerStoresAPlan() {
        let plan = PlanPreview(visitID: 7, patientName: "Doe, Jane", version: nil, status: "draft", text: "PLAN")
        let (refused, none) = Update.update(state(showing: .planPreview(PlanPreviewState(plan: plan)), practitioner: false), .storeFinalPlan)
        #expect(none.isEmpty)
        #expect(refused.message?.kind == .error)
        let (_, effects) = Update.update(state(showing: .planPreview(PlanPreviewState(plan: plan)), practitioner: true), .storeFinalPlan)
        #expect(effects == [.storeFinalPlan(visitID: 7)])
    }

    @Test func aConflictIsNeverImported() {
        for status in [ImportOutcome.Status.conflict, .rejected, .skipped] {
            let preview = InboxPreview(path: "/in/a.xml", fileName: "a.xml", format: "Knot referral", status: status,
                                       detail: "doubtful match", warnings: [], proposedAlerts: 0, letter: nil)
            let (next, effects) = Update.update(state(showing: .inboxPreview(InboxPreviewState(preview: preview)), practitioner: true),
                                                .importLetter)
            #expect(effects.isEmpty, "\(status) must not import")
            #expect(next.current.kind == .inboxPreview)
            #expect(next.message != nil)
        }
        let ok = InboxPreview(path: "/in/a.xml", fileName: "a.xml", format: "Knot referral", status: .matched,
                              detail: "", warnings: [], proposedAlerts: 0, letter: nil)
        let (_, effects) = Update.update(state(showing: .inboxPreview(InboxPreviewState(preview: ok)), practitioner: true), .importLetter)
        #expect(effects == [.importLetter(path: "/in/a.xml")])
    }
}
