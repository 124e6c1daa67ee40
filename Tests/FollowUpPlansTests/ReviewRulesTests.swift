import Foundation
import Testing
import ClinicModel
import FollowUpPlans

@Suite("Review date rules and the referral's remaining sessions")
struct ReviewRulesTests {
    typealias F = PlanFixtures

    func decide(_ visit: Visit, history: [Visit] = F.earlierVisits, rules: ReviewRules = .standard) -> ReviewDecision {
        rules.decide(F.context(visit, history: history))
    }

    @Test func theFirstVisitIsAcuteOneWeek() {
        let d = decide(F.visit(now: 3, worst: 4), history: [])
        #expect(d.pace == .acute)
        #expect(d.reasons == [.firstVisitOfEpisode])
        #expect(d.days == 7)
        #expect(d.date == F.date("2026-07-14"))
    }

    @Test func aSettledFollowUpVisitIsChronicTwoWeeks() {
        let d = decide(F.visit(now: 3, worst: 6, needling: [F.needling("soleus", .left)]))
        #expect(d.pace == .chronic)
        #expect(d.reasons.isEmpty)
        #expect(d.date == F.date("2026-07-21"))
    }

    @Test(arguments: [(6, nil, false), (7, nil, true), (10, nil, true), (nil, 8, true), (nil, 6, false), (5, 9, true), (6, 6, false)]
          as [(Int?, Int?, Bool)])
    func worstPainOf7OrMoreIsAcute(worst: Int?, now: Int?, acute: Bool) {
        let d = decide(F.visit(now: now, worst: worst))
        #expect((d.pace == .acute) == acute)
        #expect(d.reasons.contains { if case .highPain = $0 { true } else { false } } == acute)
    }

    @Test func theFirstNeedlingOfTheEpisodeIsAcuteUnlessTheClinicTurnsItOff() {
        let history = [F.visit(id: 101, on: "2026-06-23", now: 5)]
        let visit = F.visit(now: 4, worst: 5, needling: [F.needling("soleus", .left)])
        #expect(decide(visit, history: history).reasons == [.firstNeedling])
        var rules = ReviewRules.standard
        rules.firstNeedlingIsAcute = false
        #expect(decide(visit, history: history, rules: rules).pace == .chronic)
    }

    @Test func aLongGapStartsANewEpisode() {
        let old = [F.visit(id: 90, on: "2026-01-10", now: 6, needling: [F.needling("soleus", .left)])]
        #expect(decide(F.visit(now: 2, worst: 3), history: old).reasons == [.firstVisitOfEpisode])
        let recent = [F.visit(id: 91, on: "2026-04-20", now: 6)]
        #expect(decide(F.visit(now: 2, worst: 3), history: recent).pace == .chronic)
    }

    @Test func draftsAndLaterVisitsAreNotHistory() {
        let draft = F.visit(id: 95, on: "2026-06-30", now: 5, status: .draft)
        let later = F.visit(id: 99, on: "2026-07-20", now: 2)
        let d = decide(F.visit(now: 2, worst: 3), history: [draft, later])
        #expect(d.reasons == [.firstVisitOfEpisode])
    }

    @Test func theClinicCanChangeTheIntervals() throws {
        let rules = ReviewRules(acuteDays: 5, chronicDays: 21, acutePainAtLeast: nil)
        #expect(decide(F.visit(now: 9, worst: 10), rules: rules).date == F.date("2026-07-28"))
        #expect(decide(F.visit(now: 9), history: [], rules: rules).date == F.date("2026-07-12"))
        let data = try JSONEncoder().encode(rules)
        #expect(try JSONDecoder().decode(ReviewRules.self, from: data) == rules)
    }

    @Test func thePlanCarriesTheReviewDateAndSaysIt() throws {
        let p = plan(F.visit(now: 3, worst: 4))
        #expect(p.reviewDate == F.date("2026-07-21"))
        let item = try #require(p.items(PlanRule.reviewDate).first)
        #expect(item.section == .review)
        #expect(item.text.hasPrefix("Next review: Tuesday 21 July 2026 (in 2 weeks)"))
    }

