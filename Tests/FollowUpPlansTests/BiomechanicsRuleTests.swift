import Testing
import ClinicModel
import FollowUpPlans

@Suite("Rules biomech.*: corrections from the biomechanical findings")
struct BiomechanicsRuleTests {
    typealias F = PlanFixtures

    static func fpiItems(total: Int) -> [Int] {
        // Spread the total over six items of -2...+2.
        var left = total
        return (0..<6).map { _ in
            let v = max(-2, min(2, left)); left -= v; return v
        }
    }

    @Test(arguments: [(5, false), (6, true), (9, true), (12, true), (0, false)])
    func pronatedFootPostureCallsForAFootwearAndOrthosesReview(total: Int, expected: Bool) throws {
        let p = plan(F.visit(biomechanics: [F.fpi(Self.fpiItems(total: total), .left)]))
        #expect(p.has(PlanRule.footPosturePronated) == expected)
        if expected {
            let text = try #require(p.items(PlanRule.footPosturePronated).first?.text)
            #expect(text.contains("FPI-6 +\(total)"))
            #expect(text.contains("left foot"))
            #expect(text.contains("orthoses"))
        }
        #expect(!p.has(PlanRule.footPostureSupinated))
    }

    @Test(arguments: [(-4, false), (-5, true), (-12, true)])
    func supinatedFootPostureCallsForCushioning(total: Int, expected: Bool) {
        let p = plan(F.visit(biomechanics: [F.fpi(Self.fpiItems(total: total), .right)]))
        #expect(p.has(PlanRule.footPostureSupinated) == expected)
        if expected { #expect(p.items(PlanRule.footPostureSupinated).first?.text.contains("Cushioned footwear") == true) }
        #expect(!p.has(PlanRule.footPosturePronated))
    }

    @Test func bothPronatedFeetShareOneItem() {
        let p = plan(F.visit(biomechanics: [F.fpi([2, 2, 1, 1, 1, 1], .left), F.fpi([2, 2, 2, 2, 2, 1], .right)]))
        let items = p.items(PlanRule.footPosturePronated)
        #expect(items.count == 1)
        #expect(items.first?.text.contains("+8 (pronated) on the left foot and +11 (highly pronated) on the right foot") == true)
    }

    @Test(arguments: [
        ([9.9], true), ([10.0, 10.0], false), ([11.0, 12.5], true), ([11.0, 12.4], false), ([12.0, 9.0], true),
    ] as [([Double], Bool)])
    func lungeUnder10cmOrADifferenceOf1Point5cmCallsForACalfProgram(cm: [Double], expected: Bool) {
        let sides: [Side] = [.left, .right]
        let findings = cm.enumerated().map { F.lunge($0.element, sides[$0.offset]) }
        let p = plan(F.visit(biomechanics: findings))
        #expect(p.has(PlanRule.calfProgram) == expected)
        if expected { #expect(p.items(PlanRule.calfProgram).first?.text.contains("calf stretches") == true) }
    }

    @Test func theCalfProgramSaysWhy() {
        let p = plan(F.visit(biomechanics: [F.lunge(11, .left), F.lunge(13, .right)]))
        #expect(p.items(PlanRule.calfProgram).first?.text.contains("left 11 cm, right 13 cm (a 2 cm difference between sides)") == true)
    }

    @Test(arguments: [(49.0, true), (50.0, false), (65.0, false), (20.0, true)])
    func stiffBigToeCallsForMobilityAndFootwear(degrees: Double, expected: Bool) {
        let p = plan(F.visit(biomechanics: [F.hallux(degrees, .right)]))
        #expect(p.has(PlanRule.halluxMobility) == expected)
        if expected { #expect(p.items(PlanRule.halluxMobility).first?.text.contains("rocker sole") == true) }
    }

    @Test(arguments: [(9.5, false), (10.0, true), (18.0, true)])
    func legLengthDifferenceOf10mmCallsForAHeelRaiseAssessment(mm: Double, expected: Bool) {
        let p = plan(F.visit(biomechanics: [F.legLength(mm, longer: .left)]))
        #expect(p.has(PlanRule.legLength) == expected)
        if expected {
            let text = p.items(PlanRule.legLength).first?.text ?? ""
            #expect(text.contains("left leg longer"))
            #expect(text.contains("heel raise under the right heel"))
        }
    }

    @Test(arguments: GaitObservation.allCases)
    func eachGaitObservationHasItsOwnAdvice(observation: GaitObservation) throws {
        let p = plan(F.visit(biomechanics: [F.gait([observation], .left)]))
        let items = p.items(PlanRule.gait(observation.rawValue))
        #expect(items.count == 1)
        let text = try #require(items.first?.text)
        #expect(text.contains("(left)"))
        #expect(p.items.filter { $0.rule.hasPrefix(PlanRule.gaitPrefix) }.count == 1)
    }

    @Test func gaitAdviceIsSpecific() {
        let p = plan(F.visit(biomechanics: [F.gait([.trendelenburg, .footDrop])]))
        #expect(p.items(PlanRule.gait("trendelenburg")).first?.text.contains("gluteus medius") == true)
        #expect(p.items(PlanRule.gait("foot-drop")).first?.text.contains("medical assessment") == true)
    }

    @Test func normalFindingsGiveNoCorrection() {
        let p = plan(F.visit(biomechanics: [
            F.fpi([1, 0, 1, 0, 1, 0], .left), F.lunge(12, .left), F.lunge(12.5, .right), F.hallux(60, .left),
            F.legLength(4, longer: .right), F.gait([]),
        ]))
        #expect(!p.items.contains { $0.section == .biomechanics })
    }
}

@Suite("Rules activity.*: activity and load advice")
struct ActivityRuleTests {
    typealias F = PlanFixtures

    @Test func loadAdviceIsAlwaysGiven() {
        let p = plan(F.visit())
        #expect(p.items.filter { $0.section == .activity }.map(\.rule) == [PlanRule.activityLoad])
    }

    @Test(arguments: [
        (LikelyCause.sustainedPosture, PlanRule.activityPostureBreaks),
        (.increasedActivity, PlanRule.activityGradedReturn),
        (.suddenMovement, PlanRule.activityGradedReturn),
        (.injury, PlanRule.activityGradedReturn),
        (.repetitiveWorkOrLifting, PlanRule.activityWorkTasks),
        (.stress, PlanRule.activityStress),
        (.illness, PlanRule.activityMedicalFactors),
        (.nutritionalDeficiency, PlanRule.activityMedicalFactors),
        (.metabolicEndocrine, PlanRule.activityMedicalFactors),
    ])
    func aLikelyCauseBringsItsAdvice(cause: LikelyCause, rule: String) {
        let p = plan(F.visit(triggerPoints: [F.trp("levator-scapulae", .left, .latent, causes: [cause])]))
        #expect(p.items(rule).count == 1)
        #expect(p.items.filter { $0.section == .activity }.count == 2)
    }

    @Test func nerveImpingementAloneAddsNothingSpecific() {
        let p = plan(F.visit(triggerPoints: [F.trp("levator-scapulae", .left, causes: [.nerveImpingement])]))
        #expect(p.items.filter { $0.section == .activity }.map(\.rule) == [PlanRule.activityLoad])
    }
}
