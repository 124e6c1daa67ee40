import Foundation
import Testing
import ClinicTestSupport
import TextCells
import ClinicModel
import FollowUpPlans

private typealias F = PlanFixtures

/// The golden referrer letters issue 16 asks for, each in text and HTML: with and without a
/// referral, after an amendment, with LEFS and NDI trends, with an adverse event, and with an
/// adverse event and outcome trends together. The text goldens that already existed
/// (plan-referrer.txt, letter-no-referral.txt, letter-amended.txt, plan-outcomes-referrer.txt,
/// plan-adverse-referrer.*) are checked where they were; this suite adds the missing HTML and
/// the combined letter. Every letter is signed "Name, Profession, BODY registration NUMBER".
@Suite("golden referrer letters")
struct LetterGoldenTests {
    static func render(_ ctx: PlanContext) -> (text: String, html: String) {
        let plan = PlanBuilder.build(ctx)
        return (PlanTextRenderer.render(plan, context: ctx, audience: .referrer),
                PlanHTMLRenderer.render(plan, context: ctx, audience: .referrer))
    }

    /// The third visit with LEFS and NDI trends and an impression, and a significant faint
    /// after needling the calf: the letter says the event first, then the trends with the MCID.
    /// Printed as pages by `PlanPrintTests`.
    static var adverseAndOutcomesContext: PlanContext {
        var ctx = OutcomeRuleTests.outcomesContext
        ctx.visit.needling[0].adverseEvents = [
            AdverseEvent(kind: .vasovagal, severity: .significant,
                         action: "Needles out, lying flat with legs raised; recovered in 10 minutes and driven home"),
        ]
        ctx.history[ctx.history.count - 1] = ctx.visit
        // With the clinic's letterhead, as a clinic that ran `knot clinic set` sends it.
        ctx.clinicDetails = PlanPrintTests.clinic.letterheadLines
        return ctx
    }

    @Test func withAReferral() {
        let (text, html) = Self.render(F.fullContext)
        #expect(text.contains("Thank you for referring"))
        expectGolden(html, named: "letter-referral.html")
    }

    @Test func withoutAReferral() {
        let (text, html) = Self.render(F.context(F.fullVisit, referral: nil, sessionsUsed: 0))
        #expect(!text.contains("Thank you for referring") && !html.contains("Thank you for referring"))
        expectGolden(html, named: "letter-no-referral.html")
    }

    @Test func afterAnAmendment() {
        let amendment = Amendment(id: 1, visitID: 103, practitionerID: 7, amendedAt: F.day("2026-07-08"), reason: "misheard",
                                  changes: [.init(field: "pain.now", before: "4", after: "3")])
        let amended = F.fullVisit.applying([amendment])
        var ctx = F.context(amended.visit)
        ctx.corrections = amended.corrections
        let (_, html) = Self.render(ctx)
        #expect(html.contains("Amended after signing"))
        expectGolden(html, named: "letter-amended.html")
    }

    @Test func withLEFSAndNDITrends() {
        let (text, html) = Self.render(OutcomeRuleTests.outcomesContext)
        #expect(text.flattened.contains("an improvement larger than the smallest that matters (MCID 9 points)"))
        expectGolden(html, named: "letter-outcomes.html")
    }

    @Test func withAnAdverseEventAndOutcomeTrendsTogether() throws {
        let ctx = Self.adverseAndOutcomesContext
        let (text, html) = Self.render(ctx)
        let flat = text.flattened
        #expect(flat.contains("Please note an adverse event at this visit: vasovagal (significant) after needling the left Gastrocnemius (medial head); action taken: Needles out, lying flat with legs raised; recovered in 10 minutes and driven home."))
        #expect(flat.contains("LEFS 38/80 (9 June 2026) to 52/80 (7 July 2026) over 3 visits: 14 points better"))
        #expect(flat.contains("NDI 40% (9 June 2026) to 24% (7 July 2026)"))
        // The event before the impression, the impression before the trends.
        let event = try #require(text.range(of: "Please note an adverse event"))
        let impression = try #require(text.range(of: "CLINICAL IMPRESSION"))
        let response = try #require(text.range(of: "RESPONSE SO FAR"))
        #expect(event.lowerBound < impression.lowerBound && impression.lowerBound < response.lowerBound)
        #expect(text.hasSuffix("Kind regards,\n\nAlex Smith, Physiotherapist, AHPRA registration PHY0001234567\nProvider number 2426621B\nHarbour Physio & Podiatry, (02) 9555 0100\n"),
                "\(text.suffix(300))")
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) { #expect(displayWidth(of: String(line)) <= 80) }
        expectGolden(text, named: "letter-adverse-outcomes.txt")
        expectGolden(html, named: "letter-adverse-outcomes.html")
    }

    @Test func everyPlanAndLetterSignsWithTheRegistration() {
        let ctx = F.fullContext
        let plan = PlanBuilder.build(ctx)
        let signature = "Alex Smith, Physiotherapist, AHPRA registration PHY0001234567"
        for audience in PlanAudience.allCases {
            #expect(PlanTextRenderer.render(plan, context: ctx, audience: audience).contains(signature), "\(audience) text")
            #expect(PlanHTMLRenderer.render(plan, context: ctx, audience: audience).contains(signature), "\(audience) HTML")
        }
        // A number on file without its body (entered before bodies were recorded), and none at all.
        var noBody = ctx
        noBody.practitioner.registrationBody = nil
        #expect(Self.render(noBody).text.contains("\nAlex Smith, Physiotherapist, registration PHY0001234567\n"))
        var none = ctx
        none.practitioner.registrationNumber = nil
        none.practitioner.registrationBody = nil
        none.practitioner.providerNumber = nil
        let text = Self.render(none).text
        #expect(text.hasSuffix("Kind regards,\n\nAlex Smith, Physiotherapist\nHarbour Physio & Podiatry, (02) 9555 0100\n"), "\(text.suffix(200))")
    }
}
