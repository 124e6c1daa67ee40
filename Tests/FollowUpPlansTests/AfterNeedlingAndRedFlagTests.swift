import Testing
import ClinicModel
import FollowUpPlans

@Suite("Rules after-needling.* and red-flag.*")
struct AfterNeedlingAndRedFlagTests {
    typealias F = PlanFixtures
    static let afterNeedling = [PlanRule.afterNeedlingSoreness, PlanRule.afterNeedlingBruising,
                                PlanRule.afterNeedlingWhatHelps, PlanRule.afterNeedlingWhenToCall]

    @Test func withoutNeedlingThereIsNoNeedlingAdviceAndNoRedFlag() {
        let p = plan(F.visit(triggerPoints: [F.trp("upper-trapezius", .left)],
                             treatments: [Treatment(kind: .ischaemicCompression, muscleID: "upper-trapezius", side: .left)]))
        #expect(!p.items.contains { $0.section == .afterNeedling || $0.section == .redFlags })
    }

    @Test func afterNeedlingTheSorenessBruisingWhatHelpsAndWhenToCallAreAllGiven() throws {
        let p = plan(F.visit(needling: [F.needling("soleus", .left)]))
        #expect(p.items.filter { $0.section == .afterNeedling }.map(\.rule) == Self.afterNeedling)
        let soreness = try #require(p.items(PlanRule.afterNeedlingSoreness).first)
        #expect(soreness.text.contains("24 to 48 hours"))
        let bruising = try #require(p.items(PlanRule.afterNeedlingBruising).first)
        #expect(bruising.text.contains("bruise"))
        #expect(!bruising.text.contains("noted at today's visit"))
        let call = try #require(p.items(PlanRule.afterNeedlingWhenToCall).first)
        #expect(call.text.contains("(02) 9555 0100"))
        #expect(call.text.contains("48 hours"))
    }

    @Test func bruisingRecordedTodayIsMentioned() {
        let p = plan(F.visit(needling: [F.needling("soleus", .left, events: [AdverseEvent(kind: .bruising)])]))
        #expect(p.items(PlanRule.afterNeedlingBruising).first?.text.hasPrefix("Some bruising was noted at today's visit.") == true)
    }

    @Test func anyNeedlingGivesTheInfectionFlagButNotThePneumothoraxFlagAwayFromTheChest() throws {
        let p = plan(F.visit(needling: [F.needling("gastrocnemius-medial", .left), F.needling("gluteus-medius", .right)]))
        let infection = try #require(p.items(PlanRule.redFlagInfection).first)
        #expect(infection.section == .redFlags)
        #expect(infection.text.contains("Fever"))
        #expect(infection.text.contains("spreading"))
        #expect(!p.has(PlanRule.redFlagPneumothorax))
    }

    @Test(arguments: ["upper-trapezius", "rhomboid-major", "scalene-middle", "quadratus-lumborum", "intercostals"])
    func needlingOverTheLungFieldsGivesThePneumothoraxFlag(muscleID: String) throws {
        let p = plan(F.visit(needling: [F.needling(muscleID, .right, depth: 10), F.needling("soleus", .left)]))
        let flag = try #require(p.items(PlanRule.redFlagPneumothorax).first)
        #expect(flag.text.contains("Shortness of breath"))
        #expect(flag.text.contains("chest pain"))
        #expect(flag.text.contains("call 000"))
        #expect(flag.text.contains("right " + MuscleCatalogue.muscle(id: muscleID)!.name))
        #expect(!flag.text.contains("Soleus"))
    }

    @Test func aLungFieldMuscleTreatedByHandOnlyGetsNoPneumothoraxFlag() {
        let p = plan(F.visit(treatments: [Treatment(kind: .ischaemicCompression, muscleID: "rhomboid-major", side: .left)],
                             needling: [F.needling("soleus", .left)]))
        #expect(p.has(PlanRule.redFlagInfection))
        #expect(!p.has(PlanRule.redFlagPneumothorax))
    }

    @Test func theEmergencyNumberComesFromTheContext() {
        var ctx = F.context(F.visit(needling: [F.needling("pectoralis-minor", .left, depth: 8)]))
        ctx.emergencyNumber = "111"
        let p = PlanBuilder.build(ctx)
        #expect(p.items(PlanRule.redFlagPneumothorax).first?.text.contains("call 111") == true)
    }
}
