import Foundation
import ClinicModel
import ClinicStore

/// A visit with everything shown beside it: amendments, plans and the needle-count state.
public struct VisitRecord: Sendable, Codable {
    public var visit: Visit
    public var patient: PatientSummary
    public var practitioner: String
    public var amendments: [Amendment]
    public var plans: [FollowUpPlan]
    public var needlesInserted: Int
    public var needlesRemoved: Int
    /// Who made each amendment: practitioner id to name (not part of the JSON, which keeps
    /// `practitionerID` on each amendment).
    public var amendedBy: [Int64: String] = [:]

    enum CodingKeys: String, CodingKey {
        case visit, patient, practitioner, amendments, plans, needlesInserted, needlesRemoved
    }

    /// The name of the practitioner who made `amendment` ("practitioner N" when unknown).
    public func author(of amendment: Amendment) -> String {
        amendedBy[amendment.practitionerID] ?? "practitioner \(amendment.practitionerID)"
    }

    /// Shown everywhere until it is resolved.
    public var needleCountWarning: String? {
        needlesInserted == needlesRemoved ? nil
            : "NEEDLE COUNT: \(needlesInserted) in, \(needlesRemoved) out — \(needlesInserted - needlesRemoved) unaccounted for"
    }
}

/// A visit's point in a patient's pain trend.
public struct HistoryEntry: Sendable, Codable {
    public var visitID: Int64
    public var date: LocalDate
    public var status: VisitStatus
    public var painNow: Int?
    public var complaint: String?
    public var needles: Int
    public var amendments: Int
}

extension ClinicSession {
    func patientOrThrow(_ tx: any ClinicRecordReader, _ key: String) throws -> Patient {
        guard let p = try tx.patient(key: key) else { throw ServiceError.notFound("no patient '\(key)'") }
        return p
    }

    func draftVisit(_ tx: any ClinicRecordReader, _ id: Int64, for action: String) throws -> Visit {
        guard let v = try tx.visit(id: id) else { throw ServiceError.notFound("no visit \(id)") }
        if v.status == .signed {
            throw ServiceError.refused(action: action, reasons: ["visit \(id) is signed; corrections are amendments (knot visit amend)"])
        }
        return v
    }

    /// A visit's referral must exist and be its own patient's, the visit cannot predate the
    /// patient's birth, and pain now cannot exceed the worst pain. (Checked where visits are
    /// typed, not on records read back, so an export made before these rules still imports.)
    func checkVisitBelongs(_ v: Visit, to p: Patient, _ tx: any ClinicRecordReader, action: String) throws {
        if let rid = v.referralID {
            guard let r = try tx.referral(id: rid, withLetter: false) else { throw ServiceError.notFound("no referral \(rid)") }
            if r.patientID != p.id {
                throw ServiceError.refused(action: action, reasons: [
                    "referral \(rid) belongs to another patient, not \(p.recordNumber); a visit links only to its own patient's referrals (knot referral list \(p.recordNumber))"])
            }
        }
        var problems: [ValidationError] = []
        let day = LocalDate(v.startedAt)
        if day < p.dateOfBirth {
            problems.append(ValidationError(field: "date", value: day.description,
                                            rule: "is before the patient's date of birth (\(p.dateOfBirth))"))
        }
        if let now = v.pain.now, let worst = v.pain.worst, now > worst {
            problems.append(ValidationError(field: "pain.now", value: "\(now.value)",
                                            rule: "is worse than pain.worst (\(worst.value)): the worst pain includes pain now"))
        }
        if !problems.isEmpty { throw ValidationErrors(problems) }
    }

    /// Opens a draft visit for a patient, linked to the patient's current referral when there is one.
    public func newVisit(patientKey: String, at date: Date = Date(), complaint: String?, pain: PainScores,
                         psfs: [PSFSItem] = [], notes: String? = nil, referralID: Int64? = nil) throws -> Visit {
        let me = try requirePractitioner(for: "record a visit")
        return try database.write { tx in
            let p = try patientOrThrow(tx, patientKey)
            var referral = referralID
            if referral == nil {
                referral = try tx.referralStatuses(patientID: p.id!).first { $0.isCurrent(on: LocalDate(date)) }?.referral.id
            }
            let v = Visit(patientID: p.id!, practitionerID: me.id!, referralID: referral, startedAt: date,
                          complaint: complaint, pain: pain, psfs: psfs, notes: notes)
            try checkVisitBelongs(v, to: p, tx, action: "record a visit")
            return try tx.insertVisit(v, actor: actor)
        }
    }

