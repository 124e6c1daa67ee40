import Testing
import ClinicModel
import FollowUpPlans

@Suite("Rule home-program.trp: a self-release program for each treated trigger point")
struct HomeProgramRuleTests {
    typealias F = PlanFixtures

    @Test func aNeedledMuscleGetsAProgramSayingWhereHowHowLongHowOftenAndWhenToStop() throws {
        let p = plan(F.visit(needling: [F.needling("gastrocnemius-medial", .left)]))
        let items = p.items(PlanRule.homeProgramTriggerPoint)
        #expect(items.count == 1)
        let item = try #require(items.first)
        #expect(item.section == .homeProgram)
        #expect(item.muscleID == "gastrocnemius-medial")
        #expect(item.side == .left)
        #expect(item.text.hasPrefix("Left Gastrocnemius (medial head), in the calf."))
        #expect(item.text.contains("massage ball"))
        #expect(item.text.contains("on the tender spot itself"))
        #expect(item.text.contains("under 15 seconds"))
        #expect(item.text.contains("30 to 90 seconds"))
        #expect(item.text.contains("How often: 3 to 5 holds, once or twice a day."))
        #expect(item.text.contains("Stop if:"))
        #expect(item.text.contains("needled today"))
    }

    @Test(arguments: [Treatment.Kind.ischaemicCompression, .pressureRelease])
    func pressureTreatmentCounts(kind: Treatment.Kind) {
        let p = plan(F.visit(treatments: [Treatment(kind: kind, muscleID: "infraspinatus", side: .right)]))
        let items = p.items(PlanRule.homeProgramTriggerPoint)
        #expect(items.map(\.muscleID) == ["infraspinatus"])
        #expect(items.first?.side == .right)
        #expect(items.first?.text.contains("needled today") == false)
        #expect(items.first?.text.contains("shoulder blade") == true)
    }

    @Test func anActiveTriggerPointCountsEvenUntreatedButALatentOneDoesNot() {
        let p = plan(F.visit(triggerPoints: [F.trp("piriformis", .left, .active), F.trp("soleus", .right, .latent)]))
        #expect(p.items(PlanRule.homeProgramTriggerPoint).map(\.muscleID) == ["piriformis"])
    }

    @Test func stretchingAloneDoesNotMakeASpotTreated() {
        let p = plan(F.visit(treatments: [Treatment(kind: .stretching, muscleID: "soleus", side: .left)]))
        #expect(!p.has(PlanRule.homeProgramTriggerPoint))
    }

    @Test func noTreatedTriggerPointsMeansNoHomeProgram() {
        #expect(!plan(F.visit()).items.contains { $0.section == .homeProgram })
    }

    @Test func aSpotFoundNeedledAndCompressedIsListedOnce() {
        let v = F.visit(triggerPoints: [F.trp("soleus", .left)],
                        treatments: [Treatment(kind: .ischaemicCompression, muscleID: "soleus", side: .left)],
                        needling: [F.needling("soleus", .left)])
        #expect(plan(v).items(PlanRule.homeProgramTriggerPoint).count == 1)
    }

    @Test func bilateralBecomesOneSpotPerSideAndMidlineStaysOne() {
        let v = F.visit(triggerPoints: [F.trp("soleus", .bilateral), F.trp("diaphragm", .midline)])
        let items = plan(v).items(PlanRule.homeProgramTriggerPoint)
        #expect(items.map(\.side) == [.midline, .left, .right])
        #expect(items.map(\.muscleID) == ["diaphragm", "soleus", "soleus"])
    }

    @Test func aPairedMuscleTreatedWithNoSideIsOneSpotSayingSideNotRecordedAndIsNotCharted() throws {
        // Written before a treated paired muscle's side was required: the row has none.
        let v = F.visit(treatments: [Treatment(kind: .ischaemicCompression, muscleID: "upper-trapezius", side: nil)],
                        needling: [F.needling("soleus", .left)])
        let p = plan(v)
        let items = p.items(PlanRule.homeProgramTriggerPoint)
        #expect(items.map(\.muscleID) == ["upper-trapezius", "soleus"], "one spot, never a left and a right")
        let item = try #require(items.first)
        #expect(item.side == nil)
        #expect(item.text.hasPrefix("Trapezius (upper fibres), at the back of the neck."), "\(item.text)")
        #expect(item.text.contains("Side not recorded: which side was treated was not written down, so it is not marked on the body chart;"
                                   + " work only on the side we treated, and ask us if you are not sure which."), "\(item.text)")
        #expect(!item.text.contains("Left") && !item.text.contains("Right") && !item.text.contains("both sides"), "\(item.text)")
        let marks = BodyChartSVG.marks(for: p)
        #expect(marks.map(\.muscleID) == ["soleus"] && marks.first?.number == 2, "no mark chooses a side; the numbers still match the list")

        let patient = PlanTextRenderer.render(p, context: F.context(v), audience: .patient, width: 400)
        #expect(patient.contains("Side not recorded"), "\(patient)")
        let letter = PlanTextRenderer.render(p, context: F.context(v), audience: .referrer, width: 400)
        #expect(letter.contains("Trapezius (upper fibres) (side not recorded)"), "\(letter)")
        #expect(!letter.contains("left Trapezius") && !letter.contains("right Trapezius"), "\(letter)")
    }

    @Test func aMidlineMuscleWithNoSideIsItsMidline() {
        let v = F.visit(treatments: [Treatment(kind: .pressureRelease, muscleID: "diaphragm", side: nil)])
        let items = plan(v).items(PlanRule.homeProgramTriggerPoint)
        #expect(items.map(\.side) == [.midline])
        #expect(items.first?.text.contains("Side not recorded") == false)
    }

    @Test func spotsAreListedHeadToFootLeftBeforeRight() {
        let v = F.visit(
            triggerPoints: [F.trp("abductor-hallucis", .left), F.trp("upper-trapezius", .right), F.trp("upper-trapezius", .left)],
            needling: [F.needling("gluteus-medius", .right), F.needling("temporalis", .left)])
        let order = plan(v).items(PlanRule.homeProgramTriggerPoint).map { "\($0.muscleID!) \($0.side!.rawValue)" }
        #expect(order == ["temporalis left", "upper-trapezius left", "upper-trapezius right",
                          "gluteus-medius right", "abductor-hallucis left"])
    }

    @Test func theMethodSuitsThePartOfTheBody() {
        let v = F.visit(triggerPoints: [F.trp("flexor-digitorum-brevis", .left), F.trp("scalene-anterior", .left),
                                        F.trp("extensor-carpi-radialis-brevis", .right)])
        let texts = plan(v).items(PlanRule.homeProgramTriggerPoint).map(\.text)
        #expect(texts.contains { $0.contains("Anterior scalene") && $0.contains("no ball at the front of the neck") })
        #expect(texts.contains { $0.contains("Extensor carpi radialis brevis") && $0.contains("thumb of your other hand") })
        #expect(texts.contains { $0.contains("Flexor digitorum brevis") && $0.contains("sole of your foot down onto a massage ball") })
    }

    @Test func aMuscleTheCatalogueDoesNotKnowStillGetsAProgramWithoutAMark() {
        let v = F.visit(triggerPoints: [F.trp("retired-muscle-id", .left)])
        let p = plan(v)
        #expect(p.items(PlanRule.homeProgramTriggerPoint).first?.text.hasPrefix("Left retired-muscle-id.") == true)
        #expect(BodyChartSVG.marks(for: p).isEmpty)
    }
}
