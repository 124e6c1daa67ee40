import ClinicModel

/// The plan as plain text for the terminal and for printing: wrapped to a width (80 columns
/// by default), never a line longer.
///
/// Headings are in capitals, home-program spots keep the numbers of their body-chart marks,
/// red flags are boxed in `!` lines, and the pain trend is drawn as bars. Widths are terminal
/// columns (wide characters count two); a width under 30 is treated as 30.
public enum PlanTextRenderer {
    /// The plan as plain text for `audience`, wrapped to `width` terminal columns.
    public static func render(_ plan: FollowUpPlan, context: PlanContext, audience: PlanAudience,
                              width: Int = 80) -> String {
        let width = max(width, 30)
        let doc = PlanDocument(plan: plan, context: context, audience: audience)
        var lines: [String] = []

        lines += TextLayout.spread(doc.title.uppercased(), doc.clinicName, width: width)
        // The letterhead, right-aligned under the clinic's name.
        for detail in doc.clinicDetails {
            for line in TextLayout.wrap(detail, width: width) {
                lines.append(String(repeating: " ", count: max(0, width - TextLayout.width(line))) + line)
            }
        }
        lines.append(String(repeating: "=", count: width))
        let labelWidth = min(doc.header.map { TextLayout.width($0.label) }.max() ?? 0, width / 3) + 2
        for (label, value) in doc.header {
            let padded = label + String(repeating: " ", count: max(1, labelWidth - TextLayout.width(label)))
            lines += TextLayout.wrap(value, width: width, first: padded, rest: String(repeating: " ", count: labelWidth))
        }
        if let greeting = doc.greeting {
            lines.append("")
            lines += TextLayout.wrap(greeting, width: width)
        }
        for paragraph in doc.opening {
            lines.append("")
            lines += TextLayout.wrap(paragraph, width: width)
        }
        for section in doc.sections {
            lines.append("")
            lines += section.urgent ? urgent(section, width: width) : body(section, width: width)
        }
        if !doc.closing.isEmpty {
            lines.append("")
            for line in doc.closing { lines += line.isEmpty ? [""] : TextLayout.wrap(line, width: width) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func body(_ section: PlanDocument.Section, width: Int) -> [String] {
        var lines = TextLayout.wrap(section.heading.uppercased(), width: width)
        lines.append(String(repeating: "-", count: min(width, TextLayout.width(section.heading))))
        if let intro = section.intro { lines += TextLayout.wrap(intro, width: width) }
        lines += entries(section, width: width, indent: "")
        if case .pain(let trend)? = section.chart { lines += bars(trend, width: width) }
        return lines
    }

    private static func entries(_ section: PlanDocument.Section, width: Int, indent: String) -> [String] {
        var lines: [String] = []
        let numberWidth = section.entries.compactMap(\.number).map { String($0).count }.max() ?? 1
        for entry in section.entries {
            let first: String
            if let n = entry.number {
                first = indent + String(repeating: " ", count: numberWidth - String(n).count) + "\(n). "
            } else if section.numbered {
                first = indent + String(repeating: " ", count: numberWidth - 1) + " - "
            } else {
                first = indent + "- "
            }
            let rest = indent + String(repeating: " ", count: TextLayout.width(first) - TextLayout.width(indent))
            let text = entry.label.map { "\($0): \(entry.text)" } ?? entry.text
            if section.numbered, lines.count > 0 { lines.append("") }
            lines += TextLayout.wrap(text, width: width, first: first, rest: rest)
        }
        return lines
    }

    /// Red flags between rows of `!`, so they stand out on paper and on screen.
    private static func urgent(_ section: PlanDocument.Section, width: Int) -> [String] {
        let rule = String(repeating: "!", count: width)
        var lines = [rule]
        lines += TextLayout.wrap(section.heading.uppercased(), width: width, first: "! ", rest: "! ")
        if let intro = section.intro { lines += TextLayout.wrap(intro, width: width, first: "! ", rest: "! ") }
        lines += entries(section, width: width, indent: "! ")
        lines.append(rule)
        return lines
    }

    /// "  14 Jul 2026   4 ####" per visit, bars scaled to 10.
    private static func bars(_ trend: PainTrend, width: Int) -> [String] {
        guard !trend.points.isEmpty else { return [] }
        let dates = trend.points.map { ClinicWording.date($0.date) }
        let dateWidth = dates.map { TextLayout.width($0) }.max() ?? 0
        let barUnit = max(1, min(4, (width - dateWidth - 10) / 10))
        var lines = [""]
        for (point, date) in zip(trend.points, dates) {
            let pad = String(repeating: " ", count: dateWidth - TextLayout.width(date))
            let score = point.nprs < 10 ? " \(point.nprs)" : "\(point.nprs)"
            let line = "  \(pad)\(date)  \(score) " + String(repeating: "#", count: point.nprs * barUnit)
            lines.append(String(line.prefix(width)))  // ASCII only: characters are columns
        }
        return lines
    }
}
