import Foundation
import ClinicModel
internal import ClinicStore

/// Where `knot visit show` lists an entry, for addressing it by its number there: findings
/// (trigger points, then biomechanical findings, numbered on), treatments, needling, and
/// outcome measures.
public enum VisitEntrySection: String, Sendable, CaseIterable {
    /// Findings (trigger points, then biomechanical findings), treatments, needling entries, outcome
    /// measures.
    case findings, treatments, needling, outcomes
}

/// Correcting a draft visit's entries: each trigger point, biomechanical finding, treatment
/// and needling entry can be edited or struck out while the visit is a draft, and an outcome
/// measure struck out (then recorded again to correct it); a reason is required to strike. A
/// struck entry stays in the database, marked, and leaves the note, the needle count, the
/// outcome trends, plans, letters and exports; the audit trail says what changed, what was
/// struck and why. A signed visit is refused: it is amended instead.
extension ClinicSession {
    /// The draft visit, or the refusal on a signed one ("amend it instead").
    func correctableDraft(_ tx: any ClinicRecordReader, _ visitID: Int64, _ action: String) throws -> Visit {
        guard let v = try tx.visit(id: visitID) else { throw ServiceError.notFound("no visit \(visitID)") }
        if v.status == .signed {
            throw ServiceError.refused(action: action, reasons: [
                "visit \(visitID) is signed: a signed note is never edited; amend it instead (knot visit amend \(visitID))",
            ])
        }
        return v
    }

    /// The kind and id of the entry numbered `number` (from 1) in `section`, as `knot visit show` numbers them.
    public func draftEntry(visitID: Int64, section: VisitEntrySection, number: Int) throws -> (kind: VisitEntryKind, id: Int64) {
        _ = try practitioner(authorizedFor: .recordVisit)
        let v: Visit = try database.read { tx in
            guard let v = try tx.visit(id: visitID) else { throw ServiceError.notFound("no visit \(visitID)") }
            return v
        }
        let entries = Self.numberedEntries(of: v, section: section)
        guard entries.indices.contains(number - 1) else {
            let has = entries.isEmpty ? "it has none" : "it has \(entries.count), numbered 1 to \(entries.count) in knot visit show"
            throw ServiceError.notFound("visit \(visitID) has no \(section.rawValue) entry \(number) (\(has))")
        }
        return entries[number - 1]
    }

    /// A section's entries in force, in the order `knot visit show` numbers them.
    public static func numberedEntries(of v: Visit, section: VisitEntrySection) -> [(kind: VisitEntryKind, id: Int64)] {
        switch section {
        case .findings:
            v.triggerPoints.compactMap { $0.id.map { (VisitEntryKind.triggerPoint, $0) } }
                + v.biomechanics.compactMap { $0.id.map { (VisitEntryKind.biomechanical, $0) } }
        case .treatments: v.treatments.compactMap { $0.id.map { (VisitEntryKind.treatment, $0) } }
        case .needling: v.needling.compactMap { $0.id.map { (VisitEntryKind.needling, $0) } }
        case .outcomes: v.outcomes.compactMap { $0.id.map { (VisitEntryKind.outcome, $0) } }
        }
    }

    /// Saves a corrected trigger point (`finding.id` says which).
    public func editTriggerPoint(visitID: Int64, _ finding: TriggerPointFinding) throws -> TriggerPointFinding {
        _ = try practitioner(authorizedFor: .recordVisit)
        return try database.write { tx in
            _ = try correctableDraft(tx, visitID, "edit the trigger point")
            return try tx.updateTriggerPoint(finding, visitID: visitID, actor: actor)
        }
    }

    /// Saves a corrected biomechanical finding (`finding.id` says which).
    public func editBiomechanical(visitID: Int64, _ finding: BiomechanicalFinding) throws -> BiomechanicalFinding {
        _ = try practitioner(authorizedFor: .recordVisit)
        return try database.write { tx in
            _ = try correctableDraft(tx, visitID, "edit the biomechanical finding")
            return try tx.updateBiomechanical(finding, visitID: visitID, actor: actor)
        }
    }

