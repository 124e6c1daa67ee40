import Foundation

/// The registers Knot knows the number format of; any other body is free text within limits.
///
/// A letter signed "Alex Smith, Physiotherapist, AHPRA registration PHY0001234567" is checked
/// by the reader against the public register, so a mistyped number is worse than none: the
/// formats a register publishes are checked when the number is entered.
public enum RegistrationBody: String, Sendable, CaseIterable {
    /// Australian Health Practitioner Regulation Agency: three letters and ten digits (PHY0001234567).
    case ahpra = "AHPRA"
    /// Health and Care Professions Council (UK): two letters and digits (PH123456).
    case hcpc = "HCPC"
    /// US National Provider Identifier: ten digits, the last a Luhn check digit (1234567893).
    case npi = "NPI"

    /// The known body named `text` (case ignored), nil for any other.
    public init?(named text: String) {
        guard let body = Self.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(text.trimmingCharacters(in: .whitespaces)) == .orderedSame })
        else { return nil }
        self = body
    }

    /// The rule the number breaks, nil when it has this body's format.
    public func problem(with number: String) -> String? {
        let scalars = Array(number.unicodeScalars)
        func letters(_ range: Range<Int>) -> Bool { scalars[range].allSatisfy { ("A"..."Z").contains($0) } }
        func digits(_ range: Range<Int>) -> Bool { scalars[range].allSatisfy { ("0"..."9").contains($0) } }
        switch self {
        case .ahpra:
            return scalars.count == 13 && letters(0..<3) && digits(3..<13) ? nil
                : "an AHPRA registration is three letters and ten digits, e.g. PHY0001234567"
        case .hcpc:
            return (3...12).contains(scalars.count) && letters(0..<2) && digits(2..<scalars.count) ? nil
                : "an HCPC registration is two letters and digits, e.g. PH123456"
        case .npi:
            guard scalars.count == 10, digits(0..<10) else { return "an NPI is ten digits, e.g. 1234567893" }
            return Self.npiCheckDigitHolds(number) ? nil : "the NPI's last digit is not its check digit (Luhn, with the 80840 prefix)"
        }
    }

    /// The NPI check: Luhn over the number prefixed with 80840 (the NPI's ISO issuer prefix).
    static func npiCheckDigitHolds(_ npi: String) -> Bool {
        let digits = ("80840" + npi).compactMap(\.wholeNumberValue)
        var sum = 0
        for (i, d) in digits.reversed().enumerated() {
            if i % 2 == 1 { let doubled = d * 2; sum += doubled > 9 ? doubled - 9 : doubled } else { sum += d }
        }
        return sum % 10 == 0
    }
}

extension Profession {
    /// How a signature names the profession ("Physiotherapist"; "Practitioner" for other).
    public var title: String {
        switch self {
        case .physiotherapist: "Physiotherapist"
        case .podiatrist: "Podiatrist"
        case .chiropractor: "Chiropractor"
        case .osteopath: "Osteopath"
        case .myotherapist: "Myotherapist"
        case .other: "Practitioner"
        }
    }
}

extension Practitioner {
    /// "Alex Smith, Physiotherapist, AHPRA registration PHY0001234567": how every letter and
    /// plan signs (without a registration on file: name and profession).
    public var signature: String {
        ([name, profession.title] + [registrationWording].compactMap { $0 }).joined(separator: ", ")
    }

    /// Longest registration body, number and provider number accepted (the store allows no more).
    public static let registrationBodyLimit = 60
    /// Longest registration number accepted (40 characters).
    public static let registrationNumberLimit = 40
    /// Longest provider number accepted (20 characters).
    public static let providerNumberLimit = 20

    /// "AHPRA registration PHY0001234567", "registration 12345" (no body on file) or nil: how a
    /// letter or plan signs with it.
    public var registrationWording: String? {
        guard let number = registrationNumber, !number.isEmpty else { return nil }
        if let body = registrationBody, !body.isEmpty { return "\(body) registration \(number)" }
        return "registration \(number)"
    }

    /// The registration as typed made canonical: surrounding spaces gone, empty text as none, a
    /// known body in its own spelling (ahpra → AHPRA) and its number's letters in capitals.
    public func withRegistrationNormalised() -> Practitioner {
        func cleaned(_ s: String?) -> String? {
            guard let t = s?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
            return t
        }
        var p = self
        p.registrationBody = cleaned(registrationBody)
        p.registrationNumber = cleaned(registrationNumber)
        p.providerNumber = cleaned(providerNumber)
        if let body = p.registrationBody.flatMap(RegistrationBody.init(named:)) {
            p.registrationBody = body.rawValue
            p.registrationNumber = p.registrationNumber.map { $0.replacingOccurrences(of: " ", with: "").uppercased() }
        }
        return p
    }

    /// Registration body, number and provider number: the limits, and a known body's format.
    func validateRegistration(_ v: inout Validator) {
        v.maxLength("registrationBody", registrationBody, Self.registrationBodyLimit)
        v.singleLine("registrationBody", registrationBody)
        v.maxLength("registrationNumber", registrationNumber, Self.registrationNumberLimit)
        v.singleLine("registrationNumber", registrationNumber)
        v.maxLength("providerNumber", providerNumber, Self.providerNumberLimit)
        v.singleLine("providerNumber", providerNumber)
        for (field, value) in [("registrationBody", registrationBody), ("registrationNumber", registrationNumber),
                               ("providerNumber", providerNumber)] {
            if let value, value.trimmingCharacters(in: .whitespaces).isEmpty { v.badValue(field, value, "must not be blank (leave it out instead)") }
        }
        if let body = registrationBody, !body.isEmpty {
            guard let number = registrationNumber, !number.isEmpty else {
                v.add("registrationNumber", "", "is required with a registration body (\(body))")
                return
            }
            if let known = RegistrationBody(named: body), let rule = known.problem(with: number) {
                v.badValue("registrationNumber", number, rule)
            }
        }
        if let provider = providerNumber, !provider.unicodeScalars.allSatisfy({
            ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == " "
        }) {
            v.badValue("providerNumber", provider, "may hold only letters, digits, spaces and '-'")
        }
    }
}
