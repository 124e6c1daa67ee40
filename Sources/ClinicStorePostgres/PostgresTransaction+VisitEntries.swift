import Foundation
import ClinicModel
import PostgresNIO

/// A visit's entries on PostgreSQL, as the SQLite store keeps them
/// (Sources/ClinicStore/VisitEntryInserts.swift, Visits.swift, OutcomeMeasures.swift): trigger
/// points, biomechanical findings, treatments, needling entries and outcome measures, each added
/// to a draft audited on the visit (bumping its revision), and read back in one place
/// (`readEntries(into:)`), struck-out ones left out.
extension PostgresTransaction {
    // MARK: adding

    /// Adds a trigger point to a draft.
    @discardableResult
    public func insertTriggerPoint(_ f: TriggerPointFinding, visitID: Int64, actor: String?, preservingID: Bool) throws -> TriggerPointFinding {
        do { try f.validate() } catch { throw PostgresStoreError.invalid(error) }
        var f = f
        f.id = try insertReturningID("""
            INSERT INTO trigger_point (id, visit_id, muscle_id, side, location, activity, taut_band, local_twitch, referred_pain,
              tenderness, ppt_kg_cm2, ppt_probe_cm2, likely_causes, notes)
            VALUES (coalesce(\(preservingID ? f.id : nil), nextval(pg_get_serial_sequence('trigger_point', 'id'))),
                    \(visitID), \(f.muscleID), \(f.side.rawValue), \(f.location), \(f.activity.rawValue), \(Self.flag(f.tautBand)),
                    \(Self.flag(f.localTwitchResponse)), \(Self.flag(f.referredPainReproduced)), \(f.tenderness?.value),
                    \(f.pressurePainThreshold?.value.value), \(f.pressurePainThreshold?.probeSizeCm2),
                    \(f.likelyCauses.map(\.rawValue).joined(separator: ",")), \(f.notes))
            RETURNING id
            """, table: "trigger_point")
        if preservingID { try advanceIdentity("trigger_point") }
        if let actor { try childAudit(actor: actor, visitID: visitID, what: "trigger point", id: f.id) }
        return f
    }

    /// Adds a biomechanical finding to a draft.
    @discardableResult
    public func insertBiomechanical(_ f: BiomechanicalFinding, visitID: Int64, actor: String?, preservingID: Bool) throws -> BiomechanicalFinding {
        do { try f.validate() } catch { throw PostgresStoreError.invalid(error) }
        var f = f
        f.id = try insertReturningID("""
            INSERT INTO biomechanical_finding (id, visit_id, kind, side, measure_json, notes)
            VALUES (coalesce(\(preservingID ? f.id : nil), nextval(pg_get_serial_sequence('biomechanical_finding', 'id'))),
                    \(visitID), \(f.measure.code), \(f.side.rawValue), \(try PGJSON.encode(f.measure)), \(f.notes))
            RETURNING id
            """, table: "biomechanical_finding")
        if preservingID { try advanceIdentity("biomechanical_finding") }
        if let actor { try childAudit(actor: actor, visitID: visitID, what: "biomechanical finding", id: f.id) }
        return f
    }

    /// Adds a treatment to a draft.
    @discardableResult
    public func insertTreatment(_ t: Treatment, visitID: Int64, actor: String?, preservingID: Bool) throws -> Treatment {
        do { try t.validate() } catch { throw PostgresStoreError.invalid(error) }
        var t = t
        t.id = try insertReturningID("""
            INSERT INTO treatment (id, visit_id, kind, muscle_id, side, hold_seconds, cycles, notes)
            VALUES (coalesce(\(preservingID ? t.id : nil), nextval(pg_get_serial_sequence('treatment', 'id'))),
                    \(visitID), \(t.kind.rawValue), \(t.muscleID), \(t.side?.rawValue), \(t.holdTime?.value), \(t.cycles), \(t.notes))
            RETURNING id
            """, table: "treatment")
        if preservingID { try advanceIdentity("treatment") }
        if let actor { try childAudit(actor: actor, visitID: visitID, what: "treatment", id: t.id) }
        return t
    }

