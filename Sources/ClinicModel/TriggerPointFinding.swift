import Foundation

/// A likely cause of a trigger point (a coded list plus free text in the finding).
public enum LikelyCause: String, Sendable, Hashable, Codable, CaseIterable {
    case injury
    case suddenMovement = "sudden-movement"
    case increasedActivity = "increased-activity"
    case sustainedPosture = "sustained-posture"
    case nerveImpingement = "nerve-impingement"
    case stress
    case illness
    case nutritionalDeficiency = "nutritional-deficiency"
    case metabolicEndocrine = "metabolic-endocrine"
    case repetitiveWorkOrLifting = "repetitive-work-or-lifting"
}

/// Pressure pain threshold measured with an algometer; the probe size is recorded since it
/// changes the reading.
public struct PressurePainThreshold: Sendable, Hashable, Codable {
    public var value: KilogramsPerSquareCentimetre
    public var probeSizeCm2: Double
    public init(value: KilogramsPerSquareCentimetre, probeSizeCm2: Double = 1.0) {
        self.value = value; self.probeSizeCm2 = probeSizeCm2
    }
}

/// A trigger point found on examination.
public struct TriggerPointFinding: Sendable, Hashable, Codable, Identifiable {
    public enum Activity: String, Sendable, Hashable, Codable, CaseIterable {
        /// Reproduces the patient's complaint.
        case active
        /// Tender only when pressed.
        case latent
    }
    public var id: Int64?
    /// A `Muscle.id` from the catalogue.
    public var muscleID: String
    public var side: Side
    /// A named location (e.g. "TrP1, mid-belly") when the clinic uses them.
    public var location: String?
    public var activity: Activity
    public var tautBand: Bool
    public var localTwitchResponse: Bool
    public var referredPainReproduced: Bool
    /// Tenderness on pressure, NPRS.
    public var tenderness: NPRS?
    public var pressurePainThreshold: PressurePainThreshold?
    public var likelyCauses: [LikelyCause]
    public var notes: String?

    public init(id: Int64? = nil, muscleID: String, side: Side, location: String? = nil,
                activity: Activity, tautBand: Bool = true, localTwitchResponse: Bool = false,
                referredPainReproduced: Bool = false, tenderness: NPRS? = nil,
                pressurePainThreshold: PressurePainThreshold? = nil, likelyCauses: [LikelyCause] = [],
                notes: String? = nil) {
        self.id = id; self.muscleID = muscleID; self.side = side; self.location = location
        self.activity = activity; self.tautBand = tautBand; self.localTwitchResponse = localTwitchResponse
        self.referredPainReproduced = referredPainReproduced; self.tenderness = tenderness
        self.pressurePainThreshold = pressurePainThreshold; self.likelyCauses = likelyCauses; self.notes = notes
    }

    public var muscle: Muscle? { MuscleCatalogue.muscle(id: muscleID) }

    public func validate() throws(ValidationErrors) {
        var v = Validator()
        validateMuscleAndSide(muscleID: muscleID, side: side, into: &v)
        v.freeText("location", location, limit: 200)
        v.freeText("notes", notes, limit: 5000)
        if let p = pressurePainThreshold, !(0.5...2.0).contains(p.probeSizeCm2) {
            v.badValue("pressurePainThreshold.probeSizeCm2", "\(p.probeSizeCm2)", "must be between 0.5 and 2 cm²")
        }
        try v.finish()
    }
}

/// Checks that a muscle is in the catalogue and the side suits it (unpaired muscles are midline).
func validateMuscleAndSide(muscleID: String, side: Side, into v: inout Validator) {
    guard let muscle = MuscleCatalogue.muscle(id: muscleID) else {
        v.badValue("muscle", muscleID, "is not a muscle in Knot's catalogue (try `knot muscles SEARCH`)")
        return
    }
    if !muscle.paired, side == .left || side == .right {
        v.add("side", side.rawValue, "does not apply: \(muscle.name) is a midline muscle")
    }
    if muscle.paired, side == .midline {
        v.add("side", side.rawValue, "does not apply: \(muscle.name) is paired (left, right or bilateral)")
    }
}
