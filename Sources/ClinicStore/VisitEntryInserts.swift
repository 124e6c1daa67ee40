import Foundation
import GRDB
import ClinicModel

/// Adding findings, treatments, needling entries and outcome measures to a visit, each audited
/// on the visit and bumping its revision (corrections are in VisitEntryCorrections.swift).
extension StoreTransaction {
    @discardableResult
    public func insertTriggerPoint(_ f: TriggerPointFinding, visitID: Int64, actor: String?, preservingID: Bool = false) throws -> TriggerPointFinding {
        if !modelChecked { do { try f.validate() } catch { throw StoreError.invalid(error) } }
        var insert = InPlaceBinding(try db.cachedStatement(sql: Self.triggerPointInsert.sql(rows: 1)), direct: scratch.directSteps)
        Self.bind(f, visitID: visitID, preservingID: preservingID, into: &insert)
        try insert.execute()
        var f = f
        f.id = lastID()
        if let actor { try childAudit(actor: actor, visitID: visitID, what: "trigger point", id: f.id) }
        return f
    }

    static let triggerPointInsert = RowsInsert(table: "trigger_point", columns: """
        id, visit_id, muscle_id, side, location, activity, taut_band, local_twitch, referred_pain,
          tenderness, ppt_kg_cm2, ppt_probe_cm2, likely_causes, notes
        """, count: 14)

    static func bind(_ f: TriggerPointFinding, visitID: Int64, preservingID: Bool, into insert: inout InPlaceBinding) {
        insert.int(preservingID ? f.id : nil); insert.int(visitID); insert.text(f.muscleID); insert.text(f.side.rawValue)
        insert.text(f.location); insert.text(f.activity.rawValue); insert.bool(f.tautBand)
        insert.bool(f.localTwitchResponse); insert.bool(f.referredPainReproduced); insert.int(f.tenderness?.value)
        insert.double(f.pressurePainThreshold?.value.value); insert.double(f.pressurePainThreshold?.probeSizeCm2)
        insert.text(f.likelyCauses.isEmpty ? "" : f.likelyCauses.map(\.rawValue).joined(separator: ",")); insert.text(f.notes)
    }

    @discardableResult
    public func insertBiomechanical(_ f: BiomechanicalFinding, visitID: Int64, actor: String?, preservingID: Bool = false) throws -> BiomechanicalFinding {
        if !modelChecked { do { try f.validate() } catch { throw StoreError.invalid(error) } }
        var insert = InPlaceBinding(try db.cachedStatement(sql: Self.biomechanicalInsert.sql(rows: 1)), direct: scratch.directSteps)
        try bind(f, visitID: visitID, preservingID: preservingID, into: &insert)
        try insert.execute()
        var f = f
        f.id = lastID()
        if let actor { try childAudit(actor: actor, visitID: visitID, what: "biomechanical finding", id: f.id) }
        return f
    }

    static let biomechanicalInsert = RowsInsert(table: "biomechanical_finding", columns: "id, visit_id, kind, side, measure_json, notes", count: 6)

    func bind(_ f: BiomechanicalFinding, visitID: Int64, preservingID: Bool, into insert: inout InPlaceBinding) throws {
        insert.int(preservingID ? f.id : nil); insert.int(visitID); insert.text(f.measure.code); insert.text(f.side.rawValue)
        insert.text(try VisitColumnsJSON.measure(f.measure) ?? encode(f.measure)); insert.text(f.notes)
    }

    @discardableResult
    public func insertTreatment(_ t: Treatment, visitID: Int64, actor: String?, preservingID: Bool = false) throws -> Treatment {
        if !modelChecked { do { try t.validate() } catch { throw StoreError.invalid(error) } }
        var insert = InPlaceBinding(try db.cachedStatement(sql: Self.treatmentInsert.sql(rows: 1)), direct: scratch.directSteps)
        Self.bind(t, visitID: visitID, preservingID: preservingID, into: &insert)
        try insert.execute()
        var t = t
        t.id = lastID()
        if let actor { try childAudit(actor: actor, visitID: visitID, what: "treatment", id: t.id) }
        return t
    }

    static let treatmentInsert = RowsInsert(table: "treatment", columns: "id, visit_id, kind, muscle_id, side, hold_seconds, cycles, notes", count: 8)

    static func bind(_ t: Treatment, visitID: Int64, preservingID: Bool, into insert: inout InPlaceBinding) {
        insert.int(preservingID ? t.id : nil); insert.int(visitID); insert.text(t.kind.rawValue); insert.text(t.muscleID)
        insert.text(t.side?.rawValue); insert.int(t.holdTime?.value); insert.int(t.cycles); insert.text(t.notes)
    }

