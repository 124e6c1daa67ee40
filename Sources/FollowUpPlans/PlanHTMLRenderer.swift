import Foundation
import ClinicModel

/// The plan as one self-contained HTML page: inline CSS with A4 print rules, an inline SVG body
/// chart of the treated spots and an SVG pain chart; nothing loaded from the network.
///
/// The output is also well-formed XML (XHTML syntax: every element closed, attributes quoted,
/// XHTML namespace) so it can be checked with an XML parser and embedded elsewhere; every piece
/// of patient or practitioner text goes through `Markup`, which escapes it.
public enum PlanHTMLRenderer {
    /// The plan as one HTML page for `audience`, charts drawn as inline SVG; every text from the records is
    /// escaped.
    public static func render(_ plan: FollowUpPlan, context: PlanContext, audience: PlanAudience) -> String {
        let doc = PlanDocument(plan: plan, context: context, audience: audience)
        var m = Markup()
        m.trusted("<!DOCTYPE html>\n")
        m.open("html", [("xmlns", "http://www.w3.org/1999/xhtml"), ("lang", "en"), ("xml:lang", "en")])
        m.newline()
        m.open("head")
        m.empty("meta", [("charset", "utf-8")])
        m.empty("meta", [("name", "viewport"), ("content", "width=device-width, initial-scale=1")])
        let kind = audience == .patient ? "Follow-up plan" : "Report to referrer"
        m.element("title", text: "\(kind): \(context.patientFullName)")
        m.open("style")
        m.newline()
        m.trusted(PlanStyleSheet.css)
        m.newline()
        m.close("style")
        m.close("head")
        m.newline()
        m.open("body")
        m.open("div", [("class", "sheet \(audience.rawValue)")])
        m.newline()
        letterhead(doc, kind: kind, into: &m)
        if audience == .referrer || !doc.opening.isEmpty {
            m.open("div", [("class", "letter")])
            if let greeting = doc.greeting { m.element("p", text: greeting) }
            for paragraph in doc.opening { m.element("p", text: paragraph) }
            m.close("div")
            m.newline()
        }
        for section in doc.sections { write(section, audience: audience, into: &m) }
        if !doc.closing.isEmpty {
            m.open("div", [("class", audience == .referrer ? "closing" : "footnote")])
            for line in doc.closing {
                if line.isEmpty { m.empty("br") } else { m.element("p", text: line) }
            }
            m.close("div")
            m.newline()
        }
        m.close("div")
        m.close("body")
        m.close("html")
        m.newline()
        return m.output
    }

    private static func letterhead(_ doc: PlanDocument, kind: String, into m: inout Markup) {
        m.open("header", [("class", "letterhead")])
        m.open("div", [("class", "brand")])
        if let logo = doc.clinicLogo { m.empty("img", [("class", "logo"), ("src", logo), ("alt", "")]) }
        m.open("div", [("class", "clinic-block")])
        m.element("div", [("class", "clinic")], text: doc.clinicName)
        if !doc.clinicDetails.isEmpty {
            m.open("address", [("class", "clinic-details")])
            for detail in doc.clinicDetails { m.element("span", text: detail) }
            m.close("address")
        }
        m.close("div")
        m.element("div", [("class", "doc-kind")], text: kind)
        m.close("div")
        m.element("h1", text: doc.title)
        m.open("dl", [("class", "meta")])
        for (label, value) in doc.header {
            m.open("div")
            m.element("dt", text: label)
            m.element("dd", text: value)
            m.close("div")
        }
        m.close("dl")
        m.close("header")
        m.newline()
    }

