import Foundation

/// The check digits of Australia's national patient numbers: the IHI's Luhn digit and the
/// Medicare card number's weighted digit.
///
/// A number with a wrong check digit was mistyped somewhere: on file it stops later letters
/// carrying the right number from matching the patient, and in a letter it can match nobody or
/// the wrong record. Typed entry refuses it (`PatientIdentifier.validateEntered(field:)`); a
/// letter keeps it under another system (`PatientIdentifier.System.uncheckedIHI`,
/// `.uncheckedMedicare`) so that it neither makes nor breaks a match. Records already stored are
/// checked for shape only, since numbers entered before this rule may fail it.
public enum IdentifierCheckDigit {
    /// True when `digits` (ASCII digits only) ends in the Luhn check digit of the digits before it.
    ///
    /// Luhn ("modulus 10, double-add-double", ISO/IEC 7812-1 Annex B): from the rightmost digit
    /// (the check digit) leftwards, every second digit is doubled and a two-digit product's digits
    /// added; the number is valid when the sum is a multiple of 10. Australian healthcare
    /// identifiers (IHI, HPI-I, HPI-O) are ISO/IEC 7812 numbers (AS 3523) with a Luhn check digit:
    /// HL7 Australia's AU Base profile `au-ihi`, invariant inv-ihi-value-2 ("IHI shall pass the
    /// Luhn algorithm check"), beside inv-ihi-value-0 (16 digits) and inv-ihi-value-1 (prefix 800360).
    public static func passesLuhn(_ digits: some StringProtocol) -> Bool {
        var sum = 0
        for (offset, byte) in digits.utf8.reversed().enumerated() {
            guard (0x30...0x39).contains(byte) else { return false }
            let digit = Int(byte - 0x30)
            if offset % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return !digits.isEmpty && sum % 10 == 0
    }

    /// The Medicare card number's check digit (its 9th digit) for its first eight digits.
    ///
    /// Services Australia's Medicare card number (as HL7 Australia's AU Base profile
    /// `au-medicarecardnumber` and Services Australia's developer specifications describe it):
    /// 10 digits (the card number with its issue number) and, optionally, the individual
    /// reference number (1-9) as an 11th; the first digit is 2-6; the 9th digit is
    /// (d1×1 + d2×3 + d3×7 + d4×9 + d5×1 + d6×3 + d7×7 + d8×9) mod 10; the 10th is the issue number.
    /// - Returns: nil unless `firstEight` is exactly eight ASCII digits.
    public static func medicareCheckDigit(_ firstEight: some StringProtocol) -> Int? {
        let weights = [1, 3, 7, 9, 1, 3, 7, 9]
        let bytes = Array(firstEight.utf8)
        guard bytes.count == 8, bytes.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return zip(bytes, weights).reduce(0) { $0 + Int($1.0 - 0x30) * $1.1 } % 10
    }

    /// Why `digits` (white space already removed) is not a Medicare card number that a card could
    /// carry, or nil when it is one: the first digit, the check digit, the individual reference number.
    static func medicareProblem(_ digits: some StringProtocol) -> String? {
        let bytes = Array(digits.utf8)
        guard (10...11).contains(bytes.count), bytes.allSatisfy({ (0x30...0x39).contains($0) }) else {
            return "is not a Medicare number (10 or 11 digits)"
        }
        if !(UInt8(ascii: "2")...UInt8(ascii: "6")).contains(bytes[0]) {
            return "is not a Medicare number: a Medicare card number starts with 2 to 6"
        }
        if medicareCheckDigit(digits.prefix(8)) != Int(bytes[8] - 0x30) {
            return "is not a Medicare number: the check digit does not match (the 9th digit)"
        }
        if bytes.count == 11 && bytes[10] == UInt8(ascii: "0") {
            return "is not a Medicare number: the individual reference number (the 11th digit) is 1 to 9"
        }
        return nil
    }

    /// Why `digits` (white space already removed) is not an IHI, or nil when it is one.
    static func ihiProblem(_ digits: some StringProtocol) -> String? {
        let bytes = Array(digits.utf8)
        guard bytes.count == 16, bytes.allSatisfy({ (0x30...0x39).contains($0) }), digits.hasPrefix("800360") else {
            return "is not an IHI (16 digits starting 800360)"
        }
        if !passesLuhn(digits) {
            return "is not an IHI: the check digit does not match (the last digit)"
        }
        return nil
    }
}

extension PatientIdentifier {
    /// The rule for a number typed in (`knot patient add|edit`, the patient form): the shape
    /// (`validate(field:)`) and, for an IHI or a Medicare number, its check digit
    /// (`IdentifierCheckDigit`), so that a mistyped number is never put on file.
    ///
    /// Records already stored, a whole-clinic import and the store itself use `validate(field:)`
    /// alone: numbers entered before this rule may fail it and must still move with the clinic.
    public func validateEntered(field: String) throws(ValidationErrors) {
        try validate(field: field)
        if let problem = checkDigitProblem {
            throw ValidationErrors([ValidationError.badValue(field: "\(field).value", value: value, rule: problem)])
        }
    }

