import ClinicDemo
import ClinicModel
import ClinicServices
import Foundation
import SeededRandom

/// `knot-bench phase store --location LOC ...`: the same clinic work, through the same use cases
/// `knot` runs, on whichever store `LOC` names (an SQLite path or a `postgres://` URL), so that
/// the driver can print the two side by side (issue 20).
///
/// Steps, each timed per call: adding patients (one transaction each, as `knot patient add`),
/// patient search, recording visits (open the visit, one needling entry of two needles in and
/// out, sign: three transactions, as a practitioner at a terminal), reading a chart
/// (`knot patient show`), the visit timeline, reading one visit, and `audit verify`. A step that
/// meets an operation not built on PostgreSQL yet is noted (`notes`: "STEP: not built ...")
/// and the next step runs; any other error stops the phase.
enum StoreBench {
    /// The steps, in the order they run and print.
    static let steps: [(key: String, title: String)] = [
        ("addPatient", "adding patients (one transaction each)"),
        ("search", "patient search"),
        ("visit", "recording a visit: open, needling entry, sign (3 transactions)"),
        ("chart", "reading a chart (knot patient show, audited as a view)"),
        ("history", "visit timeline (knot visit history)"),
        ("visitRecord", "reading one visit (knot visit show)"),
        ("verify", "audit verify, the whole chain"),
    ]

    /// The practitioner every bench clinic is set up with.
    static let handle = "amy"

    static func run(_ o: PhaseArguments) throws -> PhaseResult {
        let location = try o.string("location")
        let patients = try o.int("patients")
        let visits = try o.int("visits")
        let queries = try o.int("queries")
        let reads = try o.int("reads")
        let seed = UInt64(try o.int("seed"))
        let session = try setUpClinic(at: location)
        var r = PhaseResult()
        var rng = SplitMix64(seed: seed)

        // Adding patients.
        var added: [Patient] = []
        var samples: [Double] = []
        var start = Clock.now()
        try step("addPatient", into: &r) {
            for i in 0..<patients {
                let p = person(i, &rng)
                let t = Clock.now()
                added.append(try session.addPatient(p, allowDuplicate: true))
                samples.append(Clock.seconds(since: t) * 1000)
            }
        }
        record("addPatient", samples, total: Clock.seconds(since: start), into: &r)

        // Patient search: what a receptionist types, from patients spread across the clinic.
        samples = []
        var hits = 0
        start = Clock.now()
        try step("search", into: &r) {
            guard !added.isEmpty else { return }
            for q in 0..<queries {
                let p = added[(q * 7919) % added.count]
                let d = p.dateOfBirth
                let text = [p.familyName, String(p.familyName.prefix(3)), "\(p.givenNames) \(p.familyName)", p.recordNumber,
                            String(format: "%02d/%02d/%04d", d.day, d.month, d.year), String((p.phone ?? "04").prefix(6))][q % 6]
                let t = Clock.now()
                hits += try session.searchPatients(text).count
                samples.append(Clock.seconds(since: t) * 1000)
            }
        }
        record("search", samples, total: Clock.seconds(since: start), into: &r)
        r.figures["search.meanHits"] = Double(hits) / Double(max(1, samples.count))

        // Recording visits with needling, each signed.
        samples = []
        var visitIDs: [(patient: String, visit: Int64)] = []
        let treated = Array(added.prefix(max(1, min(added.count, visits / 2))))
        start = Clock.now()
        try step("visit", into: &r) {
            guard !treated.isEmpty else { return }
            for p in treated { try consentAndScreen(session, patientKey: p.recordNumber) }
            start = Clock.now()
            for n in 0..<visits {
                let key = treated[n % treated.count].recordNumber
                let t = Clock.now()
                let id = try recordVisit(session, patientKey: key, note: "bench visit \(n)")
                samples.append(Clock.seconds(since: t) * 1000)
                visitIDs.append((key, id))
            }
        }
        record("visit", samples, total: Clock.seconds(since: start), into: &r)

        // Reading: the chart, the timeline, one visit.
        let readKeys = treated.isEmpty ? added.map(\.recordNumber) : treated.map(\.recordNumber)
        for (key, body) in [("chart", { (k: String) in _ = try session.chart(key: k) }),
                            ("history", { (k: String) in _ = try session.history(patientKey: k) })] as [(String, (String) throws -> Void)] {
            samples = []
            start = Clock.now()
            try step(key, into: &r) {
                guard !readKeys.isEmpty else { return }
                for n in 0..<reads {
                    let t = Clock.now()
                    try body(readKeys[n % readKeys.count])
                    samples.append(Clock.seconds(since: t) * 1000)
                }
            }
            record(key, samples, total: Clock.seconds(since: start), into: &r)
        }
        samples = []
        start = Clock.now()
        try step("visitRecord", into: &r) {
            guard !visitIDs.isEmpty else { return }
            for n in 0..<reads {
                let t = Clock.now()
                _ = try session.visitRecord(id: visitIDs[n % visitIDs.count].visit)
                samples.append(Clock.seconds(since: t) * 1000)
            }
        }
        record("visitRecord", samples, total: Clock.seconds(since: start), into: &r)

        // audit verify: the whole chain.
        start = Clock.now()
        var verification: AuditVerification?
        try step("verify", into: &r) { verification = try session.verifyAudit() }
        if let v = verification {
            r.figures["verify.seconds"] = Clock.seconds(since: start)
            r.figures["verify.events"] = Double(v.eventsChecked)
            r.figures["verify.intact"] = v.isIntact ? 1 : 0
            if let problem = v.firstProblem { r.notes.append("verify: WARNING: \(problem)") }
        }
        return r
    }

