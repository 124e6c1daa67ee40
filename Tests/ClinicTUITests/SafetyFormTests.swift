import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

extension TUIHarness {
    /// F2 on the visit, consent answered yes, every risk explained ticked, every precaution
    /// answered no and the screen's days typed, Ctrl-S: nothing is answered by default, so each
    /// answer is a key.
    func recordConsentAndScreenNonePresent() throws {
        try press(.function(2), .character("y"), .tab)
        try type("90")  // the days consent stands: typed, never pre-filled
        try press(.tab)
        try press(Array(repeating: Key.character("y"), count: Consent.Risk.allCases.count + 1))  // each risk, then the benefits explained
        try press(Array(repeating: Key.character("n"), count: Precaution.allCases.count))
        try type("90")  // the last "n" moves on to the days the screen stands: typed, never pre-filled
        try press(.ctrl("s"))
    }
}

/// The consent and precaution form as issue 13 asks: nothing answered for the practitioner.
@Suite struct SafetyFormTests {
    /// Jane Smith with the anticoagulant a referral proposes (not yet confirmed), and amy.
    func clinic(_ name: String, born: LocalDate? = nil) throws -> TUIHarness {
        try TUIHarness(name, demo: false, user: "amy") { setup in
            let training = DryNeedlingTraining(course: "DN level 1", hours: 27, completedOn: try LocalDate(year: 2024, month: 3, day: 1))
            _ = try setup.addPractitioner(Practitioner(handle: "amy", name: "Amy Physio", profession: .physiotherapist,
                                                       dryNeedlingTraining: training))
            let proposed = PatientAlert(kind: .precaution(.anticoagulant), text: "Eliquis (apixaban) 5 mg twice daily",
                                        status: .proposed, source: "referral 2026-11-20 (medications)")
            _ = try setup.addPatient(Patient(recordNumber: "K1", givenNames: "Jane", familyName: "Smith",
                                             dateOfBirth: try born ?? LocalDate(year: 1951, month: 6, day: 23), alerts: [proposed]),
                                     today: fixedToday)
        }
    }

    func startVisit(_ tui: TUIHarness) throws {
        try tui.type("smi")
        try tui.press(.enter, .character("n"))
        try tui.type("Calf pain")
    }

    func said(_ tui: TUIHarness) -> String { tui.app.state.message?.text ?? "" }

    func form(_ tui: TUIHarness) throws -> SafetyFormState {
        guard case .safetyForm(let form) = tui.app.state.current else {
            Issue.record("the safety form should be open:\n\(tui.screen)")
            throw CancellationError()
        }
        return form
    }

    func saved(_ tui: TUIHarness) throws -> (consents: Int, screens: Int) {
        try tui.session.database.read { tx in (try tx.consents(patientID: 1).count, try tx.screens(patientID: 1).count) }
    }

    @Test func consentOpensUnansweredAndIsNotRecordedUntilKeyed() throws {
        let tui = try clinic("safety-consent-unanswered")
        try startVisit(tui)
        try tui.press(.function(2))
        #expect(try form(tui).consentGiven == nil, "consent is not claimed for the practitioner")
        let line = try #require(tui.lines.first { $0.contains("Informed consent to dry needling") })
        #expect(line.contains("[ ? ]") && !line.contains("[yes]") && !line.contains("stands for"), "\(line)")

        // Every precaution answered, consent left as it opened: refused, naming consent; nothing saved.
        try tui.press(.tab)
        try tui.press(.character("y"))
        try tui.type("Apixaban; pressure held after each needle")
        try tui.press(.tab)
        try tui.press(Array(repeating: Key.character("n"), count: Precaution.allCases.count - 1))
        #expect(try form(tui).answers.count == Precaution.allCases.count)
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("informed consent to dry needling: not answered: y (given) or n (not given)"), "\(said(tui))")
        #expect(try saved(tui) == (0, 0))

