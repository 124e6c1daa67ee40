/// Deterministic random numbers for the demo clinic, synthetic clinics and the benchmarks.
/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast, and the same on every platform and
/// Swift version, unlike the standard library's `random(in:)` algorithms.
public struct SplitMix64: Sendable {
    private var state: UInt64

    public init(seed: UInt64, stream: UInt64 = 0) {
        state = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
        _ = next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in the range (the tiny modulo bias is irrelevant here).
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    public mutating func unit() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) }
    public mutating func chance(_ p: Double) -> Bool { unit() < p }
    public mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// `count` distinct items, in a random order.
    public mutating func pick<T>(_ items: [T], count: Int) -> [T] {
        var pool = items
        var out: [T] = []
        while out.count < count, !pool.isEmpty { out.append(pool.remove(at: int(0...(pool.count - 1)))) }
        return out
    }

    /// A key drawn with the given weights (keys visited in sorted order, so it is deterministic).
    public mutating func weighted(_ weights: [Int: Int]) -> Int {
        let keys = weights.keys.sorted()
        var roll = int(1...weights.values.reduce(0, +))
        for k in keys {
            roll -= weights[k]!
            if roll <= 0 { return k }
        }
        return keys.last!
    }
}
