import Foundation
import Testing
import ClinicModel
import FollowUpPlans
import LibXML

@Suite("HTML plan: self-contained, well-formed, escaped")
struct PlanHTMLRendererTests {
    typealias F = PlanFixtures
    static let xhtml = "http://www.w3.org/1999/xhtml"
    static let svg = "http://www.w3.org/2000/svg"

    func html(_ audience: PlanAudience, _ ctx: PlanContext = F.fullContext, plan: FollowUpPlan? = nil) -> String {
        PlanHTMLRenderer.render(plan ?? PlanBuilder.build(ctx), context: ctx, audience: audience)
    }

    /// Parses the page with libxml2 (through LibXML). The HTML5 doctype is checked and removed
    /// first: Knot's parser refuses every DOCTYPE, and the rest must be well-formed XML.
    func parse(_ page: String) throws -> XMLElement {
        let doctype = "<!DOCTYPE html>\n"
        #expect(page.hasPrefix(doctype))
        return try XMLDocument(data: Data(page.dropFirst(doctype.count).utf8)).root
    }

    func descendants(of e: XMLElement) -> [XMLElement] {
        e.elements + e.elements.flatMap { descendants(of: $0) }
    }

    @Test(arguments: PlanAudience.allCases)
    func thePageIsWellFormedXHTMLWithInlineSVGCharts(audience: PlanAudience) throws {
        let root = try parse(html(audience))
        #expect(root.name == "html")
        #expect(root.namespace == Self.xhtml)
        let all = descendants(of: root)
        let charts = all.filter { $0.name == "svg" }
        #expect(charts.count == 2)
        #expect(charts.allSatisfy { $0.namespace == Self.svg })
        #expect(Set(charts.compactMap { $0.attribute("class") }) == ["body-chart", "pain-chart"])
        let marks = all.filter { $0.name == "g" && $0.attribute("class") == "mark" }
        #expect(marks.compactMap { $0.attribute("data-number") } == ["1", "2", "3", "4"])
        if audience == .patient {
            let spots = all.filter { $0.name == "li" && $0.attribute("class") == "spot" }
            #expect(spots.compactMap { $0.attribute("data-spot") } == ["1", "2", "3", "4"])
            #expect(all.contains { $0.attribute("class")?.contains("red-flags") == true })
        }
    }

    @Test(arguments: PlanAudience.allCases)
    func nothingIsLoadedFromTheNetwork(audience: PlanAudience) {
        let page = html(audience)
        var rest = page[...]
        while let r = rest.range(of: "http", options: .caseInsensitive) {
            let after = rest[r.lowerBound...]
            let allowed = after.hasPrefix("http://www.w3.org/1999/xhtml\"") || after.hasPrefix("http://www.w3.org/2000/svg\"")
            #expect(allowed || !(after.hasPrefix("http://") || after.hasPrefix("https://")),
                    "network reference: \(after.prefix(60))")
            rest = rest[r.upperBound...]
        }
        for forbidden in ["<script", "<link", "<img", "<iframe", "url(", "@import", "src=", "href="] {
            #expect(!page.lowercased().contains(forbidden), "found \(forbidden)")
        }
    }

    /// The paper is the printer's (A4 or US Letter: PlanPrintTests prints on both); the page
    /// sets only margins and keeps entries, figures and the red flags whole.
    @Test func thePageCarriesPrintStylesForA4AndLetter() {
        let page = html(.patient)
        #expect(page.contains("<style>"))
        #expect(page.contains("@page { margin:"))
        #expect(!page.contains("size: A4"))
        #expect(page.contains("@media print"))
        #expect(page.contains("break-inside: avoid"))
    }

    @Test(arguments: PlanAudience.allCases)
    func everyPieceOfUserTextIsEscaped(audience: PlanAudience) throws {
        var patient = F.patient
        patient.givenNames = "<script>alert('x')</script>"
        patient.familyName = "O'Brien & \"Sons\""
        patient.recordNumber = "K<1>"
        var referral = F.referral
        referral.referrerName = "Dr <b>Bold</b>"
        var visit = F.fullVisit
        visit.complaint = "Pain ]]> & <i>worse</i>\u{7} at night"
        var ctx = F.context(visit, referral: referral, patient: patient)
        ctx.clinicName = "Smith & Co <Physio>"
        var p = PlanBuilder.build(ctx)
        p.items.append(.init(section: .other, text: "Use <img src=x onerror=alert(1)> & relax"))
        let page = html(audience, ctx, plan: p)

        #expect(!page.contains("<script>"))
        #expect(!page.contains("<b>Bold"))
        #expect(!page.contains("<img"))
        #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(page.contains("Smith &amp; Co &lt;Physio&gt;"))
        let root = try parse(page)
        let text = root.textContent
        #expect(text.contains("<script>alert('x')</script> O'Brien & \"Sons\""))
        #expect(text.contains("Smith & Co <Physio>"))
        if audience == .patient {
            #expect(text.contains("Use <img src=x onerror=alert(1)> & relax"))
        } else {
            #expect(text.contains("Dear Dr <b>Bold</b>,"))
            #expect(text.contains("Pain ]]> & <i>worse</i> at night"))
        }
    }

    @Test func thePainChartPlotsEachVisitHigherForMorePain() throws {
        let trend = PainTrend(F.fullContext)
        let root = try XMLDocument(data: Data(PainChartSVG.render(trend).utf8)).root
        let points = descendants(of: root).filter { $0.attribute("class") == "point" }
        #expect(points.compactMap { $0.attribute("data-nprs") } == ["7", "5", "4"])
        #expect(points.compactMap { $0.attribute("data-date") } == ["2026-06-09", "2026-06-23", "2026-07-07"])
        let ys = points.compactMap { $0.elements.first { $0.name == "circle" }?.attribute("cy").flatMap(Double.init) }
        #expect(ys.count == 3)
        #expect(ys[0] < ys[1] && ys[1] < ys[2])
        let first = PainChartSVG.position(index: 0, count: 3, nprs: 10), last = PainChartSVG.position(index: 2, count: 3, nprs: 0)
        #expect(first.x < last.x && first.y < last.y)
    }

    @Test func anEmptyTrendSaysSo() throws {
        let root = try XMLDocument(data: Data(PainChartSVG.render(PainTrend(points: [])).utf8)).root
        #expect(root.textContent.contains("No pain scores recorded yet"))
    }

    @Test func aPlanWithoutSpotsHasNoBodyChart() throws {
        let ctx = F.context(F.visit(now: 3, worst: 4))
        let root = try parse(html(.patient, ctx))
        #expect(descendants(of: root).filter { $0.name == "svg" }.map { $0.attribute("class") } == ["pain-chart"])
    }
}
