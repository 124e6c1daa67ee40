import Foundation
import ClinicModel
import ClinicServices

/// The clinic's settings read and changed through `ClinicSession`, the same use cases as
/// `knot clinic show` and `knot clinic set` (all or nothing, audited, administrators only).
extension EffectPerformer {
    func performSettingsWork(_ effect: Effect) throws -> EffectResult {
        switch effect {
        case .loadSettings:
            return .settingsLoaded(try session.clinicSettings())
        case .saveSettings(let change, let zone):
            do {
                if !change.isEmpty { try session.changeClinicSettings(change) }
                if let zone { try session.setTimeZone(zone) }
            } catch let errors as ValidationErrors {
                let first = errors.errors.first.flatMap { SettingsFormState.field(forOption: $0.field) }
                return .settingsRefused(SettingsFormState.labelled(Self.message(for: errors)), field: first)
            }
            // The number plans give for an emergency, said again: it may follow a new country.
            let emergency = try session.clinicSettings().clinic.emergencyNumber
            return .settingsSaved(message: "Clinic settings saved (" + Self.changedNames(change, zone: zone)
                                  + "); emergency number " + (emergency ?? "not set (plans say \"\(ClinicProfile.localEmergencyNumber)\")")
                                  + "; plans and letters from now on use them.")
        default:
            return .failed("not a settings action: \(effect)")
        }
    }

    /// "name, phone, time zone": what a change touched, by the form's labels.
    static func changedNames(_ change: ClinicSettingsChange, zone: String?) -> String {
        let set: [(SettingsFormState.Focus, Bool)] = [
            (.name, change.name != nil), (.address, change.address != nil), (.phone, change.phone != nil),
            (.email, change.email != nil), (.website, change.website != nil), (.businessNumber, change.businessNumber != nil),
            (.country, change.country != nil), (.emergencyNumber, change.emergencyNumber != nil), (.timeZone, zone != nil),
            (.openDays, change.openDays != nil), (.acuteDays, change.acuteDays != nil), (.chronicDays, change.chronicDays != nil),
            (.acutePain, change.acutePainAtLeast != nil), (.seriousDays, change.seriousAdverseEventDays != nil),
            (.significantDays, change.significantAdverseEventDays != nil), (.needleBrand, change.needleBrand != nil),
            (.needleSize, change.needleSize != nil), (.needleLot, change.needleLot != nil),
            (.needleLotExpiry, change.needleLotExpiry != nil),
        ]
        let names = set.compactMap { field, changed -> String? in
            let spec = SettingsFormState.spec(field)
            if changed { return spec.label.lowercased() }
            return change.clear.contains(spec.option) ? spec.label.lowercased() + " to its default" : nil
        }
        return names.joined(separator: ", ")
    }
}
