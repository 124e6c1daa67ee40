import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// The front end's actions against the one permission table: every effect says which use case
/// it runs (`Effect.clinicAction`, an exhaustive switch), and performing it as each kind of
/// account is refused exactly when the table says so, by the services.
@Suite("front-end actions for every role")
struct FrontEndPermissionTests {
    /// One of each front-end action that reaches the services on the demo clinic (visit 19 is
    /// mchen's draft, visit 2 mchen's signed visit, patient 1 on file). Signing comes last.
    static let effects: [Effect] = [
        .checkFirstRun, .searchPatients("a"), .openChart(patientID: 1), .loadRecall,
        .loadAudit(patientID: 1, patientName: "x"), .loadDemo,
        .openVisit(id: 2), .openDraft(visitID: 19), .loadVisitProgress(visitID: 19), .reloadDraft(visitID: 19),
        .setNeedlesRemoved(visitID: 19, entryID: 999_999, removed: 0),
        .loadPlan(visitID: 2), .storeFinalPlan(visitID: 2),
        .amendVisit(visitID: 2, reason: "walk", changes: []),
        .setAlertStatus(patientID: 1, alertID: 999_999, status: .confirmed),
        .addAlert(patientID: 1, PatientAlert(kind: .precaution(.anticoagulant), text: "Apixaban", status: .proposed)),
        .loadFormDraft(.newPatient), .discardFormDraft(.newPatient),
        .loadSettings, .saveSettings(Self.renamed, timeZone: nil),
        .setImpression(visitID: 19, ClinicalImpression(text: "Walk impression")),
        .addOutcome(visitID: 19, OutcomeMeasure(unchecked: .ndi, items: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1])),
        .signVisit(visitID: 19),
    ]

    /// A settings change that the clinic's rules accept (only the permission decides).
    static let renamed: ClinicSettingsChange = {
        var change = ClinicSettingsChange()
        change.name = "Walk Clinic"
        return change
    }()

    @Test("each effect is refused for a role exactly when the table refuses its action", arguments: ["mchen", "tkowalski", "reception"])
    func effectsForRole(_ handle: String) throws {
        let tui = try TUIHarness("permissions-\(handle)", user: handle)
        let user = try #require(tui.session.user)
        let roles = ClinicRole.held(by: user)
        let performer = EffectPerformer(session: tui.session, today: fixedToday, now: { fixedNow }, importFolder: "/nonexistent-inbox")
        var refusedSome = false
        for effect in Self.effects {
            let result = performer.perform(effect)
            var refused = false
            if case .failed(let message) = result, message.contains("works as") { refused = true }
            refusedSome = refusedSome || refused
            #expect(refused == !effect.clinicAction.isAllowed(for: roles),
                    "\(handle) \(effect.clinicAction): \(result)")
        }
        if handle != "mchen" { #expect(refusedSome) }
    }

    @Test("the table: reception never reads notes or manages accounts; administrator-only work is the administrator's")
    func tableInvariants() {
        for action in ClinicAction.allCases {
            let allowed = ClinicAction.allowed(action)
            #expect(!allowed.isEmpty, "\(action) is nobody's")
        }
        for action: ClinicAction in [.readClinicalNotes, .recordVisit, .signVisit, .amendVisit, .viewPlan, .changePlan,
                                     .needlingLog, .manageAccounts, .exportRecords, .backup, .restore, .importClinicExport,
                                     .retentionReport, .readAuditLog, .changeClinicSettings] {
            #expect(!action.isAllowed(for: [.reception]), "reception may \(action)")
        }
        for action: ClinicAction in [.manageAccounts, .restore, .retentionReport, .importClinicExport, .changeClinicSettings] {
            #expect(ClinicAction.allowed(action) == [.administrator], "\(action)")
        }
        for action: ClinicAction in [.registerPatient, .editPatient, .openChart, .readReferral, .importReferrals,
                                     .resolveReferral, .recallList] {
            #expect(action.isAllowed(for: [.reception]), "reception may not \(action)")
        }
        #expect(ClinicAction.mergePatients.isAllowed(for: [.practitioner]) && ClinicAction.mergePatients.isAllowed(for: [.administrator]))
        // Without an account, nothing.
        for action in ClinicAction.allCases { #expect(!action.isAllowed(for: [])) }
    }
}
