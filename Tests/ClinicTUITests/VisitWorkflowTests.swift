import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// The visit workflow at the keyboard: consent and screen, a trigger point, needling with the
/// live needle count, signing; each checked on screen and in the database afterwards.
@Suite struct VisitWorkflowTests {
    /// A clinic with one practitioner (`amy`, training on file) and one patient, Jane Smith,
    /// optionally with a confirmed anticoagulant precaution on her chart.
    func clinic(_ name: String, anticoagulant: Bool = false) throws -> TUIHarness {
        try TUIHarness(name, demo: false, user: "amy") { setup in
            let training = DryNeedlingTraining(course: "DN level 1", hours: 27, completedOn: try LocalDate(year: 2024, month: 3, day: 1))
            _ = try setup.addPractitioner(Practitioner(handle: "amy", name: "Amy Physio", profession: .physiotherapist,
                                                       dryNeedlingTraining: training))
            let alerts = anticoagulant
                ? [PatientAlert(kind: .precaution(.anticoagulant), text: "Apixaban 5 mg bd")] : []
            _ = try setup.addPatient(Patient(recordNumber: "K1", givenNames: "Jane", familyName: "Smith",
                                             dateOfBirth: try LocalDate(year: 1980, month: 5, day: 1), alerts: alerts),
                                     today: fixedToday)
        }
    }

    /// Opens Jane's chart and starts a visit with a complaint typed (which creates the draft).
    func startVisit(_ tui: TUIHarness) throws {
        try tui.type("smi")
        try tui.press(.enter, .character("n"))
        try tui.type("Calf pain")
    }

    /// The status-line message (drawn over up to three rows when long).
    func said(_ tui: TUIHarness) -> String { tui.app.state.message?.text ?? "" }

    func safetyRecords(_ tui: TUIHarness) throws -> (consents: [Consent], screens: [PrecautionScreen]) {
        try tui.session.database.read { tx in (try tx.consents(patientID: 1), try tx.screens(patientID: 1)) }
    }

    @Test func consentAndScreenRefusalSavesNothingThenAReasonedScreenIsRecorded() throws {
        let tui = try clinic("workflow-safety", anticoagulant: true)
        try startVisit(tui)
        #expect(tui.screen.contains("no consent covers this visit · no precaution screen"))
        try tui.press(.function(2))
        try expectGolden("safety-form", tui.screen)

        // The chart's confirmed anticoagulant answered "no": the form refuses, nothing is saved.
        try tui.press(.character("y"), .tab)
        try tui.type("90")
        try tui.press(.tab)
        try tui.press(Array(repeating: Key.character("y"), count: Consent.Risk.allCases.count + 1))  // each risk, then the benefits explained
        try tui.press(Array(repeating: Key.character("n"), count: Precaution.allCases.count))
        try tui.type("90")                         // the days the screen stands: typed, never pre-filled
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("anticoagulant medicine is confirmed on the chart: answer it present with a reason"), "\(tui.screen)")
        var records = try safetyRecords(tui)
        #expect(records.consents.isEmpty && records.screens.isEmpty, "a refusal leaves nothing saved")
        guard case .safetyForm = tui.app.state.current else {
            Issue.record("the form should stay open after a refusal")
            return
        }

        // Present without a reason: the model's rule refuses, still nothing saved.
        try tui.press(Array(repeating: Key.backTab, count: Precaution.allCases.count))
        try tui.press(.character("y"), .ctrl("s"))
        #expect(said(tui).contains("reasoned acknowledgment"), "\(tui.screen)")
        records = try safetyRecords(tui)
        #expect(records.consents.isEmpty && records.screens.isEmpty)

