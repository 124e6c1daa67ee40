import Foundation
import Testing
import ClinicTestSupport
import ClinicModel
import FollowUpPlans

private typealias F = PlanFixtures

/// Letters worth sending (issue 16): greeted by title and family name, thanks only for a real
/// referral, the impression first and the signature in full; exercises reaching the patient's
/// plan; and the clinic's own wording from templates that cannot reach outside the letter.
@Suite("letters worth sending and the clinic's templates")
struct LetterTests {
    func letter(_ ctx: PlanContext) -> String {
        PlanTextRenderer.render(PlanBuilder.build(ctx), context: ctx, audience: .referrer)
    }

    func referral(from name: String) -> Referral {
        var r = F.referral
        r.referrerName = name
        return r
    }

    @Test(arguments: [
        ("Dr Priya Shah", "Dear Dr Priya Shah,", "Dear Dr Shah,"),
        ("Dr. Li Wei Chen FRACGP", "Dear Dr. Li", "Dear Dr. Chen,"),
        ("Associate Professor Anne O'Neill", "Dear Associate Professor Anne", "Dear Associate Professor O'Neill,"),
        ("Ms Kate Brown, Harbour Podiatry", "Dear Ms Kate", "Dear Ms Brown,"),
        ("Sam Taylor", "Dear Doctor", "Dear Sam Taylor,"),
    ])
    func theGreetingUsesTheReferrersTitleAndFamilyName(name: String, notSaid: String, said: String) {
        let text = letter(F.context(F.fullVisit, referral: referral(from: name)))
        #expect(text.contains(said), "\(text.prefix(800))")
        #expect(!text.contains(notSaid))
    }

    @Test func aReferralThatNamedNoOneIsNeverGreetedByItsPlaceholder() {
        var ctx = F.context(F.fullVisit, referral: referral(from: Referral.unnamedReferrer))
        #expect(letter(ctx).contains("Dear Dr Jones,"), "the patient's GP on file is greeted instead")
        ctx.patient.generalPractitioner = nil
        let text = letter(ctx)
        #expect(text.contains("Dear Doctor,"))
        #expect(!text.contains("Dear Referrer"))
    }

    @Test func withoutAReferralTheLetterDoesNotThankForOne() {
        let text = letter(F.context(F.fullVisit, referral: nil, sessionsUsed: 0))
        #expect(text.contains("Dear Dr Jones,"))
        #expect(!text.contains("Thank you for referring"))
        #expect(text.flattened.contains("I saw your patient Jane Mary Citizen on Tuesday 7 July 2026. My findings, treatment and plan follow."))
        expectGolden(text, named: "letter-no-referral.txt")
    }

    @Test func withAReferralTheLetterThanksAndCountsTheSessions() {
        let text = letter(F.fullContext).flattened
        #expect(text.contains("Thank you for referring Jane Mary Citizen, whom I saw on Tuesday 7 July 2026 (session 3 of 5 on this referral)."))
        #expect(text.contains("Referral from Dr Mary Jones: 3 of 5 sessions used, 2 left."))
    }