    private static func write(_ section: PlanDocument.Section, audience: PlanAudience, into m: inout Markup) {
        m.open("section", [("class", section.id + (section.urgent ? " urgent" : ""))])
        m.element("h2", text: section.heading)
        if let intro = section.intro { m.element("p", [("class", "intro")], text: intro) }
        switch section.chart {
        case .body(let marks)?:
            m.open("div", [("class", "split")])
            entries(section, into: &m)
            m.open("figure", [("class", "body")])
            m.insert(BodyChartSVG.svg(marks: marks, title: "Body chart: the numbered spots of the home program"))
            m.element("figcaption", text: audience == .patient
                ? "Front and back views. L and R are your left and right."
                : "Treated spots, numbered as in the home program. L and R are the patient's left and right.")
            m.close("figure")
            m.close("div")
        case .pain(let trend)?:
            entries(section, into: &m)
            m.open("figure", [("class", "pain")])
            m.insert(PainChartSVG.svg(trend, title: "Pain now (0-10) at each visit"))
            m.close("figure")
        case nil:
            entries(section, into: &m)
        }
        m.close("section")
        m.newline()
    }

    private static func entries(_ section: PlanDocument.Section, into m: inout Markup) {
        guard !section.entries.isEmpty else { return }
        m.open("ul", [("class", "entries")])
        for entry in section.entries {
            if let n = entry.number {
                m.open("li", [("class", "spot"), ("data-spot", String(n))])
                m.element("span", [("class", "badge")], text: String(n))
                let steps = labelledSteps(entry.text)
                m.element("strong", [("class", "where")], text: steps.lead)
                for step in steps.steps {
                    m.open("span", [("class", "step")])
                    if let label = step.label { m.element("b", text: label + ":"); m.text(" ") }
                    m.text(step.text)
                    m.close("span")
                }
            } else {
                // A value corrected after signing carries a marker; its footnote says what it was.
                switch entry.amendment {
                case .marked?: m.open("li", [("class", "amended")])
                case .note?: m.open("li", [("class", "amendment-note")])
                case nil: m.open("li")
                }
                if let label = entry.label {
                    m.element("span", [("class", "label")], text: label + ":")
                    m.text(" ")
                }
                m.text(entry.text)
                if entry.amendment == .marked { m.element("sup", [("class", "amended-mark")], text: "amended") }
            }
            m.close("li")
            m.newline()
        }
        m.close("ul")
    }

    /// Splits "Left Soleus, in the calf. How: ... Hold: ..." into its lead sentence and its
    /// labelled steps, so each step gets a line of its own. A step starts after a full stop
    /// with a short capitalised label and a colon ("How:", "How often:", "Stop if:"); text the
    /// practitioner reworded without labels stays as one block after the lead.
    static func labelledSteps(_ text: String) -> (lead: String, steps: [(label: String?, text: String)]) {
        var boundaries: [String.Index] = []
        var i = text.startIndex
        while let dot = text[i...].range(of: ". ") {
            let next = dot.upperBound
            let rest = text[next...]
            if let colon = rest.firstIndex(of: ":"), rest.distance(from: rest.startIndex, to: colon) <= 12 {
                let label = rest[..<colon]
                let words = label.split(separator: " ")
                if (1...2).contains(words.count), label.first?.isUppercase == true,
                   label.allSatisfy({ $0.isLetter || $0 == " " }) {
                    boundaries.append(next)
                }
            }
            i = next
        }
        guard !boundaries.isEmpty else {
            guard let dot = text.range(of: ". ") else { return (text, []) }
            let rest = String(text[dot.upperBound...])
            return (String(text[..<dot.upperBound]).trimmingCharacters(in: [" "]), rest.isEmpty ? [] : [(nil, rest)])
        }
        let lead = String(text[..<boundaries[0]]).trimmingCharacters(in: [" "])
        var steps: [(label: String?, text: String)] = []
        for (n, start) in boundaries.enumerated() {
            let end = n + 1 < boundaries.count ? boundaries[n + 1] : text.endIndex
            let chunk = text[start..<end].trimmingCharacters(in: [" "])
            if let colon = chunk.firstIndex(of: ":") {
                steps.append((String(chunk[..<colon]), chunk[chunk.index(after: colon)...].trimmingCharacters(in: [" "])))
            } else {
                steps.append((nil, chunk))
            }
        }
        return (lead, steps)
    }
}
