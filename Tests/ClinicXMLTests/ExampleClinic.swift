import Foundation
import ClinicModel
import ClinicStore
@testable import ClinicXML

/// The small clinic behind Import/example-clinic.xml: two practitioners and three patients with
/// the visits a week of a real clinic holds. `ImportFolderTests` checks the file is exactly what
/// the writer makes of these records; set KNOT_REGENERATE_EXAMPLES=1 to rewrite it after a change.
enum ExampleClinic {
    static let at = SampleRecords.at
    static let day = SampleRecords.day

    static let practitioners = [
        Practitioner(id: 1, handle: "mreid", name: "Megan Reid", profession: .physiotherapist,
                     registrationNumber: "PHY0001837465",
                     dryNeedlingTraining: DryNeedlingTraining(course: "Dry Needling for Physiotherapists, Levels 1 and 2",
                                                              hours: 48, completedOn: day("2022-03-19"))),
        Practitioner(id: 2, handle: "tnguyen", name: "Tom Nguyen", profession: .podiatrist,
                     registrationNumber: "POD0002218734",
                     dryNeedlingTraining: DryNeedlingTraining(course: "Dry Needling for Podiatrists", hours: 24,
                                                              completedOn: day("2024-08-10"))),
    ]

    static let letter = Data("""
        <?xml version="1.0" encoding="UTF-8"?>
        <referral xmlns="urn:knot:referral:1" version="1" id="HSMC-2026-10-0188">
          <referrer><name>Dr Priya Raman</name><organisation>Harbourside Medical Centre</organisation></referrer>
          <date>2026-10-06</date>
          <expires>2027-10-05</expires>
          <sessionsAllowed>5</sessionsAllowed>
          <patient><givenNames>Margaret</givenNames><familyName>O'Sullivan</familyName><dateOfBirth>1951-06-23</dateOfBirth></patient>
          <reason>Left calf and lateral hip pain for 8 months.</reason>
          <medications><medication>Eliquis (apixaban) 5 mg twice daily</medication></medications>
        </referral>

        """.utf8)

    static let records: [PatientRecord] = [margaret, daniel, aisha]

