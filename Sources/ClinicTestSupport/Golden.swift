import Foundation
import Testing

/// Compares `actual` with the golden file `folder/name` beside the calling test file; with
/// `KNOT_UPDATE_GOLDEN=1` in the environment it rewrites the file in the source tree instead,
/// so the change shows up in review (`git diff`).
///
/// The one golden-file helper for every test target (plans and letters, front-end screens,
/// the schema after each migration). Golden files are read from the source tree, next to the
/// tests that own them, so they need no bundled resources and an update is seen at once.
public func expectGolden(_ actual: String, named name: String, folder: String = "Golden", filePath: String = #filePath,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    let url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        .appendingPathComponent(folder).appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["KNOT_UPDATE_GOLDEN"] == "1" {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
        } catch {
            Issue.record("could not write golden file \(url.path): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("no golden file \(folder)/\(name): run the tests with KNOT_UPDATE_GOLDEN=1", sourceLocation: sourceLocation)
        return
    }
    guard actual != expected else { return }
    let a = actual.components(separatedBy: "\n"), e = expected.components(separatedBy: "\n")
    let line = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
    let got = line < a.count ? a[line] : "<end>"
    let want = line < e.count ? e[line] : "<end>"
    Issue.record("""
        \(folder)/\(name) differs at line \(line + 1):
          expected: \(want)
          actual:   \(got)
        (KNOT_UPDATE_GOLDEN=1 rewrites it)\(actual.count <= 4000 ? "\nactual:\n" + actual : "")
        """, sourceLocation: sourceLocation)
}
