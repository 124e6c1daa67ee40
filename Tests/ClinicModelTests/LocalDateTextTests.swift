import Foundation
import Testing
@testable import ClinicModel

/// A date's text is stored, exchanged and compared as it always was (`YYYY-MM-DD`, as
/// `String(format: "%04d-%02d-%02d")` wrote it); it is now written digit by digit.
@Suite struct LocalDateTextTests {
    @Test("every day from 1800 to 2100, and the last years Knot accepts, read as String(format:) wrote them")
    func everyDay() throws {
        for year in Array(1800...2100) + [2999, 3000, 9998, 9999] {
            for month in 1...12 {
                for day in 1...LocalDate.daysIn(month: month, year: year) {
                    let date = try LocalDate(year: year, month: month, day: day)
                    #expect(date.description == String(format: "%04d-%02d-%02d", year, month, day))
                }
            }
        }
    }

    @Test("a date of an instant far outside those years still has the text it had")
    func farDates() {
        let utc = TimeZone(identifier: "UTC")!
        for seconds in [-70_000_000_000.0, -62_000_000_000.0, -60_000_000_000.0, 0, 250_000_000_000.0, 400_000_000_000.0] {
            let date = LocalDate(Date(timeIntervalSince1970: seconds), timeZone: utc)
            #expect(date.description == String(format: "%04d-%02d-%02d", date.year, date.month, date.day), "\(seconds)")
        }
    }
}
