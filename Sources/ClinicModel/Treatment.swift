import Foundation

/// A treatment given at a visit (dry needling itself is logged per site as `NeedlingEntry`).
public struct Treatment: Sendable, Hashable, Codable, Identifiable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Sustained pressure on the spot for 30-90 s, then release, in cycles.
        case ischaemicCompression = "ischaemic-compression"
        case pressureRelease = "pressure-release"
        case stretching
        /// Teaching the home program with a massage ball or thumb on the specific spot.
        case massageBallInstruction = "massage-ball-instruction"
        case dryNeedling = "dry-needling"
        case exercise
        case education
        case other
    }
    public var id: Int64?
    public var kind: Kind
    public var muscleID: String?
    public var side: Side?
    /// Hold time per cycle (ischaemic compression, stretches).
    public var holdTime: Seconds?
    public var cycles: Int?
    public var notes: String?

    public init(id: Int64? = nil, kind: Kind, muscleID: String? = nil, side: Side? = nil,
                holdTime: Seconds? = nil, cycles: Int? = nil, notes: String? = nil) {
        self.id = id; self.kind = kind; self.muscleID = muscleID; self.side = side
        self.holdTime = holdTime; self.cycles = cycles; self.notes = notes
    }

    public func validate() throws(ValidationErrors) {
        var v = Validator()
        if let m = muscleID { validateMuscleAndSide(muscleID: m, side: side ?? .bilateral, into: &v) }
        if let c = cycles, !(1...50).contains(c) { v.badValue("cycles", "\(c)", "must be between 1 and 50") }
        if kind == .ischaemicCompression {
            if muscleID == nil { v.add("muscle", "", "is required for ischaemic compression") }
            if let h = holdTime, !(5...180).contains(h.value) {
                v.badValue("holdTime", "\(h.value)", "ischaemic compression holds are 5 to 180 s (usually 30-90 s)")
            }
        }
        if kind == .other { v.required("notes", notes) }
        v.freeText("notes", notes, limit: 5000)
        try v.finish()
    }
}
