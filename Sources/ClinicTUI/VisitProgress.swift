import ClinicModel

/// What the visit screen shows beside the header: the findings and needling so far, the
/// needle count, whether consent and the precaution screen cover the visit, and the needle
/// last used (to pre-fill the next entry).
///
/// Loaded after every change, so the count on screen is the one in the database.
struct VisitProgress: Sendable, Hashable {
    var visit: Visit
    /// The draft's revision in the store (findings and needling bump it too).
    var revision: Int
    var readiness: NeedlingReadiness
    /// The working practitioner's last needle (size, brand, lot), if any.
    var lastNeedle: Needle?

    var needlesInserted: Int { visit.needleCount.inserted }
    var needlesRemoved: Int { visit.needleCount.removed }

    /// The count warning while needles are unaccounted for (the service's words), else nil.
    static func countWarning(inserted: Int, removed: Int) -> String? {
        inserted == removed ? nil
            : "NEEDLE COUNT: \(inserted) in, \(removed) out — \(inserted - removed) unaccounted for"
    }
}

/// Whether needling may start at this visit as far as consent and the precaution screen go.
struct NeedlingReadiness: Sendable, Hashable {
    /// The last day a consent that covers the visit stands, nil when none covers it.
    var consentUntil: LocalDate?
    /// The last day the screen that covers the visit stands, nil when none covers it.
    var screenUntil: LocalDate?
    /// The consent and the screen that cover the visit (the latest of each), for striking one
    /// out from the F2 form; nil when none covers it.
    var consentID: Int64?
    var screenID: Int64?
    /// The precautions the covering screen (the latest) answered present, for the signing summary.
    var screenPresent: [Precaution] = []
    /// Precautions confirmed on the chart: the screen must answer them present, with a reason.
    var confirmedPrecautions: [Precaution]
    /// Precautions raised by an alert, confirmed or proposed by a referral: open questions the
    /// screen cannot answer absent.
    var raisedPrecautions: [Precaution: AlertStatus]
    /// The patient's age on the visit day when under 18 (consent needs a guardian), else nil.
    var minorAge: Int?

    var isReady: Bool { consentUntil != nil && screenUntil != nil }

    /// Works the readiness out from the patient's consents and screens for the visit's day.
    init(visitDay: LocalDate, patientID: Int64, consents: [Consent], screens: [PrecautionScreen], confirmed: [Precaution],
         alerts: [PatientAlert] = [], dateOfBirth: LocalDate? = nil) {
        consentUntil = consents.filter { $0.patientID == patientID && $0.covers(visitDay) }
            .map { $0.validUntil ?? LocalDate($0.recordedAt) }.max()
        let covering = screens.filter { $0.patientID == patientID && $0.covers(visitDay) }
        screenUntil = covering.map(\.validUntil).max()
        consentID = consents.filter { $0.patientID == patientID && $0.covers(visitDay) }.max { ($0.recordedAt, $0.id ?? 0) < ($1.recordedAt, $1.id ?? 0) }?.id
        screenID = covering.max { ($0.recordedAt, $0.id ?? 0) < ($1.recordedAt, $1.id ?? 0) }?.id
        screenPresent = (covering.max { $0.recordedAt < $1.recordedAt }?.present ?? []).sorted { $0.rawValue < $1.rawValue }
        confirmedPrecautions = confirmed
        var raised = ScreenAnswers.raised(by: alerts)
        for p in confirmed { raised[p] = .confirmed }
        raisedPrecautions = raised
        minorAge = dateOfBirth.map { $0.years(until: visitDay) }.flatMap { $0 < 18 ? $0 : nil }
    }
}
