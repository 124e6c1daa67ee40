import Foundation
import GRDB
import ClinicModel

/// Corrections of a draft's entries: edited in place (the audit trail says which fields
/// changed, from what to what), or struck out (the row kept with a marker, the audit event
/// saying what it was and why). The schema's triggers refuse both on a signed visit.
extension StoreTransaction {
    static func table(_ kind: VisitEntryKind) -> String {
        switch kind {
        case .triggerPoint: "trigger_point"
        case .biomechanical: "biomechanical_finding"
        case .treatment: "treatment"
        case .needling: "needling_entry"
        case .outcome: "outcome_measure"
        }
    }

    /// The visit an entry in force belongs to (nil when there is none, or it is struck out).
    public func visitID(ofEntry kind: VisitEntryKind, id: Int64) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT visit_id FROM \(Self.table(kind)) WHERE id = ? AND struck_at IS NULL"),
                           arguments: [id])
    }

    private func entryInForce<T>(_ kind: VisitEntryKind, id: Int64?, visitID: Int64, in list: (Visit) -> [T],
                                 id entryID: (T) -> Int64?) throws -> T {
        guard let id, let v = try visit(id: visitID), let found = list(v).first(where: { entryID($0) == id }) else {
            throw StoreError.notFound(entity: kind.noun, key: id.map(String.init) ?? "(new)")
        }
        return found
    }

    /// Saves a corrected trigger point over the one with its id on the draft.
    @discardableResult
    public func updateTriggerPoint(_ f: TriggerPointFinding, visitID: Int64, actor: String) throws -> TriggerPointFinding {
        do { try f.validate() } catch { throw StoreError.invalid(error) }
        let before = try entryInForce(.triggerPoint, id: f.id, visitID: visitID, in: \.triggerPoints, id: \.id)
        try db.cachedStatement(sql: """
            UPDATE trigger_point SET muscle_id = ?, side = ?, location = ?, activity = ?, taut_band = ?, local_twitch = ?,
              referred_pain = ?, tenderness = ?, ppt_kg_cm2 = ?, ppt_probe_cm2 = ?, likely_causes = ?, notes = ?
            WHERE id = ? AND visit_id = ? AND struck_at IS NULL
            """).execute(arguments: [f.muscleID, f.side.rawValue, f.location, f.activity.rawValue, f.tautBand,
                             f.localTwitchResponse, f.referredPainReproduced, f.tenderness?.value,
                             f.pressurePainThreshold?.value.value, f.pressurePainThreshold?.probeSizeCm2,
                             f.likelyCauses.map(\.rawValue).joined(separator: ","), f.notes, f.id, visitID])
        try editAudit(.triggerPoint, id: f.id!, visitID: visitID, before: before, after: f, actor: actor)
        return f
    }

    /// Saves a corrected biomechanical finding over the one with its id on the draft.
    @discardableResult
    public func updateBiomechanical(_ f: BiomechanicalFinding, visitID: Int64, actor: String) throws -> BiomechanicalFinding {
        do { try f.validate() } catch { throw StoreError.invalid(error) }
        let before = try entryInForce(.biomechanical, id: f.id, visitID: visitID, in: \.biomechanics, id: \.id)
        try db.cachedStatement(sql: """
            UPDATE biomechanical_finding SET kind = ?, side = ?, measure_json = ?, notes = ?
            WHERE id = ? AND visit_id = ? AND struck_at IS NULL
            """).execute(arguments: [f.measure.code, f.side.rawValue, try encode(f.measure), f.notes, f.id, visitID])
        try editAudit(.biomechanical, id: f.id!, visitID: visitID, before: before, after: f, actor: actor)
        return f
    }

    /// Saves a corrected treatment over the one with its id on the draft.
    @discardableResult
    public func updateTreatment(_ t: Treatment, visitID: Int64, actor: String) throws -> Treatment {
        do { try t.validate() } catch { throw StoreError.invalid(error) }
        let before = try entryInForce(.treatment, id: t.id, visitID: visitID, in: \.treatments, id: \.id)
        try db.cachedStatement(sql: """
            UPDATE treatment SET kind = ?, muscle_id = ?, side = ?, hold_seconds = ?, cycles = ?, notes = ?
            WHERE id = ? AND visit_id = ? AND struck_at IS NULL
            """).execute(arguments: [t.kind.rawValue, t.muscleID, t.side?.rawValue, t.holdTime?.value, t.cycles, t.notes, t.id, visitID])
        try editAudit(.treatment, id: t.id!, visitID: visitID, before: before, after: t, actor: actor)
        return t
    }

    /// Saves a corrected needling entry over the one with its id on the draft (its rules
    /// checked again: counts, needle, depth, sharps).
    @discardableResult
    public func updateNeedling(_ e: NeedlingEntry, visitID: Int64, actor: String) throws -> NeedlingEntry {
        do { try e.validate() } catch { throw StoreError.invalid(error) }
        let before = try entryInForce(.needling, id: e.id, visitID: visitID, in: \.needling, id: \.id)
        var settings: String?
        if case .electricalStimulation(let s) = e.technique { settings = s }
        try db.cachedStatement(sql: """
            UPDATE needling_entry SET muscle_id = ?, side = ?, trigger_point = ?, needle_brand = ?, needle_gauge_mm = ?,
              needle_length_mm = ?, needle_lot = ?, inserted = ?, removed = ?, technique = ?, estim_settings = ?, depth_mm = ?,
              time_in_situ_s = ?, twitch_responses = ?, patient_response = ?, adverse_events_json = ?, sharps_disposed = ?
            WHERE id = ? AND visit_id = ? AND struck_at IS NULL
            """).execute(arguments: [e.muscleID, e.side.rawValue, e.triggerPoint, e.needle.brand, e.needle.gaugeMm,
                             e.needle.lengthMm, e.needle.lot, e.needlesInserted, e.needlesRemoved, e.technique.code,
                             settings, e.depth?.value, e.timeInSitu?.value, e.twitchResponses, e.patientResponse,
                             try encode(e.adverseEvents), e.sharpsDisposed, e.id, visitID])
        try editAudit(.needling, id: e.id!, visitID: visitID, before: before, after: e, actor: actor)
        return e
    }

    /// Strikes an entry out of a draft: the row stays with when, by whom and why, and leaves
    /// the note, the counts and exports; the audit event says what it was and why.
    @discardableResult
    public func strikeEntry(_ kind: VisitEntryKind, id: Int64, visitID: Int64, reason: String, summary: String,
                            at: Date = Date(), actor: String) throws -> StruckEntry {
        let reason = try Self.strikeReason(reason)
        let at = Self.truncated(at)
        try db.cachedStatement(sql: """
            UPDATE \(Self.table(kind)) SET struck_at = ?, struck_by = ?, strike_reason = ? WHERE id = ? AND visit_id = ? AND struck_at IS NULL
            """).execute(arguments: [at, actor, reason, id, visitID])
        guard db.changesCount == 1 else { throw StoreError.notFound(entity: kind.noun, key: String(id)) }
        try entryAudit(visitID: visitID, detail: EntryCorrectionAudit.strikeDetail(noun: kind.noun, id: id, summary: summary, reason: reason),
                       actor: actor)
        return StruckEntry(kind: kind, id: id, visitID: visitID, summary: summary, struckAt: at, struckBy: actor, reason: reason)
    }

    /// Records, replaces or (nil) clears a draft's clinical impression; the audit event says
    /// which, with the code's change (the words themselves are named, not copied).
    public func updateImpression(_ impression: ClinicalImpression?, visitID: Int64, actor: String) throws {
        if let impression { do { try impression.validate() } catch { throw StoreError.invalid(error) } }
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT impression, impression_code, impression_code_system FROM visit WHERE id = ?"),
                                         arguments: [visitID]) else {
            throw StoreError.notFound(entity: "visit", key: String(visitID))
        }
        let oldText: String? = row["impression"], oldCode: String? = row["impression_code"], oldSystem: String? = row["impression_code_system"]
        try db.cachedStatement(sql: "UPDATE visit SET impression = ?, impression_code = ?, impression_code_system = ? WHERE id = ?")
            .execute(arguments: [impression?.text, impression?.code, impression?.codeSystem?.rawValue, visitID])
        let what = ClinicalImpression.auditDetail(oldText: oldText, oldCodeSystem: oldSystem, oldCode: oldCode, new: impression)
        try entryAudit(visitID: visitID, detail: what, actor: actor)
    }

    /// The entries struck out of a visit, oldest strike first.
    public func struckEntries(visitID: Int64) throws -> [StruckEntryRecord] {
        var out: [StruckEntryRecord] = []
        for kind in VisitEntryKind.allCases {
            for r in try Row.fetchAll(db.cachedStatement(sql: """
                SELECT id, struck_at, struck_by, strike_reason FROM \(Self.table(kind)) WHERE visit_id = ? AND struck_at IS NOT NULL
                """), arguments: [visitID]) {
                out.append(StruckEntryRecord(kind: kind, id: r["id"], struckAt: r["struck_at"], struckBy: r["struck_by"], reason: r["strike_reason"]))
            }
        }
        return out.sorted { ($0.struckAt, $0.id) < ($1.struckAt, $1.id) }
    }

    /// A strike's reason, trimmed, or `invalid` (`EntryCorrectionAudit.strikeReason`).
    private static func strikeReason(_ reason: String) throws -> String {
        do { return try EntryCorrectionAudit.strikeReason(reason) } catch { throw StoreError.invalid(error) }
    }

    /// Audits an edit with the fields it changed (`EntryCorrectionAudit.editDetail`).
    private func editAudit<T: Encodable>(_ kind: VisitEntryKind, id: Int64, visitID: Int64, before: T, after: T, actor: String) throws {
        try entryAudit(visitID: visitID, detail: EntryCorrectionAudit.editDetail(kind, id: id, before: before, after: after), actor: actor)
    }

    private func entryAudit(visitID: Int64, detail: String, actor: String) throws {
        try bumpRevision(visitID)
        try appendAudit(AuditEvent(actor: actor, action: .update, entity: "visit", entityID: visitID,
                                   patientID: try patientID(visitID: visitID), detail: detail))
    }
}