    /// Saves a draft's header; `expectedRevision` guards against a silent overwrite by another session.
    public func saveDraft(_ visit: Visit, expectedRevision: Int?) throws -> Int {
        _ = try requirePractitioner(for: "edit a visit")
        return try database.write { tx in
            let stored = try draftVisit(tx, visit.id!, for: "edit the visit")
            if let p = try tx.patient(id: stored.patientID) {
                var checked = visit
                checked.patientID = stored.patientID
                try checkVisitBelongs(checked, to: p, tx, action: "edit the visit")
            }
            return try tx.updateVisitHeader(visit, expectedRevision: expectedRevision, actor: actor)
        }
    }

    public func addTriggerPoint(visitID: Int64, _ f: TriggerPointFinding) throws -> TriggerPointFinding {
        _ = try requirePractitioner(for: "record findings")
        return try database.write { tx in
            _ = try draftVisit(tx, visitID, for: "add a finding")
            return try tx.insertTriggerPoint(f, visitID: visitID, actor: actor)
        }
    }

    public func addBiomechanical(visitID: Int64, _ f: BiomechanicalFinding) throws -> BiomechanicalFinding {
        _ = try requirePractitioner(for: "record findings")
        return try database.write { tx in
            _ = try draftVisit(tx, visitID, for: "add a finding")
            return try tx.insertBiomechanical(f, visitID: visitID, actor: actor)
        }
    }

    public func addTreatment(visitID: Int64, _ t: Treatment) throws -> Treatment {
        _ = try requirePractitioner(for: "record treatment")
        return try database.write { tx in
            _ = try draftVisit(tx, visitID, for: "add a treatment")
            return try tx.insertTreatment(t, visitID: visitID, actor: actor)
        }
    }

    /// Records informed consent for dry needling.
    public func recordConsent(patientKey: String, _ build: (Int64, Int64) -> Consent) throws -> Consent {
        let me = try requirePractitioner(for: "record consent")
        return try database.write { tx in
            let p = try patientOrThrow(tx, patientKey)
            return try tx.insertConsent(build(p.id!, me.id!), actor: actor)
        }
    }

    /// Records the precaution screen. Confirmed precautions on the chart must be answered present.
    public func recordScreen(patientKey: String, present: Set<Precaution>, acknowledgments: [Precaution: String],
                             validDays: Int = 90, at: Date = Date()) throws -> PrecautionScreen {
        let me = try requirePractitioner(for: "record the precaution screen")
        return try database.write { tx in
            let p = try patientOrThrow(tx, patientKey)
            let missing = Set(p.confirmedPrecautions).subtracting(present)
            if !missing.isEmpty {
                throw ServiceError.refused(action: "record the screen", reasons: missing.sorted { $0.rawValue < $1.rawValue }.map {
                    "the chart has a confirmed precaution '\($0.displayName)'; answer it present (--present \($0.rawValue)) with a reason"
                })
            }
            let s = PrecautionScreen(patientID: p.id!, practitionerID: me.id!, recordedAt: at, present: present,
                                     acknowledgments: acknowledgments, validUntil: LocalDate(at).adding(days: validDays))
            return try tx.insertScreen(s, actor: actor)
        }
    }

    /// Adds a needling entry after the safety rules: consent, screen, acknowledged precautions.
    /// Returns the entry and any warnings (no training on file).
    public func addNeedling(visitID: Int64, _ entry: NeedlingEntry) throws -> (NeedlingEntry, [String]) {
        let me = try requirePractitioner(for: "record dry needling")
        return try database.write { tx in
            let v = try draftVisit(tx, visitID, for: "add a needling entry")
            guard let p = try tx.patient(id: v.patientID) else { throw ServiceError.notFound("no patient \(v.patientID)") }
            let refusals = NeedlingSafety.checkMayNeedle(visit: v, patient: p, consents: try tx.consents(patientID: p.id!),
                                                         screens: try tx.screens(patientID: p.id!))
            if !refusals.isEmpty {
                throw ServiceError.refused(action: "record a needling entry", reasons: refusals.map(\.description))
            }
            let saved = try tx.insertNeedling(entry, visitID: visitID, actor: actor)
            return (saved, [NeedlingSafety.trainingWarning(for: me)].compactMap { $0 })
        }
    }

    public func setNeedlesRemoved(entryID: Int64, removed: Int) throws {
        _ = try requirePractitioner(for: "record needles removed")
        try database.write { tx in try tx.updateNeedlesRemoved(entryID: entryID, removed: removed, actor: actor) }
    }

    /// Signs a visit: refused while the needle count does not balance or by anyone but its practitioner.
    public func sign(visitID: Int64) throws -> Visit {
        let me = try requirePractitioner(for: "sign a visit")
        return try database.write { tx in
            guard let v = try tx.visit(id: visitID) else { throw ServiceError.notFound("no visit \(visitID)") }
            let refusals = NeedlingSafety.checkMaySign(visit: v, by: me.id!)
            if !refusals.isEmpty { throw ServiceError.refused(action: "sign visit \(visitID)", reasons: refusals.map(\.description)) }
            try tx.signVisit(id: visitID, actor: actor)
            return try tx.visit(id: visitID)!
        }
    }

