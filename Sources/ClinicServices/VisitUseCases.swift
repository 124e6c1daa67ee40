import Foundation
import ClinicModel
internal import ClinicStore

/// A visit with everything shown beside it: amendments, plans and the needle-count state.
public struct VisitRecord: Sendable, Codable {
    /// The visit.
    public var visit: Visit
    /// The patient seen.
    public var patient: PatientSummary
    /// The practitioner's name.
    public var practitioner: String
    /// Amendments to the visit, oldest first.
    public var amendments: [Amendment]
    /// Plan versions made from the visit.
    public var plans: [FollowUpPlan]
    /// Needles inserted across every site.
    public var needlesInserted: Int
    /// Needles removed across every site.
    public var needlesRemoved: Int
    /// Who made each amendment: practitioner id to name (not part of the JSON, which keeps
    /// `practitionerID` on each amendment).
    public var amendedBy: [Int64: String] = [:]
    /// The consents and precaution screens that cover the visit's day (late entries marked).
    public var consents: [Consent] = []
    /// The precaution screens covering the visit's day.
    public var screens: [PrecautionScreen] = []
    /// The consents and screens that would cover the visit's day but were struck out (kept, with the reason).
    public var struckSafety: [StruckSafety] = []
    /// Who wrote each late entry: practitioner id to name (not part of the JSON, which keeps
    /// `lateEntry.writtenBy`).
    public var lateEntryWriters: [Int64: String] = [:]
    /// Set when the visit came from a clinic export this clinic could not trust (`--untrusted`).
    public var untrustedImport: UntrustedImport? = nil

    enum CodingKeys: String, CodingKey {
        case visit, patient, practitioner, amendments, plans, needlesInserted, needlesRemoved, consents, screens, struckSafety
        case untrustedImport
    }

    /// "late entry, written 2026-12-06 08:10 by Amy Nguyen".
    public func describe(_ late: LateEntry) -> String {
        late.description(writer: lateEntryWriters[late.writtenBy] ?? "practitioner \(late.writtenBy)")
    }

    /// The name of the practitioner who made `amendment` ("practitioner N" when unknown).
    public func author(of amendment: Amendment) -> String {
        amendedBy[amendment.practitionerID] ?? "practitioner \(amendment.practitionerID)"
    }

    /// The visit as its amendments corrected it, with each corrected field's signed value.
    public var asAmended: AmendedVisit { visit.applying(amendments) }

    /// Every field an amendment can correct on this visit, with its value as amended now.
    public var amendableFields: [AmendableValue] {
        let current = asAmended.visit
        return AmendableField.fields(of: current).map { AmendableValue(field: $0, value: $0.currentValue(in: current)) }
    }

    private enum AmendedKey: String, CodingKey { case amended }

    /// The JSON keeps the signed note under `visit` and adds the note as amended under `amended`
    /// (`{"visit": ..., "corrections": [{"field": "needle.1.depth", "original": "12", ...}]}`).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(visit, forKey: .visit)
        try c.encode(patient, forKey: .patient)
        try c.encode(practitioner, forKey: .practitioner)
        try c.encode(amendments, forKey: .amendments)
        try c.encode(plans, forKey: .plans)
        try c.encode(needlesInserted, forKey: .needlesInserted)
        try c.encode(needlesRemoved, forKey: .needlesRemoved)
        if !struckSafety.isEmpty { try c.encode(struckSafety, forKey: .struckSafety) }
        try c.encodeIfPresent(untrustedImport, forKey: .untrustedImport)
        var extra = encoder.container(keyedBy: AmendedKey.self)
        try extra.encode(asAmended, forKey: .amended)
    }

    /// Shown everywhere until it is resolved.
    public var needleCountWarning: String? {
        needlesInserted == needlesRemoved ? nil
            : "NEEDLE COUNT: \(needlesInserted) in, \(needlesRemoved) out — \(needlesInserted - needlesRemoved) unaccounted for"
    }
}

/// A visit's point in a patient's pain trend.
public struct HistoryEntry: Sendable, Codable {
    /// The visit's id.
    public var visitID: Int64
    /// The visit's date.
    public var date: LocalDate
    /// Draft or signed.
    public var status: VisitStatus
    /// Pain now (NPRS 0-10) as signed, when recorded; `corrections` holds an amended value.
    public var painNow: Int?
    /// The complaint as signed, when recorded; `corrections` holds an amended value.
    public var complaint: String?
    /// Needles inserted at the visit.
    public var needles: Int
    /// How many amendments the visit has.
    public var amendments: Int
    /// The complaint and pain now as amended: each with its signed value and when it was corrected.
    public var corrections: [AmendedVisit.Correction] = []
    /// Outcome measures completed at the visit ("LEFS 52/80").
    public var outcomes: [OutcomeMeasure] = []

