import Foundation
import ClinicModel
@testable import ClinicXML

/// Records for the XML tests: a rich set that uses every field and every enumeration case, and
/// the small example clinic written to Import/example-clinic.xml.
enum SampleRecords {
    /// An instant from its UTC spelling (the same computation the reader uses).
    static func at(_ text: String) -> Date {
        XMLValueFormat.parseInstant(text)!
    }

    static func day(_ text: String) -> LocalDate {
        try! LocalDate(parsing: text)
    }

    // MARK: - The rich set

    static let practitioners: [Practitioner] = Profession.allCases.enumerated().map { index, profession in
        Practitioner(
            id: Int64(index + 1), handle: "p\(index + 1).\(profession.rawValue)",
            name: "Practitioner \(index + 1) \(profession.rawValue.capitalized)", profession: profession,
            registrationNumber: index.isMultiple(of: 2) ? "REG\(1000 + index)" : nil,
            role: index == 5 ? .reception : .practitioner,
            dryNeedlingTraining: index < 3
                ? DryNeedlingTraining(course: "Dry Needling Level \(index + 1) & <advanced>", hours: 20 + index, completedOn: day("2023-05-2\(index)"))
                : nil)
    }

    static var richRecords: [PatientRecord] {
        [fullRecord, minimalRecord, archivedRecord, emptyRecord]
    }

    static let audit: [AuditEntry] = {
        var previous = ""
        return AuditEvent.Action.allCases.enumerated().map { index, action in
            let event = AuditEvent(
                id: Int64(index + 1), at: at("2026-09-0\(index % 9 + 1)T0\(index % 10):1\(index % 6):0\(index % 10).\(100 + index)Z"),
                actor: index == 3 ? "root (no practitioner)" : "p1.physiotherapist", action: action,
                entity: index.isMultiple(of: 2) ? "visit" : "patient",
                entityID: index == 4 ? nil : Int64(500 + index), patientID: index > 8 ? nil : 101,
                detail: index.isMultiple(of: 3) ? "needling entry \(index) & <sha>" : nil)
            let hash = LetterDigest.sha256Hex(Data("\(previous)|\(index)|\(action.rawValue)".utf8))
            defer { previous = hash }
            return AuditEntry(event: event, prevHash: previous, hash: hash)
        }
    }()

    static let letter = Data("<?xml version=\"1.0\"?>\r\n<ClinicalDocument xmlns=\"urn:hl7-org:v3\">\u{FEFF}…</ClinicalDocument>".utf8)