        try tui.type("INR stable; pressure held after each needle")
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("Precaution screen recorded (until 2027-02-18); consent recorded (standing 90 days)."),
                "\(tui.screen)")
        #expect(tui.screen.contains("consent until 2027-02-18 · screen until 2027-02-18"))
        records = try safetyRecords(tui)
        #expect(records.consents.count == 1)
        #expect(records.consents.first?.validUntil == fixedToday.adding(days: 90))
        #expect(records.screens.first?.present == [.anticoagulant])
        #expect(records.screens.first?.acknowledgments[.anticoagulant] == "INR stable; pressure held after each needle")

        try tui.press(.function(2))
        #expect(said(tui).contains("already cover this visit"))
        // Nothing is asked again; the form shows what covers the visit, for Ctrl-X to strike one out.
        guard case .safetyForm(let form) = tui.app.state.current else {
            Issue.record("the form shows the consent and screen that cover the visit")
            return
        }
        #expect(!form.asksConsent && !form.asksScreen)
        #expect(tui.screen.contains("covers this visit") && tui.screen.contains("Ctrl-X strikes it out"), "\(tui.screen)")
    }

    @Test func triggerPointIsPickedByTypingPartOfTheName() throws {
        let tui = try clinic("workflow-trigger-point")
        try startVisit(tui)
        try tui.press(.function(3))
        try tui.type("gastroc")
        try expectGolden("trigger-point-picker", tui.screen)
        let expected = MuscleCatalogue.search("gastroc", limit: MusclePicker.shownResults)[1]
        try tui.press(.down, .tab, .character("r"), .tab, .character("l"))
        try tui.keyTriggerPointFindings()
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("Trigger point saved: \(expected.name), right, latent."), "\(tui.screen)")
        let findings = try tui.firstVisit().triggerPoints
        #expect(findings.count == 1)
        #expect(findings.first?.muscleID == expected.id)
        #expect(findings.first?.side == .right)
        #expect(findings.first?.activity == .latent)
        #expect(tui.screen.contains("\(expected.name), right: latent"), "listed on the visit screen")
    }

    @Test func escapeCancelsAFormWithoutSaving() throws {
        let tui = try clinic("workflow-cancel")
        try startVisit(tui)
        try tui.press(.function(3))
        try tui.type("soleus")
        try tui.press(.tab, .escape, .character("y"))
        #expect(said(tui).contains("Cancelled: nothing saved."))
        #expect(try tui.firstVisit().triggerPoints.isEmpty)
    }

    @Test func needlingWithoutConsentIsRefusedAndNothingIsStored() throws {
        let tui = try clinic("workflow-needling-refused")
        try startVisit(tui)
        try tui.press(.function(4))
        #expect(said(tui).contains("No consent or precaution screen covers this visit yet"))
        try tui.type("soleus")
        try tui.press(.tab, .tab)
        try tui.type("0.25x40")
        try tui.press(.tab)
        try tui.type("Seirin")
        try tui.press(.tab)
        try tui.type("A123")
        try tui.keyNeedlingClaims()
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("cannot record a needling entry"), "\(tui.screen)")
        #expect(try tui.firstVisit().needling.isEmpty, "a refusal stores nothing")
        guard case .needlingForm = tui.app.state.current else {
            Issue.record("the form should stay open after a refusal")
            return
        }
    }

    /// Consent with every risk explained and no precautions present, each answered.
    func recordConsentAndScreen(_ tui: TUIHarness) throws {
        try tui.recordConsentAndScreenNonePresent()
        #expect(tui.screen.contains("consent until"), "\(tui.screen)")
    }

    /// Fills the needling form for the upper trapezius (over the lung fields).
    func fillNeedling(_ tui: TUIHarness, inserted: String, removed: String, depth: String?) throws {
        try tui.press(.function(4))
        try tui.type("upper trap")
        try tui.press(.tab, .character("r"), .tab)
        try tui.press(.ctrl("u"))
        try tui.type("0.25x40")
        try tui.press(.tab, .ctrl("u"))
        try tui.type("Seirin")
        try tui.press(.tab, .ctrl("u"))
        try tui.type("A123")
        try tui.press(.tab, .ctrl("u"))
        try tui.type(inserted)
        try tui.press(.tab, .ctrl("u"))
        try tui.type(removed)
        try tui.press(.tab, .character("s"), .tab)
        // The twitches, the adverse events and the sharps disposal are keyed, never pre-filled
        // (the sharps the last field), then back to the depth.
        try tui.focusNeedling(.twitches)
        try tui.type("0")
        try tui.press(Array(repeating: Key.tab, count: 3) + [.character("n"), .tab, .character("y")]  // no adverse event; sharps
                      + Array(repeating: Key.backTab, count: 6))
        if let depth { try tui.type(depth) }
    }

    @Test func unbalancedCountWarnsLiveAndSigningIsRefused() throws {
        let tui = try clinic("workflow-unbalanced")
        try startVisit(tui)
        try recordConsentAndScreen(tui)
        try fillNeedling(tui, inserted: "2", removed: "1", depth: nil)
        #expect(tui.screen.contains("NEEDLE COUNT: 2 in, 1 out — 1 unaccounted for"), "live count:\n\(tui.screen)")
        #expect(tui.screen.contains("required, lung fields: 1-40 mm (needle length 40 mm)"), "\(tui.screen)")

        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("Not saved: depth: is required"), "\(tui.screen)")
        #expect(try tui.firstVisit().needling.isEmpty)

        try tui.type("12")
        try expectGolden("needling-form", tui.screen)
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("Needling entry saved: Trapezius (upper fibres), right, 2 in, 1 out."), "\(tui.screen)")
        let stored = try #require(try tui.firstVisit().needling.first)
        #expect(stored.muscleID == "upper-trapezius" && stored.side == .right && stored.technique == .staticInSitu)
        #expect(stored.needle == Needle(brand: "Seirin", gaugeMm: 0.25, lengthMm: 40, lot: "A123"))
        #expect(stored.depth?.value == 12)
        try expectGolden("visit-needle-warning", tui.screen)

        // F10 does not offer "y signs" over a count that does not balance: it says why, and no summary opens.
        try tui.press(.function(10))
        #expect(said(tui).contains("needle count does not balance: 2 inserted, 1 removed. Record the needles removed (F5)"), "\(tui.screen)")
        #expect(!tui.screen.contains("y signs"), "\(tui.screen)")
        #expect(try tui.firstVisit().status == .draft, "a refused signature leaves the draft")

        // The next entry starts with the needle just used.
        try tui.press(.function(4))
        #expect(tui.screen.contains("0.25x40") && tui.screen.contains("Seirin") && tui.screen.contains("A123"))
        #expect(tui.screen.contains("NEEDLE COUNT: 2 in, 1 out"), "the visit's count plus this entry (none in or out until keyed)")

        // The needle left in situ comes out: F5, the count starts blank (never balanced for
        // the practitioner): Ctrl-S untouched is refused naming it, nothing written.
        try tui.press(.escape, .function(5))
        try expectGolden("needles-out-form", tui.screen)
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("type how many needles are out now at Trapezius (upper fibres), right (0 to the 2 inserted)"),
                "\(tui.screen)")
        #expect(try tui.firstVisit().needling.first?.needlesRemoved == 1, "nothing written")
        try tui.type("2")
        try tui.press(.ctrl("s"))
        #expect(said(tui) == "Needles removed recorded: Trapezius (upper fibres), right: 2 in, 2 out.")
        #expect(try tui.firstVisit().needling.first?.needlesRemoved == 2)
        #expect(tui.screen.contains("Needles: 2 in, 2 out"))
        try tui.press(.function(10), .character("y"))
        #expect(try tui.firstVisit().status == .signed, "signed once the count balances")
    }

    @Test func needlesOutRefusesMoreThanWereInserted() throws {
        let tui = try clinic("workflow-needles-out")
        try startVisit(tui)
        try recordConsentAndScreen(tui)
        try fillNeedling(tui, inserted: "2", removed: "0", depth: "12")
        try tui.press(.ctrl("s"), .function(5), .ctrl("u"))
        try tui.type("3")
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("needles removed is 0 to the 2 inserted"))
        #expect(try tui.firstVisit().needling.first?.needlesRemoved == 0)
    }

    /// The count typed is the total out now, as `knot needle remove` takes it: fewer than the
    /// needles already out is refused (a batch typed as if counted alone), nothing written.
    @Test func needlesOutRefusesFewerThanAlreadyOut() throws {
        let tui = try clinic("workflow-needles-out-lower")
        try startVisit(tui)
        try recordConsentAndScreen(tui)
        try fillNeedling(tui, inserted: "3", removed: "2", depth: "12")
        try tui.press(.ctrl("s"), .function(5))
        try tui.type("1")
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("1 is fewer than the 2 already out at Trapezius (upper fibres), right: type the total out now"),
                "\(said(tui))")
        #expect(try tui.firstVisit().needling.first?.needlesRemoved == 2, "nothing written")
        try tui.press(.backspace)
        try tui.type("3")
        try tui.press(.ctrl("s"))
        #expect(try tui.firstVisit().needling.first?.needlesRemoved == 3)
    }

    @Test func balancedVisitIsSignedAndTheChartShowsIt() throws {
        let tui = try clinic("workflow-signed")
        try startVisit(tui)
        try recordConsentAndScreen(tui)
        try fillNeedling(tui, inserted: "2", removed: "2", depth: "12")
        #expect(tui.screen.contains("Needle count for the visit: 2 in, 2 out (balanced)"))
        try tui.press(.ctrl("s"))
        #expect(tui.screen.contains("Needles: 2 in, 2 out"))
        try tui.press(.function(10), .character("y"))
        let signed = try tui.firstVisit()
        #expect(signed.status == .signed)
        #expect(signed.needling.count == 1)
        #expect(said(tui).contains("Visit \(signed.id!) signed."), "\(tui.screen)")
        guard case .chart = tui.app.state.current else {
            Issue.record("back on the chart after signing")
            return
        }
        #expect(tui.lines.contains { $0.contains("signed") && $0.contains("Calf pain") })
    }

    @Test func draftOpenedFromTheChartGoesOnRecording() throws {
        let tui = try clinic("workflow-open-draft")
        try startVisit(tui)
        try tui.press(.escape)
        try tui.press(.enter)
        guard case .newVisit(let form) = tui.app.state.current else {
            Issue.record("Enter on a draft opens it for recording:\n\(tui.screen)")
            return
        }
        #expect(form.complaint.text == "Calf pain")
        try tui.type(", worse on stairs")
        #expect(try tui.firstVisit().complaint == "Calf pain, worse on stairs", "saved with the draft's revision, no conflict")
    }

    @Test func helpListsTheWorkflowKeys() throws {
        let tui = try clinic("workflow-help")
        try startVisit(tui)
        try tui.press(.function(4), .function(1))
        #expect(tui.screen.contains("Keys: Needling entry"))
        #expect(tui.screen.contains("Ctrl-S/F10"))
        try tui.press(.escape, .escape, .function(1))
        #expect(tui.screen.contains("F4/Ctrl-N") && tui.screen.contains("F10/Ctrl-X") && tui.screen.contains("F2/Ctrl-O"))
    }
}
