import ClinicModel

/// How plans say dates, sides and muscles in words a patient reads easily.
///
/// Written by hand rather than with `DateFormatter` so that a plan reads the same on every
/// machine, whatever its locale, and golden files stay stable.
enum ClinicWording {
    static let monthNames = [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]
    static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// "Tuesday 14 July 2026".
    static func longDate(_ date: LocalDate) -> String {
        "\(weekday(date)) \(date.day) \(monthNames[date.month - 1]) \(date.year)"
    }

    /// "14 July 2026".
    static func date(_ date: LocalDate) -> String {
        "\(date.day) \(monthNames[date.month - 1]) \(date.year)"
    }

    /// "14 Jul" (chart axis labels).
    static func shortDate(_ date: LocalDate) -> String {
        "\(date.day) \(monthNames[date.month - 1].prefix(3))"
    }

    static func weekday(_ date: LocalDate) -> String {
        // 1970-01-01 was a Thursday.
        let index = ((date.dayNumber + 4) % 7 + 7) % 7
        return weekdayNames[index]
    }

    /// "1 week", "10 days", "2 weeks".
    static func interval(days: Int) -> String {
        if days > 0, days % 7 == 0 {
            let weeks = days / 7
            return weeks == 1 ? "1 week" : "\(weeks) weeks"
        }
        return days == 1 ? "1 day" : "\(days) days"
    }

    /// The muscle's name from the catalogue, or its id when the catalogue does not know it.
    static func muscleName(_ id: String) -> String {
        MuscleCatalogue.muscle(id: id)?.name ?? id
    }

    /// "left", "right", "both sides", or nil for midline.
    static func sideWord(_ side: Side?) -> String? {
        switch side {
        case .left: "left"
        case .right: "right"
        case .bilateral: "both sides"
        case .midline, nil: nil
        }
    }

    /// "Left Gastrocnemius (medial head)", "Gastrocnemius (medial head), both sides",
    /// "Diaphragm"; a paired muscle with no side is "Upper trapezius, side not recorded" (never
    /// a side nobody stated).
    static func muscleAndSide(_ id: String, _ side: Side?) -> String {
        let name = muscleName(id)
        switch side {
        case .left: return "Left \(name)"
        case .right: return "Right \(name)"
        case .bilateral: return "\(name), both sides"
        case .midline: return name
        case nil: return isPaired(id) ? "\(name), \(sideNotRecorded)" : name
        }
    }

    /// The same, starting lower case, for use inside a sentence ("left Gastrocnemius ...").
    static func muscleAndSideInline(_ id: String, _ side: Side?) -> String {
        let name = muscleName(id)
        switch side {
        case .left: return "left \(name)"
        case .right: return "right \(name)"
        case .bilateral: return "\(name) (both sides)"
        case .midline: return name
        case nil: return isPaired(id) ? "\(name) (\(sideNotRecorded))" : name
        }
    }

    /// What a plan says where a paired muscle's side was not recorded.
    static let sideNotRecorded = "side not recorded"

    /// Whether the muscle has a left and a right (a muscle the catalogue does not know is taken
    /// as paired, so its missing side is said, not hidden).
    static func isPaired(_ id: String) -> Bool { MuscleCatalogue.muscle(id: id)?.paired ?? true }

    /// Where on the body, in everyday words and ready to follow a name: "in the calf",
    /// "at the back of the neck".
    static func bodyPart(_ muscle: Muscle) -> String {
        let back = muscle.anchor.view == .back
        switch muscle.region {
        case .head: return back ? "at the back of the head" : "in the face or jaw"
        case .neck: return back ? "at the back of the neck" : "at the front and side of the neck"
        case .shoulder: return back ? "on the shoulder blade" : "at the front of the shoulder"
        case .upperArm: return back ? "at the back of the upper arm" : "at the front of the upper arm"
        case .forearm: return back ? "on the back of the forearm" : "on the palm side of the forearm"
        case .hand: return back ? "on the back of the hand" : "in the palm of the hand"
        case .chest: return "in the chest"
        case .abdomen: return "in the abdomen"
        case .upperBack: return "in the upper back"
        case .lowerBack: return "in the lower back"
        case .hipPelvis: return back ? "in the buttock" : "at the front of the hip"
        case .thigh: return back ? "at the back of the thigh" : "at the front of the thigh"
        case .knee: return back ? "behind the knee" : "at the front of the knee"
        case .lowerLeg: return back ? "in the calf" : "on the front of the lower leg"
        case .ankleFoot: return back ? "on the sole of the foot" : "on the top of the foot"
        }
    }

    /// "7/10".
    static func score(_ nprs: NPRS?) -> String? { nprs.map { "\($0.value)/10" } }

    /// "1.5" or "10" (no trailing ".0").
    static func number(_ v: Double) -> String {
        if v == v.rounded() { return String(Int(v)) }
        let tenths = (v * 10).rounded() / 10
        return tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)
    }

    /// "Physiotherapist".
    static func profession(_ p: Profession) -> String { p.title }

    /// Joins phrases as "a, b and c".
    static func list(_ parts: [String]) -> String {
        switch parts.count {
        case 0: return ""
        case 1: return parts[0]
        default: return parts.dropLast().joined(separator: ", ") + " and " + parts[parts.count - 1]
        }
    }

    /// Capitalises the first letter only.
    static func sentenceCase(_ s: String) -> String {
        guard let first = s.first else { return s }
        return first.uppercased() + s.dropFirst()
    }
}
