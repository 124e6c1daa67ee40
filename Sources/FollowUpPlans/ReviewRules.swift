import ClinicModel

/// The clinic's rules for when a patient comes back: sooner while a problem is acute, later
/// once it settles.
///
/// A value the clinic can change (stored with its settings, hence `Codable`); `standard` is the
/// usual one week / two weeks. A visit is *acute* when any enabled trigger applies: the first
/// visit of an episode of care, high pain, or the first dry needling of the episode (its response
/// is not known yet); otherwise it is *chronic*. The review is counted from the visit's date.
///
/// A significant or serious adverse event at the visit brings the review forward whatever the
/// pace: the next day after a serious one (a suspected pneumothorax can declare itself over the
/// next 24 hours or so, and the practitioner must see or call the patient before any more
/// needling), within three days after a significant one (by then the usual 24-48 h of
/// post-needling soreness has passed, so what remains is the event's own course, and it is
/// still before the usual one-week acute review).
public struct ReviewRules: Sendable, Codable, Hashable {
    /// Days to the review for an acute visit.
    public var acuteDays: Int
    /// Days to the review otherwise.
    public var chronicDays: Int
    /// Pain (the higher of worst and now, as recorded) at or above this NPRS is acute; nil turns
    /// the trigger off.
    public var acutePainAtLeast: Int?
    /// The first visit of an episode of care is acute.
    public var firstVisitOfEpisodeIsAcute: Bool
    /// The first visit with dry needling in the episode is acute.
    public var firstNeedlingIsAcute: Bool
    /// A visit this many days or more after the previous one starts a new episode of care.
    public var newEpisodeAfterDays: Int
    /// Days to the review after a serious adverse event at the visit.
    public var seriousAdverseEventDays: Int
    /// Days to the review after a significant adverse event at the visit.
    public var significantAdverseEventDays: Int

    /// Rules with the given days and triggers; the defaults are `standard`.
    public init(acuteDays: Int = 7, chronicDays: Int = 14, acutePainAtLeast: Int? = 7,
                firstVisitOfEpisodeIsAcute: Bool = true, firstNeedlingIsAcute: Bool = true,
                newEpisodeAfterDays: Int = 90, seriousAdverseEventDays: Int = 1, significantAdverseEventDays: Int = 3) {
        self.acuteDays = acuteDays; self.chronicDays = chronicDays; self.acutePainAtLeast = acutePainAtLeast
        self.firstVisitOfEpisodeIsAcute = firstVisitOfEpisodeIsAcute
        self.firstNeedlingIsAcute = firstNeedlingIsAcute; self.newEpisodeAfterDays = newEpisodeAfterDays
        self.seriousAdverseEventDays = seriousAdverseEventDays; self.significantAdverseEventDays = significantAdverseEventDays
    }

    private enum CodingKeys: String, CodingKey {
        case acuteDays, chronicDays, acutePainAtLeast, firstVisitOfEpisodeIsAcute, firstNeedlingIsAcute,
             newEpisodeAfterDays, seriousAdverseEventDays, significantAdverseEventDays
    }