    /// On apixaban, referred by her GP with a five-session cap: a precaution acknowledged,
    /// ischaemic compression and careful needling, a plan, and an amendment to a signed note.
    static var margaret: PatientRecord {
        let patient = Patient(
            id: 1, recordNumber: "K00001", givenNames: "Margaret Anne", familyName: "O'Sullivan", preferredName: "Peggy",
            dateOfBirth: day("1951-06-23"), sex: .female, phone: "0412 345 678",
            address: "14/220 Bourke Street, Darlinghurst NSW 2010",
            identifiers: [PatientIdentifier(system: .medicare, value: "2953418771")],
            generalPractitioner: "Dr Priya Raman, Harbourside Medical Centre",
            alerts: [PatientAlert(id: 1, kind: .precaution(.anticoagulant), text: "Anticoagulant in referral: Eliquis (apixaban) 5 mg twice daily",
                                  status: .confirmed, source: "referral 2026-10-06 (medications)")])
        let referral = Referral(
            id: 1, patientID: 1, referrerName: "Dr Priya Raman", referrerOrganisation: "Harbourside Medical Centre",
            date: day("2026-10-06"), expiresOn: day("2027-10-05"), sessionsAllowed: 5,
            reason: "Left calf and lateral hip pain for 8 months.", format: .knot, documentID: "HSMC-2026-10-0188",
            documentTitle: "Referral",
            sections: [
                ReferralSection(kind: "reason", title: "Reason for referral", text: "Left calf and lateral hip pain for 8 months."),
                ReferralSection(kind: "medications", title: "Medications", text: "Eliquis (apixaban) 5 mg twice daily",
                                entries: [ReferralSection.CodedEntry(text: "Eliquis (apixaban) 5 mg twice daily")]),
            ],
            originalLetter: letter, originalSHA256: LetterDigest.sha256Hex(letter))
        let consent = Consent(id: 1, patientID: 1, practitionerID: 1, recordedAt: at("2026-10-13T22:05:00.000Z"),
                              risksExplained: Set(Consent.Risk.allCases), benefitsExplained: true, written: true, validUntil: day("2027-04-13"),
                              notes: "Explained bruising risk is higher on apixaban; pressure after each site.")
        let screen = PrecautionScreen(
            id: 1, patientID: 1, practitionerID: 1, recordedAt: at("2026-10-13T22:08:00.000Z"), present: [.anticoagulant],
            acknowledgments: [.anticoagulant: "Apixaban: superficial technique, 0.20 mm needles, firm pressure 2 min after each site"],
            validUntil: day("2027-01-11"))
        let visit = Visit(
            id: 1, patientID: 1, practitionerID: 1, referralID: 1, startedAt: at("2026-10-13T22:00:00.000Z"),
            complaint: "Left calf ache after 20 minutes' walking; lateral hip pain at night",
            pain: PainScores(now: try! NPRS(5, field: "now"), best: try! NPRS(2, field: "best"), worst: try! NPRS(8, field: "worst")),
            psfs: [PSFSItem(activity: "Walking to the shops (1 km)", score: try! PSFSScore(4, field: "psfs"))],
            notes: "Active TrPs medial gastrocnemius and gluteus medius reproduce her pain.",
            status: .signed, signedAt: at("2026-10-13T22:48:00.000Z"),
            triggerPoints: [
                TriggerPointFinding(id: 1, muscleID: "gastrocnemius-medial", side: .left, location: "Mid-belly", activity: .active,
                                    localTwitchResponse: true, referredPainReproduced: true, tenderness: try! NPRS(7, field: "t"),
                                    likelyCauses: [.sustainedPosture, .increasedActivity]),
                TriggerPointFinding(id: 2, muscleID: "gluteus-medius", side: .left, activity: .active,
                                    referredPainReproduced: true, tenderness: try! NPRS(6, field: "t")),
            ],
            biomechanics: [
                BiomechanicalFinding(id: 1, measure: .lunge(try! LungeCentimetres(6.5, field: "lunge")), side: .left),
                BiomechanicalFinding(id: 2, measure: .lunge(try! LungeCentimetres(9, field: "lunge")), side: .right),
            ],
            treatments: [
                Treatment(id: 1, kind: .ischaemicCompression, muscleID: "gluteus-medius", side: .left,
                          holdTime: try! Seconds(60, field: "hold"), cycles: 3),
                Treatment(id: 2, kind: .massageBallInstruction, muscleID: "gluteus-medius", side: .left,
                          notes: "Ball against the wall, 15 s holds to start"),
            ],
            needling: [
                NeedlingEntry(id: 1, muscleID: "gastrocnemius-medial", side: .left, triggerPoint: "Mid-belly",
                              needle: Needle(brand: "Seirin J-Type", gaugeMm: 0.20, lengthMm: 30, lot: "SJ2409114"),
                              needlesInserted: 2, needlesRemoved: 2, technique: .pistoning,
                              depth: try! DepthMillimetres(15, field: "depth"), twitchResponses: 2,
                              patientResponse: "Familiar ache reproduced, eased after",
                              adverseEvents: [AdverseEvent(kind: .bleeding, action: "Pressure 2 min, settled")]),
            ])
        let amendment = Amendment(id: 1, visitID: 1, practitionerID: 1, amendedAt: at("2026-10-14T00:15:00.000Z"),
                                  reason: "Needle lot number mistyped",
                                  changes: [Amendment.Change(field: "needling[1].needle.lot", before: "SJ2409141", after: "SJ2409114")])
        let plan = FollowUpPlan(
            id: 1, visitID: 1, version: 1, status: .final, createdAt: at("2026-10-13T22:50:00.000Z"),
            reviewDate: day("2026-10-27"),
            items: [
                FollowUpPlan.Item(section: .homeProgram, text: "Massage ball on the left gluteus medius spot: 15 s holds, building to 60 s, twice daily.",
                                  rule: "home.ball", muscleID: "gluteus-medius", side: .left),
                FollowUpPlan.Item(section: .afterNeedling, text: "Soreness usually settles in 24-48 hours. You bruise more easily on apixaban: call us if a bruise keeps growing.",
                                  rule: "after.needling.anticoagulant"),
                FollowUpPlan.Item(section: .biomechanics, text: "Calf stretch against the wall, 3 x 30 s, twice daily (left lunge 6.5 cm, right 9 cm).",
                                  rule: "biomech.lunge.asymmetry"),
                FollowUpPlan.Item(section: .redFlags, text: "Fever, or spreading redness at a needle site: see your GP the same day.", rule: "red.flags"),
                FollowUpPlan.Item(section: .review, text: "Review on 27 October.", rule: "review.date"),
            ])
        return PatientRecord(patient: patient, referrals: [referral], consents: [consent], screens: [screen],
                             visits: [visit], amendments: [amendment], plans: [plan])
    }

