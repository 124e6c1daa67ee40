import ClinicModel

/// The clinic's rules for when a patient comes back: sooner while a problem is acute, later
/// once it settles.
///
/// A value the clinic can change (stored with its settings, hence `Codable`); `standard` is the
/// usual one week / two weeks. A visit is *acute* when any enabled trigger applies: the first
/// visit of an episode of care, high pain, or the first dry needling of the episode (its response
/// is not known yet); otherwise it is *chronic*. The review is counted from the visit's date.
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

    public init(acuteDays: Int = 7, chronicDays: Int = 14, acutePainAtLeast: Int? = 7,
                firstVisitOfEpisodeIsAcute: Bool = true, firstNeedlingIsAcute: Bool = true,
                newEpisodeAfterDays: Int = 90) {
        self.acuteDays = acuteDays; self.chronicDays = chronicDays; self.acutePainAtLeast = acutePainAtLeast
        self.firstVisitOfEpisodeIsAcute = firstVisitOfEpisodeIsAcute
        self.firstNeedlingIsAcute = firstNeedlingIsAcute; self.newEpisodeAfterDays = newEpisodeAfterDays
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
        let pace: ReviewDecision.Pace = reasons.isEmpty ? .chronic : .acute
        let days = max(1, pace == .acute ? acuteDays : chronicDays)
        return ReviewDecision(pace: pace, days: days, date: ctx.visit.date.adding(days: days), reasons: reasons)
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
        case firstVisitOfEpisode
        /// The NPRS that reached the threshold.
        case highPain(Int)
        case firstNeedling

        /// In the practitioner's words, e.g. "worst pain 8/10".
        public var description: String {
            switch self {
            case .firstVisitOfEpisode: "first visit for this problem"
            case .highPain(let p): "pain \(p)/10"
            case .firstNeedling: "first dry needling"
            }
        }
    }
    public var pace: Pace
    public var days: Int
    public var date: LocalDate
    /// Empty when chronic.
    public var reasons: [Reason]
}
