import Foundation
import ClinicModel
import PostgresNIO

/// Corrections of a draft's entries on PostgreSQL, as the SQLite store makes them
/// (Sources/ClinicStore/VisitEntryCorrections.swift): edited in place (the audit event says which
/// fields changed, from what to what), or struck out (the row kept with when, by whom and why;
/// the audit event says what it was and why), in the same words (`EntryCorrectionAudit`), so the
/// same correction hashes alike. The schema's triggers refuse both on a signed visit.
extension PostgresTransaction {
    static func table(_ kind: VisitEntryKind) -> String {
        switch kind {
        case .triggerPoint: "trigger_point"
        case .biomechanical: "biomechanical_finding"
        case .treatment: "treatment"
        case .needling: "needling_entry"
        case .outcome: "outcome_measure"
        }
    }

    /// The entry with `id` in force on the visit, as it reads now (before an edit). The visit's
    /// row is locked first, so two sessions correcting one draft are serialised (as SQLite's one
    /// writer) and each audits the change from what the other saved.
    private func entryInForce<T>(_ kind: VisitEntryKind, id: Int64?, visitID: Int64, in list: (Visit) -> [T],
                                 id entryID: (T) -> Int64?) throws -> T {
        try lockVisit(visitID)
        guard let id, let v = try visit(id: visitID), let found = list(v).first(where: { entryID($0) == id }) else {
            throw PostgresStoreError.notFound(entity: kind.noun, key: id.map(String.init) ?? "(new)")
        }
        return found
    }

    /// Saves a corrected trigger point over the one with its id on the draft.
    @discardableResult
    public func updateTriggerPoint(_ f: TriggerPointFinding, visitID: Int64, actor: String) throws -> TriggerPointFinding {
        do { try f.validate() } catch { throw PostgresStoreError.invalid(error) }
        let before = try entryInForce(.triggerPoint, id: f.id, visitID: visitID, in: \.triggerPoints, id: \.id)
        try execute("""
            UPDATE trigger_point SET muscle_id = \(f.muscleID), side = \(f.side.rawValue), location = \(f.location),
              activity = \(f.activity.rawValue), taut_band = \(Self.flag(f.tautBand)), local_twitch = \(Self.flag(f.localTwitchResponse)),
              referred_pain = \(Self.flag(f.referredPainReproduced)), tenderness = \(f.tenderness?.value),
              ppt_kg_cm2 = \(f.pressurePainThreshold?.value.value), ppt_probe_cm2 = \(f.pressurePainThreshold?.probeSizeCm2),
              likely_causes = \(f.likelyCauses.map(\.rawValue).joined(separator: ",")), notes = \(f.notes)
            WHERE id = \(f.id) AND visit_id = \(visitID) AND struck_at IS NULL
            """)
        try editAudit(.triggerPoint, id: f.id!, visitID: visitID, before: before, after: f, actor: actor)
        return f
    }

    /// Saves a corrected biomechanical finding over the one with its id on the draft.
    @discardableResult
    public func updateBiomechanical(_ f: BiomechanicalFinding, visitID: Int64, actor: String) throws -> BiomechanicalFinding {
        do { try f.validate() } catch { throw PostgresStoreError.invalid(error) }
        let before = try entryInForce(.biomechanical, id: f.id, visitID: visitID, in: \.biomechanics, id: \.id)
        try execute("""
            UPDATE biomechanical_finding SET kind = \(f.measure.code), side = \(f.side.rawValue),
              measure_json = \(try PGJSON.encode(f.measure)), notes = \(f.notes)
            WHERE id = \(f.id) AND visit_id = \(visitID) AND struck_at IS NULL
            """)
        try editAudit(.biomechanical, id: f.id!, visitID: visitID, before: before, after: f, actor: actor)
        return f
    }

    /// Saves a corrected treatment over the one with its id on the draft.
    @discardableResult
    public func updateTreatment(_ t: Treatment, visitID: Int64, actor: String) throws -> Treatment {
        do { try t.validate() } catch { throw PostgresStoreError.invalid(error) }
        let before = try entryInForce(.treatment, id: t.id, visitID: visitID, in: \.treatments, id: \.id)
        try execute("""
            UPDATE treatment SET kind = \(t.kind.rawValue), muscle_id = \(t.muscleID), side = \(t.side?.rawValue),
              hold_seconds = \(t.holdTime?.value), cycles = \(t.cycles), notes = \(t.notes)
            WHERE id = \(t.id) AND visit_id = \(visitID) AND struck_at IS NULL
            """)
        try editAudit(.treatment, id: t.id!, visitID: visitID, before: before, after: t, actor: actor)
        return t
    }

