import Testing
import ClinicTestSupport
import ClinicModel
import FollowUpPlans

/// Rules `outcome.*` and the clinical impression in the plan and the referrer letter.
@Suite("Outcome measures and the impression in the plan and the letter")
struct OutcomeRuleTests {
    typealias F = PlanFixtures

    static func lefs(_ each: Int) -> OutcomeMeasure { try! OutcomeMeasure(scale: .lefs, items: Array(repeating: each, count: 20)) }
    static func lefs(total: Int) -> OutcomeMeasure {
        try! OutcomeMeasure(scale: .lefs, items: (0..<20).map { i in min(4, max(0, total - 4 * i)) })
    }
    static func ndi(total: Int) -> OutcomeMeasure {
        try! OutcomeMeasure(scale: .ndi, items: (0..<10).map { i in min(5, max(0, total - 5 * i)) })
    }

    /// The third visit with LEFS 38 → 45 → 52 and NDI 40% → 30% → 24% over the episode, and an impression.
    static var outcomesContext: PlanContext {
        var earlier = F.earlierVisits
        earlier[0].outcomes = [lefs(total: 38), ndi(total: 20)]
        earlier[1].outcomes = [lefs(total: 45), ndi(total: 15)]
        var visit = F.visit(now: 4, worst: 6, triggerPoints: [F.trp("gastrocnemius-medial", .left)],
                            needling: [F.needling("gastrocnemius-medial", .left)])
        visit.outcomes = [lefs(total: 52), ndi(total: 12)]
        visit.impression = ClinicalImpression(text: "Left medial gastrocnemius myofascial pain", code: "24026003", codeSystem: .snomedCT)
        return F.context(visit, history: earlier)
    }

    @Test func eachScaleDoneTodayBecomesAnItemWithItsRule() {
        let plan = PlanBuilder.build(Self.outcomesContext)
        #expect(plan.items(PlanRule.outcome(.lefs)).count == 1)
        #expect(plan.items(PlanRule.outcome(.ndi)).count == 1)
        let lefs = plan.items(PlanRule.outcome(.lefs))[0]
        #expect(lefs.section == .outcomes)
        #expect(lefs.text == "Your leg function score (LEFS) went from 38/80 to 52/80 since 9 June 2026: better by 14 points, at least the 9 points that make a difference people notice.")
        let ndi = plan.items(PlanRule.outcome(.ndi))[0]
        #expect(ndi.text.contains("from 40% to 24%"))
    }

    @Test func aScaleNotDoneTodayIsNotTodaysProgress() {
        var ctx = Self.outcomesContext
        ctx.visit.outcomes = [Self.lefs(total: 52)]
        let plan = PlanBuilder.build(ctx)
        #expect(plan.has(PlanRule.outcome(.lefs)))
        #expect(!plan.has(PlanRule.outcome(.ndi)))
    }

    @Test func aFirstScoreIsABaseline() {
        var visit = F.visit(now: 5)
        visit.outcomes = [try! OutcomeMeasure(scale: .visaA, items: [6, 7, 5, 8, 6, 5, 7, 20])]
        let ctx = F.context(visit, history: [])
        let plan = PlanBuilder.build(ctx)
        #expect(plan.items(PlanRule.outcome(.visaA)).first?.text == "Your Achilles score (VISA-A) today: 64/100. We will ask again at later visits to measure your progress.")
        let letter = PlanTextRenderer.render(plan, context: ctx, audience: .referrer).flattened
        #expect(letter.contains("VISA-A 64/100 (7 July 2026): baseline, no earlier score to compare."))
    }

    @Test func theLetterLeadsWithTheImpressionAndGivesEachTrendWithTheMCID() {
        let ctx = Self.outcomesContext
        let letter = PlanTextRenderer.render(PlanBuilder.build(ctx), context: ctx, audience: .referrer).flattened
        #expect(letter.contains("CLINICAL IMPRESSION"))
        #expect(letter.contains("Left medial gastrocnemius myofascial pain (SNOMED CT 24026003)"))
        if let impression = letter.range(of: "CLINICAL IMPRESSION"), let findings = letter.range(of: "FINDINGS") {
            #expect(impression.lowerBound < findings.lowerBound, "the impression comes before the findings")
        }
        #expect(letter.contains("LEFS 38/80 (9 June 2026) to 52/80 (7 July 2026) over 3 visits: 14 points better, an improvement larger than the smallest that matters (MCID 9 points)."))
        #expect(letter.contains("NDI 40% (9 June 2026) to 24% (7 July 2026) over 3 visits: 16 percentage points better, an improvement larger than the smallest that matters (MCID 10 percentage points)."))
    }

    @Test(arguments: PlanAudience.allCases)
    func theLEFSAndNDIPlanMatchesItsGoldenFile(audience: PlanAudience) {
        let ctx = Self.outcomesContext
        let text = PlanTextRenderer.render(PlanBuilder.build(ctx), context: ctx, audience: audience)
        expectGolden(text, named: "plan-outcomes-\(audience.rawValue).txt")
        let html = PlanHTMLRenderer.render(PlanBuilder.build(ctx), context: ctx, audience: audience)
        #expect(html.contains("Left medial gastrocnemius myofascial pain") == (audience == .referrer))
        #expect(html.contains("LEFS"))
    }

    @Test func aDeteriorationBeyondTheMCIDIsSaidPlainly() {
        var ctx = Self.outcomesContext
        ctx.visit.outcomes = [Self.ndi(total: 30)]
        let plan = PlanBuilder.build(ctx)
        #expect(plan.items(PlanRule.outcome(.ndi)).first?.text.contains("worse by 20 percentage points") == true)
        let letter = PlanTextRenderer.render(plan, context: ctx, audience: .referrer).flattened
        #expect(letter.contains("20 percentage points worse, a deterioration larger than the smallest that matters"))
    }
}