        // Keyed: y, the days it stands, each risk explained; then it saves.
        try tui.press(Array(repeating: Key.backTab, count: 30))
        try tui.press(.character("y"))
        #expect(tui.lines.contains { $0.contains("Informed consent to dry needling") && $0.contains("[yes]") }, "\(tui.screen)")
        #expect(try form(tui).consentDays.text.isEmpty, "no standing consent is claimed for the practitioner")
        try tui.press(.tab)
        try tui.type("30")
        try tui.press(.tab)
        try tui.press(Array(repeating: Key.character("y"), count: Consent.Risk.allCases.count + 1))  // each risk, then the benefits explained
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("precaution screen stands for: not answered: type the days, 1 to 365"), "\(said(tui))")
        #expect(try saved(tui) == (0, 0), "the screen's days are not claimed for the practitioner")
        try tui.press(Array(repeating: Key.tab, count: 30))
        #expect(try form(tui).focus == .screenDays)
        try tui.type("30")
        try tui.press(.ctrl("s"))
        #expect(try saved(tui) == (1, 1), "\(said(tui))")
        let screen = try #require(try tui.session.database.read { tx in try tx.screens(patientID: 1) }.first)
        #expect(screen.validUntil == fixedToday.adding(days: 30), "30 typed: it stands 30 days")
    }

    @Test func theScreensDaysOpenBlankAndAreRefusedUntilTypedInRange() throws {
        let tui = try clinic("safety-screen-days")
        try startVisit(tui)
        try tui.press(.function(2))
        #expect(try form(tui).screenDays.text.isEmpty, "no period of validity is claimed for the practitioner")
        #expect(tui.lines.contains { $0.contains("Screen stands for") && $0.contains("days") && $0.contains("not answered") },
                "the field is on the form, blank:\n\(tui.screen)")
        try tui.press(.character("n"))            // consent not given: only the screen is recorded
        try tui.press(.tab, .character("y"))
        try tui.type("Apixaban; superficial sites, firm pressure after")
        try tui.press(.tab)
        try tui.press(Array(repeating: Key.character("n"), count: Precaution.allCases.count - 1))
        #expect(try form(tui).focus == .screenDays, "the last answer moves on to the days")
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("precaution screen stands for: not answered: type the days, 1 to 365"), "\(said(tui))")
        #expect(try saved(tui) == (0, 0))
        try tui.type("400")
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("precaution screen stands for 1 to 365 days (not 400)"), "\(said(tui))")
        #expect(try saved(tui) == (0, 0))
        try tui.press(.backspace, .backspace, .backspace)
        try tui.type("0")
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("precaution screen stands for 1 to 365 days (not 0)"), "\(said(tui))")
        try tui.press(.backspace)
        try tui.type("14")
        #expect(tui.lines.contains { $0.contains("Screen stands for") && $0.contains("14") && !$0.contains("not answered") }, "\(tui.screen)")
        try tui.press(.ctrl("s"))
        #expect(try saved(tui) == (0, 1), "\(said(tui))")
        let screen = try #require(try tui.session.database.read { tx in try tx.screens(patientID: 1) }.first)
        #expect(screen.validUntil == fixedToday.adding(days: 14))
    }

    @Test func theProposedAnticoagulantOpensUnansweredAndCtrlSIsRefusedUntilEveryPrecautionIsAnswered() throws {
        let tui = try clinic("safety-proposed")
        try startVisit(tui)
        try tui.press(.function(2))
        var opened = try form(tui)
        #expect(opened.answers.isEmpty, "no precaution answered for the practitioner")
        #expect(opened.risks.isEmpty, "no risk ticked for the practitioner")
        #expect(opened.raised[.anticoagulant] == .proposed)
        let line = try #require(tui.screen.split(separator: "\n").first { $0.contains("anticoagulant medicine") })
        #expect(line.contains("(referral)") && line.contains("[ ? ]") && !line.contains("[no]"), "\(line)")

        // Ctrl-S as it opens: refused, nothing saved.
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("informed consent to dry needling: not answered"), "\(said(tui))")
        try tui.press(.character("y"))
        #expect(tui.lines.contains { $0.contains("[yes] stands for      days not answered") }, "\(tui.screen)")
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("consent stands for: not answered: type the days, 0 (today only) to 366"), "\(said(tui))")
        #expect(try saved(tui) == (0, 0))
        try tui.press(.tab)
        try tui.type("0")
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("tick each risk explained"), "\(said(tui))")
        try tui.press(.tab)
        try tui.press(Array(repeating: Key.character("y"), count: Consent.Risk.allCases.count + 1))  // each risk, then the benefits explained
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("answer every precaution (y or n): 12 not answered: anticoagulant medicine"), "\(said(tui))")
        #expect(try saved(tui) == (0, 0))

        // Every precaution answered no: the referral's anticoagulant cannot be "no".
        try tui.press(Array(repeating: Key.character("n"), count: Precaution.allCases.count))
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("anticoagulant medicine: a referral proposes it"), "\(said(tui))")
        #expect(try saved(tui) == (0, 0))
        opened = try form(tui)
        #expect(opened.answers.count == Precaution.allCases.count)

        // Back to it, answered yes with a reason, the screen's days typed: saved.
        #expect(try form(tui).focus == .screenDays, "the last answer moved on to the days")
        try tui.type("90")
        try tui.press(Array(repeating: Key.backTab, count: Precaution.allCases.count))
        #expect(try form(tui).focus == .precaution(.anticoagulant))
        try tui.press(.character("y"))
        try tui.type("Apixaban; superficial sites, firm pressure after")
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("Precaution screen recorded"), "\(said(tui))")
        let screen = try #require(try tui.session.database.read { tx in try tx.screens(patientID: 1) }.first)
        #expect(screen.present == [.anticoagulant])
        let consent = try #require(try tui.session.database.read { tx in try tx.consents(patientID: 1) }.first)
        #expect(consent.risksExplained == Set(Consent.Risk.allCases))
        #expect(consent.validUntil == nil, "0 typed: today only, as keyed")
    }

    /// The walk's finding: every consent was stored with the benefits explained though the form
    /// never asked. The form asks it now, unticked, and consent is not saved until it is ticked.
    @Test func consentIsNotSavedUntilTheBenefitsExplainedAreTicked() throws {
        let tui = try clinic("safety-benefits")
        try startVisit(tui)
        try tui.press(.function(2), .character("y"), .tab)
        try tui.type("0")
        try tui.press(.tab)
        try tui.press(Array(repeating: Key.character("y"), count: Consent.Risk.allCases.count))
        #expect(try form(tui).focus == .benefits, "after the risks, the benefits explained")
        #expect(try form(tui).benefitsExplained != true, "not ticked for the practitioner")
        let unticked = try #require(tui.lines.first { $0.contains("Benefits:") }, "\(tui.screen)")
        #expect(unticked.contains("[ ]") && unticked.contains("not ticked"), "\(unticked)")
        try tui.press(.tab)                        // passed over, not answered
        try tui.press(.character("y"))
        try tui.type("Apixaban; superficial sites, firm pressure after")
        try tui.press(.tab)
        try tui.press(Array(repeating: Key.character("n"), count: Precaution.allCases.count - 1))
        try tui.type("90")
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("benefits explained: not ticked"), "\(said(tui))")
        #expect(try saved(tui) == (0, 0), "nothing is saved: neither consent nor the screen")

        while try form(tui).focus != .benefits { try tui.press(.backTab) }
        try tui.press(.character(" "))            // Space ticks it where it is
        let ticked = try #require(tui.lines.first { $0.contains("Benefits:") })
        #expect(ticked.contains("[x] benefits explained") && !ticked.contains("not ticked"), "\(ticked)")
        try tui.press(.ctrl("s"))
        #expect(try saved(tui) == (1, 1), "\(said(tui))")
        #expect(said(tui).contains("consent recorded for today only"), "\(said(tui))")
        let consent = try #require(try tui.session.database.read { tx in try tx.consents(patientID: 1) }.first)
        #expect(consent.benefitsExplained && consent.validUntil == nil)
    }

    @Test func aMinorsConsentAsksForAGuardian() throws {
        let tui = try clinic("safety-minor", born: fixedToday.adding(years: -15))
        try startVisit(tui)
        try tui.press(.function(2))
        #expect(try form(tui).minorAge == 15)
        try tui.press(.character("y"))
        #expect(tui.screen.contains("Age 15: guardian"), "consent given: the guardian is asked\n\(tui.screen)")
        try tui.press(.tab)
        try tui.type("90")
        try tui.press(.tab)
        try tui.press(Array(repeating: Key.character("y"), count: Consent.Risk.allCases.count + 1))  // each risk, then the benefits explained
        #expect(try form(tui).focus == .guardianName)
        try tui.press(.tab, .tab, .tab)
        try tui.press(.character("y"))
        try tui.type("On apixaban, pressure after")
        try tui.press(.tab)
        try tui.press(Array(repeating: Key.character("n"), count: Precaution.allCases.count - 1))
        try tui.press(.ctrl("s"))
        #expect(said(tui).contains("the patient is 15 (under 18): a guardian's name and relationship, or a mature-minor assessment"),
                "\(said(tui))")
        #expect(try saved(tui) == (0, 0))
    }
}
