import Foundation
import ClinicModel
import ClinicServices

/// Amending a signed visit and reviewing a patient's alerts, through `ClinicSession` (which
/// decides who may do them); each reloads what the screen shows afterwards.
extension EffectPerformer {
    func performAmendAndAlertWork(_ effect: Effect) throws -> EffectResult {
        switch effect {
        case .amendVisit(let id, let reason, let changes):
            do {
                let amendment = try session.amend(visitID: id, reason: reason, changes: changes)
                let fields = changes.map { AmendableField(rawValue: $0.field)?.label.lowercased() ?? $0.field }
                return .visitAmended(try session.visitRecord(id: id),
                                     message: "Amendment \(amendment.id ?? 0) saved (\(fields.joined(separator: ", "))); the signed original is kept above it.")
            } catch {
                return .failed("Not saved: " + Self.message(for: error))
            }
        case .setAlertStatus(let patientID, let alertID, let status, let reason):
            let before = try session.alert(id: alertID, patientID: patientID)
            do {
                try session.setAlert(id: alertID, status: status, reason: reason)
            } catch {
                return .failed("Not saved: " + Self.message(for: error))
            }
            let what = before.map { AlertsScreen.kindName($0.kind) } ?? "alert"
            let done = switch (status, before?.status) {
            case (.confirmed, .dismissed?): "reinstated: it shows on the chart again"
            case (.confirmed, _): "confirmed: it shows on the chart as active"
            case (.dismissed, _): "dismissed: kept for the record, no longer on the chart"
            case (.proposed, _): "set back to proposed"
            }
            return .alertsChanged(try session.chart(key: String(patientID), today: today),
                                  message: "Alert \(alertID) (\(what)) \(done).")
        case .addAlert(let patientID, let alert):
            let saved: PatientAlert
            do {
                saved = try session.addAlert(patientKey: String(patientID), alert: alert)
            } catch {
                return .failed("Not saved: " + Self.message(for: error))
            }
            return .alertsChanged(try session.chart(key: String(patientID), today: today),
                                  message: "Alert \(saved.id ?? 0) added (\(AlertsScreen.kindName(saved.kind))): it shows on the chart.")
        default:
            return .failed("not an amendment or alert action: \(effect)")
        }
    }
}
