import Testing
import ClinicModel

/// The registration formats Knot checks (AHPRA, HCPC, NPI with its Luhn check digit), the
/// registration made canonical as typed, and the signature every letter and plan carries.
@Suite struct ProfessionalRegistrationTests {
    func practitioner(_ body: String?, _ number: String?, provider: String? = nil) -> Practitioner {
        Practitioner(handle: "kate", name: "Kate Ng", profession: .podiatrist, registrationBody: body, registrationNumber: number,
                     providerNumber: provider)
    }

    @Test(arguments: [("AHPRA", "PHY0001234567"), ("HCPC", "PH123456"), ("HCPC", "CH12345"), ("NPI", "1234567893"),
                      ("NPI", "1245319599"), ("Physiotherapy Board of New Zealand", "70-12345"), ("GOsC", "1234")])
    func wellFormedRegistrationsAreAccepted(body: String, number: String) throws {
        try practitioner(body, number).validate()
    }

    @Test(arguments: [("AHPRA", "PHY000123456", "three letters and ten digits"), ("AHPRA", "PH00012345678", "three letters"),
                      ("HCPC", "P1234567", "two letters"), ("HCPC", "PH12 456", "two letters"),
                      ("NPI", "1234567890", "check digit"), ("NPI", "123456789A", "ten digits"),
                      ("Board", "", "required with a registration body")])
    func malformedRegistrationsAreRefusedNamingTheRule(body: String, number: String, rule: String) {
        #expect {
            try practitioner(body, number.isEmpty ? nil : number).validate()
        } throws: { error in
            (error as? ValidationErrors)?.errors.contains { $0.field == "registrationNumber" && $0.rule.contains(rule) } == true
        }
    }

    @Test func providerNumbersAndLimits() {
        #expect(throws: ValidationErrors.self) { try practitioner(nil, nil, provider: "2426621B;").validate() }
        #expect(throws: ValidationErrors.self) { try practitioner(nil, nil, provider: String(repeating: "1", count: 21)).validate() }
        #expect(throws: ValidationErrors.self) { try practitioner(String(repeating: "B", count: 61), "1").validate() }
        #expect(throws: ValidationErrors.self) { try practitioner("Board\nTwo", "1").validate() }
        #expect(throws: Never.self) { try practitioner(nil, "legacy 123", provider: "2426621B").validate() }
    }

    @Test func theRegistrationIsMadeCanonicalAsTyped() {
        let p = practitioner(" ahpra ", " pod0001876543 ", provider: "  ").withRegistrationNormalised()
        #expect(p.registrationBody == "AHPRA" && p.registrationNumber == "POD0001876543" && p.providerNumber == nil)
        let other = practitioner("Physiotherapy Board of New Zealand", "70-12345ab").withRegistrationNormalised()
        #expect(other.registrationNumber == "70-12345ab", "another body's number is kept as typed")
        #expect(practitioner("", "").withRegistrationNormalised().registrationNumber == nil)
    }

    @Test func theSignature() {
        #expect(practitioner("AHPRA", "POD0001876543").signature == "Kate Ng, Podiatrist, AHPRA registration POD0001876543")
        #expect(practitioner(nil, "POD0001876543").signature == "Kate Ng, Podiatrist, registration POD0001876543")
        #expect(practitioner(nil, nil).signature == "Kate Ng, Podiatrist")
    }
}
