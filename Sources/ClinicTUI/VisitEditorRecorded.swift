import ClinicModel
import TerminalKit

/// What the visit editor lists as recorded so far: the impression, outcome measures (one a
/// line), trigger points, biomechanical findings, treatments and needling, each under its
/// heading, every line selectable in the order of `NewVisitState.recordedEntries`. When they do not all fit, every section
/// keeps its heading with its count and its latest lines, so nothing recorded goes unmentioned.
enum VisitEditorRecorded {
    struct Section: Sendable, Hashable {
        var title: String
        var lines: [String]
    }

    /// The sections with something in them, in the order the visit note lists them.
    static func sections(of visit: Visit) -> [Section] {
        [
            Section(title: "Impression", lines: visit.impression.map { [Formatting.oneLine($0.description)] } ?? []),
            Section(title: "Outcome measures", lines: visit.outcomes.map(\.summary)),
            Section(title: "Trigger points", lines: visit.triggerPoints.map { VisitScreen.triggerPoint($0) }),
            Section(title: "Biomechanics", lines: visit.biomechanics.map(biomechanical)),
            Section(title: "Treatments", lines: visit.treatments.map(VisitScreen.treatment)),
            Section(title: "Dry needling", lines: visit.needling.map { VisitScreen.needling($0) }),
        ].filter { !$0.lines.isEmpty }
    }

    /// "FPI-6 +8 (pronated), left: notes".
    static func biomechanical(_ finding: BiomechanicalFinding) -> String {
        var text = "\(finding.measure.summary), \(finding.side.rawValue)"
        if let notes = finding.notes, !notes.isEmpty { text += ": " + notes }
        return text
    }

    /// Heading and item lines (items indented) for at most `rows` rows: everything when it
    /// fits, else each heading with "(N, latest K shown)" and the latest items, shared out.
    /// `selected` (an index over all the items, in order) is drawn reversed with a marker.
    static func lines(of visit: Visit, rows: Int, selected: Int? = nil) -> [(text: String, style: Style)] {
        let sections = sections(of: visit)
        guard rows > 0, !sections.isEmpty else { return [] }
        let needed = sections.reduce(0) { $0 + 1 + $1.lines.count }
        var shown = sections.map(\.lines.count)
        if needed > rows {
            shown = sections.map { _ in 0 }
            var left = rows - sections.count
            // One latest line each first, then more round the sections while rows are left.
            while left > 0 {
                var gave = false
                for index in sections.indices where left > 0 && shown[index] < sections[index].lines.count {
                    shown[index] += 1
                    left -= 1
                    gave = true
                }
                if !gave { break }
            }
        }
        var result: [(text: String, style: Style)] = []
        var first = 0
        for (index, section) in sections.enumerated() {
            let count = section.lines.count
            let heading = shown[index] == count ? section.title : "\(section.title) (\(count), latest \(shown[index]) shown)"
            result.append((" " + heading, .bold))
            for (offset, line) in section.lines.enumerated().suffix(shown[index]) {
                let isSelected = first + offset == selected
                result.append(isSelected ? (" > " + line, .reverse) : ("   " + line, .plain))
            }
            first += count
        }
        return Array(result.prefix(rows))
    }
}
