import Foundation
import GRDB
import ClinicModel

extension StoreTransaction {
    // MARK: visit header

    /// Opens a draft visit (header only; findings and entries are added one by one).
    @discardableResult
    public func insertVisit(_ v: Visit, actor: String, preservingID: Bool = false) throws -> Visit {
        do { try v.validateHeader() } catch { throw StoreError.invalid(error) }
        var v = v
        v.startedAt = Self.truncated(v.startedAt)
        try db.cachedStatement(sql: """
            INSERT INTO visit (id, patient_id, practitioner_id, referral_id, started_at, complaint, pain_now, pain_best, pain_worst,
              psfs_json, notes, likely_cause_notes, status, signed_at, revision, impression, impression_code, impression_code_system)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', NULL, 0, ?, ?, ?)
            """).execute(arguments: [preservingID ? v.id : nil, v.patientID, v.practitionerID, v.referralID, v.startedAt, v.complaint,
                             v.pain.now?.value, v.pain.best?.value, v.pain.worst?.value, try encode(v.psfs),
                             v.notes, v.likelyCauseNotes, v.impression?.text, v.impression?.code, v.impression?.codeSystem?.rawValue])
        let id = lastID()
        v.id = id
        try appendAudit(AuditEvent(actor: actor, action: .create, entity: "visit", entityID: id, patientID: v.patientID))
        v.triggerPoints = try v.triggerPoints.map { try insertTriggerPoint($0, visitID: id, actor: nil, preservingID: preservingID) }
        v.biomechanics = try v.biomechanics.map { try insertBiomechanical($0, visitID: id, actor: nil, preservingID: preservingID) }
        v.treatments = try v.treatments.map { try insertTreatment($0, visitID: id, actor: nil, preservingID: preservingID) }
        v.needling = try v.needling.map { try insertNeedling($0, visitID: id, actor: nil, preservingID: preservingID) }
        v.outcomes = try v.outcomes.map { try insertOutcome($0, visitID: id, actor: nil, preservingID: preservingID) }
        if v.status == .signed, let at = v.signedAt {
            try db.cachedStatement(sql: "UPDATE visit SET status = 'signed', signed_at = ? WHERE id = ?").execute(arguments: [Self.truncated(at), id])
        } else {
            v.status = .draft
            v.signedAt = nil
        }
        return v
    }

    /// The draft's revision (bumped by every save), for detecting two sessions editing one draft.
    public func visitRevision(id: Int64) throws -> Int {
        guard let r = try Int.fetchOne(db.cachedStatement(sql: "SELECT revision FROM visit WHERE id = ?"), arguments: [id]) else {
            throw StoreError.notFound(entity: "visit", key: String(id))
        }
        return r
    }

    /// Saves a draft's header. When `expectedRevision` is given and another session saved in
    /// between, nothing is written and `draftConflict` is thrown.
    @discardableResult
    public func updateVisitHeader(_ v: Visit, expectedRevision: Int? = nil, actor: String) throws -> Int {
        guard let id = v.id else { throw StoreError.notFound(entity: "visit", key: "(new)") }
        do { try v.validateHeader() } catch { throw StoreError.invalid(error) }
        let current = try visitRevision(id: id)
        if let expectedRevision, expectedRevision != current { throw StoreError.draftConflict(visitID: id) }
        try db.cachedStatement(sql: """
            UPDATE visit SET referral_id = ?, complaint = ?, pain_now = ?, pain_best = ?, pain_worst = ?, psfs_json = ?,
              notes = ?, likely_cause_notes = ?, impression = ?, impression_code = ?, impression_code_system = ?,
              revision = revision + 1 WHERE id = ?
            """).execute(arguments: [v.referralID, v.complaint, v.pain.now?.value, v.pain.best?.value, v.pain.worst?.value,
                             try encode(v.psfs), v.notes, v.likelyCauseNotes, v.impression?.text, v.impression?.code,
                             v.impression?.codeSystem?.rawValue, id])
        try appendAudit(AuditEvent(actor: actor, action: .update, entity: "visit", entityID: id, patientID: v.patientID))
        return current + 1
    }

    func bumpRevision(_ visitID: Int64) throws {
        try db.cachedStatement(sql: "UPDATE visit SET revision = revision + 1 WHERE id = ?").execute(arguments: [visitID])
    }

    func patientID(visitID: Int64) throws -> Int64 {
        guard let p = try Int64.fetchOne(db.cachedStatement(sql: "SELECT patient_id FROM visit WHERE id = ?"), arguments: [visitID]) else {
            throw StoreError.notFound(entity: "visit", key: String(visitID))
        }
        return p
    }

