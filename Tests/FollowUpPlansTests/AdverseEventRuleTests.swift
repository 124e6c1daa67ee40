import Foundation
import Testing
import ClinicTestSupport
import ClinicModel
import FollowUpPlans
import TextCells

@Suite("Rules adverse-event.*: a significant or serious event changes the plan")
struct AdverseEventRuleTests {
    typealias F = PlanFixtures

    /// The issue's visit: chronic (a follow-up, pain settled, needled before), so without the
    /// event it would be self-release at every site and a review in two weeks.
    static func visit(_ event: AdverseEvent?) -> Visit {
        F.visit(now: 3, worst: 5,
                triggerPoints: [F.trp("upper-trapezius", .right), F.trp("soleus", .left)],
                needling: [F.needling("upper-trapezius", .right, depth: 12, events: event.map { [$0] } ?? []),
                           F.needling("soleus", .left)])
    }

    static let pneumothorax = AdverseEvent(kind: .suspectedPneumothorax, severity: .serious,
                                           action: "Needling stopped, sent to the emergency department by ambulance")

    static var context: PlanContext { F.context(visit(pneumothorax)) }

    @Test func withoutAnEventTheSiteIsSelfReleasedAndTheReviewIsInTwoWeeks() {
        let p = plan(Self.visit(nil))
        #expect(p.items(PlanRule.homeProgramTriggerPoint).compactMap(\.muscleID) == ["upper-trapezius", "soleus"])
        #expect(!p.rules.contains { $0.hasPrefix("adverse-event.") })
        #expect(p.reviewDate == F.date("2026-07-21"))
    }

    @Test func aSeriousPneumothoraxStopsSelfReleaseAtThatSiteOnlyAndBringsTheReviewToTheNextDay() throws {
        let p = plan(Self.visit(Self.pneumothorax))
        #expect(p.items(PlanRule.homeProgramTriggerPoint).compactMap(\.muscleID) == ["soleus"])
        let withheld = try #require(p.items(PlanRule.adverseEventNoSelfRelease).first)
        #expect(withheld.section == .homeProgram)
        #expect(withheld.text.hasPrefix("Right Trapezius (upper fibres): no self-release at this spot until we have reviewed you"))
        #expect(HomeProgramSpot.spots(in: p).map(\.muscleID) == ["soleus"])
        #expect(p.reviewDate == F.date("2026-07-08"))
        let review = try #require(p.items(PlanRule.reviewDate).first)
        #expect(review.text.hasPrefix("Next review: Wednesday 8 July 2026 (in 1 day), to check on you after today's suspected pneumothorax"))
    }

    @Test func thePatientIsToldWhatHappenedWhatWasDoneAndToCallTheEmergencyNumber() throws {
        let p = plan(Self.visit(Self.pneumothorax))
        let what = try #require(p.items(PlanRule.adverseEventWhatHappened).first)
        #expect(what.section == .afterNeedling)
        #expect(what.text == "Today, after needling the right Trapezius (upper fibres), you had a suspected pneumothorax (air leaking around a lung), a serious reaction. What we did: Needling stopped, sent to the emergency department by ambulance.")
        let watch = try #require(p.items(PlanRule.adverseEventWatchFor).first)
        #expect(watch.section == .redFlags)
        #expect(watch.text.contains("short of breath"))
        #expect(watch.text.contains("chest pain"))
        #expect(watch.text.contains("call 000 now"))
    }

    @Test func aSignificantEventReviewsWithinThreeDaysAndMildOnesChangeNothing() {
        let faint = plan(Self.visit(AdverseEvent(kind: .vasovagal, severity: .significant, action: "lay flat, recovered in 10 minutes")))
        #expect(faint.reviewDate == F.date("2026-07-10"))
        #expect(faint.has(PlanRule.adverseEventNoSelfRelease))
        #expect(faint.items(PlanRule.adverseEventWatchFor).first?.text.contains("Do not drive today") == true)
        let bruise = plan(Self.visit(AdverseEvent(kind: .bruising, severity: .mild)))
        #expect(!bruise.rules.contains { $0.hasPrefix("adverse-event.") })
        #expect(bruise.reviewDate == F.date("2026-07-21"))
    }

    @Test func theClinicCanChangeHowSoonTheReviewIsAndOlderSettingsStillRead() throws {
        var rules = ReviewRules.standard
        rules.seriousAdverseEventDays = 2
        #expect(plan(Self.visit(Self.pneumothorax), rules: rules).reviewDate == F.date("2026-07-09"))
        let old = Data(#"{"acuteDays":7,"chronicDays":14,"acutePainAtLeast":7,"firstVisitOfEpisodeIsAcute":true,"firstNeedlingIsAcute":true,"newEpisodeAfterDays":90}"#.utf8)
        let decoded = try JSONDecoder().decode(ReviewRules.self, from: old)
        #expect(decoded == .standard)
    }

    @Test func theReferrerLetterSaysTheEventItsSeverityAndTheActionTaken() {
        let ctx = Self.context
        let letter = PlanTextRenderer.render(PlanBuilder.build(ctx), context: ctx, audience: .referrer).flattened
        #expect(letter.contains("Please note an adverse event at this visit: suspected pneumothorax (serious) after needling the right Trapezius (upper fibres); action taken: Needling stopped, sent to the emergency department by ambulance."))
        #expect(letter.contains("Adverse event: no self-release at the right Trapezius (upper fibres) until reviewed"))
        #expect(letter.contains("review brought forward to Wednesday 8 July 2026"))
    }

    @Test(arguments: PlanAudience.allCases)
    func thePlanAfterASeriousEventMatchesItsGoldenFiles(audience: PlanAudience) {
        let ctx = Self.context
        let built = PlanBuilder.build(ctx)
        let text = PlanTextRenderer.render(built, context: ctx, audience: audience)
        expectGolden(text, named: "plan-adverse-\(audience.rawValue).txt")
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) { #expect(displayWidth(of: String(line)) <= 80) }
        expectGolden(PlanHTMLRenderer.render(built, context: ctx, audience: audience), named: "plan-adverse-\(audience.rawValue).html")
    }
}
