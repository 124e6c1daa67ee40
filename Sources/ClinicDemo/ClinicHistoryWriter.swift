import Foundation
import ClinicModel
import ClinicServices
import SeededRandom
import FollowUpPlans

/// Which clinic is being generated: the demo (identifiers in its own ranges, every finding saved
/// and audited on its own as at the terminal) or a synthetic one (its own ranges, each visit
/// saved whole so that 100,000 patients stay quick).
enum GeneratorKind {
    case demo, synthetic
    var ihiPrefix: String { self == .demo ? "8003608" : "8003609" }
    var medicarePrefix: String { self == .demo ? "2" : "4" }
    var savesEachFinding: Bool { self == .demo }
}

/// Writes one patient's history through the store, the way a clinic would have: referral, then
/// for each visit consent and screen when needling needs them, the note, its findings and
/// entries one by one, the signature, and a plan after the last visit.
struct ClinicHistoryWriter {
    /// A made-up Medicare card number that passes the check digit (as typed entry requires):
    /// `prefix` (one digit), seven digits scrambled from `serial` (one number per serial below
    /// ten million: 3^18 is prime to 10^7), the check digit, issue number 1.
    static func medicareNumber(_ prefix: String, serial: Int) -> String {
        let firstEight = prefix + String(format: "%07ld", (serial * 387_420_489 + 1_234_567) % 10_000_000)
        return firstEight + String(IdentifierCheckDigit.medicareCheckDigit(firstEight) ?? 0) + "1"
    }

    /// A made-up IHI that passes its Luhn check digit: `prefix` (seven digits, 800360 and one),
    /// eight digits scrambled from `serial` (one number per serial below 10^8), the check digit.
    static func ihi(_ prefix: String, serial: Int) -> String {
        let firstFifteen = prefix + String(format: "%08ld", (serial * 387_420_489 + 12_345_678) % 100_000_000)
        let check = (0...9).first { IdentifierCheckDigit.passesLuhn(firstFifteen + String($0)) } ?? 0
        return firstFifteen + String(check)
    }

    let tx: any ClinicRecords
    let actor: String
    let today: LocalDate
    let kind: GeneratorKind
    let calendar: Calendar
    var summary = DemoSummary()

    init(tx: any ClinicRecords, actor: String, today: LocalDate, kind: GeneratorKind) {
        self.tx = tx; self.actor = actor; self.today = today; self.kind = kind
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = ClinicTimeZone.current
        calendar = cal
    }

    /// The clinic's users, created when their handles are not there yet.
    mutating func ensureStaff() throws -> DemoStaff {
        let today = self.today
        func training(_ course: String, _ hours: Int, yearsAgo: Int) -> DryNeedlingTraining {
            DryNeedlingTraining(course: course, hours: hours, completedOn: today.adding(years: -yearsAgo).adding(days: -40))
        }
        let wanted = [
            Practitioner(handle: "mchen", name: "Mei Chen", profession: .physiotherapist, registrationBody: "AHPRA", registrationNumber: "PHY0001234567",
                         dryNeedlingTraining: training("Dry Needling Level 1 and 2", 48, yearsAgo: 6)),
            Practitioner(handle: "tkowalski", name: "Tomasz Kowalski", profession: .podiatrist, registrationBody: "AHPRA", registrationNumber: "POD0001876543",
                         dryNeedlingTraining: training("Dry needling of the lower limb", 24, yearsAgo: 3)),
            Practitioner(handle: "rpatel", name: "Ravi Patel", profession: .chiropractor, registrationBody: "AHPRA", registrationNumber: "CHI0001456789"),
            Practitioner(handle: "lnguyen", name: "Linh Nguyễn", profession: .osteopath, registrationBody: "AHPRA", registrationNumber: "OST0001654321",
                         dryNeedlingTraining: training("Myofascial dry needling", 36, yearsAgo: 4)),
            Practitioner(handle: "reception", name: "Jo Harris", profession: .other, role: .reception),
        ]
        var saved: [Practitioner] = []
        // A clinic with no administrator yet gets mchen as its administrator (as `knot init` makes one).
        var needsAdministrator = try !tx.practitioners().contains { $0.isAdministrator && $0.isActive }
        for var p in wanted {
            if let existing = try tx.practitioner(handle: p.handle) {
                saved.append(existing)
            } else {
                if needsAdministrator && p.role == .practitioner { p.isAdministrator = true; needsAdministrator = false }
                saved.append(try tx.insertPractitioner(p, actor: actor))
                if p.role == .reception { summary.receptionUsers += 1 } else { summary.practitioners += 1 }
            }
        }
        return DemoStaff(physiotherapist: saved[0], podiatrist: saved[1], chiropractor: saved[2], osteopath: saved[3], reception: saved[4])
    }

