import ClinicModel

/// A trigger point the patient goes home with a self-release program for: needled, released
/// by pressure in the clinic, or found active (reproducing the complaint).
///
/// One per muscle and side (a bilateral record counts as left and right, so each side gets its
/// own numbered mark on the body chart), listed head to foot so the home program reads in the
/// same order as the chart.
public struct TreatedTriggerPoint: Sendable, Hashable {
    /// Why the spot is in the home program.
    public enum Reason: String, Sendable, Hashable, CaseIterable, Comparable {
        /// Needled at the visit.
        case needled
        /// Ischaemic compression or pressure release in the clinic.
        case pressureReleased = "pressure-released"
        /// An active trigger point found on examination.
        case activeFound = "active-found"

        public static func < (a: Self, b: Self) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// The muscle (`Muscle.id`).
    public var muscleID: String
    /// Left, right or midline (never bilateral).
    public var side: Side
    /// Why the spot is in the home program.
    public var reasons: Set<Reason>

    /// A spot for `muscleID` on `side`.
    public init(muscleID: String, side: Side, reasons: Set<Reason>) {
        self.muscleID = muscleID; self.side = side; self.reasons = reasons
    }

    /// The treated trigger points of a visit, head to foot, left before right.
    public static func inVisit(_ visit: Visit) -> [TreatedTriggerPoint] {
        var byKey: [String: TreatedTriggerPoint] = [:]
        func add(_ muscleID: String, _ side: Side?, _ reason: Reason) {
            for s in sides(of: muscleID, side) {
                let key = muscleID + "|" + s.rawValue
                byKey[key, default: TreatedTriggerPoint(muscleID: muscleID, side: s, reasons: [])]
                    .reasons.insert(reason)
            }
        }
        for entry in visit.needling { add(entry.muscleID, entry.side, .needled) }
        for t in visit.treatments where t.kind == .ischaemicCompression || t.kind == .pressureRelease {
            if let m = t.muscleID { add(m, t.side, .pressureReleased) }
        }
        for f in visit.triggerPoints where f.activity == .active { add(f.muscleID, f.side, .activeFound) }
        return byKey.values.sorted(by: headToFoot)
    }

    /// A bilateral (or unrecorded, for a paired muscle) side becomes left and right.
    static func sides(of muscleID: String, _ side: Side?) -> [Side] {
        let paired = MuscleCatalogue.muscle(id: muscleID)?.paired ?? true
        switch side {
        case .left: return [.left]
        case .right: return [.right]
        case .midline: return [.midline]
        case .bilateral, nil: return paired ? [.left, .right] : [.midline]
        }
    }

    /// Region (head to foot), then height on the chart, then name, then left before right;
    /// muscles the catalogue does not know go last.
    static func headToFoot(_ a: TreatedTriggerPoint, _ b: TreatedTriggerPoint) -> Bool {
        sortKey(a) < sortKey(b)
    }

    private static func sortKey(_ t: TreatedTriggerPoint) -> (Int, Double, String, Int) {
        let sideOrder = [Side.left, .midline, .right, .bilateral].firstIndex(of: t.side) ?? 0
        guard let m = MuscleCatalogue.muscle(id: t.muscleID) else {
            return (Int.max, 0, t.muscleID, sideOrder)
        }
        let region = BodyRegion.allCases.firstIndex(of: m.region) ?? 0
        return (region, m.anchor.y, m.name, sideOrder)
    }
}