    /// Why this IHI or Medicare number fails its check digit (or the first digit or individual
    /// reference number a card carries), in words; nil when it passes or the system has no check.
    /// White space is ignored, as `validate(field:)` ignores it (`digitsIgnoringWhiteSpace`).
    public var checkDigitProblem: String? {
        switch system {
        case .ihi: IdentifierCheckDigit.ihiProblem(Self.digitsIgnoringWhiteSpace(value).text)
        case .medicare: IdentifierCheckDigit.medicareProblem(Self.digitsIgnoringWhiteSpace(value).text)
        default: nil
        }
    }

    /// For a letter: this identifier, or, when it is an IHI or a Medicare number of the right
    /// shape that fails its check digit, the same value kept as written under
    /// `System.unchecked(system)` (so it is on record but never looked up or trusted as that
    /// system's number), with the reason. A number of the wrong shape is returned as it is: the
    /// shape rule (`validate(field:)`) deals with it as before.
    public func checkedForLetter() -> (identifier: PatientIdentifier, problem: String?) {
        guard let unchecked = System.unchecked(system), (try? validate(field: "identifier")) != nil,
              let problem = checkDigitProblem else { return (self, nil) }
        return (PatientIdentifier(system: unchecked, value: value), problem)
    }
}

extension PatientIdentifier.System {
    /// Where a letter's IHI that fails its check digit is kept: the Healthcare Identifiers
    /// Service's OID (`1.2.36.1.2001.1003.0`), under which a CDA letter's non-IHI number under
    /// that root is kept as well.
    public static let uncheckedIHI = PatientIdentifier.System.other("1.2.36.1.2001.1003.0")
    /// Where a letter's Medicare number that fails its check digit is kept: the Medicare card
    /// number's OID (`1.2.36.1.5001.1.0.7`).
    public static let uncheckedMedicare = PatientIdentifier.System.other("1.2.36.1.5001.1.0.7")

    /// The system an unchecked number of `system` is kept under (IHI and Medicare only).
    public static func unchecked(_ system: Self) -> Self? {
        switch system {
        case .ihi: uncheckedIHI
        case .medicare: uncheckedMedicare
        default: nil
        }
    }

    /// For `uncheckedIHI` or `uncheckedMedicare`, the system the number was meant for; else nil.
    public var meantFor: Self? {
        switch self {
        case Self.uncheckedIHI: .ihi
        case Self.uncheckedMedicare: .medicare
        default: nil
        }
    }
}

extension Patient {
    /// The typed-entry rule on identifiers (`PatientIdentifier.validateEntered(field:)`) for every
    /// identifier not already in `stored`: a number on file from before the rule is kept as it is
    /// (an edit of the phone number must not fail on it), a number typed in now is checked.
    public func validateEnteredIdentifiers(keeping stored: [PatientIdentifier] = []) throws(ValidationErrors) {
        var v = Validator()
        for (i, ident) in identifiers.enumerated() where !stored.contains(ident) {
            v.check("") { try ident.validateEntered(field: "identifiers[\(i)]") }
        }
        try v.finish()
    }
}
