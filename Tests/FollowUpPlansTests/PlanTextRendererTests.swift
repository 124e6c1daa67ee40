import Testing
import ClinicTestSupport
import ClinicModel
import FollowUpPlans
import TextCells

@Suite("Plain-text plan for the terminal and printing")
struct PlanTextRendererTests {
    typealias F = PlanFixtures

    @Test(arguments: PlanAudience.allCases)
    func theFullPlanMatchesItsGoldenFileAndFitsEightyColumns(audience: PlanAudience) {
        let ctx = F.fullContext
        let text = PlanTextRenderer.render(PlanBuilder.build(ctx), context: ctx, audience: audience)
        expectGolden(text, named: "plan-\(audience.rawValue).txt")
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            #expect(displayWidth(of: String(line)) <= 80, "line \(n + 1) is \(displayWidth(of: String(line))) columns: \(line)")
        }
    }

    @Test func thePatientPlanNumbersTheSpotsAsTheChartDoes() {
        let ctx = F.fullContext
        let text = PlanTextRenderer.render(PlanBuilder.build(ctx), context: ctx, audience: .patient)
        #expect(text.contains("\n1. Right Trapezius (upper fibres), at the back of the neck."))
        #expect(text.contains("\n4. Left Soleus, in the calf."))
        #expect(text.contains("GET HELP URGENTLY"))
        #expect(text.contains("Next review   Tuesday 21 July 2026"))
    }

    @Test(arguments: [80, 60, 40])
    func longWordsAndWideCharactersNeverOverflowTheWidth(width: Int) {
        var patient = F.patient
        patient.givenNames = "山田太郎花子"
        patient.familyName = "Supercalifragilisticexpialidocious-Hyphenated-Familyname"
        var p = PlanBuilder.build(F.context(F.fullVisit, patient: patient))
        p.items.append(.init(section: .other, text: String(repeating: "x", count: 130) + " and 全角文字の長いテキスト" + String(repeating: "字", count: 50)))
        for audience in PlanAudience.allCases {
            let text = PlanTextRenderer.render(p, context: F.context(F.fullVisit, patient: patient), audience: audience, width: width)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.allSatisfy { displayWidth(of: String($0)) <= width },
                    "\(audience) at \(width): \(lines.filter { displayWidth(of: String($0)) > width })")
            #expect(text.contains("山田"))
        }
    }

    @Test func whatThePractitionerChangesIsWhatIsPrinted() {
        let ctx = F.fullContext
        var p = PlanBuilder.build(ctx)
        p.items.removeAll { $0.rule == PlanRule.activityPostureBreaks }
        if let i = p.items.firstIndex(where: { $0.rule == PlanRule.calfProgram }) {
            p.items[i].text = "Calf stretches as shown, twice a day."
        }
        p.items.append(.init(section: .other, text: "Bring your running shoes to the next visit."))
        let text = PlanTextRenderer.render(p, context: ctx, audience: .patient)
        #expect(!text.contains("Break up long spells"))
        #expect(text.contains("- Calf stretches as shown, twice a day."))
        #expect(text.contains("OTHER ADVICE\n------------\n- Bring your running shoes to the next visit."))
        let letter = PlanTextRenderer.render(p, context: ctx, audience: .referrer)
        #expect(letter.contains("- Other: Bring your running shoes to the next visit."))
    }

    @Test func aLetterWithoutAReferralIsAddressedToTheGP() {
        let ctx = F.context(F.fullVisit, referral: nil, sessionsUsed: 0)
        let text = PlanTextRenderer.render(PlanBuilder.build(ctx), context: ctx, audience: .referrer)
        #expect(text.contains("\nTo       Dr Mary Jones, Harbourside Medical Centre\n"))
        #expect(text.contains("Dear Dr Jones,"))
        #expect(!text.contains("session"))
        #expect(!text.contains("Thank you for referring"))
    }
}