    /// A runner seen by the podiatrist: foot posture, a calf needled, a draft follow-up visit.
    static var daniel: PatientRecord {
        let patient = Patient(id: 2, recordNumber: "K00002", givenNames: "Daniel James", familyName: "Kowalski",
                              preferredName: "Dan", dateOfBirth: day("1979-09-02"), sex: .male, phone: "(503) 555-0122",
                              email: "dan.kowalski@example.com")
        let consent = Consent(id: 2, patientID: 2, practitionerID: 2, recordedAt: at("2026-11-02T23:00:00.000Z"),
                              risksExplained: Set(Consent.Risk.allCases), benefitsExplained: true, validUntil: day("2027-02-02"))
        let screen = PrecautionScreen(id: 2, patientID: 2, practitionerID: 2, recordedAt: at("2026-11-02T23:01:00.000Z"),
                                      validUntil: day("2027-01-31"))
        let first = Visit(
            id: 2, patientID: 2, practitionerID: 2, startedAt: at("2026-11-02T23:00:00.000Z"),
            complaint: "Left plantar heel pain, first steps 7/10", pain: PainScores(now: try! NPRS(4, field: "now"), worst: try! NPRS(7, field: "worst")),
            status: .signed, signedAt: at("2026-11-02T23:40:00.000Z"),
            triggerPoints: [TriggerPointFinding(id: 3, muscleID: "soleus", side: .left, activity: .active, localTwitchResponse: true,
                                                tenderness: try! NPRS(6, field: "t"), likelyCauses: [.increasedActivity])],
            biomechanics: [
                BiomechanicalFinding(id: 3, measure: .footPostureIndex(try! FootPostureIndex(items: [1, 1, 2, 1, 2, 1])), side: .left,
                                     notes: "Pronated"),
                BiomechanicalFinding(id: 4, measure: .gait([.overpronation, .earlyHeelRise]), side: .bilateral),
            ],
            needling: [NeedlingEntry(id: 2, muscleID: "soleus", side: .left,
                                     needle: Needle(brand: "Seirin J-Type", gaugeMm: 0.25, lengthMm: 40, lot: "SJ2410022"),
                                     needlesInserted: 3, needlesRemoved: 3, technique: .staticInSitu,
                                     depth: try! DepthMillimetres(25, field: "depth"), timeInSitu: try! Seconds(600, field: "time"),
                                     twitchResponses: 1, adverseEvents: [AdverseEvent(kind: .postNeedlingSoreness)])])
        let second = Visit(id: 3, patientID: 2, practitionerID: 2, startedAt: at("2026-11-16T23:00:00.000Z"),
                           complaint: "Heel pain easing", pain: PainScores(now: try! NPRS(2, field: "now")))
        return PatientRecord(patient: patient, consents: [consent], screens: [screen], visits: [first, second])
    }