    /// The mark after an amended value (` (amended from 4, 2026-12-06)`), "" when not amended.
    public func mark(_ field: AmendableField) -> String {
        corrections.first { $0.field == field }.map(AmendedVisit.mark) ?? ""
    }
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
        let me = try practitioner(authorizedFor: .recordVisit)
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
        try authorize(.recordVisit)
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

    /// Adds a trigger-point finding to draft visit `visitID`.
    /// - Throws: `ServiceError.forbidden` for a user who may not record visits, `ServiceError.notFound`
    ///   when there is no such visit, `ServiceError.refused` when it is signed.
    public func addTriggerPoint(visitID: Int64, _ f: TriggerPointFinding) throws -> TriggerPointFinding {
        try authorize(.recordVisit)
        return try database.write { tx in
            _ = try draftVisit(tx, visitID, for: "add a finding")
            return try tx.insertTriggerPoint(f, visitID: visitID, actor: actor)
        }
    }

    /// Adds a biomechanical finding to draft visit `visitID`.
    /// - Throws: `ServiceError.forbidden` for a user who may not record visits, `ServiceError.notFound`
    ///   when there is no such visit, `ServiceError.refused` when it is signed.
    public func addBiomechanical(visitID: Int64, _ f: BiomechanicalFinding) throws -> BiomechanicalFinding {
        try authorize(.recordVisit)
        return try database.write { tx in
            _ = try draftVisit(tx, visitID, for: "add a finding")
            return try tx.insertBiomechanical(f, visitID: visitID, actor: actor)
        }
    }

    /// Adds a treatment to draft visit `visitID`.
    /// - Throws: `ServiceError.forbidden` for a user who may not record visits, `ServiceError.notFound`
    ///   when there is no such visit, `ServiceError.refused` when it is signed.
    public func addTreatment(visitID: Int64, _ t: Treatment) throws -> Treatment {
        try authorize(.recordVisit)
        return try database.write { tx in
            _ = try draftVisit(tx, visitID, for: "add a treatment")
            return try tx.insertTreatment(t, visitID: visitID, actor: actor)
        }
    }

    /// Records informed consent for dry needling.
    ///
    /// A consent dated earlier than `now` (more than 15 minutes) is a late entry, marked with
    /// when and by whom it was written; it may not be dated in the future or before the
    /// patient's birth. A patient under 18 on the day consents with a guardian, or the
    /// practitioner records a mature-minor assessment.
    public func recordConsent(patientKey: String, now: Date = Date(), _ build: (Int64, Int64) -> Consent) throws -> Consent {
        let me = try practitioner(authorizedFor: .recordVisit)
        return try database.write { tx in
            let p = try patientOrThrow(tx, patientKey)
            var c = build(p.id!, me.id!)
            if let problem = LateEntry.problem(happened: c.recordedAt, now: now, dateOfBirth: p.dateOfBirth) { throw ValidationErrors([problem]) }
            let age = p.age(on: LocalDate(c.recordedAt))
            if age < 18, !c.standsForMinor {
                throw ServiceError.refused(action: "record consent", reasons: [
                    "the patient is \(age) (under 18): a parent or guardian consents (--guardian-name, --guardian-relationship), or record a mature-minor assessment (--mature-minor \"reason\")",
                ])
            }
            c.lateEntry = LateEntry.mark(happened: c.recordedAt, now: now, by: me.id!)
            return try tx.insertConsent(c, actor: actor)
        }
    }