    /// Adds a needling entry to a draft.
    @discardableResult
    public func insertNeedling(_ e: NeedlingEntry, visitID: Int64, actor: String?, preservingID: Bool) throws -> NeedlingEntry {
        do { try e.validate() } catch { throw PostgresStoreError.invalid(error) }
        var settings: String?
        if case .electricalStimulation(let s) = e.technique { settings = s }
        var e = e
        e.id = try insertReturningID("""
            INSERT INTO needling_entry (id, visit_id, muscle_id, side, trigger_point, needle_brand, needle_gauge_mm, needle_length_mm,
              needle_lot, inserted, removed, technique, estim_settings, depth_mm, time_in_situ_s, twitch_responses,
              patient_response, adverse_events_json, sharps_disposed, performed_at, written_at, written_by)
            VALUES (coalesce(\(preservingID ? e.id : nil), nextval(pg_get_serial_sequence('needling_entry', 'id'))),
                    \(visitID), \(e.muscleID), \(e.side.rawValue), \(e.triggerPoint), \(e.needle.brand), \(e.needle.gaugeMm),
                    \(e.needle.lengthMm), \(e.needle.lot), \(e.needlesInserted), \(e.needlesRemoved), \(e.technique.code),
                    \(settings), \(e.depth?.value), \(e.timeInSitu?.value), \(e.twitchResponses), \(e.patientResponse),
                    \(try PGJSON.encode(e.adverseEvents)), \(Int16(e.sharpsDisposed ? 1 : 0)),
                    \(e.performedAt.map { PGText.timestamp(AuditChain.truncated($0)) }),
                    \(e.lateEntry.map { PGText.timestamp(AuditChain.truncated($0.writtenAt)) }), \(e.lateEntry?.writtenBy))
            RETURNING id
            """, table: "needling_entry")
        if preservingID { try advanceIdentity("needling_entry") }
        if let actor { try childAudit(actor: actor, visitID: visitID, what: "needling entry", id: e.id) }
        return e
    }

    /// Adds a completed outcome measure (item scores and total) to a draft.
    @discardableResult
    public func insertOutcome(_ m: OutcomeMeasure, visitID: Int64, actor: String?, preservingID: Bool) throws -> OutcomeMeasure {
        do { try m.validate() } catch { throw PostgresStoreError.invalid(error) }
        var m = m
        m.id = try insertReturningID("""
            INSERT INTO outcome_measure (id, visit_id, scale, items_json, score)
            VALUES (coalesce(\(preservingID ? m.id : nil), nextval(pg_get_serial_sequence('outcome_measure', 'id'))),
                    \(visitID), \(m.scale.rawValue), \(try PGJSON.encode(m.items)), \(m.score))
            RETURNING id
            """, table: "outcome_measure")
        if preservingID { try advanceIdentity("outcome_measure") }
        if let actor { try childAudit(actor: actor, visitID: visitID, what: "outcome measure", id: m.id) }
        return m
    }

    /// A yes/no column as the schema keeps it (0 or 1, as SQLite).
    static func flag(_ value: Bool) -> Int16 { value ? 1 : 0 }

    // MARK: reading

    /// Reads every kind of entry in force on the visit `v` (struck-out ones are left out), each
    /// in the order it was recorded.
    func readEntries(into v: inout Visit) throws {
        guard let id = v.id else { return }
        v.outcomes = try outcomes(visitID: id)
        v.triggerPoints = try query("""
            SELECT id, muscle_id, side, location, activity, taut_band, local_twitch, referred_pain, tenderness, ppt_kg_cm2,
              ppt_probe_cm2, likely_causes, notes
            FROM trigger_point WHERE visit_id = \(id) AND struck_at IS NULL ORDER BY id
            """).map(triggerPoint)
        v.biomechanics = try query("""
            SELECT id, measure_json, side, notes FROM biomechanical_finding WHERE visit_id = \(id) AND struck_at IS NULL ORDER BY id
            """).map(biomechanical)
        v.treatments = try query("""
            SELECT id, kind, muscle_id, side, hold_seconds, cycles, notes FROM treatment WHERE visit_id = \(id) AND struck_at IS NULL ORDER BY id
            """).map(treatment)
        v.needling = try query("""
            SELECT id, muscle_id, side, trigger_point, needle_brand, needle_gauge_mm, needle_length_mm, needle_lot, inserted, removed,
              technique, estim_settings, depth_mm, time_in_situ_s, twitch_responses, patient_response, adverse_events_json,
              sharps_disposed, performed_at, written_at, written_by
            FROM needling_entry WHERE visit_id = \(id) AND struck_at IS NULL ORDER BY id
            """).map(needlingEntry)
    }

