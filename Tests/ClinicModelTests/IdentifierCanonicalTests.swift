import Testing
import ClinicModel

/// One number however it is spaced: IHI, Medicare and DVA numbers are stored and compared
/// without their white space; other identifiers as written.
@Suite("Identifier canonical form")
struct IdentifierCanonicalTests {
    @Test("Medicare, IHI and DVA numbers lose their white space; other systems keep it")
    func canonicalForm() {
        #expect(PatientIdentifier(system: .medicare, value: "2953 41877 1").canonicalValue == "2953418771")
        #expect(PatientIdentifier(system: .medicare, value: "2953\u{A0}41877\t1").canonicalValue == "2953418771")
        #expect(PatientIdentifier(system: .ihi, value: "8003 6081 6669 0503").canonicalValue == "8003608166690503")
        #expect(PatientIdentifier(system: .dva, value: "NX 123456").canonicalValue == "NX123456")
        #expect(PatientIdentifier(system: .uncheckedMedicare, value: "2953 41877 2").canonicalValue == "2953418772")
        #expect(PatientIdentifier(system: .clinic, value: "A 12").canonicalValue == "A 12")
        #expect(PatientIdentifier(system: .other("2.16.840.1.113883.2.1.4.1"), value: "943 476 5919").canonicalValue == "943 476 5919")
        #expect(PatientIdentifier(system: .medicare, value: "2953 41877 1").sameNumber(as: PatientIdentifier(system: .medicare, value: "2953418771")))
        #expect(!PatientIdentifier(system: .medicare, value: "2953418771").sameNumber(as: PatientIdentifier(system: .dva, value: "2953418771")))
    }

    /// The stores' SQL removes exactly `whiteSpaceScalars`; this is every scalar Unicode calls White_Space.
    @Test("whiteSpaceScalars is every Unicode scalar with the White_Space property")
    func whiteSpaceList() {
        let all = (0...0x10FFFF).compactMap(Unicode.Scalar.init).filter { $0.properties.isWhitespace }
        #expect(all == PatientIdentifier.whiteSpaceScalars)
    }
}
