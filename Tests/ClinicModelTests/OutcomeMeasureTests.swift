import Testing
import ClinicModel

@Suite("Outcome measures scored as published, and the one MCID rule")
struct OutcomeMeasureTests {
    @Test func lefsIsTheSumOfTwentyItemsOutOfEighty() throws {
        let m = try OutcomeMeasure(scale: .lefs, parsing: "4,3,2,4,4,1,2,3,1,4,3,2,2,3,4,0,0,0,1,4")
        #expect(m.score == 47)
        #expect(m.summary == "LEFS 47/80")
        let all = try OutcomeMeasure(scale: .lefs, items: Array(repeating: 4, count: 20))
        #expect(all.score == 80)
    }

    @Test func ndiAndOdiArePercentagesOfTheItemsAnswered() throws {
        let ndi = try OutcomeMeasure(scale: .ndi, parsing: "2,1,3,2,2,1,2,3,1,1")
        #expect(ndi.score == 36)  // 18 of 50
        #expect(ndi.summary == "NDI 36%")
        // One section left blank: scored out of 45 (Vernon; Fairbank for the ODI).
        let odi = try OutcomeMeasure(scale: .odi, parsing: "3,2,3,2,2,2,1,-,2,1")
        #expect(odi.scale.format(odi.score) == "40%")  // 18 of 45
    }

    @Test func visaAIsOutOfAHundredWithItsOwnItemRanges() throws {
        let m = try OutcomeMeasure(scale: .visaA, parsing: "6,7,5,8,6,5,7,20")
        #expect(m.score == 64)
        #expect(m.summary == "VISA-A 64/100")
        #expect(throws: ValidationErrors.self) { try OutcomeMeasure(scale: .visaA, parsing: "6,7,5,8,6,5,5,20") }  // item 7 is 0, 4, 7 or 10
        #expect(throws: ValidationErrors.self) { try OutcomeMeasure(scale: .visaA, parsing: "6,7,5,8,6,5,7,31") }
    }

    @Test func quickDASHIsMeanMinusOneTimesTwentyFive() throws {
        let m = try OutcomeMeasure(scale: .quickDASH, parsing: "2,3,2,4,1,3,2,2,3,2,2")
        // sum 26 over 11 items: (26/11 - 1) * 25 = 34.09...
        #expect(abs(m.score - 34.0909) < 0.001)
        #expect(m.summary == "QuickDASH 34.1/100")
        let oneBlank = try OutcomeMeasure(scale: .quickDASH, parsing: "1,1,1,1,1,1,1,1,1,1,-")
        #expect(oneBlank.score == 0)
        #expect(throws: ValidationErrors.self) { try OutcomeMeasure(scale: .quickDASH, parsing: "1,1,1,1,1,1,1,1,1,-,-") }
    }

    @Test func anItemOutOfRangeIsNamedByNumberLabelAndRange() {
        do {
            _ = try OutcomeMeasure(scale: .lefs, parsing: "4,3,2,4,5,1,2,3,1,4,3,2,2,3,4,0,0,0,1,4")
            Issue.record("accepted a LEFS item of 5")
        } catch {
            #expect(error.errors.count == 1)
            #expect(error.errors[0].field == "--items.item5")
            #expect(error.errors[0].value == "5")
            #expect(error.errors[0].rule.contains("LEFS item 5 (shoes or socks) is 0 to 4"))
        }
    }

    @Test func theWrongNumberOfItemsOrABlankWhereNoneIsAllowedIsRefused() {
        #expect(throws: ValidationErrors.self) { try OutcomeMeasure(scale: .ndi, parsing: "1,2,3") }
        #expect(throws: ValidationErrors.self) { try OutcomeMeasure(scale: .lefs, parsing: "4,3,2,4,-,1,2,3,1,4,3,2,2,3,4,0,0,0,1,4") }
        #expect(throws: ValidationErrors.self) { try OutcomeMeasure(scale: .ndi, parsing: "1,2,x,1,1,1,1,1,1,1") }
    }

    @Test func theMCIDRuleKnowsEachScaleAndWhichWayIsBetter() {
        #expect(ClinicalImportance.mcid(.nprs) == 2)
        #expect(ClinicalImportance.mcid(.outcome(.lefs)) == 9)
        let lefs = ClinicalImportance.change(.outcome(.lefs), from: 40, to: 52)
        #expect(lefs.direction == .better && lefs.reachesMCID)
        let ndi = ClinicalImportance.change(.outcome(.ndi), from: 36, to: 30)
        #expect(ndi.direction == .better && !ndi.reachesMCID)
        let pain = ClinicalImportance.change(.nprs, from: 3, to: 5)
        #expect(pain.direction == .worse && pain.reachesMCID)
    }

    @Test func anImpressionCodeNeedsItsSystem() throws {
        try ClinicalImpression(text: "Myofascial pain", code: "24026003", codeSystem: .snomedCT).validate()
        #expect(throws: ValidationErrors.self) { try ClinicalImpression(text: "Myofascial pain", code: "24026003").validate() }
        #expect(throws: ValidationErrors.self) { try ClinicalImpression(text: "Myofascial pain", code: "a b", codeSystem: .icd10).validate() }
        let parsed = try ClinicalImpression.parseCode("icd-10:M79.1", field: "--code")
        #expect(parsed?.system == .icd10 && parsed?.code == "M79.1")
        #expect(throws: ValidationError.self) { try ClinicalImpression.parseCode("M79.1", field: "--code") }
    }
}
