/// Pain now (NPRS) at each visit, oldest first, and whether the change from the first score to
/// the latest reaches the minimal clinically important difference.
///
/// The one pain trend: the chart on screen and `knot history` draw it as a sparkline, the plan
/// and the letter put it into words and a chart (FollowUpPlans), and all of them ask
/// `ClinicalImportance` whether the change matters, so "2 points" is decided in one place.
public struct PainTrend: Sendable, Hashable {
    /// One visit's pain-now score.
    public struct Point: Sendable, Hashable {
        /// The visit's date.
        public var date: LocalDate
        /// Pain now, NPRS 0-10.
        public var nprs: Int
        /// A pain-now score from one visit.
        public init(date: LocalDate, nprs: Int) { self.date = date; self.nprs = nprs }
    }

    /// Which way the pain went, first score to latest (less pain is better).
    public typealias Direction = ClinicalImportance.Change.Direction

    /// Oldest first.
    public var points: [Point]

    /// A trend of `points`, oldest first.
    public init(points: [Point]) { self.points = points }

    /// The trend over `visits` (any order): every visit with a pain-now score.
    public init(visits: [Visit]) {
        points = visits.sorted { $0.startedAt < $1.startedAt }.compactMap { v in
            v.pain.now.map { Point(date: v.date, nprs: $0.value) }
        }
    }

    /// The minimal clinically important difference for NPRS, in whole points (2).
    public static var mcid: Int { ClinicalImportance.nprsPoints }

    /// The oldest score, nil when there are none.
    public var first: Point? { points.first }
    /// The newest score, nil when there are none.
    public var latest: Point? { points.last }

    /// The first-to-latest change as `ClinicalImportance` judges it; nil with fewer than two scores.
    public var importance: ClinicalImportance.Change? {
        guard points.count >= 2, let f = first, let l = latest else { return nil }
        return ClinicalImportance.change(.nprs, from: Double(f.nprs), to: Double(l.nprs))
    }

    /// Latest minus first (negative is less pain); nil with fewer than two scores.
    public var change: Int? {
        guard points.count >= 2, let f = first, let l = latest else { return nil }
        return l.nprs - f.nprs
    }

    /// Better (less pain), worse or unchanged; nil with fewer than two scores.
    public var direction: Direction? { importance?.direction }

    /// The change, either way, is at least the MCID.
    public var reachesMCID: Bool { importance?.reachesMCID ?? false }

    // MARK: - The trend in one line of text

    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The trend drawn in one line of text, for the chart on screen and `knot history`: one
    /// block per NPRS score (0 to 10), oldest first, in eight heights rounded to the nearest;
    /// "·" where a visit has no score, so gaps in the record stay visible.
    public static func sparkline(_ scores: [Int?]) -> String {
        String(scores.map { score -> Character in
            guard let score else { return "·" }
            let clamped = min(max(score, 0), 10)
            return blocks[(clamped * (blocks.count - 1) + 5) / 10]
        })
    }
}
