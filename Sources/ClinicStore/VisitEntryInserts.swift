import Foundation
import GRDB
import ClinicModel

/// Adding findings, treatments, needling entries and outcome measures to a visit, each audited
/// on the visit and bumping its revision (corrections are in VisitEntryCorrections.swift).
extension StoreTransaction {
    @discardableResult
    public func insertTriggerPoint(_ f: TriggerPointFinding, visitID: Int64, actor: String?, preservingID: Bool = false) throws -> TriggerPointFinding {
        do { try f.validate() } catch { throw StoreError.invalid(error) }
        try db.cachedStatement(sql: """
            INSERT INTO trigger_point (id, visit_id, muscle_id, side, location, activity, taut_band, local_twitch, referred_pain,
              tenderness, ppt_kg_cm2, ppt_probe_cm2, likely_causes, notes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [preservingID ? f.id : nil, visitID, f.muscleID, f.side.rawValue, f.location, f.activity.rawValue, f.tautBand,
                             f.localTwitchResponse, f.referredPainReproduced, f.tenderness?.value,
                             f.pressurePainThreshold?.value.value, f.pressurePainThreshold?.probeSizeCm2,
                             f.likelyCauses.map(\.rawValue).joined(separator: ","), f.notes])
        var f = f
        f.id = lastID()
        if let actor { try childAudit(actor: actor, visitID: visitID, what: "trigger point", id: f.id) }
        return f
    }

    @discardableResult
    public func insertBiomechanical(_ f: BiomechanicalFinding, visitID: Int64, actor: String?, preservingID: Bool = false) throws -> BiomechanicalFinding {
        do { try f.validate() } catch { throw StoreError.invalid(error) }
        try db.cachedStatement(sql: "INSERT INTO biomechanical_finding (id, visit_id, kind, side, measure_json, notes) VALUES (?, ?, ?, ?, ?, ?)").execute(arguments: [preservingID ? f.id : nil, visitID, f.measure.code, f.side.rawValue, try encode(f.measure), f.notes])
        var f = f
        f.id = lastID()
        if let actor { try childAudit(actor: actor, visitID: visitID, what: "biomechanical finding", id: f.id) }
        return f
    }

    @discardableResult
    public func insertTreatment(_ t: Treatment, visitID: Int64, actor: String?, preservingID: Bool = false) throws -> Treatment {
        do { try t.validate() } catch { throw StoreError.invalid(error) }
        try db.cachedStatement(sql: "INSERT INTO treatment (id, visit_id, kind, muscle_id, side, hold_seconds, cycles, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)").execute(arguments: [preservingID ? t.id : nil, visitID, t.kind.rawValue, t.muscleID, t.side?.rawValue, t.holdTime?.value, t.cycles, t.notes])
        var t = t
        t.id = lastID()
        if let actor { try childAudit(actor: actor, visitID: visitID, what: "treatment", id: t.id) }
        return t
    }

    @discardableResult
    public func insertNeedling(_ e: NeedlingEntry, visitID: Int64, actor: String?, preservingID: Bool = false) throws -> NeedlingEntry {
        do { try e.validate() } catch { throw StoreError.invalid(error) }
        var settings: String?
        if case .electricalStimulation(let s) = e.technique { settings = s }
        try db.cachedStatement(sql: """
            INSERT INTO needling_entry (id, visit_id, muscle_id, side, trigger_point, needle_brand, needle_gauge_mm, needle_length_mm,
              needle_lot, inserted, removed, technique, estim_settings, depth_mm, time_in_situ_s, twitch_responses,
              patient_response, adverse_events_json, sharps_disposed, performed_at, written_at, written_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [preservingID ? e.id : nil, visitID, e.muscleID, e.side.rawValue, e.triggerPoint, e.needle.brand, e.needle.gaugeMm,
                             e.needle.lengthMm, e.needle.lot, e.needlesInserted, e.needlesRemoved, e.technique.code,
                             settings, e.depth?.value, e.timeInSitu?.value, e.twitchResponses, e.patientResponse,
                             try encode(e.adverseEvents), e.sharpsDisposed, e.performedAt.map { StoredDateText.databaseValue(Self.truncated($0)) },
                             e.lateEntry.map { StoredDateText.databaseValue(Self.truncated($0.writtenAt)) }, e.lateEntry?.writtenBy])
        var e = e
        e.id = lastID()
        if let actor { try childAudit(actor: actor, visitID: visitID, what: "needling entry", id: e.id) }
        return e
    }

    /// Adds a completed outcome measure (item scores and total) to a draft.
    @discardableResult
    public func insertOutcome(_ m: OutcomeMeasure, visitID: Int64, actor: String?, preservingID: Bool = false) throws -> OutcomeMeasure {
        do { try m.validate() } catch { throw StoreError.invalid(error) }
        try db.cachedStatement(sql: "INSERT INTO outcome_measure (id, visit_id, scale, items_json, score) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [preservingID ? m.id : nil, visitID, m.scale.rawValue, try encode(m.items), m.score])
        var m = m
        m.id = lastID()
        if let actor { try childAudit(actor: actor, visitID: visitID, what: "outcome measure", id: m.id) }
        return m
    }

    /// Records needles removed at a site (the count that must balance before signing).
    public func updateNeedlesRemoved(entryID: Int64, removed: Int, actor: String) throws {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT visit_id, inserted FROM needling_entry WHERE id = ? AND struck_at IS NULL"), arguments: [entryID]) else {
            throw StoreError.notFound(entity: "needling entry", key: String(entryID))
        }
        let checked = row.checked("needling_entry", key: "visit_id")
        let inserted = try checked.count("inserted")
        guard (0...inserted).contains(removed) else {
            throw StoreError.invalid(ValidationErrors([ValidationError.badValue(field: "needlesRemoved", value: "\(removed)", rule: "must be between 0 and the \(inserted) inserted")]))
        }
        try db.cachedStatement(sql: "UPDATE needling_entry SET removed = ? WHERE id = ?").execute(arguments: [removed, entryID])
        try childAudit(actor: actor, visitID: checked["visit_id"], what: "needles removed", id: entryID, action: .update)
    }

    func childAudit(actor: String, visitID: Int64, what: String, id: Int64?, action: AuditEvent.Action = .create) throws {
        try bumpRevision(visitID)
        try appendAudit(AuditEvent(actor: actor, action: action, entity: "visit", entityID: visitID,
                                   patientID: try patientID(visitID: visitID), detail: "\(what) \(id.map(String.init) ?? "")"))
    }
}