    /// Settings saved before the adverse-event days existed read with their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = ReviewRules()
        self.init(acuteDays: try c.decodeIfPresent(Int.self, forKey: .acuteDays) ?? d.acuteDays,
                  chronicDays: try c.decodeIfPresent(Int.self, forKey: .chronicDays) ?? d.chronicDays,
                  acutePainAtLeast: try c.decodeIfPresent(Int.self, forKey: .acutePainAtLeast),  // absent: turned off, as encoded
                  firstVisitOfEpisodeIsAcute: try c.decodeIfPresent(Bool.self, forKey: .firstVisitOfEpisodeIsAcute) ?? d.firstVisitOfEpisodeIsAcute,
                  firstNeedlingIsAcute: try c.decodeIfPresent(Bool.self, forKey: .firstNeedlingIsAcute) ?? d.firstNeedlingIsAcute,
                  newEpisodeAfterDays: try c.decodeIfPresent(Int.self, forKey: .newEpisodeAfterDays) ?? d.newEpisodeAfterDays,
                  seriousAdverseEventDays: try c.decodeIfPresent(Int.self, forKey: .seriousAdverseEventDays) ?? d.seriousAdverseEventDays,
                  significantAdverseEventDays: try c.decodeIfPresent(Int.self, forKey: .significantAdverseEventDays) ?? d.significantAdverseEventDays)
    }

    /// One week when acute, two weeks otherwise.
    public static let standard = ReviewRules()

    /// Decides the review for the context's visit.
    public func decide(_ ctx: PlanContext) -> ReviewDecision {
        let visits = ctx.visitsSoFar
        let episode = Self.episode(ending: visits, newEpisodeAfterDays: newEpisodeAfterDays)
        let earlierInEpisode = episode.dropLast()
        var reasons: [ReviewDecision.Reason] = []
        if firstVisitOfEpisodeIsAcute, earlierInEpisode.isEmpty {
            reasons.append(.firstVisitOfEpisode)
        }
        let scores = [ctx.visit.pain.worst, ctx.visit.pain.now].compactMap { $0?.value }
        if let threshold = acutePainAtLeast, let pain = scores.max(), pain >= threshold {
            reasons.append(.highPain(pain))
        }
        if firstNeedlingIsAcute, !ctx.visit.needling.isEmpty,
           !earlierInEpisode.contains(where: { !$0.needling.isEmpty }) {
            reasons.append(.firstNeedling)
        }
        let worstEvent = ctx.visit.needling.flatMap(\.adverseEvents).filter { $0.severity >= .significant }
            .max { $0.severity < $1.severity }
        if let event = worstEvent { reasons.append(.adverseEvent(event.kind, event.severity)) }
        let pace: ReviewDecision.Pace = reasons.isEmpty ? .chronic : .acute
        var days = max(1, pace == .acute ? acuteDays : chronicDays)
        if let event = worstEvent {
            days = max(1, min(days, event.severity == .serious ? seriousAdverseEventDays : significantAdverseEventDays))
        }
        var date = ctx.visit.date.adding(days: days)
        // Never on a day the clinic is closed: after an adverse event the open day before (if it
        // is still after the visit), otherwise the next open day.
        let open = ClinicProfile(openWeekdays: ctx.openWeekdays.isEmpty ? ClinicProfile.everyDay : ctx.openWeekdays)
        if worstEvent != nil, let before = open.openOnOrBefore(date), before > ctx.visit.date {
            date = before
        } else {
            date = open.openOnOrAfter(date)
        }
        days = ctx.visit.date.days(until: date)
        return ReviewDecision(pace: pace, days: days, date: date, reasons: reasons)
    }

    /// The visits of the episode that ends with the last visit (oldest first).
    static func episode(ending visits: [Visit], newEpisodeAfterDays: Int) -> ArraySlice<Visit> {
        guard !visits.isEmpty else { return [] }
        var start = visits.count - 1
        while start > 0, visits[start - 1].date.days(until: visits[start].date) < newEpisodeAfterDays {
            start -= 1
        }
        return visits[start...]
    }
}

/// When the patient should come back, and why.
public struct ReviewDecision: Sendable, Hashable {
    /// Acute problems are seen sooner.
    public enum Pace: String, Sendable, Hashable { case acute, chronic }
    /// What made the visit acute.
    public enum Reason: Sendable, Hashable, CustomStringConvertible {
        /// The first visit of an episode of care.
        case firstVisitOfEpisode
        /// The NPRS that reached the threshold.
        case highPain(Int)
        /// The first dry needling of the episode.
        case firstNeedling
        /// The most severe significant or serious adverse event at the visit.
        case adverseEvent(AdverseEvent.Kind, AdverseEvent.Severity)

        /// In the practitioner's words, e.g. "worst pain 8/10".
        public var description: String {
            switch self {
            case .firstVisitOfEpisode: "first visit for this problem"
            case .highPain(let p): "pain \(p)/10"
            case .firstNeedling: "first dry needling"
            case .adverseEvent(let kind, let severity): "\(severity.rawValue) adverse event (\(kind.rawValue.replacingOccurrences(of: "-", with: " ")))"
            }
        }
    }
    /// Acute or chronic.
    public var pace: Pace
    /// Days from the visit to the review.
    public var days: Int
    /// The review date (on a day the clinic is open).
    public var date: LocalDate
    /// Empty when chronic.
    public var reasons: [Reason]
}