    @discardableResult
    public func insertNeedling(_ e: NeedlingEntry, visitID: Int64, actor: String?, preservingID: Bool = false) throws -> NeedlingEntry {
        if !modelChecked { do { try e.validate() } catch { throw StoreError.invalid(error) } }
        var insert = InPlaceBinding(try db.cachedStatement(sql: Self.needlingInsert.sql(rows: 1)), direct: scratch.directSteps)
        Self.bind(e, visitID: visitID, preservingID: preservingID, into: &insert)
        try insert.execute()
        var e = e
        e.id = lastID()
        if let actor { try childAudit(actor: actor, visitID: visitID, what: "needling entry", id: e.id) }
        return e
    }

    static let needlingInsert = RowsInsert(table: "needling_entry", columns: """
        id, visit_id, muscle_id, side, trigger_point, needle_brand, needle_gauge_mm, needle_length_mm,
          needle_lot, inserted, removed, technique, estim_settings, depth_mm, time_in_situ_s, twitch_responses,
          patient_response, adverse_events_json, sharps_disposed, performed_at, written_at, written_by
        """, count: 22)

    static func bind(_ e: NeedlingEntry, visitID: Int64, preservingID: Bool, into insert: inout InPlaceBinding) {
        var settings: String?
        if case .electricalStimulation(let s) = e.technique { settings = s }
        insert.int(preservingID ? e.id : nil); insert.int(visitID); insert.text(e.muscleID); insert.text(e.side.rawValue)
        insert.text(e.triggerPoint); insert.text(e.needle.brand); insert.double(e.needle.gaugeMm)
        insert.double(e.needle.lengthMm); insert.text(e.needle.lot); insert.int(e.needlesInserted); insert.int(e.needlesRemoved)
        insert.text(e.technique.code); insert.text(settings); insert.double(e.depth?.value); insert.int(e.timeInSitu?.value)
        insert.int(e.twitchResponses); insert.text(e.patientResponse)
        insert.text(VisitColumnsJSON.adverseEvents(e.adverseEvents)); insert.bool(e.sharpsDisposed)
        if let at = e.performedAt { insert.value(StoredDateText.databaseValue(truncated(at))) } else { insert.null() }
        if let late = e.lateEntry { insert.value(StoredDateText.databaseValue(truncated(late.writtenAt))) } else { insert.null() }
        insert.int(e.lateEntry?.writtenBy)
    }

    /// Adds a completed outcome measure (item scores and total) to a draft.
    @discardableResult
    public func insertOutcome(_ m: OutcomeMeasure, visitID: Int64, actor: String?, preservingID: Bool = false) throws -> OutcomeMeasure {
        if !modelChecked { do { try m.validate() } catch { throw StoreError.invalid(error) } }
        var insert = InPlaceBinding(try db.cachedStatement(sql: "/* bound in place */ INSERT INTO outcome_measure (id, visit_id, scale, items_json, score) VALUES (?, ?, ?, ?, ?)"), direct: scratch.directSteps)
        insert.int(preservingID ? m.id : nil); insert.int(visitID); insert.text(m.scale.rawValue)
        insert.text(VisitColumnsJSON.outcomeItems(m.items)); insert.double(m.score)
        try insert.execute()
        var m = m
        m.id = lastID()
        if let actor { try childAudit(actor: actor, visitID: visitID, what: "outcome measure", id: m.id) }
        return m
    }

    /// Records needles removed at a site (the count that must balance before signing): the total
    /// out of the site so far. Returns the total on file before.
    @discardableResult
    public func updateNeedlesRemoved(entryID: Int64, removed: Int, actor: String) throws -> Int {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT visit_id, inserted, removed FROM needling_entry WHERE id = ? AND struck_at IS NULL"), arguments: [entryID]) else {
            throw StoreError.notFound(entity: "needling entry", key: String(entryID))
        }
        let checked = row.checked("needling_entry", key: "visit_id")
        let inserted = try checked.count("inserted")
        let before = try checked.count("removed")
        guard (0...inserted).contains(removed) else {
            throw StoreError.invalid(ValidationErrors([ValidationError.badValue(field: "needlesRemoved", value: "\(removed)", rule: "must be between 0 and the \(inserted) inserted")]))
        }
        try db.cachedStatement(sql: "UPDATE needling_entry SET removed = ? WHERE id = ?").execute(arguments: [removed, entryID])
        try childAudit(actor: actor, visitID: checked["visit_id"], what: "needles removed", id: entryID, action: .update)
        return before
    }

    func childAudit(actor: String, visitID: Int64, what: String, id: Int64?, action: AuditEvent.Action = .create) throws {
        try bumpRevision(visitID)
        try appendAudit(AuditEvent(actor: actor, action: action, entity: "visit", entityID: visitID,
                                   patientID: try patientID(visitID: visitID), detail: "\(what) \(id.map(String.init) ?? "")"))
    }
}