    /// Records the precaution screen: every precaution answered, present or absent.
    ///
    /// Refused, with nothing written, while any precaution is unanswered, while an answer
    /// "absent" meets an alert that says otherwise (confirmed, or still proposed by a referral),
    /// or while an acknowledgment names a precaution not answered present. A screen dated `at`
    /// earlier than `now` is a late entry. `validDays` (1 to 365) is how long the screen stands:
    /// stated by the practitioner each time, never assumed.
    public func recordScreen(patientKey: String, answers: ScreenAnswers, validDays: Int,
                             at: Date = Date(), now: Date = Date()) throws -> PrecautionScreen {
        let me = try practitioner(authorizedFor: .recordVisit)
        return try database.write { tx in
            let p = try patientOrThrow(tx, patientKey)
            var problems = answers.problems()
            if !(1...365).contains(validDays) {
                problems.append(ValidationError(field: "valid days", value: String(validDays),
                                                rule: "is the days the screen stands: 1 to 365"))
            }
            if let problem = LateEntry.problem(happened: at, now: now, dateOfBirth: p.dateOfBirth) { problems.append(problem) }
            if !problems.isEmpty { throw ValidationErrors(problems) }
            let conflicts = answers.conflicts(with: p.alerts)
            if !conflicts.isEmpty { throw ServiceError.refused(action: "record the screen", reasons: conflicts) }
            let s = PrecautionScreen(patientID: p.id!, practitionerID: me.id!, recordedAt: at, present: answers.present,
                                     acknowledgments: answers.acknowledgments, validUntil: LocalDate(at).adding(days: validDays),
                                     lateEntry: LateEntry.mark(happened: at, now: now, by: me.id!))
            return try tx.insertScreen(s, actor: actor)
        }
    }

    /// Adds a needling entry after the safety rules: consent (naming pneumothorax over the lung
    /// fields; with a guardian or a mature-minor assessment for a minor), screen, acknowledged
    /// precautions. An entry for a visit on an earlier day, or one whose `performedAt` is
    /// earlier than `now`, is a late entry. Returns the entry and any warnings (no training on file).
    public func addNeedling(visitID: Int64, _ entry: NeedlingEntry, now: Date = Date()) throws -> (NeedlingEntry, [String]) {
        let me = try practitioner(authorizedFor: .recordVisit)
        return try database.write { tx in
            let v = try draftVisit(tx, visitID, for: "add a needling entry")
            guard let p = try tx.patient(id: v.patientID) else { throw ServiceError.notFound("no patient \(v.patientID)") }
            var entry = entry
            if let at = entry.performedAt {
                if let problem = LateEntry.problem(happened: at, now: now, dateOfBirth: p.dateOfBirth) { throw ValidationErrors([problem]) }
                if LocalDate(at) != v.date {
                    throw ValidationErrors([ValidationError(field: "--at", value: LateEntry.describe(at),
                                                            rule: "is not on the day of visit \(visitID) (\(v.date))")])
                }
            }
            try entry.validate()
            // The clinic's stock lot past its expiry is not used on a patient.
            if let stock = try Self.storedNeedleStock(tx), let lot = stock.lot, let expiry = stock.lotExpiry,
               entry.needle.lot == lot, stock.isExpired(on: v.date) {
                throw ServiceError.refused(action: "record a needling entry", reasons: [
                    "needle lot \(lot) expired on \(expiry) (the clinic's needle stock): use another lot (--lot) and set the new stock with knot clinic set --needle-lot LOT --needle-lot-expiry DATE",
                ])
            }
            let refusals = NeedlingSafety.checkMayNeedle(visit: v, patient: p, consents: try tx.consents(patientID: p.id!),
                                                         screens: try tx.screens(patientID: p.id!), entry: entry)
            if !refusals.isEmpty {
                throw ServiceError.refused(action: "record a needling entry", reasons: refusals.map(\.description))
            }
            if let at = entry.performedAt {
                entry.lateEntry = LateEntry.mark(happened: at, now: now, by: me.id!)
            } else if v.date < LocalDate(now) {
                entry.lateEntry = LateEntry(writtenAt: now, writtenBy: me.id!)
            }
            let saved = try tx.insertNeedling(entry, visitID: visitID, actor: actor)
            return (saved, [NeedlingSafety.trainingWarning(for: me)].compactMap { $0 })
        }
    }

    /// Records how many needles have come out of needling entry `entryID` in all (the total out
    /// of that site so far, not the number taken out just now), audited. Returns the total on
    /// file before.
    ///
    /// A total lower than the one on file is refused unless `correcting` says it is a correction
    /// of a count recorded wrong: needles that came out do not go back in, so a lower total is
    /// most often a batch typed as if it were counted on its own (2 out, then "1" more, which
    /// would have recorded 1 out of 3 in all); nothing is written then.
    /// - Throws: `NeedleTotalLowered` for a lower total without `correcting`;
    ///   `ServiceError.forbidden` for a user who may not record visits.
    @discardableResult
    public func setNeedlesRemoved(entryID: Int64, removed: Int, correcting: Bool = false) throws -> Int {
        try authorize(.recordVisit)
        return try database.write { tx in
            let before = try tx.updateNeedlesRemoved(entryID: entryID, removed: removed, actor: actor)
            // Thrown inside the transaction, so the update and its audit event are rolled back.
            if removed < before, !correcting { throw NeedleTotalLowered(entryID: entryID, recorded: before, given: removed) }
            return before
        }
    }

