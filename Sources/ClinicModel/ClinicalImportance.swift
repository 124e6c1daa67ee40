import Foundation

/// The one rule for "a change that matters": each scale's minimal clinically important
/// difference (MCID) and whether a change reaches it.
///
/// Pain (NPRS), PSFS and the region outcome measures all ask the same question of a first and a
/// latest score, so the thresholds live here once; the plan, the letter, `knot history` and the
/// chart all ask this type rather than keeping their own "2 points".
public enum ClinicalImportance {
    /// A scale Knot trends.
    public enum Scale: Hashable, Sendable {
        /// Pain (NPRS, 0-10) and the Patient-Specific Functional Scale.
        case nprs, psfs
        /// A region outcome measure (LEFS, NDI, ODI, VISA-A, QuickDASH).
        case outcome(OutcomeScale)
    }

    /// The smallest change that matters, in the scale's own units (points, or percentage points
    /// for NDI and ODI):
    /// NPRS 2 (Farrar 2001), PSFS 2 (Stratford 1995), LEFS 9 (Binkley 1999), NDI 10 (Pool 2007,
    /// 5 of 50 points), ODI 10 (Ostelo 2008), VISA-A 6.5 (McCormack 2015), QuickDASH 8 (Mintken 2009).
    public static func mcid(_ scale: Scale) -> Double {
        switch scale {
        case .nprs, .psfs: 2
        case .outcome(let s): s.mcid
        }
    }

    /// The NPRS MCID as a whole number of points, for wording ("the 2-point MCID").
    public static var nprsPoints: Int { Int(mcid(.nprs)) }

    /// Whether a higher score is better on the scale (PSFS, LEFS, VISA-A) or worse (NPRS, NDI,
    /// ODI, QuickDASH).
    public static func higherIsBetter(_ scale: Scale) -> Bool {
        switch scale {
        case .nprs: false
        case .psfs: true
        case .outcome(let s): s.higherIsBetter
        }
    }

    /// A first-to-latest change on one scale.
    public struct Change: Sendable, Hashable {
        /// Whether the change is an improvement, a worsening or none, on the scale's own sense.
        public enum Direction: String, Sendable, Hashable { case better, worse, unchanged }
        /// The scale the scores are on.
        public var scale: Scale
        /// The first score.
        public var from: Double
        /// The latest score.
        public var to: Double
        /// Latest minus first, in the scale's units.
        public var difference: Double { to - from }
        /// Better or worse depends on the scale: a fall in NPRS is better, a fall in PSFS worse.
        public var direction: Direction {
            if difference == 0 { return .unchanged }
            return (difference > 0) == ClinicalImportance.higherIsBetter(scale) ? .better : .worse
        }
        /// How the size of a change compares with the MCID (scores are decimals for some
        /// scales, so "equal" allows for rounding).
        public enum Size: String, Sendable, Hashable { case smaller, asLarge, larger }
        /// The size of the change, either way, against the scale's MCID.
        public var size: Size {
            let amount = abs(difference), mcid = ClinicalImportance.mcid(scale)
            return amount > mcid + 1e-9 ? .larger : amount >= mcid - 1e-9 ? .asLarge : .smaller
        }
        /// The change, either way, is at least the MCID.
        public var reachesMCID: Bool { size != .smaller }
    }

    /// The change from `from` to `to` on `scale`.
    public static func change(_ scale: Scale, from: Double, to: Double) -> Change {
        Change(scale: scale, from: from, to: to)
    }
}
