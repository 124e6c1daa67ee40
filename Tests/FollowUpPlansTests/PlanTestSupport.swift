import Foundation
import Testing
import ClinicModel
import FollowUpPlans

extension FollowUpPlan {
    /// The items a rule produced.
    func items(_ rule: String) -> [FollowUpPlan.Item] { items.filter { $0.rule == rule } }
    func has(_ rule: String) -> Bool { items.contains { $0.rule == rule } }
    var rules: [String] { items.map(\.rule) }
}

/// Builds the plan for a visit with the usual fixtures around it.
func plan(_ visit: Visit, history: [Visit]? = nil, rules: ReviewRules = .standard) -> FollowUpPlan {
    PlanBuilder.build(PlanFixtures.context(visit, history: history), rules: rules)
}

extension String {
    /// The text with line breaks and runs of spaces made single spaces (to find a phrase that
    /// wrapping split over lines).
    var flattened: String { split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ") }
}

/// Terminal columns of a line: East Asian wide characters count two, combining marks none.
func displayColumns(_ line: some StringProtocol) -> Int {
    line.unicodeScalars.reduce(0) { sum, s in
        let v = s.value
        if s.properties.generalCategory == .nonspacingMark { return sum }
        let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v)
            || (0x20000...0x3FFFD).contains(v)
        return sum + (wide ? 2 : 1)
    }
}

/// Compares `actual` with the golden file `Golden/<name>`; with `KNOT_UPDATE_GOLDEN=1` in the
/// environment it rewrites the file in the source tree instead (rebuild to use it).
func expectGolden(_ actual: String, named name: String, filePath: String = #filePath,
                  sourceLocation: SourceLocation = #_sourceLocation) {
    let source = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden").appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["KNOT_UPDATE_GOLDEN"] == "1" {
        do {
            try actual.write(to: source, atomically: true, encoding: .utf8)
        } catch {
            Issue.record("could not write golden file \(source.path): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Golden"),
          let expected = try? String(contentsOf: url, encoding: .utf8)
    else {
        Issue.record("no golden file Golden/\(name): run the tests with KNOT_UPDATE_GOLDEN=1", sourceLocation: sourceLocation)
        return
    }
    if actual != expected {
        let a = actual.components(separatedBy: "\n"), e = expected.components(separatedBy: "\n")
        let line = Array(zip(a, e)).firstIndex { $0.0 != $0.1 } ?? min(a.count, e.count)
        let got = line < a.count ? a[line] : "<end>"
        let want = line < e.count ? e[line] : "<end>"
        Issue.record("\(name) differs at line \(line + 1):\n  expected: \(want)\n  actual:   \(got)\n(KNOT_UPDATE_GOLDEN=1 rewrites it)",
                     sourceLocation: sourceLocation)
    }
}