    /// Amends a signed visit: the original stays, the amendment sits beside it.
    public func amend(visitID: Int64, reason: String, changes: [Amendment.Change]) throws -> Amendment {
        let me = try requirePractitioner(for: "amend a visit")
        return try database.write { tx in
            guard let v = try tx.visit(id: visitID) else { throw ServiceError.notFound("no visit \(visitID)") }
            guard v.status == .signed else {
                throw ServiceError.refused(action: "amend visit \(visitID)", reasons: ["it is still a draft: edit it directly, amendments are for signed notes"])
            }
            return try tx.insertAmendment(Amendment(visitID: visitID, practitionerID: me.id!, reason: reason, changes: changes), actor: actor)
        }
    }

    /// A visit with its amendments and plans (audited as a view).
    public func visitRecord(id: Int64) throws -> VisitRecord {
        try requireClinicalAccess()
        return try database.write { tx in
            guard let v = try tx.visit(id: id) else { throw ServiceError.notFound("no visit \(id)") }
            try tx.auditView(patientID: v.patientID, actor: actor, what: "visit \(id)")
            let p = try tx.patient(id: v.patientID)!
            let summary = PatientSummary(p)
            let count = v.needleCount
            let amendments = try tx.amendments(visitID: id)
            var amendedBy: [Int64: String] = [:]
            for amendment in amendments where amendedBy[amendment.practitionerID] == nil {
                amendedBy[amendment.practitionerID] = try tx.practitioner(id: amendment.practitionerID)?.name
            }
            return VisitRecord(visit: v, patient: summary, practitioner: try tx.practitioner(id: v.practitionerID)?.name ?? "?",
                               amendments: amendments, plans: try tx.plans(visitID: id),
                               needlesInserted: count.inserted, needlesRemoved: count.removed, amendedBy: amendedBy)
        }
    }

    /// The patient's visits oldest first, for the pain trend.
    public func history(patientKey: String) throws -> (Patient, [HistoryEntry]) {
        try requireClinicalAccess()
        return try database.write { tx in
            let p = try patientOrThrow(tx, patientKey)
            try tx.auditView(patientID: p.id!, actor: actor, what: "history")
            let entries = try tx.visitSummaries(patientID: p.id!).reversed().map {
                HistoryEntry(visitID: $0.id, date: LocalDate($0.startedAt), status: $0.status, painNow: $0.painNow,
                             complaint: $0.complaint, needles: $0.needlesInserted, amendments: $0.amendments)
            }
            return (p, entries)
        }
    }

    /// The needling log for a period: needles, lots, adverse events.
    public func needlingLog(from: LocalDate, to: LocalDate) throws -> [NeedlingLogLine] {
        try requireClinicalAccess()
        let start = Self.startOfDay(from)
        let end = Self.startOfDay(to.adding(days: 1))
        return try database.read { tx in
            try tx.needlingLog(from: start, to: end).map { row in
                NeedlingLogLine(date: LocalDate(row.visit.startedAt), visitID: row.visit.id, recordNumber: row.recordNumber,
                                practitioner: row.practitioner, muscle: row.entry.muscle?.name ?? row.entry.muscleID,
                                side: row.entry.side.rawValue, needle: row.entry.needle.size, brand: row.entry.needle.brand,
                                lot: row.entry.needle.lot, inserted: row.entry.needlesInserted, removed: row.entry.needlesRemoved,
                                technique: row.entry.technique.code,
                                adverseEvents: row.entry.adverseEvents.map { "\($0.kind.rawValue) (\($0.severity.rawValue))" })
            }
        }
    }

    static func startOfDay(_ d: LocalDate) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = .current
        return cal.date(from: DateComponents(year: d.year, month: d.month, day: d.day))!
    }
}

/// One needling site in the period log (`knot log needling`).
public struct NeedlingLogLine: Sendable, Codable {
    public var date: LocalDate
    public var visitID: Int64
    public var recordNumber: String
    public var practitioner: String
    public var muscle: String
    public var side: String
    public var needle: String
    public var brand: String
    public var lot: String
    public var inserted: Int
    public var removed: Int
    public var technique: String
    public var adverseEvents: [String]
}

extension ClinicSession {
    /// The needle last used by the working practitioner, if any.
    public func lastNeedle() throws -> Needle? {
        guard let me = user else { return nil }
        return try database.read { tx in try tx.lastNeedle(practitionerID: me.id!) }
    }
}
