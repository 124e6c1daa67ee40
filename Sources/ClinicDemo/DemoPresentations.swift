import Foundation
import ClinicModel
import ClinicServices
import SeededRandom

/// How a practitioner examines a region (which biomechanical findings get recorded).
enum AssessmentStyle: Sendable { case foot, neck, shoulder, back, hip, elbow, jaw }

/// A presenting complaint: the muscles that usually hold its trigger points, the functional
/// activities it limits, its usual causes, and the home program and correction it calls for.
struct Presentation: Sendable {
    let complaint: String
    let muscles: [String]
    let psfs: [String]
    let causes: [LikelyCause]
    let causeNote: String
    let assessment: AssessmentStyle
    let exercise: String
    let stretch: String
    let correction: String

    var lowerLimb: Bool { assessment == .foot }

    static let podiatry: [Presentation] = [
        Presentation(
            complaint: "Plantar heel pain, worst with the first steps in the morning",
            muscles: ["soleus", "gastrocnemius-medial", "abductor-hallucis", "quadratus-plantae", "flexor-digitorum-brevis"],
            psfs: ["Walking 30 minutes", "First steps out of bed", "Standing at work"],
            causes: [.increasedActivity, .sustainedPosture], causeNote: "New standing job on hard floors and a new walking program",
            assessment: .foot, exercise: "Calf raises off a step, 3 x 12, slow lowering",
            stretch: "Calf stretch against the wall, 3 x 30 s each side",
            correction: "Supportive runners with a firm heel counter; trial of prefabricated orthoses"),
        Presentation(
            complaint: "Calf tightness and Achilles pain since increasing running",
            muscles: ["gastrocnemius-medial", "gastrocnemius-lateral", "soleus", "tibialis-posterior", "plantaris"],
            psfs: ["Running 5 km", "Hopping on one leg", "Walking up stairs"],
            causes: [.increasedActivity, .suddenMovement], causeNote: "Running volume doubled over four weeks before a fun run",
            assessment: .foot, exercise: "Isometric calf holds 5 x 45 s, then heavy slow calf raises",
            stretch: "Bent-knee soleus stretch, 3 x 30 s",
            correction: "Cut running by a third for two weeks; heel raise in both shoes"),
        Presentation(
            complaint: "Ache in the front of the shin walking fast or downhill",
            muscles: ["tibialis-anterior", "extensor-digitorum-longus", "extensor-hallucis-longus", "peroneus-longus"],
            psfs: ["Brisk walking", "Walking downhill", "Bushwalking 2 hours"],
            causes: [.increasedActivity, .repetitiveWorkOrLifting], causeNote: "Long hill walks on holiday",
            assessment: .foot, exercise: "Toe raises against a band, 3 x 15", stretch: "Kneeling shin stretch, 3 x 30 s",
            correction: "Cushioned footwear; build walking distance by 10% a week"),
        Presentation(
            complaint: "Pain under the big toe joint and cramping in the arch",
            muscles: ["flexor-hallucis-brevis", "adductor-hallucis-oblique", "flexor-hallucis-longus", "abductor-hallucis"],
            psfs: ["Walking barefoot", "Rising onto tiptoe", "Dancing"],
            causes: [.sustainedPosture, .increasedActivity], causeNote: "Thin flat shoes at work all day",
            assessment: .foot, exercise: "Short-foot exercise and towel scrunches, 2 x 10",
            stretch: "Big toe extension stretch, 3 x 30 s",
            correction: "Stiff-soled shoe with a rocker; first-ray cut-out in the orthosis"),
        Presentation(
            complaint: "Aching outside of the ankle since rolling it at netball",
            muscles: ["peroneus-longus", "peroneus-brevis", "extensor-digitorum-brevis", "tibialis-anterior"],
            psfs: ["Playing netball", "Walking on uneven ground", "Running"],
            causes: [.injury], causeNote: "Inversion sprain six weeks ago, back to training too soon",
            assessment: .foot, exercise: "Single-leg balance 3 x 30 s, then eyes closed",
            stretch: "Peroneal stretch, 3 x 30 s", correction: "Lace-up ankle brace for sport for six weeks"),
    ]