    @Test(arguments: [(3, 2, "3 of 5 sessions used, 2 left."), (5, 0, "all 5 sessions used; a new referral is needed"),
                      (7, 0, "all 5 sessions used; a new referral is needed")])
    func theRemainingSessionsOfTheReferralAreShown(used: Int, left: Int, says: String) {
        let ctx = F.context(F.visit(), sessionsUsed: used)
        #expect(ctx.sessionsRemaining == left)
        let p = PlanBuilder.build(ctx)
        #expect(p.items(PlanRule.reviewSessions).first?.text.contains(says) == true)
    }

    @Test func withoutACapOrAReferralThereIsNoSessionsItem() {
        var uncapped = F.referral
        uncapped.sessionsAllowed = nil
        let ctx = F.context(F.visit(), referral: uncapped)
        #expect(ctx.sessionsRemaining == nil)
        #expect(!PlanBuilder.build(ctx).has(PlanRule.reviewSessions))
        #expect(!PlanBuilder.build(F.context(F.visit(), referral: nil)).has(PlanRule.reviewSessions))
    }

    @Test func aReferralThatLapsesBeforeTheReviewIsFlagged() {
        var lapsing = F.referral
        lapsing.expiresOn = F.date("2026-07-15")
        let p = PlanBuilder.build(F.context(F.visit(now: 3, worst: 4), referral: lapsing))
        #expect(p.items(PlanRule.reviewReferralExpiry).first?.text
            == "The referral from Dr Mary Jones expires on 15 July 2026, before the review: a new referral is needed.")
        #expect(!plan(F.visit(now: 3, worst: 4)).has(PlanRule.reviewReferralExpiry))
    }
}

@Suite("Pain trend across visits and the MCID")
struct PainTrendTests {
    typealias F = PlanFixtures

    @Test func theTrendRunsOldestFirstOverVisitsWithAPainScore() {
        let visits = [F.visit(id: 3, on: "2026-07-07", now: 4), F.visit(id: 1, on: "2026-06-09", now: 7),
                      F.visit(id: 2, on: "2026-06-23", now: nil)]
        let trend = PainTrend(visits: visits)
        #expect(trend.points == [.init(date: F.date("2026-06-09"), nprs: 7), .init(date: F.date("2026-07-07"), nprs: 4)])
        #expect(trend.change == -3)
        #expect(trend.direction == .better)
        #expect(trend.reachesMCID)
    }

    @Test(arguments: [(7, 5, true), (7, 6, false), (3, 5, true), (4, 4, false), (2, 10, true)])
    func theChangeReachesTheMCIDAtTwoPointsEitherWay(first: Int, latest: Int, reaches: Bool) {
        let trend = PainTrend(points: [.init(date: F.date("2026-06-01"), nprs: first),
                                       .init(date: F.date("2026-06-08"), nprs: 6),
                                       .init(date: F.date("2026-06-15"), nprs: latest)])
        #expect(trend.change == latest - first)
        #expect(trend.reachesMCID == reaches)
    }

    @Test func oneScoreIsNoTrend() {
        let trend = PainTrend(points: [.init(date: F.date("2026-06-01"), nprs: 6)])
        #expect(trend.change == nil)
        #expect(trend.direction == nil)
        #expect(!trend.reachesMCID)
    }

    @Test func theContextTrendIncludesThisVisitAndSignedEarlierOnes() {
        let trend = PainTrend(F.fullContext)
        #expect(trend.points.map(\.nprs) == [7, 5, 4])
        #expect(PainTrend.mcid == 2)
    }

    @Test func theReferrerLetterSaysWhetherTheChangeReachesTheMCID() {
        let reached = PlanTextRenderer.render(plan(F.visit(now: 4)), context: F.context(F.visit(now: 4)), audience: .referrer)
        #expect(reached.flattened.contains("down 3 points, reaching the 2-point minimal clinically important difference"))
        let small = F.context(F.visit(now: 6))
        let text = PlanTextRenderer.render(PlanBuilder.build(small), context: small, audience: .referrer)
        #expect(text.flattened.contains("down 1 point, within the 2-point minimal clinically important difference"))
    }
}
