import Foundation

/// A likely cause of a trigger point (a coded list plus free text in the finding).
public enum LikelyCause: String, Sendable, Hashable, Codable, CaseIterable {
    /// Direct trauma.
    case injury
    /// A sudden movement.
    case suddenMovement = "sudden-movement"
    /// A rise in activity or training load.
    case increasedActivity = "increased-activity"
    /// A sustained posture (desk work, driving).
    case sustainedPosture = "sustained-posture"
    /// Nerve impingement.
    case nerveImpingement = "nerve-impingement"
    /// Psychological stress.
    case stress
    /// A recent illness.
    case illness
    /// A nutritional deficiency (iron, vitamin D, B12).
    case nutritionalDeficiency = "nutritional-deficiency"
    /// A metabolic or endocrine condition (thyroid, diabetes).
    case metabolicEndocrine = "metabolic-endocrine"
    /// Repetitive work or lifting.
    case repetitiveWorkOrLifting = "repetitive-work-or-lifting"
}

/// Pressure pain threshold measured with an algometer; the probe size is recorded since it
/// changes the reading.
public struct PressurePainThreshold: Sendable, Hashable, Codable {
    /// The threshold, kg/cm² (0-20).
    public var value: KilogramsPerSquareCentimetre
    /// The algometer's probe area in cm², 0.5 to 2, as stated with the reading.
    public var probeSizeCm2: Double
    /// A reading with its probe size (no default: a threshold with an assumed probe is a wrong number).
    public init(value: KilogramsPerSquareCentimetre, probeSizeCm2: Double) {
        self.value = value; self.probeSizeCm2 = probeSizeCm2
    }
}

/// A trigger point found on examination.
public struct TriggerPointFinding: Sendable, Hashable, Codable, Identifiable {
    /// Whether the trigger point reproduces the complaint (active) or is tender only when pressed (latent).
    public enum Activity: String, Sendable, Hashable, Codable, CaseIterable {
        /// Reproduces the patient's complaint.
        case active
        /// Tender only when pressed.
        case latent
    }
    public var id: Int64?
    /// A `Muscle.id` from the catalogue.
    public var muscleID: String
    /// The side it was found on.
    public var side: Side
    /// A named location (e.g. "TrP1, mid-belly") when the clinic uses them.
    public var location: String?
    /// Active or latent.
    public var activity: Activity
    /// A taut band was palpable.
    public var tautBand: Bool
    /// A local twitch response was seen.
    public var localTwitchResponse: Bool
    /// Pressing it reproduced the referred pain.
    public var referredPainReproduced: Bool
    /// Tenderness on pressure, NPRS.
    public var tenderness: NPRS?
    /// An algometer reading, when taken.
    public var pressurePainThreshold: PressurePainThreshold?
    /// Likely causes from the coded list.
    public var likelyCauses: [LikelyCause]
    /// Free text.
    public var notes: String?

    /// A finding; a taut band is assumed present unless told otherwise.
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

    /// The muscle from the catalogue; nil when `muscleID` names none.
    public var muscle: Muscle? { MuscleCatalogue.muscle(id: muscleID) }

    /// Checks the muscle and side against the catalogue, the free-text fields' lengths and a probe of 0.5-2
    /// cm².
    /// - Throws: `ValidationErrors` naming each field that breaks a rule.
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