    /// Signs a visit: refused while the needle count does not balance or by anyone but its practitioner.
    public func sign(visitID: Int64) throws -> Visit {
        let me = try practitioner(authorizedFor: .signVisit)
        return try database.write { tx in
            guard let v = try tx.visit(id: visitID) else { throw ServiceError.notFound("no visit \(visitID)") }
            let refusals = NeedlingSafety.checkMaySign(visit: v, by: me.id!)
            if !refusals.isEmpty { throw ServiceError.refused(action: "sign visit \(visitID)", reasons: refusals.map(\.description)) }
            try tx.signVisit(id: visitID, actor: actor)
            return try tx.visit(id: visitID)!
        }
    }

    /// Amends a signed visit: the original stays, the amendment sits beside it.
    ///
    /// Each change names an amendable field (`pain.now`, `needle.2.depth`: `AmendableField`) and
    /// its new value, parsed and checked with the rules that apply when it is recorded; its
    /// "before" is the value as amended so far (the `before` passed in is ignored). An unknown
    /// field is refused with the fields this visit has; an amendment that would leave the needle
    /// count unbalanced is refused as a clinical rule.
    public func amend(visitID: Int64, reason: String, changes: [Amendment.Change]) throws -> Amendment {
        let me = try practitioner(authorizedFor: .amendVisit)
        return try database.write { tx in
            guard let v = try tx.visit(id: visitID) else { throw ServiceError.notFound("no visit \(visitID)") }
            guard v.status == .signed else {
                throw ServiceError.refused(action: "amend visit \(visitID)", reasons: ["it is still a draft: edit it directly, amendments are for signed notes"])
            }
            let asAmended = v.applying(try tx.amendments(visitID: visitID)).visit
            var current = asAmended
            var checked: [Amendment.Change] = []
            var problems: [ValidationError] = []
            var fields: [(field: AmendableField, text: String)] = []
            // Every value is put in first, then each entry touched is checked once with its rules:
            // the order of the --set options does not change the result.
            for change in changes {
                guard let field = AmendableField(rawValue: change.field), field.exists(in: v) else {
                    throw AmendmentError.unknownField(change.field, visitID: visitID, fields: AmendableField.fields(of: v).map(\.rawValue))
                }
                let before = field.currentValue(in: current)
                var next = current
                do throws(ValidationErrors) {
                    try field.assign(change.after, in: &next)
                } catch {
                    problems += error.errors
                    continue
                }
                current = next
                let after = field.currentValue(in: current)
                if after == before {
                    problems.append(ValidationError(field: field.rawValue, value: change.after, rule: "is the value already on the note: nothing to amend"))
                    continue
                }
                checked.append(Amendment.Change(field: field.rawValue, before: before, after: after))
                fields.append((field, change.after))
            }
            if problems.isEmpty {
                do throws(ValidationErrors) { try AmendableField.checkRecords(of: fields, in: current) } catch { problems += error.errors }
            }
            if !problems.isEmpty { throw AmendmentError.invalidValue(ValidationErrors(problems)) }
            // A needle moved onto a muscle over the lung fields needs, as at `needle add`, a consent
            // covering the visit that names pneumothorax among the risks explained.
            let consents = try tx.consents(patientID: v.patientID)
            let lungRefusals: [NeedlingSafety.Refusal] = zip(asAmended.needling, current.needling).compactMap { was, now in
                guard now.muscleID != was.muscleID else { return nil }
                return NeedlingSafety.lungFieldRefusal(visit: v, consents: consents, muscle: now.muscle)
            }
            if !lungRefusals.isEmpty {
                throw ServiceError.refused(action: "amend visit \(visitID)", reasons: lungRefusals.map(\.description))
            }
            if !current.needlesBalance {
                let count = current.needleCount
                throw ServiceError.refused(action: "amend visit \(visitID)", reasons: [
                    "the needle count would not balance (\(count.inserted) in, \(count.removed) out): a signed note's needles are all accounted for"])
            }
            let amendment = Amendment(visitID: visitID, practitionerID: me.id!, reason: reason, changes: checked)
            do { try amendment.validate() } catch let error as ValidationErrors { throw AmendmentError.invalidValue(error) }
            return try tx.insertAmendment(amendment, actor: actor)
        }
    }

