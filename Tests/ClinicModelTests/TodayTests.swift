import Foundation
import Testing
@testable import ClinicModel

/// `LocalDate.today` remembers the day it last worked out (issue 19, session 16): every instant
/// must still get the date the calendar gives it in the zone asked for, across midnight, across
/// daylight-saving changes, back and forth in time, and when the zone changes.
@Suite struct TodayTests {
    @Test("today at any instant is the calendar's date of that instant in that zone")
    func sameAsCalendar() throws {
        let zones = ["UTC", "Australia/Sydney", "Australia/Lord_Howe", "Pacific/Auckland", "America/Sao_Paulo",
                     "America/New_York", "Asia/Kolkata", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/London"]
        // Around the 2026 changes: Sydney and Auckland 5 April, London 29 March, New York 8 March;
        // Sao Paulo's midnight change of 2018 (4 November: no midnight that day).
        let starts = ["2026-04-03T20:00:00Z", "2026-03-28T12:00:00Z", "2026-03-07T00:00:00Z", "2018-11-02T12:00:00Z",
                      "2026-12-31T00:00:00Z"]
        let parser = ISO8601DateFormatter()
        var checked = 0
        for start in starts {
            let first = try #require(parser.date(from: start))
            for name in zones {
                let zone = try #require(TimeZone(identifier: name))
                // Every 17 minutes for three days, then back again: the remembered day is
                // left whenever an instant falls outside it.
                var instants = (0..<255).map { first.addingTimeInterval(Double($0) * 17 * 60) }
                instants += instants.reversed()
                for instant in instants {
                    #expect(LocalDate.today(at: instant, timeZone: zone) == LocalDate(instant, timeZone: zone), "\(name) \(instant)")
                    checked += 1
                }
            }
        }
        #expect(checked == 2 * 255 * 10 * 5)
    }

    @Test("a zone asked for after another gets its own date, not the one remembered")
    func zoneChanges() throws {
        // 2026-06-30 23:30 UTC is already 1 July in Sydney and still 30 June in UTC and Honolulu.
        let instant = Date(timeIntervalSince1970: 1_782_862_200)
        let utc = try #require(TimeZone(identifier: "UTC"))
        let sydney = try #require(TimeZone(identifier: "Australia/Sydney"))
        let honolulu = try #require(TimeZone(identifier: "Pacific/Honolulu"))
        for _ in 0..<2 {
            #expect(LocalDate.today(at: instant, timeZone: utc).description == "2026-06-30")
            #expect(LocalDate.today(at: instant, timeZone: sydney).description == "2026-07-01")
            #expect(LocalDate.today(at: instant, timeZone: honolulu).description == "2026-06-30")
        }
    }
}
