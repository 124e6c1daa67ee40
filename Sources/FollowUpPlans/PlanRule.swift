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
    /// Soreness after needling is common and settles within 24 to 48 hours.
    public static let afterNeedlingSoreness = "after-needling.soreness"
    /// Bruising at a needle site, what to expect.
    public static let afterNeedlingBruising = "after-needling.bruising"
    /// What helps after needling (moving gently, heat).
    public static let afterNeedlingWhatHelps = "after-needling.what-helps"
    /// When to call the clinic after needling.
    public static let afterNeedlingWhenToCall = "after-needling.when-to-call"

    // Biomechanics
    /// Foot posture pronated on FPI-6: footwear and orthoses review.
    public static let footPosturePronated = "biomech.fpi-pronated"
    /// Foot posture supinated on FPI-6: cushioned footwear.
    public static let footPostureSupinated = "biomech.fpi-supinated"
    /// A short knee-to-wall lunge: the calf program.
    public static let calfProgram = "biomech.calf-program"
    /// A stiff big toe joint (1st MTP): mobility exercises.
    public static let halluxMobility = "biomech.hallux-mobility"
    /// A leg length difference: assessment for a heel raise.
    public static let legLength = "biomech.leg-length"
    /// Prefix of the gait rules; the full id adds the observation's code, e.g.
    /// `biomech.gait.over-pronation`.
    public static let gaitPrefix = "biomech.gait."
    /// The rule id for advice on one gait observation.
    public static func gait(_ code: String) -> String { gaitPrefix + code }

    // Activity and load
    /// Keep active within comfort and build back up.
    public static let activityLoad = "activity.load"
    /// Break up long spells of sitting or standing.
    public static let activityPostureBreaks = "activity.posture-breaks"
    /// A graded return to sport and harder activity.
    public static let activityGradedReturn = "activity.graded-return"
    /// Varying repetitive work tasks.
    public static let activityWorkTasks = "activity.work-tasks"
    /// Stress and muscle tension.
    public static let activityStress = "activity.stress"
    /// Medical factors that keep trigger points going (ask the GP).
    public static let activityMedicalFactors = "activity.medical-factors"

    // Red flags
    /// Signs of infection at a needle site (after any needling).
    public static let redFlagInfection = "red-flag.infection"
    /// Signs of a pneumothorax (after needling a muscle over the lung fields).
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
    /// The review date.
    public static let reviewDate = "review.date"
    /// Referral sessions used and left.
    public static let reviewSessions = "review.sessions"
    /// A referral that expires before the review.
    public static let reviewReferralExpiry = "review.referral-expiry"
}
