import ClinicModel

/// A trigger point the patient goes home with a self-release program for: needled, released
/// by pressure in the clinic, or found active (reproducing the complaint).
///
/// One per muscle and side (a bilateral record counts as left and right, so each side gets its
/// own numbered mark on the body chart), listed head to foot so the home program reads in the
/// same order as the chart. A paired muscle treated with no side recorded (older treatments
/// could leave it out) is one spot with no side: the plan says "side not recorded" rather than
/// invent one, and the body chart has no mark for it.
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
    /// Left, right or midline (never bilateral); nil when a paired muscle's side was not recorded.
    public var side: Side?
    /// Why the spot is in the home program.
    public var reasons: Set<Reason>

    /// A spot for `muscleID` on `side` (nil: a paired muscle's side not recorded).
    public init(muscleID: String, side: Side?, reasons: Set<Reason>) {
        self.muscleID = muscleID; self.side = side; self.reasons = reasons
    }

    /// The treated trigger points of a visit, head to foot, left before right.
    public static func inVisit(_ visit: Visit) -> [TreatedTriggerPoint] {
        var byKey: [String: TreatedTriggerPoint] = [:]
        func add(_ muscleID: String, _ side: Side?, _ reason: Reason) {
            for s in sides(of: muscleID, side) {
                let key = muscleID + "|" + (s?.rawValue ?? "unrecorded")
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

    /// A bilateral side becomes left and right; an unrecorded one stays unrecorded (nil) for a
    /// paired muscle, since a plan must not choose a side nobody stated, and is the midline of
    /// a midline muscle.
    static func sides(of muscleID: String, _ side: Side?) -> [Side?] {
        let paired = MuscleCatalogue.muscle(id: muscleID)?.paired ?? true
        switch side {
        case .left: return [.left]
        case .right: return [.right]
        case .midline: return [.midline]
        case .bilateral: return paired ? [.left, .right] : [.midline]
        case nil: return paired ? [nil] : [.midline]
        }
    }

    /// True for a paired muscle whose side was not recorded.
    public var sideNotRecorded: Bool { side == nil }

    /// Region (head to foot), then height on the chart, then name, then left before right;
    /// muscles the catalogue does not know go last.
    static func headToFoot(_ a: TreatedTriggerPoint, _ b: TreatedTriggerPoint) -> Bool {
        sortKey(a) < sortKey(b)
    }

    private static func sortKey(_ t: TreatedTriggerPoint) -> (Int, Double, String, Int) {
        let sideOrder = t.side.flatMap { [Side.left, .midline, .right, .bilateral].firstIndex(of: $0) } ?? 4
        guard let m = MuscleCatalogue.muscle(id: t.muscleID) else {
            return (Int.max, 0, t.muscleID, sideOrder)
        }
        let region = BodyRegion.allCases.firstIndex(of: m.region) ?? 0
        return (region, m.anchor.y, m.name, sideOrder)
    }
}