    /// A visit with its amendments and plans (audited as a view).
    public func visitRecord(id: Int64) throws -> VisitRecord {
        try authorize(.readClinicalNotes)
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
            var record = VisitRecord(visit: v, patient: summary, practitioner: try tx.practitioner(id: v.practitionerID)?.name ?? "?",
                                     amendments: amendments, plans: try tx.plans(visitID: id),
                                     needlesInserted: count.inserted, needlesRemoved: count.removed, amendedBy: amendedBy)
            record.consents = try tx.consents(patientID: v.patientID).filter { $0.covers(v.date) }
            record.screens = try tx.screens(patientID: v.patientID).filter { $0.covers(v.date) }
            record.struckSafety = try tx.struckSafety(patientID: v.patientID).filter { $0.wouldCover(v.date) }
            record.untrustedImport = try tx.untrustedImport(entity: "visit", id: id)
            let late = record.consents.compactMap(\.lateEntry) + record.screens.compactMap(\.lateEntry) + v.needling.compactMap(\.lateEntry)
            for mark in late where record.lateEntryWriters[mark.writtenBy] == nil {
                record.lateEntryWriters[mark.writtenBy] = try tx.practitioner(id: mark.writtenBy)?.name
            }
            return record
        }
    }

    /// The patient's visits oldest first, for the pain trend.
    public func history(patientKey: String) throws -> (Patient, [HistoryEntry]) {
        try authorize(.readClinicalNotes)
        return try database.write { tx in
            let p = try patientOrThrow(tx, patientKey)
            try tx.auditView(patientID: p.id!, actor: actor, what: "history")
            let outcomes = Dictionary(try tx.visits(patientID: p.id!).map { ($0.id ?? 0, $0.outcomes) }, uniquingKeysWith: { a, _ in a })
            let entries = try amendedSummaries(tx, patientID: p.id!).reversed().map {
                HistoryEntry(visitID: $0.summary.id, date: LocalDate($0.summary.startedAt), status: $0.summary.status,
                             painNow: $0.summary.painNow, complaint: $0.summary.complaint, needles: $0.summary.needlesInserted,
                             amendments: $0.summary.amendments,
                             corrections: $0.corrections.filter { [.complaint, .painNow].contains($0.field) },
                             outcomes: outcomes[$0.summary.id] ?? [])
            }
            return (p, entries)
        }
    }

    /// The needling log for a period: needles, lots, adverse events.
    public func needlingLog(from: LocalDate, to: LocalDate) throws -> [NeedlingLogLine] {
        try authorize(.needlingLog)
        let start = Self.startOfDay(from)
        let end = Self.startOfDay(to.adding(days: 1))
        return try database.read { tx in
            // Each visit's amendments are read once; a site shows as its visit was amended.
            var amended: [Int64: AmendedVisit?] = [:]
            return try tx.needlingLog(from: start, to: end).map { row in
                var entry = row.entry
                var notes: [String] = []
                if amended[row.visit.id] == nil {
                    let visitAmendments = try tx.amendments(visitID: row.visit.id)
                    amended[row.visit.id] = visitAmendments.isEmpty ? .some(nil) : try tx.visit(id: row.visit.id)?.applying(visitAmendments)
                }
                if let visit = amended[row.visit.id] ?? nil {
                    if let index = visit.visit.needling.firstIndex(where: { $0.id == entry.id }) {
                        entry = visit.visit.needling[index]
                        notes = visit.notes(of: .needle, index + 1)
                    }
                }
                return NeedlingLogLine(date: LocalDate(row.visit.startedAt), visitID: row.visit.id, recordNumber: row.recordNumber,
                                       practitioner: row.practitioner, muscle: entry.muscle?.name ?? entry.muscleID,
                                       side: entry.side.rawValue, needle: entry.needle.size, brand: entry.needle.brand,
                                       lot: entry.needle.lot, inserted: entry.needlesInserted, removed: entry.needlesRemoved,
                                       technique: entry.technique.code, depth: entry.depth?.value,
                                       adverseEvents: entry.adverseEvents.map { "\($0.kind.rawValue) (\($0.severity.rawValue))" },
                                       amended: notes)
            }
        }
    }

    /// A patient's visit timeline (newest first) with the complaint, pain now and needle count
    /// taken from each visit as amended (`Visit.applying`), and the corrections behind them.
    func amendedSummaries(_ tx: any ClinicRecordReader, patientID: Int64) throws -> [(summary: VisitSummary, corrections: [AmendedVisit.Correction])] {
        try tx.visitSummaries(patientID: patientID).map { summary in
            guard summary.amendments > 0, let visit = try tx.visit(id: summary.id) else {
                return (summary, [])
            }
            let amended = visit.applying(try tx.amendments(visitID: summary.id))
            var s = summary
            s.complaint = amended.visit.complaint
            s.painNow = amended.visit.pain.now?.value
            s.needlesInserted = amended.visit.needleCount.inserted
            s.needlesRemoved = amended.visit.needleCount.removed
            return (s, amended.corrections)
        }
    }

    static func startOfDay(_ d: LocalDate) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = ClinicTimeZone.current
        return cal.date(from: DateComponents(year: d.year, month: d.month, day: d.day))!
    }
}

