import ClinicModel

/// The rule ids a built plan's items carry, one constant per rule.
///
/// Items keep the id of the rule that produced them (`FollowUpPlan.Item.rule`) so that the
/// practitioner's review screen, the stored plan and the tests can tell which rule said what;
/// an item the practitioner adds by hand has an empty rule. Ids are stable strings, stored with
/// the plan: never rename one once shipped.
public enum PlanRule {
    // Home program
    /// Self-release of one treated trigger point (needled, compressed, or an active TrP found).
    public static let homeProgramTriggerPoint = "home-program.trp"
    /// An exercise prescribed as a treatment at the visit, with its dose and notes.
    public static let selfManagementExercise = "self-management.exercise"
    /// Advice given as a treatment (education), when its notes say what it was.
    public static let selfManagementEducation = "self-management.education"

    // After dry needling
    public static let afterNeedlingSoreness = "after-needling.soreness"
    public static let afterNeedlingBruising = "after-needling.bruising"
    public static let afterNeedlingWhatHelps = "after-needling.what-helps"
    public static let afterNeedlingWhenToCall = "after-needling.when-to-call"

    // Biomechanics
    public static let footPosturePronated = "biomech.fpi-pronated"
    public static let footPostureSupinated = "biomech.fpi-supinated"
    public static let calfProgram = "biomech.calf-program"
    public static let halluxMobility = "biomech.hallux-mobility"
    public static let legLength = "biomech.leg-length"
    /// Prefix of the gait rules; the full id adds the observation's code, e.g.
    /// `biomech.gait.over-pronation`.
    public static let gaitPrefix = "biomech.gait."
    /// The rule id for advice on one gait observation.
    public static func gait(_ code: String) -> String { gaitPrefix + code }

    // Activity and load
    public static let activityLoad = "activity.load"
    public static let activityPostureBreaks = "activity.posture-breaks"
    public static let activityGradedReturn = "activity.graded-return"
    public static let activityWorkTasks = "activity.work-tasks"
    public static let activityStress = "activity.stress"
    public static let activityMedicalFactors = "activity.medical-factors"

    // Red flags
    public static let redFlagInfection = "red-flag.infection"
    public static let redFlagPneumothorax = "red-flag.pneumothorax"

    // Adverse events (significant or serious) at the visit
    /// No self-release at a site where the event happened, until the review.
    public static let adverseEventNoSelfRelease = "adverse-event.no-self-release"
    /// What happened, how severe, and what was done, in the patient's words.
    public static let adverseEventWhatHappened = "adverse-event.what-happened"
    /// What to watch for after the event and whom to call (with the red flags).
    public static let adverseEventWatchFor = "adverse-event.watch-for"

    // Outcome measures
    /// Prefix of the outcome rules; the full id adds the scale, e.g. `outcome.lefs`.
    public static let outcomePrefix = "outcome."
    /// The rule id for the trend of one outcome scale.
    public static func outcome(_ scale: OutcomeScale) -> String { outcomePrefix + scale.rawValue }

    // Review
    public static let reviewDate = "review.date"
    public static let reviewSessions = "review.sessions"
    public static let reviewReferralExpiry = "review.referral-expiry"
}
