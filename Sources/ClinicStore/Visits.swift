import Foundation
import GRDB
import ClinicModel

extension StoreTransaction {
    // MARK: visit header

    /// Opens a draft visit (header only; findings and entries are added one by one).
    @discardableResult
    public func insertVisit(_ v: Visit, actor: String, preservingID: Bool = false) throws -> Visit {
        if !modelChecked { do { try v.validateHeader() } catch { throw StoreError.invalid(error) } }
        var v = v
        v.startedAt = Self.truncated(v.startedAt)
        // Bound in place (no argument array per visit: a whole-clinic import writes thousands).
        var insert = InPlaceBinding(try db.cachedStatement(sql: """
            /* bound in place */ INSERT INTO visit (id, patient_id, practitioner_id, referral_id, started_at, complaint, pain_now, pain_best, pain_worst,
              psfs_json, notes, likely_cause_notes, status, signed_at, revision, impression, impression_code, impression_code_system)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', NULL, 0, ?, ?, ?)
            """), direct: scratch.directSteps)
        insert.int(preservingID ? v.id : nil); insert.int(v.patientID); insert.int(v.practitionerID); insert.int(v.referralID)
        insert.value(StoredDateText.databaseValue(v.startedAt)); insert.text(v.complaint)
        insert.int(v.pain.now?.value); insert.int(v.pain.best?.value); insert.int(v.pain.worst?.value)
        insert.text(VisitColumnsJSON.psfs(v.psfs))
        insert.text(v.notes); insert.text(v.likelyCauseNotes)
        insert.text(v.impression?.text); insert.text(v.impression?.code); insert.text(v.impression?.codeSystem?.rawValue)
        try insert.execute()
        let id = lastID()
        v.id = id
        try appendAudit(AuditEvent(actor: actor, action: .create, entity: "visit", entityID: id, patientID: v.patientID))
        if preservingID, scratch.directSteps != nil, v.triggerPoints.allSatisfy({ $0.id != nil }), v.biomechanics.allSatisfy({ $0.id != nil }),
           v.treatments.allSatisfy({ $0.id != nil }), v.needling.allSatisfy({ $0.id != nil }) {
            // A whole-clinic load, every entry with its id: each kind's rows by one statement
            // (`RowsInsert`), the same rows in the same order as one statement each.
            if !modelChecked {
                do {
                    for f in v.triggerPoints { try f.validate() }
                    for f in v.biomechanics { try f.validate() }
                    for t in v.treatments { try t.validate() }
                    for e in v.needling { try e.validate() }
                } catch { throw StoreError.invalid(error) }
            }
            try insertRows(v.triggerPoints, Self.triggerPointInsert) { Self.bind($0, visitID: id, preservingID: true, into: &$1) }
            try insertRows(v.biomechanics, Self.biomechanicalInsert) { try bind($0, visitID: id, preservingID: true, into: &$1) }
            try insertRows(v.treatments, Self.treatmentInsert) { Self.bind($0, visitID: id, preservingID: true, into: &$1) }
            try insertRows(v.needling, Self.needlingInsert) { Self.bind($0, visitID: id, preservingID: true, into: &$1) }
        } else {
            v.triggerPoints = try v.triggerPoints.map { try insertTriggerPoint($0, visitID: id, actor: nil, preservingID: preservingID) }
            v.biomechanics = try v.biomechanics.map { try insertBiomechanical($0, visitID: id, actor: nil, preservingID: preservingID) }
            v.treatments = try v.treatments.map { try insertTreatment($0, visitID: id, actor: nil, preservingID: preservingID) }
            v.needling = try v.needling.map { try insertNeedling($0, visitID: id, actor: nil, preservingID: preservingID) }
        }
        v.outcomes = try v.outcomes.map { try insertOutcome($0, visitID: id, actor: nil, preservingID: preservingID) }
        if v.status == .signed, let at = v.signedAt {
            var sign = InPlaceBinding(try db.cachedStatement(sql: "/* bound in place */ UPDATE visit SET status = 'signed', signed_at = ? WHERE id = ?"), direct: scratch.directSteps)
            sign.value(StoredDateText.databaseValue(Self.truncated(at))); sign.int(id)
            try sign.execute()
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
                             VisitColumnsJSON.psfs(v.psfs), v.notes, v.likelyCauseNotes, v.impression?.text, v.impression?.code,
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

    // MARK: reading

    public func visit(id: Int64) throws -> Visit? {
        guard let r = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM visit WHERE id = ?"), arguments: [id]) else { return nil }
        return try visit(r)
    }

    func visit(_ row: Row) throws -> Visit {
        var v = try visitHead(row)
        let id = v.id!
        v.outcomes = try outcomes(visitID: id)
        v.triggerPoints = try Row.mapEach(db.cachedStatement(sql: "SELECT * FROM trigger_point WHERE visit_id = ? AND struck_at IS NULL ORDER BY id"), arguments: [id], Self.triggerPoint)
        v.biomechanics = try Row.mapEach(db.cachedStatement(sql: "SELECT * FROM biomechanical_finding WHERE visit_id = ? AND struck_at IS NULL ORDER BY id"), arguments: [id], Self.biomechanics)
        v.treatments = try Row.mapEach(db.cachedStatement(sql: "SELECT * FROM treatment WHERE visit_id = ? AND struck_at IS NULL ORDER BY id"), arguments: [id], Self.treatment)
        v.needling = try Row.mapEach(db.cachedStatement(sql: "SELECT * FROM needling_entry WHERE visit_id = ? AND struck_at IS NULL ORDER BY id"), arguments: [id], Self.needling)
        return v
    }

    /// A visit's own row, without its findings, treatments, entries and outcome measures.
    func visitHead(_ row: Row) throws -> Visit {
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
        return v
    }

    static func triggerPoint(_ row: Row) throws -> TriggerPointFinding {
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

    static func biomechanics(_ row: Row) throws -> BiomechanicalFinding {
        let b = row.checked("biomechanical_finding")
        return try BiomechanicalFinding(id: b["id"], measure: b.json(BiomechanicalMeasure.self, "measure_json"),
                                        side: b.enumeration("side"), notes: b["notes"])
    }

    static func treatment(_ row: Row) throws -> Treatment {
        let t = row.checked("treatment")
        return try Treatment(id: t["id"], kind: t.enumeration("kind"), muscleID: t["muscle_id"],
                             side: t.optionalEnumeration("side"),
                             holdTime: t.measure("hold_seconds"), cycles: t.optionalCount("cycles"), notes: t["notes"])
    }

    static func needling(_ row: Row) throws -> NeedlingEntry {
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

    /// A patient's visits, oldest first, with their findings and entries.
    ///
    /// Five statements per patient for the visits' findings, entries and measures (each table's
    /// rows of all the patient's visits, in visit and id order), not five per visit: the same
    /// rows, in the same order, as `visit(id:)` reads for each (a whole-clinic export reads
    /// every patient this way).
    public func visits(patientID: Int64) throws -> [Visit] {
        var visits = try Row.mapEach(db.cachedStatement(sql: "SELECT * FROM visit WHERE patient_id = ? ORDER BY started_at, id"), arguments: [patientID], visitHead)
        guard !visits.isEmpty else { return visits }
        var at: [Int64: Int] = [:]
        at.reserveCapacity(visits.count)
        for (i, v) in visits.enumerated() { at[v.id!] = i }
        /// Each row of `table` of the patient's visits (none struck out), by visit then id, to its visit.
        func each(_ table: String, _ body: (Row, Int) throws -> Void) throws {
            let statement = try db.cachedStatement(sql: """
                SELECT x.* FROM \(table) x JOIN visit v ON v.id = x.visit_id
                WHERE v.patient_id = ? AND x.struck_at IS NULL ORDER BY x.visit_id, x.id
                """)
            let rows = try Row.fetchCursor(statement, arguments: [patientID])
            while let row = try rows.next() {
                let visitID: Int64 = try row.checked(table)["visit_id"]
                guard let i = at[visitID] else { continue }
                try body(row, i)
            }
        }
        try each("outcome_measure") { row, i in visits[i].outcomes.append(try Self.outcome(row.checked("outcome_measure"))) }
        try each("trigger_point") { row, i in visits[i].triggerPoints.append(try Self.triggerPoint(row)) }
        try each("biomechanical_finding") { row, i in visits[i].biomechanics.append(try Self.biomechanics(row)) }
        try each("treatment") { row, i in visits[i].treatments.append(try Self.treatment(row)) }
        try each("needling_entry") { row, i in visits[i].needling.append(try Self.needling(row)) }
        return visits
    }
}

