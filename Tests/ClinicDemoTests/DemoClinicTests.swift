import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicDemo
import ClinicStore
import ClinicTestSupport

/// The demo clinic `knot demo` loads, and the synthetic generator behind the benchmarks: both
/// deterministic, both clinically coherent (needles balance, consent and screen before the first
/// needle), both written through the store so the audit trail is whole.
@Suite struct DemoClinicTests {
    /// Everything a chart shows, as comparable text, for every patient.
    static func snapshot(_ db: ClinicDatabase) throws -> [String] {
        try db.read { tx throws in
            try tx.patientSummaries(includeArchived: true, limit: 100_000).map { s in
                let record = try tx.patientRecord(id: s.id)!
                let p = record.patient
                let visits = record.visits.map { v in
                    "\(v.startedAt.timeIntervalSince1970) \(v.status) \(v.complaint ?? "") \(v.pain.now?.value ?? -1) tp:\(v.triggerPoints.map(\.muscleID)) n:\(v.needling.map { "\($0.muscleID) \($0.needle.size) \($0.needlesInserted)" })"
                }
                return "\(p.recordNumber) \(p.displayName) \(p.dateOfBirth) \(p.phone ?? "-") \(p.email ?? "-") \(p.identifiers.map(\.value)) \(p.alerts.map(\.text)) r:\(record.referrals.count) \(visits) a:\(record.amendments.count) p:\(record.plans.map { $0.reviewDate?.description ?? "" })"
            }
        }
    }