    func instant(_ day: LocalDate, hour: Int, minute: Int) -> Date {
        calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: hour, minute: minute))!
    }

    // MARK: patient

    mutating func writePatient(_ person: DemoPerson, serial: Int, staff: DemoStaff, visitCount: Int,
                               rng: inout SplitMix64) throws {
        // Children come with sports injuries of the lower limb.
        let podiatry = person.traits.contains(.podiatry) || person.traits.contains(.minor)
            || (!person.traits.contains(.notPodiatry) && rng.chance(0.35))
        let presentation = rng.pick(podiatry ? Presentation.podiatry : Presentation.general)
        let practitioner: Practitioner = podiatry ? staff.podiatrist
            : rng.weighted([0: 45, 1: 30, 2: 25]) == 0 ? staff.physiotherapist
            : (rng.chance(0.55) ? staff.osteopath : staff.chiropractor)

        var patient = try makePatient(person, serial: serial, rng: &rng)
        patient = try tx.insertPatient(patient, actor: actor, today: today)
        let patientID = patient.id!
        summary.patients += 1
        summary.alerts += patient.alerts.count

        var days = schedule(count: visitCount, finishedLongAgo: person.traits.contains(.finishedLongAgo), rng: &rng)
        var draftDay: LocalDate?
        if person.traits.contains(.draftToday) { draftDay = today }
        if person.traits.contains(.draftYesterday) { draftDay = today.adding(days: -1) }
        // A draft left open: the last visit moves to today or yesterday (the visits before it
        // are all earlier, so the count stays what was asked).
        if let d = draftDay, !days.isEmpty { days[days.count - 1] = d } else { draftDay = nil }

        let referral = try writeReferral(for: patientID, practitioner: practitioner, person: person,
                                         complaint: presentation.complaint, firstVisit: days.first, rng: &rng)
        let confirmed = patient.confirmedPrecautions
        let acceptsNeedling = !confirmed.contains(.needlePhobia) && !person.traits.contains(.needlePhobia) && rng.chance(0.8)
        let mayNeedle = acceptsNeedling && practitioner.dryNeedlingTraining != nil

        var course = Course(presentation: presentation, patientID: patientID, practitioner: practitioner,
                            referral: referral, confirmedPrecautions: confirmed + Self.proposedPrecautions(patient),
                            diabetes: person.traits.contains(.diabetes),
                            rng: &rng, visits: days.count)
        course.dateOfBirth = patient.dateOfBirth
        // Chosen by record id, not by the generator, so the rest of the demo stays as it was.
        course.guardian = Consent.Guardian(name: "\(["Sam", "Alex", "Jordan", "Chris"][Int(patientID % 4)]) \(patient.familyName)",
                                           relationship: ["mother", "father", "legal guardian"][Int(patientID % 3)])
        var lastSigned: Visit?
        var amendDone = false
        for (k, day) in days.enumerated() {
            let isDraft = draftDay == day && k == days.count - 1
            let visit = try writeVisit(number: k, of: days.count, day: day, course: &course,
                                       mayNeedle: mayNeedle, draft: isDraft, rng: &rng)
            if visit.status == .signed {
                lastSigned = visit
                if person.traits.contains(.amended), !amendDone, k >= 1 || days.count == 1 {
                    try writeAmendment(visit, rng: &rng)
                    amendDone = true
                }
            }
        }
        // A final plan after the last signed visit (none while a draft is open): its review date
        // puts the patient on the recall list once it passes with no visit since.
        if let last = lastSigned, draftDay == nil, person.traits.contains(.finishedLongAgo) || rng.chance(0.85) {
            try writePlan(after: last)
        }
        if person.traits.contains(.archived), var p = try tx.patient(id: patientID) {
            p.archived = true
            try tx.updatePatient(p, actor: actor, today: today)
            summary.archivedPatients += 1
        }
    }

    func makePatient(_ person: DemoPerson, serial: Int, rng: inout SplitMix64) throws -> Patient {
        let age = person.traits.contains(.minor) ? rng.int(10...17) : rng.weighted([25: 2, 35: 3, 45: 3, 55: 3, 65: 2, 75: 1]) + rng.int(-7...7)
        let dob = today.adding(years: -age).adding(days: -rng.int(1...360))
        var phone: String?
        switch rng.unit() {
        case ..<0.75:
            phone = "04\(rng.int(0...9))\(rng.int(0...9)) \(rng.int(100...999)) \(rng.int(100...999))"
        case ..<0.95:
            phone = "(0\(rng.pick([2, 3, 7, 8]))) \(rng.int(4000...9999)) \(rng.int(1000...9999))"
        default: break
        }
        var email: String?
        if rng.chance(0.7) {
            let words = [person.given, person.family].map(Self.emailWord).filter { !$0.isEmpty }
            let name = person.emailName ?? (words.count == 2 ? words.joined(separator: ".") : "patient\(serial)")
            email = "\(name)\(rng.chance(0.3) ? String(rng.int(1...99)) : "")@\(rng.pick(["example.com", "example.net", "example.org"]))"
        }
        let streets = ["Brunswick St", "High St", "Station Rd", "Church St", "Wattle Ave", "Beach Rd", "Park Cres", "Bay St"]
        let suburbs = ["Fitzroy VIC 3065", "Northcote VIC 3070", "Brighton VIC 3186", "Newtown NSW 2042",
                       "Fremantle WA 6160", "Paddington QLD 4064", "Glenelg SA 5045", "Sandy Bay TAS 7005"]
        var identifiers: [PatientIdentifier] = []
        if rng.chance(0.55) {
            identifiers.append(PatientIdentifier(system: .medicare, value: Self.medicareNumber(kind.medicarePrefix, serial: serial)))
        }
        if rng.chance(0.3) {
            identifiers.append(PatientIdentifier(system: .ihi, value: Self.ihi(kind.ihiPrefix, serial: serial)))
        }
        let gps = ["Dr Anna Whitford, Riverside Medical Centre", "Dr Rajesh Iyer, Northcote Family Practice",
                   "Dr Sarah O'Connell, Bayside GP Clinic", "Dr Tom Nguyen, Fitzroy Health Hub"]
        var alerts: [PatientAlert] = []
        for trait in person.traits.sorted(by: { "\($0)" < "\($1)" }) {
            switch trait {
            case .anticoagulant(let text):
                alerts.append(PatientAlert(kind: .precaution(.anticoagulant), text: text, status: .confirmed, source: "practitioner"))
            case .metalAllergy:
                alerts.append(PatientAlert(kind: .precaution(.metalAllergy), text: "Nickel allergy (contact dermatitis)", status: .confirmed))
            case .latexAllergy:
                alerts.append(PatientAlert(kind: .allergy, text: "Latex: hives", status: .confirmed))
            case .proposedAntiplatelet:
                alerts.append(PatientAlert(kind: .precaution(.antiplatelet), text: "Aspirin 100 mg daily (from the referral's medication list)",
                                           status: .proposed, source: "referral (medications)"))
            case .needlePhobia:
                alerts.append(PatientAlert(kind: .precaution(.needlePhobia), text: "Faints at the sight of needles: manual therapy only"))
            case .diabetes:
                alerts.append(PatientAlert(kind: .precaution(.diabetesPoorHealing), text: "Type 2 diabetes, slow healing on the feet"))
            default: break
            }
        }
        return Patient(recordNumber: "", givenNames: person.given, familyName: person.family, preferredName: person.preferred,
                       dateOfBirth: dob, sex: person.sex, phone: phone, email: email,
                       address: rng.chance(0.85) ? "\(rng.int(1...240)) \(rng.pick(streets)), \(rng.pick(suburbs))" : nil,
                       identifiers: identifiers, generalPractitioner: rng.chance(0.8) ? rng.pick(gps) : nil, alerts: alerts)
    }

    /// A plain ASCII word for an email address ("Zoë" -> "zoe", "Søren" -> "soren").
    static func emailWord(_ s: String) -> String {
        let folded = s.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en"))
            .replacingOccurrences(of: "ø", with: "o").replacingOccurrences(of: "ß", with: "ss")
            .replacingOccurrences(of: "ı", with: "i").replacingOccurrences(of: "æ", with: "ae")
        return String(folded.filter { $0.isASCII && ($0.isLetter || $0.isNumber) })
    }

    /// Visit days: `count` days a week or two apart (closer when there are many, all within
    /// about six months), the last one in the past four weeks (or, for courses that ended, two or
    /// three months ago, so that their review is overdue).
    func schedule(count: Int, finishedLongAgo: Bool, rng: inout SplitMix64) -> [LocalDate] {
        guard count > 0 else { return [] }
        let gap = max(1, min(14, 170 / count))
        let span = (count - 1) * gap + gap / 3
        let latestEnd = today.adding(days: finishedLongAgo ? -rng.int(50...90) : -rng.int(1...28))
        let start = latestEnd.adding(days: -span)
        return (0..<count).map { k in start.adding(days: k * gap + rng.int(0...(gap / 3))) }
    }

    mutating func writeReferral(for patientID: Int64, practitioner: Practitioner, person: DemoPerson, complaint: String,
                                firstVisit: LocalDate?, rng: inout SplitMix64) throws -> Referral? {
        guard let first = firstVisit, rng.chance(0.65) || person.traits.contains(.proposedAntiplatelet) else { return nil }
        let referrers: [(String, String, String)] = [
            ("Dr Anna Whitford", "Riverside Medical Centre", "2145678A"),
            ("Dr Rajesh Iyer", "Northcote Family Practice", "4432109B"),
            ("Dr Sarah O'Connell", "Bayside GP Clinic", "3387261F"),
            ("Dr Tom Nguyen", "Fitzroy Health Hub", "2290334K"),
        ]
        let (name, organisation, number) = rng.pick(referrers)
        let date = first.adding(days: -rng.int(2...20))
        // Medicare chronic disease management referrals: five sessions a year; others vary.
        let capped = rng.chance(0.45)
        let expires: LocalDate? = switch rng.unit() {
        case ..<0.15: date.adding(days: 90)
        case ..<0.85: date.adding(years: 1)
        default: nil
        }
        let referral = Referral(
            patientID: patientID, referrerName: name, referrerOrganisation: organisation, referrerProviderNumber: number,
            referrerContact: "(03) 9\(rng.int(100...999)) \(rng.int(1000...9999))", recipient: practitioner.name, date: date,
            expiresOn: expires, sessionsAllowed: capped ? 5 : nil,
            reason: "\(complaint). Please assess and treat; thank you for seeing this patient.", format: .manual,
            sections: person.traits.contains(.proposedAntiplatelet)
                ? [ReferralSection(kind: "medications", title: "Medications", text: "Aspirin 100 mg daily; atorvastatin 20 mg")] : [])
        summary.referrals += 1
        return try tx.insertReferral(referral, actor: actor)
    }

    // MARK: visits

    /// The state of one patient's course of care across visits.
    struct Course {
        let presentation: Presentation
        let patientID: Int64
        let practitioner: Practitioner
        let referral: Referral?
        let confirmedPrecautions: [Precaution]
        let diabetes: Bool
        /// The muscles holding this patient's trigger points, with the side.
        let muscles: [(id: String, side: Side)]
        var pain: [Int]
        var psfsScores: [Int]
        var referralUsed = 0
        var consentUntil: LocalDate?
        var screenUntil: LocalDate?
        /// For a patient under 18 on a consent's day: the guardian who consents.
        var dateOfBirth: LocalDate?
        var guardian: Consent.Guardian?
        var lunge: Double
        let fpi: [Int]
        let hallux: Double

        init(presentation: Presentation, patientID: Int64, practitioner: Practitioner, referral: Referral?,
             confirmedPrecautions: [Precaution], diabetes: Bool, rng: inout SplitMix64, visits: Int) {
            self.presentation = presentation; self.patientID = patientID; self.practitioner = practitioner
            self.referral = referral; self.confirmedPrecautions = confirmedPrecautions; self.diabetes = diabetes
            let side: Side = rng.weighted([0: 4, 1: 4, 2: 2]) == 0 ? .left : (rng.chance(0.66) ? .right : .bilateral)
            muscles = rng.pick(presentation.muscles, count: rng.int(2...4)).map { id in
                (id, MuscleCatalogue.muscle(id: id)?.paired == false ? .midline : side)
            }
            // Pain trends down with the odd flare; PSFS trends up.
            var now = rng.int(5...8)
            pain = []
            for _ in 0..<max(visits, 1) {
                pain.append(now)
                now = rng.chance(0.15) ? min(10, now + 1) : max(rng.int(0...1), now - rng.int(0...2))
            }
            psfsScores = (0..<rng.int(2...3)).map { _ in rng.int(2...5) }
            lunge = Double(rng.int(60...110)) / 10
            fpi = rng.pick([[1, 1, 2, 1, 1, 1], [2, 1, 2, 2, 1, 2], [0, 1, 1, 0, 1, 1], [-1, 0, -1, 0, -1, 0], [1, 2, 1, 1, 2, 1]])
            hallux = Double(rng.int(35...65))
        }
    }

    mutating func writeVisit(number k: Int, of count: Int, day: LocalDate, course: inout Course, mayNeedle: Bool,
                             draft: Bool, rng: inout SplitMix64) throws -> Visit {
        let p = course.presentation
        let start = instant(day, hour: draft && day == today ? 8 : rng.int(8...17), minute: rng.pick([0, 15, 30, 45]))
        let painNow = course.pain[k]
        let pain = PainScores(now: try NPRS(painNow, field: "pain.now"), best: try NPRS(max(0, painNow - rng.int(1...3)), field: "pain.best"),
                              worst: try NPRS(min(10, painNow + rng.int(1...2)), field: "pain.worst"))
        if k > 0 { course.psfsScores = course.psfsScores.map { min(10, $0 + rng.int(0...2)) } }
        let psfs = try zip(p.psfs, course.psfsScores).map { PSFSItem(activity: $0, score: try PSFSScore($1, field: "psfs")) }
        var referralID: Int64?
        if let r = course.referral, r.isCurrent(on: day), r.sessionsAllowed.map({ course.referralUsed < $0 }) ?? true {
            referralID = r.id
            course.referralUsed += 1
        }
        let needle = mayNeedle && rng.chance(k == 0 ? 0.6 : 0.85)
        if needle { try ensureConsentAndScreen(day: day, start: start, course: &course, rng: &rng) }

        let notes = k == 0
            ? "Onset about \(rng.int(2...12)) weeks ago. \(p.causeNote). Worse at the end of the day."
            : "Reports \(painNow)/10 now (was \(course.pain[k - 1])/10 last visit). Home program done most days."
        var visit = Visit(patientID: course.patientID, practitionerID: course.practitioner.id!, referralID: referralID, startedAt: start,
                          complaint: k == 0 ? p.complaint : "Review: " + p.complaint.prefix(1).lowercased() + p.complaint.dropFirst(),
                          pain: pain, psfs: psfs, notes: notes, likelyCauseNotes: k == 0 ? p.causeNote : nil)

        // Examination: trigger points (the first ones active), then biomechanics.
        let found = course.muscles.prefix(max(1, course.muscles.count - (k >= 3 ? 1 : 0)))
        for (i, m) in found.enumerated() {
            let active = i < 2 && painNow >= 2
            visit.triggerPoints.append(TriggerPointFinding(
                muscleID: m.id, side: m.side, location: rng.chance(0.4) ? "TrP\(rng.int(1...2)), mid-belly" : nil,
                activity: active ? .active : .latent, tautBand: true, localTwitchResponse: rng.chance(0.4),
                referredPainReproduced: active && rng.chance(0.6),
                tenderness: try NPRS(min(10, max(1, painNow + rng.int(-1...2))), field: "tenderness"),
                pressurePainThreshold: rng.chance(0.3)
                    ? PressurePainThreshold(value: try KilogramsPerSquareCentimetre(Double(rng.int(20...60)) / 10, field: "ppt"), probeSizeCm2: 1.0)
                    : nil,
                likelyCauses: k == 0 ? rng.pick(p.causes, count: rng.int(1...p.causes.count)) : []))
        }
        if k == 0 || k % 3 == 0 {
            visit.biomechanics = try biomechanics(course: &course, visitNumber: k, rng: &rng)
        }

        // Needling of the active trigger points (all of them at the first visit).
        if needle {
            let sites = visit.triggerPoints.filter { $0.activity == .active || k == 0 }
                .filter { !(course.diabetes && MuscleCatalogue.muscle(id: $0.muscleID)?.region == .ankleFoot) }
            for tp in sites.prefix(3) {
                for side in tp.side == .bilateral ? [Side.left, .right] : [tp.side] {
                    visit.needling.append(try needling(muscleID: tp.muscleID, side: side, day: day,
                                                       practitioner: course.practitioner, rng: &rng))
                }
            }
        }
        let needled = !visit.needling.isEmpty

        // Treatments.
        if let first = visit.triggerPoints.first, rng.chance(0.7) {
            visit.treatments.append(Treatment(kind: .ischaemicCompression, muscleID: first.muscleID, side: first.side,
                                              holdTime: try Seconds(rng.pick([30, 45, 60, 90]), field: "holdTime"), cycles: 3))
        }
        if needled { visit.treatments.append(Treatment(kind: .dryNeedling, notes: "See the needling log for sites and needles")) }
        if k == 0 || rng.chance(0.4), let first = visit.triggerPoints.first {
            visit.treatments.append(Treatment(kind: .massageBallInstruction, muscleID: first.muscleID, side: first.side,
                                              notes: "Ball on the exact spot: holds under 15 s at first, building to 30-90 s, twice a day"))
        }
        visit.treatments.append(Treatment(kind: rng.chance(0.5) ? .exercise : .stretching,
                                          notes: rng.chance(0.5) ? p.exercise : p.stretch))
        if k == 0 {
            visit.treatments.append(Treatment(kind: .education, notes: "Explained trigger points, load and the home program. " + p.correction))
        }

        visit = try save(visit)
        summary.visits += 1
        summary.triggerPoints += visit.triggerPoints.count
        summary.biomechanicalFindings += visit.biomechanics.count
        summary.treatments += visit.treatments.count
        summary.needlingEntries += visit.needling.count
        summary.needlesInserted += visit.needleCount.inserted
        summary.adverseEvents += visit.needling.reduce(0) { $0 + $1.adverseEvents.count }

        if draft {
            summary.draftVisits += 1
        } else {
            let signedAt = start.addingTimeInterval(Double(rng.int(25...50) * 60))
            try tx.signVisit(id: visit.id!, at: signedAt, actor: actor)
            visit.status = .signed
            visit.signedAt = signedAt
            summary.signedVisits += 1
        }
        return visit
    }

    /// Writes a visit as a practitioner at the terminal does (the note, then each finding and
    /// entry with its own audit row, needles left in situ counted out afterwards), or, for
    /// synthetic clinics, whole in one call (one audit row), which keeps 100,000 patients quick.
    func save(_ visit: Visit) throws -> Visit {
        guard kind.savesEachFinding else { return try tx.insertVisit(visit, actor: actor) }
        var header = visit
        header.triggerPoints = []; header.biomechanics = []; header.treatments = []; header.needling = []
        var saved = try tx.insertVisit(header, actor: actor)
        let id = saved.id!
        saved.triggerPoints = try visit.triggerPoints.map { try tx.insertTriggerPoint($0, visitID: id, actor: actor) }
        saved.biomechanics = try visit.biomechanics.map { try tx.insertBiomechanical($0, visitID: id, actor: actor) }
        saved.needling = try visit.needling.map { entry in
            var inSitu = entry
            if entry.technique != .pistoning { inSitu.needlesRemoved = 0 }
            var stored = try tx.insertNeedling(inSitu, visitID: id, actor: actor)
            if stored.needlesRemoved < entry.needlesRemoved {
                try tx.updateNeedlesRemoved(entryID: stored.id!, removed: entry.needlesRemoved, actor: actor)
                stored.needlesRemoved = entry.needlesRemoved
            }
            return stored
        }
        saved.treatments = try visit.treatments.map { try tx.insertTreatment($0, visitID: id, actor: actor) }
        return saved
    }

    /// Precautions a referral proposes for `patient`: the screen answers them present (with a
    /// reason), as Knot requires while an alert is neither confirmed nor dismissed.
    static func proposedPrecautions(_ patient: Patient) -> [Precaution] {
        patient.alerts.compactMap { a in
            if case .precaution(let p) = a.kind, a.status == .proposed { return p }
            return nil
        }
    }

    /// Consent (standing for a year) and the precaution screen (90 days) before the first needle,
    /// renewed when they lapse; every confirmed precaution acknowledged with a reason.
    mutating func ensureConsentAndScreen(day: LocalDate, start: Date, course: inout Course, rng: inout SplitMix64) throws {
        if course.consentUntil.map({ $0 < day }) ?? true {
            let until = day.adding(days: 365)
            let minor = course.dateOfBirth.map { $0.years(until: day) < 18 } ?? false
            let consent = Consent(patientID: course.patientID, practitionerID: course.practitioner.id!,
                                  recordedAt: start.addingTimeInterval(-600), risksExplained: Set(Consent.Risk.allCases), benefitsExplained: true,
                                  written: rng.chance(0.6), validUntil: until,
                                  notes: "Benefits and risks explained (bruising, soreness, fainting; pneumothorax over the chest wall); questions answered",
                                  guardian: minor ? course.guardian : nil)
            try tx.insertConsent(consent, actor: actor)
            course.consentUntil = until
            summary.consents += 1
        }
        if course.screenUntil.map({ $0 < day }) ?? true {
            var present = Set(course.confirmedPrecautions.filter { !$0.isStop })
            var acks: [Precaution: String] = [:]
            for p in present { acks[p] = Self.acknowledgment(p) }
            if course.diabetes, !present.contains(.diabetesPoorHealing) {
                present.insert(.diabetesPoorHealing); acks[.diabetesPoorHealing] = Self.acknowledgment(.diabetesPoorHealing)
            }
            let until = day.adding(days: 90)
            let screen = PrecautionScreen(patientID: course.patientID, practitionerID: course.practitioner.id!,
                                          recordedAt: start.addingTimeInterval(-300), present: present, acknowledgments: acks,
                                          validUntil: until)
            try tx.insertScreen(screen, actor: actor)
            course.screenUntil = until
            summary.screens += 1
        }
    }

    static func acknowledgment(_ p: Precaution) -> String {
        switch p {
        case .anticoagulant: "Bleeding risk discussed; INR in range; few superficial sites, firm pressure 60 s after each needle"
        case .antiplatelet: "Low-dose aspirin: bruising risk explained; pressure after removal"
        case .metalAllergy: "Nickel allergy: nickel-free needles used; skin checked after"
        case .diabetesPoorHealing: "Diabetes: feet inspected, clean technique, no needling into the foot"
        default: "Discussed with the patient; precautions taken and noted"
        }
    }

    /// One needling site: the needle suits the muscle, the lot changes with the box, and every
    /// needle comes out again.
    func needling(muscleID: String, side: Side, day: LocalDate, practitioner: Practitioner,
                  rng: inout SplitMix64) throws -> NeedlingEntry {
        let muscle = MuscleCatalogue.muscle(id: muscleID)
        let (gauge, length): (Double, Double) = switch muscle?.region {
        case .head?: (0.16, 15)
        case .ankleFoot?, .hand?, .forearm?: (0.25, 25)
        case .neck?, .shoulder?, .upperArm?, .upperBack?, .chest?: (0.25, 40)
        case .lowerLeg?, .knee?, .thigh?: (0.30, 50)
        default: (0.30, 60)
        }
        let (brand, lotPrefix) = switch practitioner.profession {
        case .podiatrist: ("Agu-Punct", "AP")
        case .osteopath: ("DongBang DB106", "DB")
        default: ("Seirin J-type", "SJ")
        }
        // A new box every two months or so.
        let lot = "\(lotPrefix)\(day.year % 100)\(String(format: "%02d", (day.month + 1) / 2))-\(Int(gauge * 100))\(Int(length))"
        let overLung = muscle?.overLungFields ?? false
        let depth: Double = overLung
            ? (muscleID == "quadratus-lumborum" ? Double(rng.int(35...45)) : Double(rng.int(8...15)))
            : (length * Double(rng.int(3...7)) / 10).rounded()
        let technique: NeedlingTechnique = switch rng.weighted([0: 5, 1: 3, 2: 1]) {
        case 0: .pistoning
        case 1: .staticInSitu
        default: .electricalStimulation(settings: "2 Hz continuous, 10 min, to tolerance")
        }
        let inserted = technique == .pistoning ? 1 : rng.int(1...3)
        var adverse: [AdverseEvent] = []
        switch rng.unit() {
        case ..<0.07: adverse.append(AdverseEvent(kind: .bruising, action: "Firm pressure 30 s; settled"))
        case ..<0.10: adverse.append(AdverseEvent(kind: .postNeedlingSoreness, action: "Heat and gentle movement advised"))
        case ..<0.102: adverse.append(AdverseEvent(kind: .vasovagal, severity: .significant,
                                                   action: "Needles out, supine with legs raised; recovered in 10 min"))
        default: break
        }
        let twitches = technique == .pistoning ? rng.int(1...5) : rng.int(0...1)
        return NeedlingEntry(
            muscleID: muscleID, side: side,
            triggerPoint: overLung ? (muscleID == "quadratus-lumborum" ? "Directed medially onto the transverse process, below the 12th rib"
                                      : "Pincer grip, needle directed away from the lung apex") : nil,
            needle: Needle(brand: brand, gaugeMm: gauge, lengthMm: length, lot: lot), needlesInserted: inserted,
            needlesRemoved: inserted, technique: technique,
            depth: try DepthMillimetres(min(depth, length), field: "depth"),
            timeInSitu: technique == .pistoning ? nil : try Seconds(rng.pick([300, 600, 900]), field: "timeInSitu"),
            twitchResponses: twitches,
            patientResponse: twitches > 0 ? "Twitch elicited; familiar pain reproduced, eased after" : "Tolerated well",
            adverseEvents: adverse)
    }

    func biomechanics(course: inout Course, visitNumber k: Int, rng: inout SplitMix64) throws -> [BiomechanicalFinding] {
        switch course.presentation.assessment {
        case .foot:
            course.lunge += k == 0 ? 0 : Double(rng.int(3...10)) / 10
            let lungeL = min(30, course.lunge + Double(rng.int(-5...5)) / 10)
            let lungeR = min(30, course.lunge + Double(rng.int(-5...5)) / 10)
            var out: [BiomechanicalFinding] = [
                BiomechanicalFinding(measure: .lunge(try LungeCentimetres(lungeL, field: "lunge")), side: .left),
                BiomechanicalFinding(measure: .lunge(try LungeCentimetres(lungeR, field: "lunge")), side: .right),
            ]
            if k == 0 {
                out += [
                    BiomechanicalFinding(measure: .footPostureIndex(try FootPostureIndex(items: course.fpi)), side: .left),
                    BiomechanicalFinding(measure: .footPostureIndex(try FootPostureIndex(items: course.fpi.map { max(-2, $0 - (rng.chance(0.3) ? 1 : 0)) })),
                                         side: .right),
                    BiomechanicalFinding(measure: .halluxDorsiflexion(try Degrees(course.hallux, field: "hallux")), side: .left),
                    BiomechanicalFinding(measure: .halluxDorsiflexion(try Degrees(course.hallux + Double(rng.int(-8...8)), field: "hallux")), side: .right),
                    BiomechanicalFinding(measure: .gait(course.fpi.reduce(0, +) >= 6 ? [.overpronation, .earlyHeelRise] : [.reducedHalluxExtension]),
                                         side: .bilateral, notes: rng.chance(0.5) ? "Observed barefoot and in runners on the treadmill" : nil),
                ]
            }
            return out
        case .neck:
            let rotation = Double(rng.int(50...70) + k * 3)
            return [
                BiomechanicalFinding(measure: .jointRange(joint: "Cervical spine", movement: "rotation", degrees: try Degrees(min(85, rotation), field: "rotation")),
                                     side: .left),
                BiomechanicalFinding(measure: .jointRange(joint: "Cervical spine", movement: "rotation", degrees: try Degrees(min(85, rotation + 5), field: "rotation")),
                                     side: .right),
            ] + (k == 0 ? [BiomechanicalFinding(measure: .posture, side: .midline, notes: "Forward head posture, rounded shoulders")] : [])
        case .shoulder:
            return [
                BiomechanicalFinding(measure: .jointRange(joint: "Shoulder", movement: "flexion", degrees: try Degrees(Double(min(180, rng.int(130...160) + k * 5)), field: "flexion")),
                                     side: course.muscles.first?.side == .left ? .left : .right),
                BiomechanicalFinding(measure: .strength(movement: "Shoulder external rotation", grade: try StrengthGrade(k >= 3 ? 5 : 4, field: "strength")),
                                     side: course.muscles.first?.side == .left ? .left : .right),
            ]
        case .back:
            return [
                BiomechanicalFinding(measure: .measure(name: "Fingertip-to-floor", value: Double(max(0, rng.int(15...30) - k * 3)), unit: "cm"), side: .midline),
            ] + (k == 0 ? [BiomechanicalFinding(measure: .legLengthDifference(try LegLengthMillimetres(Double(rng.int(0...8)), field: "leg length")),
                                                side: rng.chance(0.5) ? .left : .right, notes: "Measured ASIS to medial malleolus")] : [])
        case .hip:
            return [
                BiomechanicalFinding(measure: .strength(movement: "Hip abduction", grade: try StrengthGrade(k >= 2 ? 5 : 4, field: "strength")),
                                     side: course.muscles.first?.side == .left ? .left : .right),
                BiomechanicalFinding(measure: .gait(k == 0 ? [.trendelenburg] : []), side: .bilateral),
            ]
        case .elbow:
            return [BiomechanicalFinding(measure: .measure(name: "Pain-free grip", value: Double(rng.int(12...22) + k * 3), unit: "kg"),
                                         side: course.muscles.first?.side == .left ? .left : .right)]
        case .jaw:
            return [BiomechanicalFinding(measure: .measure(name: "Mouth opening", value: Double(min(50, rng.int(28...36) + k * 2)), unit: "mm"),
                                         side: .midline)]
        }
    }

    mutating func writeAmendment(_ visit: Visit, rng: inout SplitMix64) throws {
        let change: Amendment.Change
        let reason: String
        if let tp = visit.triggerPoints.first, tp.side == .left || tp.side == .right {
            let other: Side = tp.side == .left ? .right : .left
            change = Amendment.Change(field: AmendableField(.triggerPoint, 1, "side").rawValue, before: tp.side.rawValue, after: other.rawValue)
            reason = "Side recorded wrongly: the active trigger point was on the \(other.rawValue)"
        } else {
            let now = visit.pain.now?.value ?? 5
            change = Amendment.Change(field: "pain.now", before: "\(now)", after: "\(max(0, now - 1))")
            reason = "Pain score typed wrongly; the patient reported \(max(0, now - 1))/10"
        }
        let at = (visit.signedAt ?? visit.startedAt).addingTimeInterval(Double(rng.int(2...20) * 3600))
        try tx.insertAmendment(Amendment(visitID: visit.id!, practitionerID: visit.practitionerID, amendedAt: min(at, instant(today, hour: 7, minute: 0)),
                                         reason: reason, changes: [change]), actor: actor)
        summary.amendments += 1
    }

    /// The final plan after the patient's last signed visit: what `PlanBuilder` makes of the visit
    /// as `knot plan` reads it (the visit as amended, the patient's story, the referral and the
    /// clinic's review rules), made the day of the visit and stored unedited, so every item
    /// carries its `PlanRule` id and the plan, the letter and the recall list read as they would
    /// for a visit typed at the terminal.
    mutating func writePlan(after visit: Visit) throws {
        let inputs = try ClinicSession.planInputs(tx, visitID: visit.id!, today: visit.date)
        var plan = PlanBuilder.build(inputs.context, rules: inputs.rules)
        plan.status = .final
        plan.createdAt = (visit.signedAt ?? visit.startedAt).addingTimeInterval(120)
        try tx.insertPlan(plan, actor: actor)
        summary.plans += 1
    }
}
