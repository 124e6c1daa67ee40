import Foundation
import Testing
import ClinicModel

/// Dates from instants are the clinic's: a Sydney morning is the Sydney date, not the day before.
@Suite struct ClinicTimeZoneModelTests {
    /// 09:00 in Sydney on Tuesday 1 December 2026 (AEDT, UTC+11) is 22:00 UTC on Monday 30 November.
    static let sydneyMorning = Date(timeIntervalSince1970: Double(try! LocalDate(parsing: "2026-11-30").dayNumber) * 86_400 + 22 * 3_600)

    @Test func theDateOfAnInstantIsTheDateInTheZoneAsked() throws {
        let sydney = try ClinicTimeZone.named("Australia/Sydney")
        #expect(LocalDate(Self.sydneyMorning, timeZone: sydney).description == "2026-12-01")
        #expect(LocalDate(Self.sydneyMorning, timeZone: try ClinicTimeZone.named("UTC")).description == "2026-11-30")
    }

    @Test func aZoneIsNamedTheIANAWayOrRefusedWithTheFieldAndValue() {
        #expect(throws: ValidationError.self) { try ClinicTimeZone.named("Mars/Olympus_Mons", field: "--time-zone") }
        do {
            _ = try ClinicTimeZone.named("Sydney", field: "--time-zone")
            Issue.record("a city alone is not a zone name")
        } catch {
            #expect(error.description.hasPrefix("--time-zone: 'Sydney' is not a time zone name"))
        }
        #expect(throws: ValidationError.self) { try ClinicTimeZone.named("", field: "--time-zone") }
    }
}