    /// Runs one step; an operation not built on PostgreSQL yet is noted, not fatal.
    static func step(_ key: String, into r: inout PhaseResult, _ body: () throws -> Void) throws {
        do { try body() } catch {
            guard let operation = notBuilt(error) else { throw error }
            r.notes.append("\(key): \(operation)")
        }
    }

    /// What was not built, when `error` says an operation is not built on PostgreSQL yet.
    static func notBuilt(_ error: any Error) -> String? {
        if let e = error as? StorageError, case .notBuilt = e { return e.description }
        return nil
    }

    static func record(_ key: String, _ samples: [Double], total: Double, into r: inout PhaseResult) {
        guard !samples.isEmpty else { return }
        let sorted = samples.sorted()
        r.figures["\(key).count"] = Double(sorted.count)
        r.figures["\(key).seconds"] = total
        r.figures["\(key).perSecond"] = Double(sorted.count) / max(total, 1e-9)
        r.figures["\(key).p50Ms"] = Percentile.of(sorted, 50)
        r.figures["\(key).p99Ms"] = Percentile.of(sorted, 99)
    }

    // MARK: - The clinic and its work, shared with the terminals phase

    /// Makes the clinic at `location` (empty) with one practitioner trained in dry needling,
    /// and returns her session.
    static func setUpClinic(at location: String) throws -> ClinicSession {
        let environment = ProcessInfo.processInfo.environment
        let setup = try ClinicSession.open(path: location, handle: "", create: true, environment: environment)
        let training = DryNeedlingTraining(course: "DN level 1", hours: 27, completedOn: try LocalDate(parsing: "2024-03-01"))
        _ = try setup.setUpClinic(firstAccount: Practitioner(handle: handle, name: "Amy Physio", profession: .physiotherapist,
                                                              dryNeedlingTraining: training))
        return try ClinicSession.open(path: location, handle: handle, create: false, environment: environment)
    }

    /// Patient `index` of a bench clinic: names from the synthetic clinic's pools, adults only.
    static func person(_ index: Int, _ rng: inout SplitMix64) -> Patient {
        let female = rng.chance(0.55)
        let born = (try? LocalDate(year: rng.int(1940...2004), month: rng.int(1...12), day: rng.int(1...28)))
            ?? (try! LocalDate(parsing: "1970-01-01"))
        return Patient(recordNumber: "B\(index + 1)", givenNames: rng.pick(female ? SyntheticPeople.female : SyntheticPeople.male),
                       familyName: rng.pick(SyntheticPeople.family), dateOfBirth: born, sex: female ? .female : .male,
                       phone: "04\(rng.int(10_000_000...99_999_999))")
    }

    /// Consent (every risk explained) and a precaution screen with none present: what needling needs.
    static func consentAndScreen(_ session: ClinicSession, patientKey: String) throws {
        _ = try session.recordConsent(patientKey: patientKey) { Consent(patientID: $0, practitionerID: $1, risksExplained: Set(Consent.Risk.allCases), benefitsExplained: true) }
        _ = try session.recordScreen(patientKey: patientKey, answers: ScreenAnswers(nonePresent: true), validDays: 90)
    }

    /// One visit as a practitioner records it: opened, one needling entry (two needles in, two
    /// out), signed. Three transactions; returns the visit's id once signing returned.
    static func recordVisit(_ session: ClinicSession, patientKey: String, note: String) throws -> Int64 {
        let visit = try session.newVisit(patientKey: patientKey, complaint: note, pain: PainScores(now: try NPRS(4, field: "pain.now")))
        let id = visit.id!
        let needle = Needle(brand: "Seirin", gaugeMm: 0.25, lengthMm: 40, lot: "L2411")
        _ = try session.addNeedling(visitID: id, NeedlingEntry(muscleID: "gastrocnemius-medial", side: .left, needle: needle,
                                                               needlesInserted: 2, needlesRemoved: 2))
        _ = try session.sign(visitID: id)
        return id
    }
}
