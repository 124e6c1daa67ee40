import Testing
@testable import ClinicXML

/// The duplicate-id check's set agrees with `Set<Int64>` in any order, and stays small for runs.
@Suite struct IDRangeSetTests {
    @Test("agrees with Set<Int64> on random inserts and lookups")
    func agreesWithSet() {
        var rng = SystemRandomNumberGenerator()
        for trial in 0..<50 {
            var ranges = IDRangeSet()
            var reference = Set<Int64>()
            let span = Int64(trial % 2 == 0 ? 40 : 5000)
            for _ in 0..<600 {
                let id = Int64.random(in: 1...span, using: &rng)
                let inserted = ranges.insert(id)
                #expect(inserted == reference.insert(id).inserted)
            }
            for id in 0...(span + 1) { #expect(ranges.contains(id) == reference.contains(id)) }
        }
    }

    @Test("a rising run of a million ids is one range")
    func risingRun() {
        var ranges = IDRangeSet()
        var allNew = true
        for id in Int64(1)...1_000_000 where !ranges.insert(id) { allNew = false }
        #expect(allNew)
        #expect(ranges.rangeCount == 1)
        let again = ranges.insert(500_000)
        #expect(!again)
        #expect(ranges.contains(1) && ranges.contains(1_000_000) && !ranges.contains(1_000_001))
    }
}