    @Test func loadsAClinicThatIsCoherentAndComplete() throws {
        let clinic = try Clinic.empty()
        let summary = try DemoClinic.load(into: clinic.db, actor: "demo", today: testToday)
        #expect(summary.practitioners == 4 && summary.receptionUsers == 1)
        #expect(summary.patients == 50)
        #expect(summary.draftVisits == 2)
        #expect(summary.amendments >= 2 && summary.adverseEvents >= 1 && summary.reviewsDue >= 3)
        #expect(summary.visits == summary.signedVisits + summary.draftVisits)
        #expect(try clinic.db.integrityProblems().isEmpty)
        let audit = try clinic.db.read { try $0.verifyAudit() }
        #expect(audit.isIntact, "\(audit.firstProblem ?? "")")
        #expect(audit.eventsChecked > summary.visits * 3)

        try clinic.db.read { tx throws in
            let staff = try tx.practitioners()
            #expect(staff.filter { $0.role == .reception }.count == 1)
            #expect(Set(staff.filter { $0.role == .practitioner }.map(\.profession)) == [.physiotherapist, .podiatrist, .chiropractor, .osteopath])
            #expect(staff.contains { $0.role == .practitioner && $0.dryNeedlingTraining == nil })
            let byID = Dictionary(uniqueKeysWithValues: staff.map { ($0.id!, $0) })

            var counted = DemoSummary()
            var anticoagulated = 0, metalAllergies = 0, cappedReferrals = 0, expiringReferrals = 0
            var painFell = 0, longCourses = 0
            for s in try tx.patientSummaries(includeArchived: true, limit: 1000) {
                let record = try #require(try tx.patientRecord(id: s.id))
                let patient = record.patient
                counted.patients += 1
                if patient.confirmedPrecautions.contains(.anticoagulant) { anticoagulated += 1 }
                if patient.confirmedPrecautions.contains(.metalAllergy) { metalAllergies += 1 }
                cappedReferrals += record.referrals.filter { $0.sessionsAllowed != nil }.count
                expiringReferrals += record.referrals.filter { $0.expiresOn != nil }.count
                for status in try tx.referralStatuses(patientID: s.id) {
                    if let left = status.sessionsLeft { #expect(status.sessionsUsed <= status.referral.sessionsAllowed!, "\(left)") }
                }
                for visit in record.visits {
                    counted.visits += 1
                    let practitioner = try #require(byID[visit.practitionerID])
                    if visit.status == .signed {
                        #expect(visit.needlesBalance, "\(patient.displayName) \(visit.date): needles do not balance")
                        #expect(NeedlingSafety.checkMaySign(visit: { var d = visit; d.status = .draft; return d }(), by: visit.practitionerID).isEmpty)
                    }
                    if !visit.needling.isEmpty {
                        #expect(practitioner.dryNeedlingTraining != nil, "needled by someone without training")
                        var asDraft = visit
                        asDraft.status = .draft
                        let refusals = NeedlingSafety.checkMayNeedle(visit: asDraft, patient: patient, consents: record.consents, screens: record.screens)
                        #expect(refusals.isEmpty, "\(patient.displayName) \(visit.date): \(refusals)")
                        #expect(record.consents.contains { $0.covers(visit.date) && $0.recordedAt <= visit.startedAt }, "consent after the needle")
                        #expect(record.screens.contains { $0.covers(visit.date) && $0.recordedAt <= visit.startedAt }, "screen after the needle")
                        for entry in visit.needling { #expect(throws: Never.self) { try entry.validate() } }
                    }
                    if practitioner.profession == .podiatrist {
                        let lowerLimb: Set<BodyRegion> = [.lowerLeg, .ankleFoot, .knee, .thigh]
                        #expect(visit.triggerPoints.allSatisfy { $0.muscle.map { lowerLimb.contains($0.region) } ?? false })
                        if visit == record.visits.first { #expect(visit.biomechanics.contains { $0.measure.code == "fpi6" }) }
                    }
                }
                if record.visits.count >= 3, let first = record.visits.first?.pain.now, let last = record.visits.last?.pain.now {
                    longCourses += 1
                    if last < first { painFell += 1 }
                }
            }
            #expect(counted.patients == summary.patients && counted.visits == summary.visits)
            #expect(anticoagulated >= 2 && metalAllergies >= 1)
            #expect(cappedReferrals >= 3 && expiringReferrals >= 3)
            #expect(Double(painFell) >= 0.7 * Double(longCourses), "pain fell in \(painFell) of \(longCourses) courses")

            // The names a demo should show off are all findable.
            for (typed, expected) in [("zoe", "Müller, Zoë"), ("jose alv", "Álvarez, José"), ("o'brien", "O'Brien, Siobhán"),
                                      ("王", "王, 芳"), ("smi jo", "Smith, Jo")] {
                #expect(try tx.searchPatients(typed).map(\.displayName).contains(expected), "\(typed)")
            }
            let due = try tx.reviewsDue(by: testToday)
            #expect(due.count == summary.reviewsDue)
            #expect(due.contains { $0.reviewDate < testToday })
        }
    }

    @Test func loadingIsDeterministic() throws {
        let first = try Clinic.empty()
        let second = try Clinic.empty()
        let a = try DemoClinic.load(into: first.db, actor: "demo", today: testToday)
        let b = try DemoClinic.load(into: second.db, actor: "demo", today: testToday)
        #expect(a == b)
        let snapA = try Self.snapshot(first.db)
        #expect(snapA.count == 50)
        #expect(snapA == (try Self.snapshot(second.db)))
    }

    @Test func refusesADatabaseThatAlreadyHasPatients() throws {
        let clinic = try Clinic.empty()
        try DemoClinic.load(into: clinic.db, actor: "demo", today: testToday)
        let head = try clinic.db.read { try $0.verifyAudit() }
        let error = caught { try DemoClinic.load(into: clinic.db, actor: "demo", today: testToday) }
        #expect(error as? DemoClinicError == .databaseNotEmpty(patients: 50))
        #expect(try clinic.db.read { try $0.verifyAudit() } == head)
    }

    @Test("every demo plan is what PlanBuilder makes of its visit, so each item carries a PlanRule id")
    func plansAreBuiltByThePlanRules() throws {
        let clinic = try Clinic.empty()
        let summary = try DemoClinic.load(into: clinic.db, actor: "demo", today: testToday)
        let session = ClinicSession.maintenance(database: clinic.db, actor: "test")
        var plans = 0, redFlags = 0
        let stored = try clinic.db.read { tx in
            try tx.patientSummaries(includeArchived: true, limit: 1000).flatMap { s in
                try #require(try tx.patientRecord(id: s.id)).plans
            }
        }
        for plan in stored {
            let visit = try session.visitRecord(id: plan.visitID).visit
            // Rebuilt by the rules as `knot plan --rebuild` would, made the day of the visit.
            let rebuilt = try session.plan(visitID: plan.visitID, rebuild: true, today: visit.date).plan
            #expect(plan.items == rebuilt.items, "visit \(plan.visitID)")
            #expect(plan.reviewDate == rebuilt.reviewDate, "visit \(plan.visitID)")
            #expect(plan.status == .final && plan.items.allSatisfy { !$0.rule.isEmpty })
            plans += 1
            redFlags += plan.items.filter { $0.section == .redFlags }.count
            // The referrer's letter names every red flag it explained, none as "others".
            let letter = try session.plan(visitID: plan.visitID, audience: .referrer, today: testToday).output
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if let flags = letter.range(of: "Red flags: explained, with urgent care for ") {
                let named = letter[flags.upperBound...].prefix { $0 != "." }
                #expect(!named.contains("other"), "visit \(plan.visitID): \(named)")
            }
        }
        #expect(plans == summary.plans && plans >= 30)
        #expect(redFlags > 0, "no needled visit among the plans")
    }

    @Test func syntheticClinicsAreDeterministicAndExact() throws {
        let first = try Clinic.empty()
        let second = try Clinic.empty()
        let a = try SyntheticClinic.generate(into: first.db, patients: 120, visitsPerPatient: 4, seed: 42, today: testToday)
        let b = try SyntheticClinic.generate(into: second.db, patients: 120, visitsPerPatient: 4, seed: 42, today: testToday)
        #expect(a == b)
        #expect(a.patients == 120 && a.visits == 480)
        #expect(try Self.snapshot(first.db) == (try Self.snapshot(second.db)))
        #expect(try first.db.integrityProblems().isEmpty)
        #expect(try first.db.read { try $0.verifyAudit() }.isIntact)
        // A second run adds to the clinic without colliding with the first.
        let more = try SyntheticClinic.generate(into: first.db, patients: 30, visitsPerPatient: 1, seed: 43, today: testToday)
        #expect(more.patients == 30 && more.practitioners == 0)
        #expect(try first.db.read { try $0.patientCount(includeArchived: true) } == 150)
        // Another seed gives another clinic.
        let third = try Clinic.empty()
        try SyntheticClinic.generate(into: third.db, patients: 120, visitsPerPatient: 4, seed: 41, today: testToday)
        #expect(try Self.snapshot(third.db) != (try Self.snapshot(second.db)))
    }
}

/// The date the tests treat as today: fixed, and not after the real date (the model refuses
/// referrals and visits in the future).
let testToday = try! LocalDate(year: 2026, month: 6, day: 30)

/// A database with no practitioners yet (the demo brings its own), in a folder of its own.
struct Clinic {
    let directory: TemporaryDirectory
    let db: ClinicDatabase

    static func empty() throws -> Clinic {
        let dir = TemporaryDirectory(prefix: "knot-demo-tests")
        return Clinic(directory: dir, db: try ClinicDatabase(path: dir.file("clinic.sqlite")))
    }
}