    /// Saves a corrected treatment (`treatment.id` says which).
    public func editTreatment(visitID: Int64, _ treatment: Treatment) throws -> Treatment {
        _ = try practitioner(authorizedFor: .recordVisit)
        return try database.write { tx in
            _ = try correctableDraft(tx, visitID, "edit the treatment")
            return try tx.updateTreatment(treatment, visitID: visitID, actor: actor)
        }
    }

    /// Saves a corrected needling entry (`entry.id` says which) after the same rules as a new
    /// one: the entry's own (counts, needle, depth, sharps) and consent and the screen.
    public func editNeedling(visitID: Int64, _ entry: NeedlingEntry) throws -> NeedlingEntry {
        _ = try practitioner(authorizedFor: .recordVisit)
        return try database.write { tx in
            let v = try correctableDraft(tx, visitID, "edit the needling entry")
            guard let p = try tx.patient(id: v.patientID) else { throw ServiceError.notFound("no patient \(v.patientID)") }
            let refusals = NeedlingSafety.checkMayNeedle(visit: v, patient: p, consents: try tx.consents(patientID: p.id!),
                                                         screens: try tx.screens(patientID: p.id!))
            if !refusals.isEmpty {
                throw ServiceError.refused(action: "edit the needling entry", reasons: refusals.map(\.description))
            }
            return try tx.updateNeedling(entry, visitID: visitID, actor: actor)
        }
    }

    /// Strikes an entry out of a draft, with the reason (required). Returns what was struck.
    public func strikeEntry(visitID: Int64, kind: VisitEntryKind, id: Int64, reason: String, at: Date = Date()) throws -> StruckEntry {
        _ = try practitioner(authorizedFor: .recordVisit)
        if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationErrors([ValidationError(field: "reason", value: reason, rule: "is required to strike out an entry (say why)")])
        }
        return try database.write { tx in
            let v = try correctableDraft(tx, visitID, "strike out the \(kind.noun)")
            guard let summary = Self.entrySummary(of: v, kind: kind, id: id) else {
                throw ServiceError.notFound("visit \(visitID) has no \(kind.noun) \(id) in force")
            }
            return try tx.strikeEntry(kind, id: id, visitID: visitID, reason: reason, summary: summary, at: at, actor: actor)
        }
    }

    /// The entries struck out of a visit (kept with when, by whom and why), for `knot visit show`.
    public func struckEntries(visitID: Int64) throws -> [StruckEntryRecord] {
        try requireClinicalAccess()
        return try database.read { tx in try tx.struckEntries(visitID: visitID) }
    }

    /// An entry of a visit in a line, for messages and the audit trail (nil when it is not there).
    public static func entrySummary(of v: Visit, kind: VisitEntryKind, id: Int64) -> String? {
        switch kind {
        case .triggerPoint:
            v.triggerPoints.first { $0.id == id }.map { "\($0.muscle?.name ?? $0.muscleID), \($0.side.rawValue), \($0.activity.rawValue)" }
        case .biomechanical:
            v.biomechanics.first { $0.id == id }.map { "\($0.measure.summary), \($0.side.rawValue)" }
        case .treatment:
            v.treatments.first { $0.id == id }.map { t in
                [t.kind.rawValue, t.muscleID.map { MuscleCatalogue.muscle(id: $0)?.name ?? $0 }, t.side?.rawValue]
                    .compactMap { $0 }.joined(separator: ", ")
            }
        case .needling:
            v.needling.first { $0.id == id }.map {
                "\($0.muscle?.name ?? $0.muscleID), \($0.side.rawValue), \($0.needle.size) lot \($0.needle.lot), "
                    + "\($0.needlesInserted) in, \($0.needlesRemoved) out"
            }
        case .outcome:
            v.outcomes.first { $0.id == id }.map(\.summary)
        }
    }
}
