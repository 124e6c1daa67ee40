import Testing
@testable import ClinicModel

/// The IHI's Luhn digit and the Medicare card number's weighted check digit, against numbers
/// worked out independently (by hand and with a separate script), every single-digit mistype of
/// them, and where each rule applies: typed entry checks the digit, stored records do not.
@Suite("Identifier check digits")
struct IdentifierCheckDigitTests {
    /// IHIs computed outside Knot (a separate script) and checked again by `luhnByHand`.
    /// 8003608166690503 by hand, from the right: the digits in odd places (0,0,6,6,8,6,0,8)
    /// doubled and their digits added give 0+0+3+3+7+3+0+7 = 23; the others (3,5,9,6,1,0,3,0)
    /// add to 27; 23 + 27 = 50, a multiple of 10.
    static let validIHIs = ["8003608166690503", "8003608833357361", "8003601234567894", "8003608500011127", "8003608123456782"]

    /// Medicare card numbers computed outside Knot. 2123456701 by hand:
    /// 2×1 + 1×3 + 2×7 + 3×9 + 4×1 + 5×3 + 6×7 + 7×9 = 2+3+14+27+4+15+42+63 = 170, check digit 0.
    static let validMedicare = ["2123456701", "2951234571", "3951234582", "6951449607", "29512345771"]

    /// Luhn recomputed here a second way: weights 1,2,1,2... from the right, products' digits summed.
    static func luhnByHand(_ number: String) -> Bool {
        let digits = number.compactMap(\.wholeNumberValue).reversed()
        var total = 0
        for (i, d) in digits.enumerated() {
            let product = d * (i % 2 == 0 ? 1 : 2)
            total += product / 10 + product % 10
        }
        return total % 10 == 0
    }

    /// The Medicare rule recomputed here: weights 1,3,7,9,1,3,7,9 on the first eight digits.
    static func medicareByHand(_ number: String) -> Bool {
        let d = number.compactMap(\.wholeNumberValue)
        let sum = zip(d.prefix(8), [1, 3, 7, 9, 1, 3, 7, 9]).map(*).reduce(0, +)
        return (2...6).contains(d[0]) && sum % 10 == d[8] && (d.count == 10 || d[10] != 0)
    }

    /// `number` with the digit at `index` replaced by `digit`.
    static func mistyped(_ number: String, at index: Int, to digit: Character) -> String {
        var chars = Array(number)
        chars[index] = digit
        return String(chars)
    }

    @Test("the valid numbers pass, and the hand-worked rule agrees")
    func validNumbersPass() throws {
        for ihi in Self.validIHIs {
            #expect(Self.luhnByHand(ihi), "\(ihi): the independent computation")
            #expect(IdentifierCheckDigit.passesLuhn(ihi), "\(ihi)")
            #expect(PatientIdentifier(system: .ihi, value: ihi).checkDigitProblem == nil, "\(ihi)")
            try PatientIdentifier(system: .ihi, value: ihi).validateEntered(field: "identifiers[0]")
        }
        for number in Self.validMedicare {
            #expect(Self.medicareByHand(number), "\(number): the independent computation")
            #expect(IdentifierCheckDigit.medicareCheckDigit(number.prefix(8)) == number.dropFirst(8).first?.wholeNumberValue)
            #expect(PatientIdentifier(system: .medicare, value: number).checkDigitProblem == nil, "\(number)")
            try PatientIdentifier(system: .medicare, value: number).validateEntered(field: "identifiers[0]")
        }
        #expect(IdentifierCheckDigit.medicareCheckDigit("21234567") == 0)
        #expect(PatientIdentifier(system: .medicare, value: "2123 45670 1").checkDigitProblem == nil, "white space is ignored")
    }

    @Test("every single-digit mistype of an IHI fails the Luhn check")
    func everyIHIMistypeIsCaught() {
        for ihi in Self.validIHIs {
            for index in 0..<16 {
                for digit in "0123456789" where digit != Array(ihi)[index] {
                    let typo = Self.mistyped(ihi, at: index, to: digit)
                    #expect(!Self.luhnByHand(typo))
                    #expect(PatientIdentifier(system: .ihi, value: typo).checkDigitProblem != nil, "\(typo)")
                }
            }
        }
    }

