/// A part of the body a practitioner names when filing a muscle or reading a body chart.
///
/// The order of the cases is head to foot (arm after shoulder, back after front), which is the
/// order the muscle catalogue and pickers list regions in.
public enum BodyRegion: String, Codable, Sendable, CaseIterable {
    /// Regions from head to lower back, in the order pickers list them.
    case head, neck, shoulder, upperArm, forearm, hand, chest, abdomen, upperBack, lowerBack
    /// Regions of the hip and leg, down to the ankle and foot.
    case hipPelvis, thigh, knee, lowerLeg, ankleFoot

    /// The region as a practitioner writes it in a note ("Hip and pelvis", "Lower leg").
    public var displayName: String {
        switch self {
        case .head: "Head"
        case .neck: "Neck"
        case .shoulder: "Shoulder"
        case .upperArm: "Upper arm"
        case .forearm: "Forearm"
        case .hand: "Hand"
        case .chest: "Chest"
        case .abdomen: "Abdomen"
        case .upperBack: "Upper back"
        case .lowerBack: "Lower back"
        case .hipPelvis: "Hip and pelvis"
        case .thigh: "Thigh"
        case .knee: "Knee"
        case .lowerLeg: "Lower leg"
        case .ankleFoot: "Ankle and foot"
        }
    }

    /// Position in the head-to-foot order (the declaration order), for sorting.
    var sortOrder: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}

/// Which of the two figures on Knot's body chart a mark is drawn on.
///
/// Anterior muscles are marked on the front figure, posterior ones (and the sole of the foot)
/// on the back figure.
public enum BodyView: String, Codable, Sendable {
    /// The front or the back figure of the body chart.
    case front, back
}

/// Where a muscle's usual trigger point sits on Knot's body chart, for the PATIENT'S LEFT side
/// (paired muscles) or the midline.
///
/// Coordinates are normalised to the figure's bounding box as the viewer sees it: x 0 = viewer's
/// left edge, 1 = viewer's right edge; y 0 = top of head, 1 = soles. Front view: the patient's
/// left appears on the viewer's RIGHT (x > 0.5). Back view: the patient's left appears on the
/// viewer's LEFT (x < 0.5). Storing one side only keeps the catalogue small; the right side is
/// the mirror image, given by `position(forRightSide:)`.
public struct ChartAnchor: Codable, Sendable, Hashable {
    /// Which figure of the chart the point is on.
    public var view: BodyView
    /// 0 = viewer's left edge of the figure, 1 = viewer's right edge.
    public var x: Double
    /// 0 = top of the head, 1 = the soles.
    public var y: Double

    /// A point on `view`: `x` 0-1 from the viewer's left to right, `y` 0-1 from the top of the head to the
    /// soles.
    public init(view: BodyView, x: Double, y: Double) {
        self.view = view
        self.x = x
        self.y = y
    }

    /// The point to draw for the patient's right side (`true`, mirrored x -> 1 - x) or left
    /// side and midline (`false`, as stored). The view and height never change.
    public func position(forRightSide: Bool) -> (x: Double, y: Double) {
        forRightSide ? (x: 1 - x, y: y) : (x: x, y: y)
    }
}