    /// The outcome measures in force at a visit (none struck out), in the order they were recorded.
    public func outcomes(visitID: Int64) throws -> [OutcomeMeasure] {
        try query("""
            SELECT id, scale, items_json FROM outcome_measure WHERE visit_id = \(visitID) AND struck_at IS NULL ORDER BY id
            """).map { try outcome($0.makeRandomAccess()) }
    }

    /// A patient's outcome measures with their visit's id and start, oldest visit first (for the
    /// chart's trends, without reading every visit in full).
    public func outcomes(patientID: Int64) throws -> [RecordedOutcome] {
        try query("""
            SELECT o.id, o.scale, o.items_json, o.visit_id, v.started_at AS visit_started_at
            FROM outcome_measure o JOIN visit v ON v.id = o.visit_id
            WHERE v.patient_id = \(patientID) AND o.struck_at IS NULL ORDER BY v.started_at, v.id, o.id
            """).map { row in
            let c = row.makeRandomAccess()
            let measure = try outcome(c)
            let started = try column(c, "visit_started_at", String.self, table: "visit")
            return RecordedOutcome(visitID: try column(c, "visit_id", Int64.self, table: "outcome_measure"),
                                   startedAt: try timestamp(started, table: "visit", row: nil, column: "started_at"), measure: measure)
        }
    }

    /// One outcome measure row, its items range-checked (a row edited outside Knot is `damaged`).
    private func outcome(_ c: PostgresRandomAccessRow) throws -> OutcomeMeasure {
        let t = "outcome_measure"
        let id = try column(c, "id", Int64.self, table: t)
        let scale = try enumeration(try column(c, "scale", String.self, table: t), as: OutcomeScale.self, table: t, row: id, column: "scale")
        let m = OutcomeMeasure(unchecked: scale, items: try json(c, "items_json", [Int?].self, table: t, row: id), id: id)
        do throws(ValidationErrors) { try m.validate() } catch {
            throw PostgresStoreError.damaged(table: t, row: String(id), column: "items_json",
                                             problem: (error.errors.first.map { "\($0.value): \($0.rule)" }) ?? "is not valid")
        }
        return m
    }

    private func triggerPoint(_ row: PostgresRow) throws -> TriggerPointFinding {
        let t = "trigger_point"
        let c = row.makeRandomAccess()
        let id = try column(c, "id", Int64.self, table: t)
        let causes = try column(c, "likely_causes", String.self, table: t).split(separator: ",").map {
            try enumeration(String($0), as: LikelyCause.self, table: t, row: id, column: "likely_causes")
        }
        let ppt = try measure(c, "ppt_kg_cm2", KilogramsPerSquareCentimetre.self, table: t, row: id)
        return TriggerPointFinding(
            id: id, muscleID: try column(c, "muscle_id", String.self, table: t),
            side: try enumeration(try column(c, "side", String.self, table: t), table: t, row: id, column: "side"),
            location: try column(c, "location", String?.self, table: t),
            activity: try enumeration(try column(c, "activity", String.self, table: t), table: t, row: id, column: "activity"),
            tautBand: try column(c, "taut_band", Int16.self, table: t) != 0,
            localTwitchResponse: try column(c, "local_twitch", Int16.self, table: t) != 0,
            referredPainReproduced: try column(c, "referred_pain", Int16.self, table: t) != 0,
            tenderness: try measure(c, "tenderness", NPRS.self, table: t, row: id),
            pressurePainThreshold: try ppt.map { PressurePainThreshold(value: $0, probeSizeCm2: try column(c, "ppt_probe_cm2", Double?.self, table: t) ?? 1) },
            likelyCauses: causes, notes: try column(c, "notes", String?.self, table: t))
    }