    /// Signs a visit: from now on it is only amended. The schema refuses it while needles do not balance.
    public func signVisit(id: Int64, at: Date = Date(), actor: String) throws {
        let pid = try patientID(visitID: id)
        try db.cachedStatement(sql: "UPDATE visit SET status = 'signed', signed_at = ?, revision = revision + 1 WHERE id = ?").execute(arguments: [Self.truncated(at), id])
        try appendAudit(AuditEvent(actor: actor, action: .sign, entity: "visit", entityID: id, patientID: pid))
    }

    // MARK: children

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
                             try encode(e.adverseEvents), e.sharpsDisposed, e.performedAt.map(Self.truncated),
                             e.lateEntry.map { Self.truncated($0.writtenAt) }, e.lateEntry?.writtenBy])
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

    // MARK: reading

    public func visit(id: Int64) throws -> Visit? {
        guard let r = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM visit WHERE id = ?"), arguments: [id]) else { return nil }
        return try visit(r)
    }

    func visit(_ row: Row) throws -> Visit {
        let r = row.checked("visit")
        let id: Int64 = try r["id"]
        var v = try Visit(id: id, patientID: r["patient_id"], practitionerID: r["practitioner_id"], referralID: r["referral_id"],
                      startedAt: r["started_at"], complaint: r["complaint"],
                      pain: PainScores(now: r.measure("pain_now"), best: r.measure("pain_best"), worst: r.measure("pain_worst")),
                      psfs: r.json([PSFSItem].self, "psfs_json"), notes: r["notes"],
                      likelyCauseNotes: r["likely_cause_notes"], status: r.enumeration("status"),
                      signedAt: r["signed_at"])
        if let text: String = try r["impression"] {
            let code: String? = try r["impression_code"]
            let system: ClinicalImpression.CodeSystem? = try r.optionalEnumeration("impression_code_system")
            v.impression = ClinicalImpression(text: text, code: code, codeSystem: system)
        }
        v.outcomes = try outcomes(visitID: id)
        v.triggerPoints = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM trigger_point WHERE visit_id = ? AND struck_at IS NULL ORDER BY id"), arguments: [id]).map { row in
            let t = row.checked("trigger_point")
            return try TriggerPointFinding(
                id: t["id"], muscleID: t["muscle_id"], side: t.enumeration("side"), location: t["location"],
                activity: t.enumeration("activity"), tautBand: t["taut_band"], localTwitchResponse: t["local_twitch"],
                referredPainReproduced: t["referred_pain"], tenderness: t.measure("tenderness"),
                pressurePainThreshold: t.measure("ppt_kg_cm2", as: KilogramsPerSquareCentimetre.self).map {
                    PressurePainThreshold(value: $0, probeSizeCm2: try t["ppt_probe_cm2"] ?? 1)
                },
                likelyCauses: t.commaList("likely_causes"),
                notes: t["notes"])
        }
        v.biomechanics = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM biomechanical_finding WHERE visit_id = ? AND struck_at IS NULL ORDER BY id"), arguments: [id]).map { row in
            let b = row.checked("biomechanical_finding")
            return try BiomechanicalFinding(id: b["id"], measure: b.json(BiomechanicalMeasure.self, "measure_json"),
                                            side: b.enumeration("side"), notes: b["notes"])
        }
        v.treatments = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM treatment WHERE visit_id = ? AND struck_at IS NULL ORDER BY id"), arguments: [id]).map { row in
            let t = row.checked("treatment")
            return try Treatment(id: t["id"], kind: t.enumeration("kind"), muscleID: t["muscle_id"],
                                 side: t.optionalEnumeration("side"),
                                 holdTime: t.measure("hold_seconds"), cycles: t.optionalCount("cycles"), notes: t["notes"])
        }
        v.needling = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM needling_entry WHERE visit_id = ? AND struck_at IS NULL ORDER BY id"), arguments: [id]).map { row in
            let n = row.checked("needling_entry")
            let code: String = try n["technique"]
            let technique: NeedlingTechnique = switch code {
            case "static": .staticInSitu
            case "electrical": .electricalStimulation(settings: try n["estim_settings"] ?? "")
            case "pistoning": .pistoning
            default: throw n.damaged("technique", "\(CheckedRow.quoted(code)) is not a known technique")
            }
            return try NeedlingEntry(
                id: n["id"], muscleID: n["muscle_id"], side: n.enumeration("side"), triggerPoint: n["trigger_point"],
                needle: Needle(brand: n["needle_brand"], gaugeMm: n["needle_gauge_mm"], lengthMm: n["needle_length_mm"], lot: n["needle_lot"]),
                needlesInserted: n.count("inserted"), needlesRemoved: n.count("removed"), technique: technique,
                depth: n.measure("depth_mm"), timeInSitu: n.measure("time_in_situ_s"),
                twitchResponses: n.count("twitch_responses"), patientResponse: n["patient_response"],
                adverseEvents: n.json([AdverseEvent].self, "adverse_events_json"), sharpsDisposed: n["sharps_disposed"],
                performedAt: n["performed_at"], lateEntry: Self.lateEntry(n))
        }
        return v
    }

    /// One outcome measure row, its items range-checked (a row edited outside Knot is reported
    /// as damaged, naming its table, row and column).
    static func outcome(_ o: CheckedRow) throws -> OutcomeMeasure {
        let id: Int64 = try o["id"]
        let scale: OutcomeScale = try o.enumeration("scale")
        let m = OutcomeMeasure(unchecked: scale, items: try o.json([Int?].self, "items_json"), id: id)
        do throws(ValidationErrors) { try m.validate() } catch {
            throw o.damaged("items_json", (error.errors.first.map { "\($0.value): \($0.rule)" }) ?? "is not valid")
        }
        return m
    }

    /// The outcome measures in force at a visit (none struck out), in the order they were recorded.
    public func outcomes(visitID: Int64) throws -> [OutcomeMeasure] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM outcome_measure WHERE visit_id = ? AND struck_at IS NULL ORDER BY id"), arguments: [visitID]).map { row in
            try Self.outcome(row.checked("outcome_measure"))
        }
    }

    /// A patient's outcome measures with their visit's id and start, oldest visit first (for the
    /// chart's trends, without reading every visit in full).
    public func outcomes(patientID: Int64) throws -> [(visitID: Int64, startedAt: Date, measure: OutcomeMeasure)] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT o.*, v.started_at AS visit_started_at FROM outcome_measure o JOIN visit v ON v.id = o.visit_id
            WHERE v.patient_id = ? AND o.struck_at IS NULL ORDER BY v.started_at, v.id, o.id
            """), arguments: [patientID]).map { row in
            let o = row.checked("outcome_measure")
            return (try o["visit_id"], try o["visit_started_at"], try Self.outcome(o))
        }
    }

    /// A patient's visits, oldest first, with their findings and entries.
    public func visits(patientID: Int64) throws -> [Visit] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM visit WHERE patient_id = ? ORDER BY started_at, id"), arguments: [patientID]).map(visit)
    }

    /// The visit timeline of a patient, newest first.
    ///
    /// The complaint and pain now are as last amended (the list, the pain trend and `knot
    /// history` show the corrected note; the visit itself keeps the signed original beside its
    /// amendments).
    public func visitSummaries(patientID: Int64) throws -> [VisitSummary] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT v.id, v.patient_id, v.practitioner_id, v.started_at, v.status,
              coalesce((\(Self.amendedValue("complaint"))), v.complaint) AS complaint,
              coalesce(CAST((\(Self.amendedValue("pain.now"))) AS INTEGER), v.pain_now) AS pain_now,
              coalesce((SELECT sum(inserted) FROM needling_entry n WHERE n.visit_id = v.id AND n.struck_at IS NULL), 0) AS ins,
              coalesce((SELECT sum(removed) FROM needling_entry n WHERE n.visit_id = v.id AND n.struck_at IS NULL), 0) AS rem,
              (SELECT count(*) FROM amendment a WHERE a.visit_id = v.id) AS amendments
            FROM visit v WHERE v.patient_id = ? ORDER BY v.started_at DESC, v.id DESC
            """), arguments: [patientID]).map { row in
            let r = row.checked("visit")
            return try VisitSummary(id: r["id"], patientID: r["patient_id"], practitionerID: r["practitioner_id"], startedAt: r["started_at"],
                                    status: r.enumeration("status"), complaint: r["complaint"], painNow: r["pain_now"],
                                    needlesInserted: r.count("ins"), needlesRemoved: r.count("rem"), amendments: r["amendments"])
        }
    }

    /// The value of `field` after the visit's latest amendment that changed it (SQL over the
    /// amendments' JSON; NULL when none did, or when it left the field blank, so the signed value
    /// shows).
    static func amendedValue(_ field: String) -> String {
        """
        SELECT nullif(json_extract(c.value, '$.after'), '') FROM amendment a, json_each(a.changes_json) c
        WHERE a.visit_id = v.id AND json_extract(c.value, '$.field') = '\(field)' ORDER BY a.id DESC, c.key DESC LIMIT 1
        """
    }

    /// Needling entries in a period with their visit, practitioner and patient record number.
    public func needlingLog(from: Date, to: Date) throws -> [(visit: VisitSummary, recordNumber: String, practitioner: String, entry: NeedlingEntry)] {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT v.id AS vid, p.record_number, pr.handle FROM visit v JOIN patient p ON p.id = v.patient_id
            JOIN practitioner pr ON pr.id = v.practitioner_id
            WHERE v.started_at >= ? AND v.started_at < ? AND EXISTS (SELECT 1 FROM needling_entry n WHERE n.visit_id = v.id AND n.struck_at IS NULL)
            ORDER BY v.started_at, v.id
            """), arguments: [from, to])
        var out: [(VisitSummary, String, String, NeedlingEntry)] = []
        for row in rows {
            let r = row.checked("visit", key: "vid")
            guard let v = try visit(id: r["vid"]) else { continue }
            let s = VisitSummary(id: v.id!, patientID: v.patientID, practitionerID: v.practitionerID, startedAt: v.startedAt,
                                 status: v.status, complaint: nil, painNow: v.pain.now?.value,
                                 needlesInserted: v.needleCount.inserted, needlesRemoved: v.needleCount.removed, amendments: 0)
            let record: String = try r["record_number"], handle: String = try r["handle"]
            for e in v.needling { out.append((s, record, handle, e)) }
        }
        return out
    }

    // MARK: amendments

    @discardableResult
    public func insertAmendment(_ a: Amendment, actor: String, preservingID: Bool = false) throws -> Amendment {
        do { try a.validate() } catch { throw StoreError.invalid(error) }
        var a = a
        a.amendedAt = Self.truncated(a.amendedAt)
        let pid = try patientID(visitID: a.visitID)
        try db.cachedStatement(sql: "INSERT INTO amendment (id, visit_id, practitioner_id, amended_at, reason, changes_json) VALUES (?, ?, ?, ?, ?, ?)").execute(arguments: [preservingID ? a.id : nil, a.visitID, a.practitionerID, a.amendedAt, a.reason, try encode(a.changes)])
        a.id = lastID()
        try appendAudit(AuditEvent(actor: actor, action: .amend, entity: "visit", entityID: a.visitID, patientID: pid, detail: "amendment \(a.id!)"))
        return a
    }

    public func amendments(visitID: Int64) throws -> [Amendment] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM amendment WHERE visit_id = ? ORDER BY id"), arguments: [visitID]).map(amendment)
    }

    public func amendments(patientID: Int64) throws -> [Amendment] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT a.* FROM amendment a JOIN visit v ON v.id = a.visit_id WHERE v.patient_id = ? ORDER BY a.id"), arguments: [patientID]).map(amendment)
    }

    func amendment(_ row: Row) throws -> Amendment {
        let r = row.checked("amendment")
        return try Amendment(id: r["id"], visitID: r["visit_id"], practitionerID: r["practitioner_id"], amendedAt: r["amended_at"],
                             reason: r["reason"], changes: r.json([Amendment.Change].self, "changes_json"))
    }

    // MARK: plans

    /// Stores a plan as a new version for its visit.
    @discardableResult
    public func insertPlan(_ plan: FollowUpPlan, actor: String, preservingID: Bool = false) throws -> FollowUpPlan {
        do { try plan.validate() } catch { throw StoreError.invalid(error) }
        var p = plan
        p.createdAt = Self.truncated(p.createdAt)
        let pid = try patientID(visitID: p.visitID)
        if !preservingID {
            p.version = (try Int.fetchOne(db.cachedStatement(sql: "SELECT coalesce(max(version), 0) + 1 FROM follow_up_plan WHERE visit_id = ?"), arguments: [p.visitID])) ?? 1
        }
        try db.cachedStatement(sql: "INSERT INTO follow_up_plan (id, visit_id, version, status, created_at, review_date, items_json) VALUES (?, ?, ?, ?, ?, ?, ?)").execute(arguments: [preservingID ? p.id : nil, p.visitID, p.version, p.status.rawValue, p.createdAt, p.reviewDate, try encode(p.items)])
        p.id = lastID()
        try appendAudit(AuditEvent(actor: actor, action: .create, entity: "plan", entityID: p.id, patientID: pid, detail: "version \(p.version) \(p.status.rawValue)"))
        return p
    }

    public func plans(visitID: Int64) throws -> [FollowUpPlan] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM follow_up_plan WHERE visit_id = ? ORDER BY version"), arguments: [visitID]).map(plan)
    }

    public func plans(patientID: Int64) throws -> [FollowUpPlan] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT f.* FROM follow_up_plan f JOIN visit v ON v.id = f.visit_id WHERE v.patient_id = ? ORDER BY f.visit_id, f.version"), arguments: [patientID]).map(plan)
    }

    func plan(_ row: Row) throws -> FollowUpPlan {
        let r = row.checked("follow_up_plan")
        return try FollowUpPlan(id: r["id"], visitID: r["visit_id"], version: r["version"], status: r.enumeration("status"),
                                createdAt: r["created_at"], reviewDate: r["review_date"], items: r.json([FollowUpPlan.Item].self, "items_json"))
    }

    /// The latest final plan's review date per patient, due on or before `dueBy`, for the recall list.
    public func reviewsDue(by dueBy: LocalDate) throws -> [(patient: PatientSummary, reviewDate: LocalDate, visitID: Int64)] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT \(Self.summaryColumns), d.rd AS rd, d.vid AS vid FROM patient p" + """
             JOIN (SELECT v.patient_id AS pid, f.review_date AS rd, f.visit_id AS vid,
                          row_number() OVER (PARTITION BY v.patient_id ORDER BY v.started_at DESC, f.version DESC) AS rn
                   FROM follow_up_plan f JOIN visit v ON v.id = f.visit_id
                   WHERE f.status = 'final' AND f.review_date IS NOT NULL) d ON d.pid = p.id AND d.rn = 1
            WHERE p.archived = 0 AND d.rd <= ?
              AND NOT EXISTS (SELECT 1 FROM visit later JOIN visit planned ON planned.id = d.vid
                              WHERE later.patient_id = p.id AND later.started_at > planned.started_at)
            ORDER BY d.rd, p.sort_name
            """), arguments: [dueBy]).map { r in
                let plan = r.checked("follow_up_plan", key: "vid")
                return try (Self.summary(r), plan["rd"], plan["vid"])
            }
    }

    /// Everything for one patient, for export.
    public func patientRecord(id: Int64) throws -> PatientRecord? {
        guard let p = try patient(id: id) else { return nil }
        var record = PatientRecord(
            patient: p, referrals: try referralStatuses(patientID: id, withLetters: true).map(\.referral).sorted { ($0.id ?? 0) < ($1.id ?? 0) },
            consents: try consents(patientID: id), screens: try screens(patientID: id), visits: try visits(patientID: id),
            amendments: try amendments(patientID: id), plans: try plans(patientID: id))
        record.mergedInto = try mergedInto(patientID: id).flatMap { try patient(id: $0)?.recordNumber }
        return record
    }

    /// Patient ids in id order (optionally only those with changes since `since`), for streaming exports.
    public func patientIDs(changedSince since: Date? = nil) throws -> [Int64] {
        if let since {
            return try Int64.fetchAll(db.cachedStatement(sql: """
                SELECT id FROM patient WHERE updated_at >= ? OR id IN (SELECT patient_id FROM visit WHERE started_at >= ?)
                ORDER BY id
                """), arguments: [since, since])
        }
        return try Int64.fetchAll(db.cachedStatement(sql: "SELECT id FROM patient ORDER BY id"))
    }
}

extension StoreTransaction {
    /// Records that a chart was opened (every view of a patient's chart is audited).
    public func auditView(patientID: Int64, actor: String, what: String = "chart") throws {
        try appendAudit(AuditEvent(actor: actor, action: .view, entity: "patient", entityID: patientID, patientID: patientID, detail: what))
    }
}

extension StoreTransaction {
    /// The needle of the practitioner's most recent needling entry (remembered for the next one).
    public func lastNeedle(practitionerID: Int64) throws -> Needle? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT n.needle_brand, n.needle_gauge_mm, n.needle_length_mm, n.needle_lot FROM needling_entry n
            JOIN visit v ON v.id = n.visit_id WHERE v.practitioner_id = ? AND n.struck_at IS NULL ORDER BY n.id DESC LIMIT 1
            """), arguments: [practitionerID]).map { row in
            let n = row.checked("needling_entry", key: "needle_lot")
            return try Needle(brand: n["needle_brand"], gaugeMm: n["needle_gauge_mm"], lengthMm: n["needle_length_mm"], lot: n["needle_lot"])
        }
    }
}
