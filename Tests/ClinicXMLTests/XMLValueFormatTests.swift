import Foundation
import Testing
@testable import ClinicXML

/// One spelling per value, read back exactly.
@Suite struct XMLValueFormatTests {
    @Test func numbersArePlainShortestDecimals() {
        let cases: [(Double, String)] = [
            (0.25, "0.25"), (40, "40"), (0.4, "0.4"), (-10.25, "-10.25"), (0.000012, "0.000012"), (1e-7, "0.0000001"),
            (-0.0, "0"), (1e20, "100000000000000000000"), (123456.5, "123456.5"), (0.1 + 0.2, "0.30000000000000004"),
        ]
        for (value, text) in cases {
            #expect(XMLValueFormat.number(value) == text, "\(value)")
        }
        #expect(XMLValueFormat.number(.nan) == nil && XMLValueFormat.number(.infinity) == nil)
    }

    @Test func numbersReadBackToTheSameDouble() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let value = Double(bitPattern: generator.next()) 
            guard value.isFinite, abs(value) < 1e300, abs(value) > 1e-300 else { continue }
            let text = XMLValueFormat.number(value)!
            #expect(!text.contains("e"))
            #expect(XMLValueFormat.parseNumber(text) == value, "\(value) → \(text)")
        }
    }

    @Test func instantsAreUTCWithMilliseconds() {
        #expect(XMLValueFormat.instant(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(XMLValueFormat.instant(Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
        #expect(XMLValueFormat.instant(Date(timeIntervalSince1970: 951_782_400.5)) == "2000-02-29T00:00:00.500Z")
        #expect(XMLValueFormat.instant(Date(timeIntervalSince1970: 1.9996)) == "1970-01-01T00:00:02.000Z")
    }

    @Test func instantsReadBackToTheSameDateAndSpelling() {
        for millis in stride(from: Int64(-2_208_988_800_000), to: 4_102_444_800_000, by: 9_876_543_211) {
            let text = XMLValueFormat.instant(Date(timeIntervalSince1970: Double(millis) / 1000))
            let date = XMLValueFormat.parseInstant(text)
            #expect(date == Date(timeIntervalSince1970: Double(millis) / 1000), "\(text)")
            #expect(date.map(XMLValueFormat.instant) == text)
        }
    }

    @Test func onlyUTCInstantsAreRead() {
        #expect(XMLValueFormat.parseInstant("2026-06-02T09:00:00Z") != nil)
        #expect(XMLValueFormat.parseInstant("2026-06-02T09:00:00.5Z") == XMLValueFormat.parseInstant("2026-06-02T09:00:00.500Z"))
        for bad in ["2026-06-02T09:00:00+10:00", "2026-06-02 09:00:00Z", "2026-02-30T09:00:00Z", "2026-06-02T24:00:00Z",
                    "2026-06-02T09:00:00.1234Z", "2026-06-02T09:00Z", ""] {
            #expect(XMLValueFormat.parseInstant(bad) == nil, "\(bad)")
        }
    }
}
