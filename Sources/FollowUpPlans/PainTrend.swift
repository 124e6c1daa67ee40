import ClinicModel

/// Pain now (NPRS) at each visit so far, and whether it has changed by a clinically important
/// amount.
///
/// Practitioners and referrers watch the trend rather than one score; a change of about 2 NPRS
/// points (the minimal clinically important difference) is one patients notice, so the trend
/// says whether the first-to-latest change reaches it.
public struct PainTrend: Sendable, Hashable {
    /// One visit's pain-now score.
    public struct Point: Sendable, Hashable {
        public var date: LocalDate
        public var nprs: Int
        public init(date: LocalDate, nprs: Int) { self.date = date; self.nprs = nprs }
    }

    /// Which way the pain went, first visit to latest.
    public enum Direction: String, Sendable, Hashable { case better, worse, unchanged }

    /// Oldest first.
    public var points: [Point]

    public init(points: [Point]) { self.points = points }

    /// The trend over `visits` (any order): every visit with a pain-now score.
    public init(visits: [Visit]) {
        points = visits.sorted { $0.startedAt < $1.startedAt }.compactMap { v in
            v.pain.now.map { Point(date: v.date, nprs: $0.value) }
        }
    }

    /// The trend over the context's visits so far (signed visits and this one).
    public init(_ ctx: PlanContext) { self.init(visits: ctx.visitsSoFar) }

    /// The minimal clinically important difference for NPRS (2 points).
    public static var mcid: Int { ClinicalImportance.nprsPoints }

    public var first: Point? { points.first }
    public var latest: Point? { points.last }

    /// Latest minus first (negative is less pain); nil with fewer than two scores.
    public var change: Int? {
        guard points.count >= 2, let f = first, let l = latest else { return nil }
        return l.nprs - f.nprs
    }

    public var direction: Direction? {
        change.map { $0 < 0 ? .better : $0 > 0 ? .worse : .unchanged }
    }

    /// The change, either way, is at least the MCID.
    public var reachesMCID: Bool {
        guard let f = first, let l = latest, points.count >= 2 else { return false }
        return ClinicalImportance.change(.nprs, from: Double(f.nprs), to: Double(l.nprs)).reachesMCID
    }

    /// For a referrer: "NPRS 7 (1 June 2026) to 4 (7 July 2026) over 3 visits: down 3 points,
    /// beyond the 2-point minimal clinically important difference."
    var clinicalSummary: String {
        guard let f = first, let l = latest else { return "No pain scores recorded." }
        guard let change, points.count >= 2 else {
            return "NPRS \(f.nprs)/10 on \(ClinicWording.date(f.date)); no earlier score to compare."
        }
        let span = "NPRS \(f.nprs) (\(ClinicWording.date(f.date))) to \(l.nprs) (\(ClinicWording.date(l.date))) over \(points.count) visits"
        let amount = abs(change) == 1 ? "1 point" : "\(abs(change)) points"
        switch direction {
        case .better?, .worse?:
            let way = change < 0 ? "down" : "up"
            let mcid = reachesMCID
                ? "reaching the \(Self.mcid)-point minimal clinically important difference"
                : "within the \(Self.mcid)-point minimal clinically important difference"
            return "\(span): \(way) \(amount), \(mcid)."
        default:
            return "\(span): unchanged."
        }
    }

    /// For a patient: "Down 3 points since your first visit: a change people notice."
    var patientSummary: String {
        guard latest != nil else { return "No pain scores recorded yet." }
        guard let change else { return "This is your first pain score: we will track it at each visit." }
        let amount = abs(change) == 1 ? "1 point" : "\(abs(change)) points"
        switch direction {
        case .better?:
            return reachesMCID
                ? "Down \(amount) since your first visit: a change people really notice."
                : "Down \(amount) since your first visit."
        case .worse?:
            return "Up \(amount) since your first visit: we will look at why at your review."
        default:
            return "About the same as at your first visit."
        }
    }
}