    /// Neck pain and a nickel allergy: a screen with the allergy acknowledged, manual treatment only.
    static var aisha: PatientRecord {
        let patient = Patient(id: 3, recordNumber: "K00003", givenNames: "Aisha", familyName: "Rahman",
                              dateOfBirth: day("1988-02-14"), sex: .female, email: "aisha.rahman@example.co.uk",
                              identifiers: [PatientIdentifier(system: .other("https://fhir.nhs.uk/Id/nhs-number"), value: "9434765919")],
                              alerts: [PatientAlert(id: 2, kind: .precaution(.metalAllergy), text: "Metal allergy in referral: Nickel",
                                                    status: .confirmed, source: "referral 2026-11-03 (allergies)")])
        let screen = PrecautionScreen(id: 3, patientID: 3, practitionerID: 1, recordedAt: at("2026-11-09T09:00:00.000Z"),
                                      present: [.metalAllergy],
                                      acknowledgments: [.metalAllergy: "Nickel dermatitis: no needling today, manual therapy only"],
                                      validUntil: day("2027-02-07"))
        let visit = Visit(
            id: 4, patientID: 3, practitionerID: 1, startedAt: at("2026-11-09T09:00:00.000Z"),
            complaint: "Right neck and upper shoulder pain with headaches",
            pain: PainScores(now: try! NPRS(5, field: "now"), best: try! NPRS(3, field: "best"), worst: try! NPRS(7, field: "worst")),
            status: .signed, signedAt: at("2026-11-09T09:35:00.000Z"),
            triggerPoints: [TriggerPointFinding(id: 4, muscleID: "upper-trapezius", side: .right, activity: .active,
                                                referredPainReproduced: true, tenderness: try! NPRS(7, field: "t"),
                                                likelyCauses: [.sustainedPosture, .stress])],
            biomechanics: [BiomechanicalFinding(id: 5, measure: .posture, side: .midline, notes: "Forward head posture at the laptop")],
            treatments: [Treatment(id: 3, kind: .ischaemicCompression, muscleID: "upper-trapezius", side: .right,
                                   holdTime: try! Seconds(45, field: "hold"), cycles: 4),
                         Treatment(id: 4, kind: .education, notes: "Laptop on a stand; breaks every 30 minutes")])
        return PatientRecord(patient: patient, screens: [screen], visits: [visit])
    }

    static var audit: [AuditEntry] {
        let events: [AuditEvent] = [
            AuditEvent(id: 1, at: at("2026-10-13T21:55:00.000Z"), actor: "mreid", action: .login, entity: "practitioner", entityID: 1),
            AuditEvent(id: 2, at: at("2026-10-13T21:58:00.000Z"), actor: "mreid", action: .import, entity: "referral", entityID: 1,
                       patientID: 1, detail: LetterDigest.sha256Hex(letter)),
            AuditEvent(id: 3, at: at("2026-10-13T22:48:00.000Z"), actor: "mreid", action: .sign, entity: "visit", entityID: 1, patientID: 1),
            AuditEvent(id: 4, at: at("2026-10-14T00:15:00.000Z"), actor: "mreid", action: .amend, entity: "visit", entityID: 1,
                       patientID: 1, detail: "amendment 1"),
            AuditEvent(id: 5, at: at("2026-11-02T23:40:00.000Z"), actor: "tnguyen", action: .sign, entity: "visit", entityID: 2, patientID: 2),
            AuditEvent(id: 6, at: at("2026-11-09T09:35:00.000Z"), actor: "mreid", action: .sign, entity: "visit", entityID: 4, patientID: 3),
        ]
        // Chained exactly as the store chains them, so that importing the example verifies.
        return AuditChain.chain(events).map { AuditEntry(event: $0.event, prevHash: $0.prevHash, hash: $0.hash) }
    }

    static func export() throws -> Data {
        try RecordsExportWriter.document(header: RecordsExportHeader(clinic: "Crown Street Physiotherapy and Podiatry", software: "knot"),
                                         practitioners: practitioners, records: records, audit: audit)
    }
}
