/// Deterministic random numbers for the demo clinic, synthetic clinics, the benchmarks and the
/// tests' own random choices: the one copy of the generator in the package.
///
/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast, and the same on every platform and
/// Swift version. Its own helpers (`int`, `pick`, `weighted`) are used rather than the standard
/// library's `random(in:using:)`, whose algorithms may change between Swift versions; it is also
/// a `RandomNumberGenerator` for `shuffled(using:)` where a test does not mind that.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator for one `stream` of `seed` (the demo draws each patient from its own stream,
    /// so one patient's choices never shift another's).
    public init(seed: UInt64, stream: UInt64 = 0) {
        state = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
        _ = next()
    }

    /// A generator that starts from exactly `state`: the classic SplitMix64 seeding, which the
    /// tests' fixed seeds were chosen with.
    public init(state: UInt64) { self.state = state }

    /// The next 64 random bits.
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

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) }
    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { unit() < p }
    /// One of `items` (which must not be empty).
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
