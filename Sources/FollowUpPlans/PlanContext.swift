import ClinicModel

/// Everything a follow-up plan is built and rendered from: the signed visit and the patient's
/// story so far.
///
/// One value rather than many parameters so that the builder and every renderer see the same
/// facts; `today` is injected so plans, letters and golden files are deterministic.
public struct PlanContext: Sendable {
    /// The patient the plan is for.
    public var patient: Patient
    /// The signed visit the plan follows.
    public var visit: Visit
    /// All the patient's visits, including `visit`, in any order.
    public var history: [Visit]
    /// The referral the visit falls under, if any.
    public var referral: Referral?
    /// Sessions used on `referral`, counting this visit.
    public var sessionsUsed: Int
    /// The visit's practitioner (named in letters).
    public var practitioner: Practitioner
    /// The clinic's name, printed on plans and letters.
    public var clinicName: String
    /// The number patients should call with questions (printed in "when to call" advice).
    public var clinicPhone: String?
    /// The emergency number named in the red flags ("000" in Australia).
    public var emergencyNumber: String
    /// The clinic's letterhead under its name: address, phone, email and web, business number
    /// (`ClinicProfile.letterheadLines`); every plan and letter carries it.
    public var clinicDetails: [String]
    /// The clinic's logo as a data: URI (image/png or image/svg+xml, checked when it was set),
    /// drawn at the head of the HTML page; nil for none.
    public var clinicLogo: String? = nil
    /// The weekdays the clinic is open (0 = Sunday ... 6 = Saturday): a review never falls on another.
    public var openWeekdays: Set<Int>
    /// The day the plan is made (letters are dated with it).
    public var today: LocalDate
    /// The fields of `visit` corrected by amendments after signing (`visit` already holds the
    /// amended values); letters mark them with the signed value and the date.
    public var corrections: [AmendedVisit.Correction]
    /// The clinic's own text for the templates it changed, by name (`LetterTemplates.all`);
    /// a template not here uses Knot's wording.
    public var templates: [String: String] = [:]

    /// The facts for a plan; `today` fixes the plan's date so output is repeatable.
    public init(patient: Patient, visit: Visit, history: [Visit], referral: Referral? = nil,
                sessionsUsed: Int = 0, practitioner: Practitioner, clinicName: String,
                clinicPhone: String? = nil, emergencyNumber: String = "000", today: LocalDate,
                corrections: [AmendedVisit.Correction] = [], clinicDetails: [String] = [],
                openWeekdays: Set<Int> = ClinicProfile.everyDay) {
        self.corrections = corrections; self.clinicDetails = clinicDetails; self.openWeekdays = openWeekdays
        self.patient = patient; self.visit = visit; self.history = history; self.referral = referral
        self.sessionsUsed = sessionsUsed; self.practitioner = practitioner; self.clinicName = clinicName
        self.clinicPhone = clinicPhone; self.emergencyNumber = emergencyNumber; self.today = today
    }

    /// The context for a clinic's stored details: its name, phone, emergency number, letterhead
    /// and open days.
    public init(patient: Patient, visit: Visit, history: [Visit], referral: Referral? = nil, sessionsUsed: Int = 0,
                practitioner: Practitioner, clinic: ClinicProfile, today: LocalDate, corrections: [AmendedVisit.Correction] = []) {
        self.init(patient: patient, visit: visit, history: history, referral: referral, sessionsUsed: sessionsUsed,
                  practitioner: practitioner, clinicName: clinic.name, clinicPhone: clinic.phone,
                  emergencyNumber: clinic.emergencyCall, today: today, corrections: corrections,
                  clinicDetails: clinic.letterheadLines, openWeekdays: clinic.openWeekdays)
    }

    /// The visits up to and including `visit`, oldest first: signed visits from `history` plus
    /// `visit` itself (drafts may hold half-typed scores; later visits are not "so far").
    public var visitsSoFar: [Visit] {
        var earlier = history.filter { other in
            !isThisVisit(other) && other.status == .signed && other.startedAt <= visit.startedAt
        }
        earlier.append(visit)
        return earlier.sorted { $0.startedAt < $1.startedAt }
    }

    /// Sessions left on the referral's cap, never below zero; nil when there is no cap.
    public var sessionsRemaining: Int? {
        referral?.sessionsAllowed.map { max(0, $0 - sessionsUsed) }
    }

    /// The name the patient goes by in a greeting: preferred name, else the first given name.
    var patientFirstName: String {
        if let p = patient.preferredName, !p.trimmingCharacters(in: .whitespaces).isEmpty { return p }
        return patient.givenNames.split(separator: " ").first.map(String.init) ?? patient.givenNames
    }

    /// "Jane Citizen".
    var patientFullName: String { "\(patient.givenNames) \(patient.familyName)" }

    /// The clinical impression / working diagnosis of the visit (the referrer letter leads with it).
    public var impression: ClinicalImpression? { visit.impression }

    /// Outcome measures over the visits so far, one trend per scale.
    public var outcomeTrends: [OutcomeTrend] { OutcomeTrend.trends(in: visitsSoFar) }

    private func isThisVisit(_ other: Visit) -> Bool {
        if let id = visit.id, let otherID = other.id { return id == otherID }
        return other == visit
    }
}