    @Test("a Medicare mistype in digits 1-9 is caught; the issue number (10th) is not covered; the IRN must be 1-9")
    func medicareMistypes() {
        for number in Self.validMedicare {
            for index in 0..<number.count {
                for digit in "0123456789" where digit != Array(number)[index] {
                    let typo = Self.mistyped(number, at: index, to: digit)
                    let problem = PatientIdentifier(system: .medicare, value: typo).checkDigitProblem
                    switch index {
                    case 0..<9:
                        // Weights 1, 3, 7 and 9 are prime to 10: any change to digits 1-8 moves the
                        // sum's last digit; a change to digit 9 is a change to the check digit itself.
                        #expect(problem != nil, "\(typo)")
                        #expect(!Self.medicareByHand(typo), "\(typo)")
                    case 9:
                        #expect(problem == nil, "\(typo): the issue number is outside the check")
                    default:
                        #expect((problem == nil) == (digit != "0"), "\(typo): the IRN is 1 to 9")
                    }
                }
            }
        }
    }

    @Test("the defect's numbers: medicare 2123456719 and a one-digit IHI typo are refused on entry, naming the field and the check digit")
    func entryRefusesTheDefectsNumbers() {
        let medicare = PatientIdentifier(system: .medicare, value: "2123456719")
        #expect(throws: ValidationErrors.self) { try medicare.validateEntered(field: "identifiers[0]") }
        do {
            try medicare.validateEntered(field: "identifiers[0]")
        } catch {
            #expect(error.errors.map(\.field) == ["identifiers[0].value"])
            #expect(error.errors.first?.rule.contains("check digit") == true)
            #expect(error.errors.first?.rule.contains("does not match") == true)
            #expect(error.kind == .badValue)
        }
        let ihi = PatientIdentifier(system: .ihi, value: "8003608166690513")
        #expect(throws: ValidationErrors.self) { try ihi.validateEntered(field: "identifiers[1]") }
        #expect(ihi.checkDigitProblem?.contains("check digit") == true)
        // A first digit outside 2-6 cannot be on a card.
        #expect(PatientIdentifier(system: .medicare, value: "1123456701").checkDigitProblem != nil)
    }

    @Test("stored records are checked for shape only: a number entered before the rule still passes Patient.validate")
    func storedRecordsKeepTheShapeRule() throws {
        let day = try LocalDate(year: 2026, month: 1, day: 1)
        var p = Patient(recordNumber: "K1", givenNames: "Jo", familyName: "Smith", dateOfBirth: try LocalDate(year: 1980, month: 5, day: 17))
        p.identifiers = [PatientIdentifier(system: .medicare, value: "2123456719"), PatientIdentifier(system: .ihi, value: "8003608166690513")]
        try p.validate(today: day)
        try PatientIdentifier(system: .medicare, value: "2123456719").validate(field: "identifiers[0]")
        #expect(throws: ValidationErrors.self) { try p.validateEnteredIdentifiers() }
        // An edit keeps the numbers already on file; only a number it adds is checked.
        try p.validateEnteredIdentifiers(keeping: p.identifiers)
        p.identifiers.append(PatientIdentifier(system: .dva, value: "NX123456"))
        try p.validateEnteredIdentifiers(keeping: Array(p.identifiers.prefix(2)))
        p.identifiers.append(PatientIdentifier(system: .medicare, value: "3951234562"))
        do {
            try p.validateEnteredIdentifiers(keeping: Array(p.identifiers.prefix(2)))
            Issue.record("a mistyped number added by an edit was accepted")
        } catch {
            #expect(error.errors.map(\.field) == ["identifiers[3].value"])
        }
    }

    @Test("a letter's number that fails its check digit is kept as written under the issuer's OID; a wrong shape is left to the shape rule")
    func lettersKeepTheNumberUnderAnotherSystem() {
        let (ihi, ihiProblem) = PatientIdentifier(system: .ihi, value: "8003608166690513").checkedForLetter()
        #expect(ihi == PatientIdentifier(system: .other("1.2.36.1.2001.1003.0"), value: "8003608166690513"))
        #expect(ihiProblem?.contains("check digit") == true)
        #expect(ihi.system.meantFor == .ihi)
        let (medicare, medicareProblem) = PatientIdentifier(system: .medicare, value: "2123456719").checkedForLetter()
        #expect(medicare == PatientIdentifier(system: .other("1.2.36.1.5001.1.0.7"), value: "2123456719"))
        #expect(medicareProblem != nil)
        #expect(medicare.system.meantFor == .medicare)

        let good = PatientIdentifier(system: .ihi, value: "8003608166690503")
        #expect(good.checkedForLetter() == (good, nil))
        let shortMedicare = PatientIdentifier(system: .medicare, value: "12345")
        #expect(shortMedicare.checkedForLetter() == (shortMedicare, nil))
        let dva = PatientIdentifier(system: .dva, value: "NX123456")
        #expect(dva.checkedForLetter() == (dva, nil))
        #expect(PatientIdentifier.System.ihi.meantFor == nil)
    }
}