    @Test func theLetterLeadsWithTheImpressionAndIsSignedInFull() throws {
        var ctx = F.fullContext
        ctx.visit.impression = ClinicalImpression(text: "Myofascial pain of the left calf (gastrocnemius and soleus), load-related.")
        let text = letter(ctx)
        let order = ["CLINICAL IMPRESSION", "FINDINGS", "TREATMENT", "RESPONSE SO FAR", "PLAN", "REVIEW", "Kind regards,"]
        let positions = try order.map { try #require(text.range(of: "\n" + $0 + "\n")?.lowerBound, "\($0) missing") }
        #expect(positions == positions.sorted())
        #expect(text.contains("Myofascial pain of the left calf"))
        #expect(text.hasSuffix("Alex Smith, Physiotherapist, AHPRA registration PHY0001234567\nProvider number 2426621B\nHarbour Physio & Podiatry, (02) 9555 0100\n"))
        // Without an impression the letter starts with the findings, as before.
        #expect(!letter(F.fullContext).contains("CLINICAL IMPRESSION"))
    }

    @Test func aLetterAfterAnAmendmentSaysWhatWasCorrected() {
        let amendment = Amendment(id: 1, visitID: 103, practitionerID: 7, amendedAt: F.day("2026-07-08"), reason: "misheard",
                                  changes: [.init(field: "pain.now", before: "4", after: "3")])
        let amended = F.fullVisit.applying([amendment])
        var ctx = F.context(amended.visit)
        ctx.corrections = amended.corrections
        let text = letter(ctx)
        #expect(text.contains("Amended after signing"))
        #expect(text.contains("now 3/10"))
        expectGolden(text, named: "letter-amended.txt")
    }

    @Test func anExercisePrescribedAtTheVisitReachesThePatientsPlan() {
        var visit = F.fullVisit
        visit.treatments.append(Treatment(kind: .exercise, muscleID: "gastrocnemius-medial", side: .left,
                                          holdTime: try! Seconds(30, field: "hold"), cycles: 3,
                                          notes: "Calf stretch against the wall, knee straight"))
        visit.treatments.append(Treatment(kind: .education, notes: "Pacing: keep runs under 20 minutes this week"))
        visit.treatments.append(Treatment(kind: .education))  // nothing said: nothing added
        let ctx = F.context(visit)
        let built = PlanBuilder.build(ctx)
        #expect(built.items(PlanRule.selfManagementExercise).count == 1)
        #expect(built.items(PlanRule.selfManagementEducation).count == 1)
        let patient = PlanTextRenderer.render(built, context: ctx, audience: .patient).flattened
        #expect(patient.contains("Exercise for the left Gastrocnemius (medial head): Calf stretch against the wall, knee straight. Hold 30 seconds, 3 times."))
        #expect(patient.contains("What we talked about: Pacing: keep runs under 20 minutes this week."))
        #expect(patient.contains("Self-release of the trigger points we treated, and what else to do at home."))
        let html = PlanHTMLRenderer.render(built, context: ctx, audience: .patient)
        #expect(html.contains("Calf stretch against the wall, knee straight"))
        let letter = PlanTextRenderer.render(built, context: ctx, audience: .referrer).flattened
        #expect(letter.contains("Self-management: the exercises and advice given at the visit are written into the patient's home program."))
    }

    @Test func theClinicsWordingIsUsedInTextAndHTML() throws {
        var ctx = F.fullContext
        ctx.templates["referrer.closing"] = "Warm regards,\n\n{{practitioner.name}} ({{practitioner.profession}})\n"
        ctx.templates["patient.opening"] = "Hi {{patient.firstName}}, here is what we agreed.\n"
        try LetterTemplates.check("referrer.closing", ctx.templates["referrer.closing"]!)
        let text = letter(ctx)
        #expect(text.hasSuffix("Warm regards,\n\nAlex Smith (Physiotherapist)\n"))
        let html = PlanHTMLRenderer.render(PlanBuilder.build(ctx), context: ctx, audience: .referrer)
        #expect(html.contains("Alex Smith (Physiotherapist)"))
        #expect(!html.contains("Kind regards"))
        let patient = PlanTextRenderer.render(PlanBuilder.build(ctx), context: ctx, audience: .patient)
        #expect(patient.contains("\nHi Jane, here is what we agreed.\n"))
        #expect(PlanHTMLRenderer.render(PlanBuilder.build(ctx), context: ctx, audience: .patient).contains("<p>Hi Jane, here is what we agreed.</p>"))
        // Values are text: markup a value carries is escaped in HTML, not interpreted.
        ctx.templates["referrer.greeting"] = "Dear {{patient.familyName}} & co <b>{{{patient.familyName}}}</b>,"
        let escaped = PlanHTMLRenderer.render(PlanBuilder.build(ctx), context: ctx, audience: .referrer)
        #expect(escaped.contains("Dear Citizen &amp; co &lt;b&gt;Citizen&lt;/b&gt;,"))
    }

    @Test func everyDefaultTemplateChecks() throws {
        for t in LetterTemplates.all { try LetterTemplates.check(t.name, t.defaultText) }
    }

    @Test(arguments: [
        ("Dear {{recipient.salutation}},\n{{#referral}}Thanks\n", 2, "never closed"),
        ("Line one\nDear {{recipient.salutation},\n", 2, "not finished"),
        ("Hello\n\nSee {{> /etc/passwd}}\n", 3, "partial"),
        ("{{< letterhead}}{{/letterhead}}\n", 1, "parent template"),
        ("ok\n{{=<% %>=}}\n<% patient.fullName %>\n", 2, "delimiters"),
        ("Dear {{#referral}}x{{/patient}}\n", 1, "closed"),
    ])
    func aTemplateWithAnErrorNamesItsLine(text: String, line: Int, rule: String) {
        #expect {
            try LetterTemplates.check("referrer.greeting", text)
        } throws: { error in
            guard let e = error as? LetterTemplateError else { return false }
            return e.line == line && e.rule.contains(rule) && e.template == "referrer.greeting"
        }
    }
}
