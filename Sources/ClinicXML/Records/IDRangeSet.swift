/// A set of record ids kept as sorted, non-touching ranges.
///
/// An export numbers each kind of record from the database, so the ids of a kind mostly arrive
/// as one rising run: this holds a million of them in a handful of ranges, where a
/// `Set<Int64>` would hold a million entries (the duplicate-id check on import is then flat in
/// memory whatever the clinic's size). Any order still works; scattered ids just cost a range each.
/// Also the import's check of each record's audited origin (ClinicServices' `ExportOriginCheck`).
package struct IDRangeSet {
    private var ranges: [ClosedRange<Int64>] = []

    /// Index of the first range whose upper bound is at least `id`.
    private func firstIndex(reaching id: Int64) -> Int {
        var low = 0, high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].upperBound < id { low = mid + 1 } else { high = mid }
        }
        return low
    }

    package init() {}

    package var isEmpty: Bool { ranges.isEmpty }

    package func contains(_ id: Int64) -> Bool {
        let i = firstIndex(reaching: id)
        return i < ranges.count && ranges[i].contains(id)
    }

    /// Adds `id`; false when it was already there.
    @discardableResult
    package mutating func insert(_ id: Int64) -> Bool {
        // The common case: one past the last range.
        if let last = ranges.last, id > last.upperBound {
            if id == last.upperBound + 1 { ranges[ranges.count - 1] = last.lowerBound...id } else { ranges.append(id...id) }
            return true
        }
        let i = firstIndex(reaching: id)
        if i < ranges.count && ranges[i].contains(id) { return false }
        let joinsPrevious = i > 0 && ranges[i - 1].upperBound == id - 1
        let joinsNext = i < ranges.count && ranges[i].lowerBound == id + 1
        switch (joinsPrevious, joinsNext) {
        case (true, true):
            ranges[i - 1] = ranges[i - 1].lowerBound...ranges[i].upperBound
            ranges.remove(at: i)
        case (true, false): ranges[i - 1] = ranges[i - 1].lowerBound...id
        case (false, true): ranges[i] = id...ranges[i].upperBound
        case (false, false): ranges.insert(id...id, at: i)
        }
        return true
    }

    /// How many ranges it holds (for tests).
    var rangeCount: Int { ranges.count }

    /// The ids here that are not in `other`, ascending.
    package func subtracting(_ other: IDRangeSet) -> [Int64] {
        var out: [Int64] = []
        for range in ranges {
            var id = range.lowerBound
            while true {
                if !other.contains(id) { out.append(id) }
                if id == range.upperBound { break }
                id += 1
            }
        }
        return out
    }
}
