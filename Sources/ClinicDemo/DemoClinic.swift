import Foundation
import ClinicModel
import ClinicServices
import SeededRandom

// A deterministic generator of realistic clinics: the demo clinic `knot demo` loads, and the same
// generator at scale for benchmarks. Everything goes in through `ClinicRecords`' ordinary
// methods, so the model's rules, the schema's checks and the audit trail all see realistic data.
//
// Determinism: every random choice comes from SplitMix64 streams seeded from a fixed seed and the
// patient's position, never from the system; dates are computed from `today`. Visit times are
// clinic hours (08:00-17:45) on the machine's time zone, so the same seed gives the same
// calendar dates and wall-clock times everywhere.

// MARK: - Public API

/// What a demo or synthetic load wrote, counted as it went, for `knot demo` to print.
public struct DemoSummary: Sendable, Hashable, Codable, CustomStringConvertible {
    public var practitioners = 0
    public var receptionUsers = 0
    public var patients = 0
    public var archivedPatients = 0
    public var alerts = 0
    public var referrals = 0
    public var visits = 0
    public var signedVisits = 0
    public var draftVisits = 0
    public var triggerPoints = 0
    public var biomechanicalFindings = 0
    public var treatments = 0
    public var needlingEntries = 0
    public var needlesInserted = 0
    public var adverseEvents = 0
    public var consents = 0
    public var screens = 0
    public var amendments = 0
    public var plans = 0
    /// Patients on the recall list (latest final plan's review date on or before `today`).
    public var reviewsDue = 0

    public init() {}

    mutating func add(_ o: DemoSummary) {
        practitioners += o.practitioners; receptionUsers += o.receptionUsers; patients += o.patients
        archivedPatients += o.archivedPatients; alerts += o.alerts; referrals += o.referrals; visits += o.visits
        signedVisits += o.signedVisits; draftVisits += o.draftVisits; triggerPoints += o.triggerPoints
        biomechanicalFindings += o.biomechanicalFindings; treatments += o.treatments
        needlingEntries += o.needlingEntries; needlesInserted += o.needlesInserted; adverseEvents += o.adverseEvents
        consents += o.consents; screens += o.screens; amendments += o.amendments; plans += o.plans
        reviewsDue += o.reviewsDue
    }

    public var description: String {
        """
        \(practitioners) practitioners and \(receptionUsers) reception user(s)
        \(patients) patients (\(archivedPatients) archived), \(alerts) alerts, \(referrals) referrals
        \(visits) visits (\(signedVisits) signed, \(draftVisits) drafts), \(triggerPoints) trigger points, \(biomechanicalFindings) biomechanical findings, \(treatments) treatments
        \(needlingEntries) needling entries (\(needlesInserted) needles, all removed), \(adverseEvents) adverse events, \(consents) consents, \(screens) precaution screens
        \(amendments) amendments, \(plans) follow-up plans, \(reviewsDue) reviews due
        """
    }
}

/// Why a demo or synthetic clinic could not be generated.
public enum DemoClinicError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The demo loads only into an empty database, so that it never mixes with real records.
    case databaseNotEmpty(patients: Int)
    /// A size asked of the synthetic generator is outside what it makes.
    case invalidSize(field: String, value: Int, rule: String)

    public var description: String {
        switch self {
        case .databaseNotEmpty(let n):
            "the database already holds \(n) patient(s); the demo clinic loads only into an empty database (use `--database` with a new file)"
        case .invalidSize(let f, let v, let r): "\(f): '\(v)' \(r)"
        }
    }
}

/// The demo clinic: four practitioners, a receptionist and about fifty patients with six months
/// of visits, loaded in one transaction.
///
/// It exists so that a practitioner can try every screen on believable records (accented and
/// non-Latin names, anticoagulant precautions, referrals running out, needles that balance, a
/// couple of drafts and amendments, overdue reviews) without typing any of them. Loading twice
/// with the same `today` gives the same clinic.
public enum DemoClinic {
    /// The demo's seed ("KNOTDEMO").
    public static let seed: UInt64 = 0x4B4E_4F54_4445_4D4F

    /// Loads the demo clinic into an empty database; throws `DemoClinicError.databaseNotEmpty`
    /// when it already has patients. Practitioners with the demo's handles are reused.
    /// `today` must not be after the real date (the model refuses future referrals and visits).
    @discardableResult
    public static func load(into db: any ClinicRecordStore, actor: String, today: LocalDate) throws -> DemoSummary {
        try db.write { tx in
            let existing = try tx.patientCount(includeArchived: true)
            guard existing == 0 else { throw DemoClinicError.databaseNotEmpty(patients: existing) }
            var writer = ClinicHistoryWriter(tx: tx, actor: actor, today: today, kind: .demo)
            let staff = try writer.ensureStaff()
            for (index, person) in DemoPeople.all.enumerated() {
                var rng = SplitMix64(seed: seed, stream: UInt64(index))
                let visits = person.traits.contains(.singleVisit) ? 1 : rng.weighted([1: 1, 2: 2, 3: 3, 4: 4, 5: 4, 6: 3, 7: 2, 8: 1])
                try writer.writePatient(person, serial: index, staff: staff, visitCount: visits, rng: &rng)
            }
            writer.summary.reviewsDue = try tx.reviewsDue(by: today).count
            return writer.summary
        }
    }
}
