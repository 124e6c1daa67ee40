import Foundation

/// A treatment given at a visit (dry needling itself is logged per site as `NeedlingEntry`).
public struct Treatment: Sendable, Hashable, Codable, Identifiable {
    /// The kinds of treatment, by the code `--kind` takes and storage uses.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Sustained pressure on the spot for 30-90 s, then release, in cycles.
        case ischaemicCompression = "ischaemic-compression"
        /// Trigger-point pressure release.
        case pressureRelease = "pressure-release"
        /// Stretching of the muscle.
        case stretching
        /// Teaching the home program with a massage ball or thumb on the specific spot.
        case massageBallInstruction = "massage-ball-instruction"
        /// Dry needling in general (each site is logged as a `NeedlingEntry`).
        case dryNeedling = "dry-needling"
        /// Exercise prescribed or done at the visit.
        case exercise
        /// Education about the condition and self-care.
        case education
        /// Anything else, described in the notes.
        case other
    }
    public var id: Int64?
    /// What was done.
    public var kind: Kind
    /// The muscle treated (`Muscle.id`); required for ischaemic compression.
    public var muscleID: String?
    /// The side treated.
    public var side: Side?
    /// Hold time per cycle (ischaemic compression, stretches).
    public var holdTime: Seconds?
    /// How many cycles (1-50).
    public var cycles: Int?
    /// Free text.
    public var notes: String?

    /// A treatment of `kind`; everything else is optional.
    public init(id: Int64? = nil, kind: Kind, muscleID: String? = nil, side: Side? = nil,
                holdTime: Seconds? = nil, cycles: Int? = nil, notes: String? = nil) {
        self.id = id; self.kind = kind; self.muscleID = muscleID; self.side = side
        self.holdTime = holdTime; self.cycles = cycles; self.notes = notes
    }

    /// Checks the muscle and side, 1-50 cycles, and for ischaemic compression a muscle and a 5-180 s hold.
    /// - Throws: `ValidationErrors` naming each field that breaks a rule.
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
