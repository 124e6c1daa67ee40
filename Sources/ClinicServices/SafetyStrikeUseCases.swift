import Foundation
import ClinicModel
internal import ClinicStore

/// Correcting a consent or precaution screen recorded in error: it is struck out (a reason is
/// required) and, if need be, recorded again; there is no edit in place. A struck consent or
/// screen stays in the database, marked, and no longer covers any visit; the audit trail says
/// what it was and why it was struck. One that covers a signed visit is refused: a signed note
/// keeps what it was signed under, so the signed visit is amended instead.
extension ClinicSession {
    /// Strikes out consent or screen `id`, with the reason (required). Returns what was struck.
    public func strikeSafety(_ kind: StruckSafety.Kind, id: Int64, reason: String, at: Date = Date()) throws -> StruckSafety {
        _ = try practitioner(authorizedFor: .recordVisit)
        if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationErrors([ValidationError(field: "reason", value: reason, rule: "is required to strike out a \(kind.noun) (say why)")])
        }
        return try database.write { tx in
            guard let found = try tx.safetyInForce(kind, id: id) else {
                throw ServiceError.notFound("no \(kind.noun) \(id) in force (the id as `knot visit show` gives it)")
            }
            let signed = try tx.visits(patientID: found.patientID).filter {
                $0.status == .signed && $0.date >= LocalDate(found.recordedAt) && $0.date <= found.validUntil
            }
            if let first = signed.first, let visitID = first.id {
                let ids = signed.compactMap(\.id).map(String.init).joined(separator: ", ")
                throw ServiceError.refused(action: "strike out the \(kind.noun)", reasons: [
                    "\(kind.noun) \(id) covers signed visit \(ids): a signed note keeps what it was signed under; "
                        + "amend the signed visit instead (knot visit amend \(visitID))",
                ])
            }
            let summary = "recorded \(LocalDate(found.recordedAt)), covering to \(found.validUntil)"
            return try tx.strikeSafety(kind, id: id, reason: reason, summary: summary, at: at, actor: actor)
        }
    }
}