    /// Saves a corrected needling entry over the one with its id on the draft (its rules
    /// checked again: counts, needle, depth, sharps).
    @discardableResult
    public func updateNeedling(_ e: NeedlingEntry, visitID: Int64, actor: String) throws -> NeedlingEntry {
        do { try e.validate() } catch { throw PostgresStoreError.invalid(error) }
        let before = try entryInForce(.needling, id: e.id, visitID: visitID, in: \.needling, id: \.id)
        var settings: String?
        if case .electricalStimulation(let s) = e.technique { settings = s }
        try execute("""
            UPDATE needling_entry SET muscle_id = \(e.muscleID), side = \(e.side.rawValue), trigger_point = \(e.triggerPoint),
              needle_brand = \(e.needle.brand), needle_gauge_mm = \(e.needle.gaugeMm), needle_length_mm = \(e.needle.lengthMm),
              needle_lot = \(e.needle.lot), inserted = \(e.needlesInserted), removed = \(e.needlesRemoved),
              technique = \(e.technique.code), estim_settings = \(settings), depth_mm = \(e.depth?.value),
              time_in_situ_s = \(e.timeInSitu?.value), twitch_responses = \(e.twitchResponses),
              patient_response = \(e.patientResponse), adverse_events_json = \(try PGJSON.encode(e.adverseEvents)),
              sharps_disposed = \(Self.flag(e.sharpsDisposed))
            WHERE id = \(e.id) AND visit_id = \(visitID) AND struck_at IS NULL
            """)
        try editAudit(.needling, id: e.id!, visitID: visitID, before: before, after: e, actor: actor)
        return e
    }

    /// Strikes an entry out of a draft: the row stays with when, by whom and why, and leaves
    /// the note, the counts and exports; the audit event says what it was and why.
    @discardableResult
    public func strikeEntry(_ kind: VisitEntryKind, id: Int64, visitID: Int64, reason: String, summary: String,
                            at: Date, actor: String) throws -> StruckEntry {
        let reason = try Self.strikeReason(reason)
        let at = AuditChain.truncated(at)
        try lockVisit(visitID)
        let changed = try execute("""
            UPDATE \(unescaped: Self.table(kind)) SET struck_at = \(PGText.timestamp(at)), struck_by = \(actor), strike_reason = \(reason)
            WHERE id = \(id) AND visit_id = \(visitID) AND struck_at IS NULL
            """)
        guard changed == 1 else { throw PostgresStoreError.notFound(entity: kind.noun, key: String(id)) }
        try entryAudit(visitID: visitID, detail: EntryCorrectionAudit.strikeDetail(noun: kind.noun, id: id, summary: summary, reason: reason),
                       actor: actor)
        return StruckEntry(kind: kind, id: id, visitID: visitID, summary: summary, struckAt: at, struckBy: actor, reason: reason)
    }

    /// The entries struck out of a visit, oldest strike first.
    public func struckEntries(visitID: Int64) throws -> [StruckEntryRecord] {
        var out: [StruckEntryRecord] = []
        for kind in VisitEntryKind.allCases {
            let t = Self.table(kind)
            for row in try query("""
                SELECT id, struck_at, struck_by, strike_reason FROM \(unescaped: t) WHERE visit_id = \(visitID) AND struck_at IS NOT NULL
                """) {
                let (id, at, by, reason) = try decode(row, (Int64, String, String, String).self, table: t)
                out.append(StruckEntryRecord(kind: kind, id: id, struckAt: try timestamp(at, table: t, row: id, column: "struck_at"),
                                             struckBy: by, reason: reason))
            }
        }
        return out.sorted { ($0.struckAt, $0.id) < ($1.struckAt, $1.id) }
    }

    /// A strike's reason, trimmed, or `invalid` (`EntryCorrectionAudit.strikeReason`).
    private static func strikeReason(_ reason: String) throws -> String {
        do { return try EntryCorrectionAudit.strikeReason(reason) } catch { throw PostgresStoreError.invalid(error) }
    }

    /// Audits an edit with the fields it changed (`EntryCorrectionAudit.editDetail`).
    private func editAudit<T: Encodable>(_ kind: VisitEntryKind, id: Int64, visitID: Int64, before: T, after: T, actor: String) throws {
        try entryAudit(visitID: visitID, detail: EntryCorrectionAudit.editDetail(kind, id: id, before: before, after: after), actor: actor)
    }

    /// Locks the visit's row until the transaction ends (nothing when there is no such visit).
    private func lockVisit(_ visitID: Int64) throws {
        _ = try query("SELECT id FROM visit WHERE id = \(visitID) FOR UPDATE")
    }

    /// Bumps the visit's revision and audits a correction on it.
    private func entryAudit(visitID: Int64, detail: String, actor: String) throws {
        try execute("UPDATE visit SET revision = revision + 1 WHERE id = \(visitID)")
        try appendAudit(AuditEvent(actor: actor, action: .update, entity: "visit", entityID: visitID,
                                   patientID: try patientID(visitID: visitID), detail: detail))
    }
}
