/// A pain trend drawn in one line of text, for the chart on screen and `knot history`.
///
/// One block per NPRS score (0 to 10), oldest first, in eight heights rounded to the nearest;
/// "·" where a visit has no score, so gaps in the record stay visible.
public enum PainTrend {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    public static func sparkline(_ scores: [Int?]) -> String {
        String(scores.map { score -> Character in
            guard let score else { return "·" }
            let clamped = min(max(score, 0), 10)
            return blocks[(clamped * (blocks.count - 1) + 5) / 10]
        })
    }
}