    static let general: [Presentation] = [
        Presentation(
            complaint: "Neck pain and headaches after long days at the computer",
            muscles: ["upper-trapezius", "levator-scapulae", "splenius-capitis", "sternocleidomastoid-sternal",
                      "rectus-capitis-posterior-major", "semispinalis-capitis"],
            psfs: ["Computer work 2 hours", "Reversing the car", "Sleeping through the night"],
            causes: [.sustainedPosture, .stress], causeNote: "Deadline period at work; laptop on the kitchen table",
            assessment: .neck, exercise: "Chin tucks 10 x 10 s, three times a day",
            stretch: "Upper trapezius stretch, 3 x 30 s each side",
            correction: "Screen at eye level with an external keyboard; a break every 30 minutes"),
        Presentation(
            complaint: "Shoulder pain reaching overhead and lying on that side",
            muscles: ["infraspinatus", "supraspinatus", "teres-minor", "deltoid-middle", "upper-trapezius"],
            psfs: ["Reaching the top shelf", "Hanging out washing", "Swimming freestyle"],
            causes: [.repetitiveWorkOrLifting, .increasedActivity], causeNote: "Painted the house over two weekends",
            assessment: .shoulder, exercise: "Side-lying external rotation, 3 x 12 with 1 kg",
            stretch: "Cross-body shoulder stretch, 3 x 30 s",
            correction: "Short spells of overhead work; elbow below shoulder height for now"),
        Presentation(
            complaint: "Low back pain after lifting, worse bending forward",
            muscles: ["quadratus-lumborum", "gluteus-medius", "iliocostalis-lumborum", "piriformis", "gluteus-maximus"],
            psfs: ["Putting on socks", "Lifting the toddler", "Sitting through a film"],
            causes: [.repetitiveWorkOrLifting, .suddenMovement], causeNote: "Lifted a heavy box with a twist",
            assessment: .back, exercise: "Bridges 3 x 10 and bird-dog 3 x 8",
            stretch: "Knee-to-chest and figure-four stretches, 3 x 30 s",
            correction: "Lift close to the body; change position every 30 minutes"),
        Presentation(
            complaint: "Pain on the outside of the hip lying on that side and on stairs",
            muscles: ["gluteus-medius", "gluteus-minimus", "tensor-fasciae-latae", "vastus-lateralis", "piriformis"],
            psfs: ["Lying on the sore side", "Climbing stairs", "Walking 20 minutes"],
            causes: [.increasedActivity, .sustainedPosture], causeNote: "Stands with the weight on one hip; new long walks",
            assessment: .hip, exercise: "Side-lying hip abduction 3 x 12; step-ups 3 x 10",
            stretch: "Figure-four stretch, 3 x 30 s", correction: "Pillow between the knees at night; no crossed legs"),
        Presentation(
            complaint: "Pain on the outside of the elbow gripping and lifting the kettle",
            muscles: ["extensor-carpi-radialis-brevis", "extensor-carpi-radialis-longus", "extensor-digitorum", "supinator",
                      "brachioradialis"],
            psfs: ["Lifting the kettle", "Using the mouse all day", "Gardening"],
            causes: [.repetitiveWorkOrLifting], causeNote: "Long hours with the mouse; weekend pruning",
            assessment: .elbow, exercise: "Isometric wrist extension, 5 x 45 s", stretch: "Wrist extensor stretch, 3 x 30 s",
            correction: "Vertical mouse; lift with the palm up"),
        Presentation(
            complaint: "Jaw pain and clenching with headaches at the temples",
            muscles: ["masseter", "temporalis", "lateral-pterygoid", "medial-pterygoid"],
            psfs: ["Chewing a steak", "Yawning", "Talking on the phone 30 minutes"],
            causes: [.stress], causeNote: "A stressful few months; wakes with a sore jaw",
            assessment: .jaw, exercise: "Tongue-up jaw relaxation, 6 x 6 exercises",
            stretch: "Gentle mouth opening with the tongue on the palate",
            correction: "Soft diet for a week; ask the dentist about a night splint"),
    ]
}