/// One needling site in the period log (`knot log needling`).
public struct NeedlingLogLine: Sendable, Codable {
    /// The visit's date.
    public var date: LocalDate
    /// The visit.
    public var visitID: Int64
    /// The patient's record number.
    public var recordNumber: String
    /// The practitioner's handle.
    public var practitioner: String
    /// The muscle's name.
    public var muscle: String
    /// The side needled.
    public var side: String
    /// The needle's size (gauge x length, mm).
    public var needle: String
    /// The needle's brand.
    public var brand: String
    /// The needle's lot number.
    public var lot: String
    /// Needles inserted at the site.
    public var inserted: Int
    /// Needles removed.
    public var removed: Int
    /// The technique's code.
    public var technique: String
    /// Estimated depth in mm, as amended.
    public var depth: Double?
    /// Adverse events at the site, by kind and severity.
    public var adverseEvents: [String]
    /// The site's amended fields: `depth 15 (amended from 12, 2026-12-06)`.
    public var amended: [String] = []
}

/// `setNeedlesRemoved` was given a total lower than the one on file, without saying it corrects it.
public struct NeedleTotalLowered: Error, Sendable, Hashable, CustomStringConvertible {
    /// The needling entry.
    public var entryID: Int64
    /// The total out on file.
    public var recorded: Int
    /// The lower total given.
    public var given: Int

    /// The refusal of `given` below the `recorded` total at needling entry `entryID`.
    public init(entryID: Int64, recorded: Int, given: Int) {
        self.entryID = entryID; self.recorded = recorded; self.given = given
    }

    /// The rule the total breaks, in words after the value ("is fewer than the 2 already recorded..."),
    /// for a front end to name its own way of correcting the count.
    public var rule: String {
        "is fewer than the \(recorded) already recorded as removed at needling entry \(entryID): the count is the total "
            + "out of that site so far, not the needles taken out just now (for \(given) more out, give the new total, \(recorded + given)); nothing was recorded"
    }

    /// The refusal in words: the total given and the rule.
    public var description: String { "\(given) \(rule)" }
}

/// An amendment Knot cannot record as given (exit 65): a field that is not on the visit, or a
/// value the field's rules refuse.
public enum AmendmentError: Error, Sendable, CustomStringConvertible {
    /// The field name given, the visit, and the fields it has.
    case unknownField(String, visitID: Int64, fields: [String])
    /// The value breaks the field's rules.
    case invalidValue(ValidationErrors)

    public var description: String {
        switch self {
        case .unknownField(let name, let visitID, let fields):
            var text = "\(name): is not a field visit \(visitID) can amend"
            let attribute = name.lowercased()
            let same = fields.filter { $0.hasSuffix("." + attribute) && $0.split(separator: ".").count == 3 }
            if !same.isEmpty {
                text += "; '\(attribute)' belongs to an entry, so name it: \(same.joined(separator: ", "))"
            }
            text += "\nfields of visit \(visitID) (entry fields are KIND.N.FIELD, N as numbered in `knot visit show`):\n"
            text += fields.joined(separator: ", ")
            return text
        case .invalidValue(let errors):
            return "amendment not recorded:\n" + errors.errors.map { "  - \($0)" }.joined(separator: "\n")
        }
    }
}

extension ClinicSession {
    /// The needle last used by the working practitioner, if any.
    public func lastNeedle() throws -> Needle? {
        guard let me = user, may(.recordVisit) else { return nil }
        return try database.read { tx in try tx.lastNeedle(practitionerID: me.id!) }
    }
}
