import Foundation
import ClinicModel
import FollowUpPlans

/// A patient's story for the plan tests: Jane Citizen, referred for left calf pain, at her third
/// visit on Tuesday 7 July 2026, after visits on 9 and 23 June.
///
/// Builders take the pieces a test varies (findings, needling, pain) and fill the rest, so a
/// rule test shows only what the rule depends on.
enum PlanFixtures {
    /// Noon UTC on a day, so the local date is the same in any zone within ±11 hours.
    static func day(_ text: String) -> Date {
        let d = try! LocalDate(parsing: text)
        return Date(timeIntervalSince1970: Double(d.dayNumber) * 86_400 + 12 * 3_600)
    }

    static func date(_ text: String) -> LocalDate { try! LocalDate(parsing: text) }

    static let patient = Patient(
        id: 42, recordNumber: "K00042", givenNames: "Jane Mary", familyName: "Citizen", preferredName: "Jane",
        dateOfBirth: try! LocalDate(parsing: "1980-03-14"), sex: .female, phone: "0400 111 222",
        generalPractitioner: "Dr Mary Jones, Harbourside Medical Centre")

    static let practitioner = Practitioner(
        id: 7, handle: "asmith", name: "Alex Smith", profession: .physiotherapist,
        registrationBody: "AHPRA", registrationNumber: "PHY0001234567", providerNumber: "2426621B")

    static let referral = Referral(
        id: 3, patientID: 42, referrerName: "Dr Mary Jones", referrerOrganisation: "Harbourside Medical Centre",
        date: try! LocalDate(parsing: "2026-06-01"), expiresOn: try! LocalDate(parsing: "2026-12-01"), sessionsAllowed: 5,
        reason: "Left calf and heel pain for 3 months, worse with running.\nPlease assess and treat.")

    static let needle = Needle(brand: "Seirin J-type", gaugeMm: 0.25, lengthMm: 40, lot: "L2406")

    static func needling(_ muscleID: String, _ side: Side, needles: Int = 1, twitches: Int = 1,
                         depth: Double? = nil, events: [AdverseEvent] = []) -> NeedlingEntry {
        NeedlingEntry(muscleID: muscleID, side: side, needle: needle, needlesInserted: needles, needlesRemoved: needles,
                      technique: .pistoning, depth: depth.map { try! DepthMillimetres($0, field: "depth") },
                      twitchResponses: twitches, adverseEvents: events)
    }

    static func trp(_ muscleID: String, _ side: Side, _ activity: TriggerPointFinding.Activity = .active,
                    causes: [LikelyCause] = []) -> TriggerPointFinding {
        TriggerPointFinding(muscleID: muscleID, side: side, activity: activity, localTwitchResponse: true,
                            referredPainReproduced: activity == .active, tenderness: try! NPRS(7, field: "t"),
                            likelyCauses: causes)
    }

    static func nprs(_ v: Int?) -> NPRS? { v.map { try! NPRS($0, field: "nprs") } }

    static func fpi(_ items: [Int], _ side: Side) -> BiomechanicalFinding {
        BiomechanicalFinding(measure: .footPostureIndex(try! FootPostureIndex(items: items)), side: side)
    }

    static func lunge(_ cm: Double, _ side: Side) -> BiomechanicalFinding {
        BiomechanicalFinding(measure: .lunge(try! LungeCentimetres(cm, field: "lunge")), side: side)
    }

    static func hallux(_ degrees: Double, _ side: Side) -> BiomechanicalFinding {
        BiomechanicalFinding(measure: .halluxDorsiflexion(try! Degrees(degrees, field: "hallux")), side: side)
    }

    static func legLength(_ mm: Double, longer side: Side) -> BiomechanicalFinding {
        BiomechanicalFinding(measure: .legLengthDifference(try! LegLengthMillimetres(mm, field: "lld")), side: side)
    }

    static func gait(_ observations: [GaitObservation], _ side: Side = .bilateral) -> BiomechanicalFinding {
        BiomechanicalFinding(measure: .gait(observations), side: side)
    }

    /// A signed visit with only what the test gives.
    static func visit(id: Int64 = 103, on day: String = "2026-07-07", now: Int? = 4, best: Int? = nil, worst: Int? = nil,
                      triggerPoints: [TriggerPointFinding] = [], biomechanics: [BiomechanicalFinding] = [],
                      treatments: [Treatment] = [], needling: [NeedlingEntry] = [],
                      status: VisitStatus = .signed) -> Visit {
        Visit(id: id, patientID: 42, practitionerID: 7, referralID: 3, startedAt: Self.day(day),
              complaint: "Left calf pain when running", pain: PainScores(now: nprs(now), best: nprs(best), worst: nprs(worst)),
              status: status, signedAt: status == .signed ? Self.day(day) : nil, triggerPoints: triggerPoints,
              biomechanics: biomechanics, treatments: treatments, needling: needling)
    }

    /// The two earlier visits of the episode (NPRS 7 then 5, needled at the second).
    static let earlierVisits: [Visit] = [
        visit(id: 101, on: "2026-06-09", now: 7, worst: 8),
        visit(id: 102, on: "2026-06-23", now: 5, worst: 7, needling: [needling("gastrocnemius-medial", .left)]),
    ]

    /// A context for `visit`, with the earlier visits as history unless told otherwise.
    static func context(_ visit: Visit, history: [Visit]? = nil, referral: Referral? = PlanFixtures.referral,
                        sessionsUsed: Int = 3, patient: Patient = PlanFixtures.patient,
                        today: String = "2026-07-07") -> PlanContext {
        PlanContext(patient: patient, visit: visit, history: (history ?? earlierVisits) + [visit], referral: referral,
                    sessionsUsed: sessionsUsed, practitioner: practitioner, clinicName: "Harbour Physio & Podiatry",
                    clinicPhone: "(02) 9555 0100", today: date(today))
    }

    /// The full third visit used by the golden files and the HTML sample: four treated spots
    /// front and back, left and right, one over the lung fields; a pronated left foot, a stiff
    /// left ankle and big toe, and gait observations.
    static let fullVisit = visit(
        now: 4, best: 2, worst: 6,
        triggerPoints: [
            trp("gastrocnemius-medial", .left, causes: [.increasedActivity]),
            trp("soleus", .left, causes: [.increasedActivity]),
            trp("upper-trapezius", .right, .latent, causes: [.sustainedPosture]),
            trp("tibialis-anterior", .left, .latent),
        ],
        biomechanics: [
            fpi([2, 1, 2, 1, 1, 1], .left), fpi([1, 1, 1, 0, 1, 0], .right),
            lunge(8.5, .left), lunge(11, .right),
            hallux(45, .left), legLength(6, longer: .right),
            gait([.overpronation, .earlyHeelRise]),
        ],
        treatments: [
            Treatment(kind: .pressureRelease, muscleID: "tibialis-anterior", side: .left,
                      holdTime: try! Seconds(60, field: "hold"), cycles: 3),
            Treatment(kind: .massageBallInstruction),
        ],
        needling: [
            needling("gastrocnemius-medial", .left, needles: 2, twitches: 3),
            needling("soleus", .left, twitches: 1, events: [AdverseEvent(kind: .bruising)]),
            needling("upper-trapezius", .right, twitches: 2, depth: 12),
        ])

    static var fullContext: PlanContext { context(fullVisit) }
}