    private func biomechanical(_ row: PostgresRow) throws -> BiomechanicalFinding {
        let t = "biomechanical_finding"
        let c = row.makeRandomAccess()
        let id = try column(c, "id", Int64.self, table: t)
        return BiomechanicalFinding(id: id, measure: try json(c, "measure_json", BiomechanicalMeasure.self, table: t, row: id),
                                    side: try enumeration(try column(c, "side", String.self, table: t), table: t, row: id, column: "side"),
                                    notes: try column(c, "notes", String?.self, table: t))
    }

    private func treatment(_ row: PostgresRow) throws -> Treatment {
        let t = "treatment"
        let c = row.makeRandomAccess()
        let id = try column(c, "id", Int64.self, table: t)
        let cycles = try column(c, "cycles", Int?.self, table: t)
        if let cycles, cycles < 0 {
            throw PostgresStoreError.damaged(table: t, row: String(id), column: "cycles", problem: "\(cycles) is negative, but it is a count")
        }
        return Treatment(id: id, kind: try enumeration(try column(c, "kind", String.self, table: t), table: t, row: id, column: "kind"),
                         muscleID: try column(c, "muscle_id", String?.self, table: t),
                         side: try column(c, "side", String?.self, table: t).map { try enumeration($0, table: t, row: id, column: "side") },
                         holdTime: try measure(c, "hold_seconds", Seconds.self, table: t, row: id), cycles: cycles,
                         notes: try column(c, "notes", String?.self, table: t))
    }

    func needlingEntry(_ row: PostgresRow) throws -> NeedlingEntry {
        let t = "needling_entry"
        let c = row.makeRandomAccess()
        let id = try column(c, "id", Int64.self, table: t)
        let code = try column(c, "technique", String.self, table: t)
        let technique: NeedlingTechnique
        do { technique = try NeedlingTechnique(code: code, settings: try column(c, "estim_settings", String?.self, table: t) ?? "") } catch {
            throw PostgresStoreError.damaged(table: t, row: String(id), column: "technique", problem: "'\(code)' is not a known technique")
        }
        let inserted = try column(c, "inserted", Int.self, table: t)
        let removed = try column(c, "removed", Int.self, table: t)
        let twitches = try column(c, "twitch_responses", Int.self, table: t)
        for (name, count) in [("inserted", inserted), ("removed", removed), ("twitch_responses", twitches)] where count < 0 {
            throw PostgresStoreError.damaged(table: t, row: String(id), column: name, problem: "\(count) is negative, but it is a count")
        }
        let performed = try column(c, "performed_at", String?.self, table: t)
        let writtenAt = try column(c, "written_at", String?.self, table: t)
        let writtenBy = try column(c, "written_by", Int64?.self, table: t)
        var late: LateEntry?
        if let writtenAt, let writtenBy {
            late = LateEntry(writtenAt: try timestamp(writtenAt, table: t, row: id, column: "written_at"), writtenBy: writtenBy)
        }
        return NeedlingEntry(
            id: id, muscleID: try column(c, "muscle_id", String.self, table: t),
            side: try enumeration(try column(c, "side", String.self, table: t), table: t, row: id, column: "side"),
            triggerPoint: try column(c, "trigger_point", String?.self, table: t),
            needle: Needle(brand: try column(c, "needle_brand", String.self, table: t),
                           gaugeMm: try column(c, "needle_gauge_mm", Double.self, table: t),
                           lengthMm: try column(c, "needle_length_mm", Double.self, table: t),
                           lot: try column(c, "needle_lot", String.self, table: t)),
            needlesInserted: inserted, needlesRemoved: removed, technique: technique,
            depth: try measure(c, "depth_mm", DepthMillimetres.self, table: t, row: id),
            timeInSitu: try measure(c, "time_in_situ_s", Seconds.self, table: t, row: id),
            twitchResponses: twitches, patientResponse: try column(c, "patient_response", String?.self, table: t),
            adverseEvents: try json(c, "adverse_events_json", [AdverseEvent].self, table: t, row: id),
            sharpsDisposed: try column(c, "sharps_disposed", Int16.self, table: t) != 0,
            performedAt: try performed.map { try timestamp($0, table: t, row: id, column: "performed_at") },
            lateEntry: late)
    }
}