    static var fullRecord: PatientRecord {
        let patient = Patient(
            id: 101, recordNumber: "K00101", givenNames: "Zoë Ann", familyName: "O'Brien-Ng <test> & co",
            preferredName: "Zo", dateOfBirth: day("1980-02-29"), sex: .female, phone: "+61 (2) 9555-0142",
            email: "zoe@example.com.au", address: "Unit 4\r\n12 King St\nNewtown NSW 2042\t(rear)",
            identifiers: [
                PatientIdentifier(system: .medicare, value: "2953418721"),
                PatientIdentifier(system: .ihi, value: "8003608166690503"),
                PatientIdentifier(system: .dva, value: "NX901234"),
                PatientIdentifier(system: .clinic, value: "OLD-77"),
                PatientIdentifier(system: .other("1.2.36.1.2001.1003.0"), value: "abc 123"),
            ],
            generalPractitioner: "Dr Priya Raman, Harbourside Medical Centre",
            alerts: [
                PatientAlert(id: 1, kind: .precaution(.anticoagulant), text: "Apixaban 5 mg bd", status: .confirmed, source: "practitioner"),
                PatientAlert(id: 2, kind: .precaution(.metalAllergy), text: "Nickel", status: .proposed, source: "referral 2026-06-01 (allergies)"),
                PatientAlert(id: 3, kind: .allergy, text: "Latex", status: .dismissed, source: ""),
                PatientAlert(id: 4, kind: .other, text: "Prefers morning appointments\nhard of hearing", status: .confirmed),
            ] + Precaution.allCases.enumerated().map { index, p in
                PatientAlert(id: Int64(10 + index), kind: .precaution(p), text: p.displayName, status: .proposed, source: "screen")
            })
        let cda = Referral(
            id: 11, patientID: 101, referrerName: "Dr Priya Raman", referrerOrganisation: "Harbourside Medical Centre",
            referrerProviderNumber: "2426791T", referrerContact: "(02) 9555 0142", recipient: "Crown Street Physiotherapy",
            date: day("2026-06-01"), expiresOn: day("2027-05-31"), sessionsAllowed: 5,
            reason: "  Calf pain\n\twith leading and trailing space  ", format: .cda,
            documentID: "1.2.36.1.2001.1005.11^REF-1", documentCode: "57133-1", documentTitle: "Referral Note",
            sections: [
                ReferralSection(kind: "reason", code: "42349-1", codeSystem: "2.16.840.1.113883.6.1", title: "Reason", text: "Calf pain"),
                ReferralSection(kind: "medications", code: "10160-0", codeSystem: "2.16.840.1.113883.6.1", title: "Medications",
                                text: "Apixaban 5 mg\nMetoprolol",
                                entries: [
                                    ReferralSection.CodedEntry(code: "1364430", codeSystem: "2.16.840.1.113883.6.88",
                                                               displayName: "apixaban 5 MG Oral Tablet", text: "Eliquis 5 mg bd"),
                                    ReferralSection.CodedEntry(),
                                    ReferralSection.CodedEntry(text: ""),
                                ]),
                ReferralSection(kind: "other", title: "", text: ""),
                // Attribute values keep line breaks, tabs and quotes exactly.
                ReferralSection(kind: "x-local kind", code: "line 1\nline 2\r\t<&>\"'", codeSystem: "", title: "T", text: "x"),
            ],
            attachments: [
                ReferralAttachment(mediaType: "application/pdf", data: Data("%PDF-1.4\n%\u{00E2}\u{00E3}".utf8) + Data([0, 255, 10, 13])),
                ReferralAttachment(mediaType: "text/plain", data: Data()),
            ],
            originalLetter: letter, originalSHA256: LetterDigest.sha256Hex(letter),
            importWarnings: ["unknown section code 99999-9", "patient identifier 2 was left out"])
        let knot = Referral(id: 12, patientID: 101, referrerName: "Dr Hamish Cole", date: day("2026-07-01"), reason: "",
                            format: .knot)
        let manual = Referral(id: 13, patientID: 101, referrerName: "Self", date: day("2026-08-01"), reason: "Walk-in", format: .manual)

        let consents = [
            Consent(id: 21, patientID: 101, practitionerID: 1, recordedAt: at("2026-06-02T09:00:00.000Z"),
                    risksExplained: Set(Consent.Risk.allCases), benefitsExplained: true, written: true,
                    validUntil: day("2027-06-01"), notes: "Form scanned; \"pneumothorax\" explained"),
            Consent(id: 22, patientID: 101, practitionerID: 2, recordedAt: at("2026-09-15T23:59:59.999Z"),
                    risksExplained: [.bruising, .soreness, .fainting], benefitsExplained: true),
        ]
        let screens = [
            PrecautionScreen(id: 31, patientID: 101, practitionerID: 1, recordedAt: at("2026-06-02T09:05:00.000Z"),
                             present: [.anticoagulant, .pregnancy],
                             acknowledgments: [.anticoagulant: "INR not relevant (apixaban); superficial only, pressure 2 min",
                                               .pregnancy: "Second trimester; avoided lumbopelvic points",
                                               .epilepsy: "Asked: no seizures since 2010"],
                             validUntil: day("2026-08-31")),
            PrecautionScreen(id: 32, patientID: 101, practitionerID: 2, recordedAt: at("2026-09-15T10:00:00.000Z"),
                             validUntil: day("2026-12-14")),
        ]
        var signed = Visit(
            id: 41, patientID: 101, practitionerID: 1, referralID: 11, startedAt: at("2026-06-02T09:00:00.000Z"),
            complaint: "Left calf pain > 8 months & worse walking",
            pain: PainScores(now: try! NPRS(6, field: "now"), best: try! NPRS(0, field: "best"), worst: try! NPRS(10, field: "worst")),
            psfs: (0..<5).map { PSFSItem(activity: "Activity \($0) <walk>", score: try! PSFSScore($0 * 2 + ($0 == 4 ? 2 : 0), field: "s")) },
            notes: "Line one\r\nLine two\n\tindented\rcarriage", likelyCauseNotes: "Increased mileage",
            status: .signed, signedAt: at("2026-06-02T09:45:12.345Z"),
            triggerPoints: [
                TriggerPointFinding(id: 51, muscleID: "gastrocnemius-medial", side: .left, location: "TrP1, mid-belly",
                                    activity: .active, tautBand: true, localTwitchResponse: true, referredPainReproduced: true,
                                    tenderness: try! NPRS(7, field: "t"),
                                    pressurePainThreshold: PressurePainThreshold(value: try! KilogramsPerSquareCentimetre(3.25, field: "p"), probeSizeCm2: 1),
                                    likelyCauses: LikelyCause.allCases, notes: "Reproduces heel pain"),
                TriggerPointFinding(id: 52, muscleID: "soleus", side: .bilateral, activity: .latent, tautBand: false),
                TriggerPointFinding(id: 53, muscleID: "diaphragm", side: .midline, activity: .latent,
                                    pressurePainThreshold: PressurePainThreshold(value: try! KilogramsPerSquareCentimetre(0.1, field: "p"), probeSizeCm2: 0.5),
                                    likelyCauses: [.stress, .injury]),
            ],
            biomechanics: [
                BiomechanicalFinding(id: 61, measure: .footPostureIndex(try! FootPostureIndex(items: [2, 1, -2, 0, -1, 2])), side: .left),
                BiomechanicalFinding(id: 62, measure: .lunge(try! LungeCentimetres(9.5, field: "l")), side: .right, notes: "knee to wall"),
                BiomechanicalFinding(id: 63, measure: .legLengthDifference(try! LegLengthMillimetres(6, field: "l")), side: .left),
                BiomechanicalFinding(id: 64, measure: .halluxDorsiflexion(try! Degrees(55.5, field: "h")), side: .right),
                BiomechanicalFinding(id: 65, measure: .gait(GaitObservation.allCases), side: .bilateral),
                BiomechanicalFinding(id: 66, measure: .gait([]), side: .bilateral),
                BiomechanicalFinding(id: 67, measure: .strength(movement: "Hip abduction", grade: try! StrengthGrade(4, field: "s")), side: .left),
                BiomechanicalFinding(id: 68, measure: .jointRange(joint: "Ankle", movement: "Inversion", degrees: try! Degrees(-10.25, field: "d")), side: .right),
                BiomechanicalFinding(id: 69, measure: .posture, side: .midline, notes: "Forward head, rounded shoulders"),
                BiomechanicalFinding(id: 70, measure: .measure(name: "Navicular drop", value: 0.000012, unit: "mm"), side: .left),
                BiomechanicalFinding(id: 71, measure: .measure(name: "Single-leg hops", value: -999_999.5, unit: ""), side: .right),
                BiomechanicalFinding(id: 72, measure: .measure(name: "Heel raises", value: 1e-7, unit: "reps"), side: .left),
            ],
            treatments: Treatment.Kind.allCases.enumerated().map { index, kind in
                switch kind {
                case .ischaemicCompression:
                    Treatment(id: Int64(80 + index), kind: kind, muscleID: "gastrocnemius-medial", side: .left,
                              holdTime: try! Seconds(60, field: "h"), cycles: 3, notes: "Until release felt")
                case .other:
                    Treatment(id: Int64(80 + index), kind: kind, notes: "Taping")
                default:
                    Treatment(id: Int64(80 + index), kind: kind, muscleID: index.isMultiple(of: 2) ? "soleus" : nil,
                              side: index.isMultiple(of: 2) ? .right : nil, cycles: index.isMultiple(of: 3) ? 50 : nil)
                }
            },
            needling: [
                NeedlingEntry(id: 91, muscleID: "gastrocnemius-medial", side: .left, triggerPoint: "TrP1",
                              needle: Needle(brand: "Seirin J-Type", gaugeMm: 0.25, lengthMm: 40, lot: "A1234"),
                              needlesInserted: 2, needlesRemoved: 2, technique: .pistoning,
                              depth: try! DepthMillimetres(25.5, field: "d"), timeInSitu: try! Seconds(0, field: "t"),
                              twitchResponses: 3, patientResponse: "Jump sign, then ease",
                              adverseEvents: [AdverseEvent(kind: .bruising), AdverseEvent(kind: .bleeding, severity: .mild, action: "Pressure 2 min")]),
                NeedlingEntry(id: 92, muscleID: "upper-trapezius", side: .right,
                              needle: Needle(brand: "Hwato", gaugeMm: 0.12, lengthMm: 7, lot: "L-7"),
                              needlesInserted: 50, needlesRemoved: 50, technique: .staticInSitu,
                              depth: try! DepthMillimetres(7, field: "d"), timeInSitu: try! Seconds(3600, field: "t"),
                              adverseEvents: [AdverseEvent(kind: .vasovagal, severity: .significant, action: "Lay flat, observed 20 min"),
                                              AdverseEvent(kind: .suspectedPneumothorax, severity: .serious, action: "Ambulance called")]),
                NeedlingEntry(id: 93, muscleID: "soleus", side: .right,
                              needle: Needle(brand: "Dongbang", gaugeMm: 0.40, lengthMm: 125, lot: "Z9"),
                              needlesInserted: 1, needlesRemoved: 1,
                              technique: .electricalStimulation(settings: "2 Hz, 10 min,\nsensory threshold"),
                              depth: try! DepthMillimetres(125, field: "d"),
                              adverseEvents: ([.painDuringTreatment, .postNeedlingSoreness, .nausea, .needleStuck, .needleBent, .needleBroken, .other] as [AdverseEvent.Kind])
                                  .map { AdverseEvent(kind: $0, severity: .mild) }),
            ])
        // Every outcome scale (one with a blank item) and a coded impression; the draft's impression is uncoded.
        signed.impression = ClinicalImpression(text: "Left calf myofascial pain <active TrPs> & \"tendinopathy?\"",
                                               code: "M79.1", codeSystem: .icd10)
        signed.outcomes = [
            try! OutcomeMeasure(id: 301, scale: .lefs, items: (0..<20).map { $0 % 5 }),
            try! OutcomeMeasure(id: 302, scale: .ndi, items: [0, 1, 2, 3, 4, 5, nil, 1, 2, 3]),
            try! OutcomeMeasure(id: 303, scale: .odi, items: Array(repeating: 5, count: 10)),
            try! OutcomeMeasure(id: 304, scale: .visaA, items: [10, 0, 5, 5, 5, 5, 7, 30]),
            try! OutcomeMeasure(id: 305, scale: .quickDASH, items: [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, nil]),
        ]
        var draft = Visit(id: 42, patientID: 101, practitionerID: 2, startedAt: at("2026-09-15T10:30:00.000Z"),
                          pain: PainScores(now: try! NPRS(3, field: "now")),
                          needling: [NeedlingEntry(id: 94, muscleID: "gluteus-medius", side: .left,
                                                   needle: Needle(brand: "Seirin", gaugeMm: 0.3, lengthMm: 60, lot: "B2"),
                                                   needlesInserted: 3, needlesRemoved: 1, sharpsDisposed: false)])
        draft.impression = ClinicalImpression(text: "Gluteal pain, query referred")
        let amendment = Amendment(id: 101, visitID: 41, practitionerID: 1, amendedAt: at("2026-06-03T08:00:00.000Z"),
                                  reason: "Wrong side recorded", changes: [
                                      Amendment.Change(field: "needling[1].side", before: "left", after: "right"),
                                      Amendment.Change(field: "notes", before: "", after: "Added: <b>bold</b> & more"),
                                  ])
        let plans = [
            FollowUpPlan(id: 111, visitID: 41, version: 2, status: .final, createdAt: at("2026-06-02T09:50:00.000Z"),
                         reviewDate: day("2026-06-16"),
                         items: FollowUpPlan.Item.Section.allCases.map { section in
                             FollowUpPlan.Item(section: section, text: "Advice for \(section.rawValue)\nsecond line",
                                               rule: section == .other ? "" : "rule.\(section.rawValue)",
                                               muscleID: section == .homeProgram ? "gastrocnemius-medial" : nil,
                                               side: section == .homeProgram ? .left : nil)
                         }),
            FollowUpPlan(id: 112, visitID: 42, createdAt: at("2026-09-15T11:00:00.000Z"),
                         items: [FollowUpPlan.Item(section: .review, text: "Review in 2 weeks")]),
        ]
        return PatientRecord(patient: patient, referrals: [cda, knot, manual], consents: consents, screens: screens,
                             visits: [signed, draft], amendments: [amendment], plans: plans)
    }

    static var minimalRecord: PatientRecord {
        PatientRecord(patient: Patient(id: 102, recordNumber: "K00102", givenNames: "Sam", familyName: "Lee",
                                       dateOfBirth: day("2001-12-31"), sex: .male),
                      visits: [Visit(id: 43, patientID: 102, practitionerID: 3, startedAt: at("2026-10-01T00:00:00.000Z"))])
    }

    static var archivedRecord: PatientRecord {
        PatientRecord(patient: Patient(id: 103, recordNumber: "K-103 (old)", givenNames: "Alex", familyName: "Kim",
                                       dateOfBirth: day("1950-01-01"), sex: .intersex, archived: true))
    }

    static var emptyRecord: PatientRecord {
        PatientRecord(patient: Patient(recordNumber: "NEW-1", givenNames: "Unsaved", familyName: "Patient",
                                       dateOfBirth: day("1990-07-04"), sex: .notStated))
    }
}
