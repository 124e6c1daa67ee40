import SeededRandom

/// The benchmark's deterministic random numbers: the same SplitMix64 as the demo clinic.
typealias BenchRandom = SplitMix64

extension SplitMix64 {
    /// True `percent` times in a hundred.
    mutating func chance(_ percent: Int) -> Bool { int(1...100) <= percent }
}
