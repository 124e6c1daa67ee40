import Foundation
import ClinicModel
import ClinicServices
import SeededRandom

/// Something notable about a demo patient (alerts, drafts, amendments...).
enum DemoTrait: Hashable, Sendable {
    case anticoagulant(String)
    case metalAllergy
    case latexAllergy
    case proposedAntiplatelet
    case needlePhobia
    case diabetes
    case podiatry
    case notPodiatry
    case draftToday
    case draftYesterday
    case amended
    case archived
    case minor
    case singleVisit
    case finishedLongAgo
}

/// A person to create: the name and what makes them interesting.
struct DemoPerson: Sendable {
    var given: String
    var family: String
    var sex: Sex
    var preferred: String?
    /// The local part of the email when the name has no Latin letters.
    var emailName: String?
    var traits: Set<DemoTrait>

    init(_ given: String, _ family: String, _ sex: Sex, preferred: String? = nil, emailName: String? = nil,
         _ traits: Set<DemoTrait> = []) {
        self.given = given; self.family = family; self.sex = sex; self.preferred = preferred
        self.emailName = emailName; self.traits = traits
    }
}

/// The demo clinic's patients: diverse names, and each special case on someone.
enum DemoPeople {
    static let all: [DemoPerson] = [
        DemoPerson("Zoë", "Müller", .female, [.podiatry, .draftToday]),
        DemoPerson("José", "Álvarez", .male, [.anticoagulant("Apixaban 5 mg twice daily (atrial fibrillation)"), .notPodiatry]),
        DemoPerson("Siobhán", "O'Brien", .female, preferred: "Shiv", [.amended]),
        DemoPerson("芳", "王", .female, emailName: "wang.fang", [.notPodiatry]),
        DemoPerson("Jo", "Smith", .female, [.amended, .notPodiatry]),
        DemoPerson("Liam", "Nguyen", .male, [.draftYesterday]),
        DemoPerson("Aroha", "Ngata", .female, [.finishedLongAgo]),
        DemoPerson("Mohammed", "Al-Hassan", .male),
        DemoPerson("Chloé", "Dubois", .female, [.finishedLongAgo]),
        DemoPerson("Björn", "Lindqvist", .male, [.podiatry]),
        DemoPerson("Priya", "Raman", .female),
        DemoPerson("Kateřina", "Nováková", .female, preferred: "Kat"),
        DemoPerson("Seán", "Murphy", .male, [.finishedLongAgo]),
        DemoPerson("Yūki", "Tanaka", .female),
        DemoPerson("Grace", "Williams", .female, [.latexAllergy]),
        DemoPerson("Oliver", "Brown", .male, [.needlePhobia, .notPodiatry]),
        DemoPerson("Amelia", "Jones", .female, [.finishedLongAgo]),
        DemoPerson("Jack", "Taylor", .male),
        DemoPerson("Charlotte", "Wilson", .female, [.podiatry]),
        DemoPerson("Noah", "Martin", .male, [.minor, .podiatry]),
        DemoPerson("Isla", "Thompson", .female),
        DemoPerson("William", "Anderson", .male, preferred: "Bill", [.finishedLongAgo]),
        DemoPerson("Mia", "Walker", .female),
        DemoPerson("Lucas", "Papadopoulos", .male),
        DemoPerson("Sofia", "Rossi", .female, [.singleVisit]),
        DemoPerson("Ethan", "White", .male),
        DemoPerson("Harper", "Kelly", .female, [.minor]),
        DemoPerson("Henry", "Robinson", .male, [.finishedLongAgo]),
        DemoPerson("Ava", "Campbell", .female),
        DemoPerson("Mateo", "García", .male, [.amended]),
        DemoPerson("Élodie", "Lefèvre", .female),
        DemoPerson("Søren", "Madsen", .male, [.podiatry]),
        DemoPerson("Ngaio", "Te Rangi", .female),
        DemoPerson("Dimitri", "Ivanov", .male, [.archived, .finishedLongAgo]),
        DemoPerson("Fatima", "Rahman", .female),
        DemoPerson("Arjun", "Mehta", .male, [.finishedLongAgo]),
        DemoPerson("Leilani", "Kahananui", .female),
        DemoPerson("Connor", "McDonald", .male, [.podiatry]),
        DemoPerson("Ruby", "D'Souza", .female),
        DemoPerson("Min-jun", "Park", .male),
        DemoPerson("Hannah", "Schmidt", .female, [.metalAllergy, .notPodiatry]),
        DemoPerson("Samuel", "Okafor", .male, [.diabetes, .podiatry]),
        DemoPerson("Ingrid", "Johansson", .female, [.finishedLongAgo]),
        DemoPerson("Patrick", "Byrne", .male, [.anticoagulant("Warfarin, target INR 2-3 (mechanical mitral valve)"), .podiatry]),
        DemoPerson("Lucía", "Fernández", .female, [.singleVisit]),
        DemoPerson("Thanh", "Trần", .male),
        DemoPerson("Emily", "Clarke", .female, [.podiatry]),
        DemoPerson("Daniel", "Cohen", .male, [.proposedAntiplatelet, .notPodiatry]),
        DemoPerson("Maya", "Goldberg", .female, [.finishedLongAgo]),
        DemoPerson("Emre", "Yılmaz", .male),
    ]
}

/// Name pools for synthetic clinics (a few thousand combinations, so names repeat as in life);
/// knot-bench's store phases draw from the same pools.
public enum SyntheticPeople {
    public static let female = ["Zoë", "Siobhán", "Jo", "Aroha", "Chloé", "Priya", "Kateřina", "Yūki", "Grace", "Amelia",
                         "Charlotte", "Isla", "Mia", "Sofia", "Harper", "Ava", "Élodie", "Ngaio", "Fatima", "Leilani",
                         "Ruby", "Hannah", "Ingrid", "Lucía", "Emily", "Maya", "Olivia", "Sarah", "Mei", "Aisha",
                         "Joanne", "Josephine", "芳", "Anna", "Renée", "Noémie"]
    public static let male = ["José", "Liam", "Mohammed", "Björn", "Seán", "Oliver", "Jack", "Noah", "William", "Lucas",
                       "Ethan", "Henry", "Mateo", "Søren", "Dimitri", "Arjun", "Connor", "Min-jun", "Samuel", "Patrick",
                       "Thanh", "Daniel", "Emre", "John", "Jonathan", "Joseph", "Wei", "Tomás", "André", "Kai",
                       "伟", "Rāwiri", "Omar", "Ben"]
    public static let family = ["Müller", "Álvarez", "O'Brien", "王", "Smith", "Smithson", "Nguyen", "Ngata", "Al-Hassan", "Dubois",
                         "Lindqvist", "Raman", "Nováková", "Murphy", "Tanaka", "Williams", "Brown", "Jones", "Taylor",
                         "Wilson", "Martin", "Thompson", "Anderson", "Walker", "Papadopoulos", "Rossi", "White", "Kelly",
                         "Robinson", "Campbell", "García", "Lefèvre", "Madsen", "Te Rangi", "Ivanov", "Rahman", "Mehta",
                         "Kahananui", "McDonald", "D'Souza", "Park", "Schmidt", "Okafor", "Johansson", "Byrne",
                         "Fernández", "Trần", "Clarke", "Cohen", "Goldberg", "Yılmaz", "李", "Chen", "Kowalczyk", "Singh"]

    static func person(_ rng: inout SplitMix64) -> DemoPerson {
        let isFemale = rng.chance(0.55)
        let given = rng.pick(isFemale ? female : male)
        var traits: Set<DemoTrait> = []
        let roll = rng.unit()
        switch roll {
        case ..<0.015: traits.insert(.anticoagulant(rng.pick(["Apixaban 5 mg twice daily", "Rivaroxaban 20 mg daily", "Warfarin, target INR 2-3"])))
        case ..<0.025: traits.insert(.metalAllergy)
        case ..<0.035: traits.insert(.needlePhobia)
        case ..<0.045: traits.insert(.proposedAntiplatelet)
        case ..<0.055: traits.insert(.latexAllergy)
        case ..<0.065: traits.insert(.diabetes); traits.insert(.podiatry)
        default: break
        }
        switch rng.unit() {
        case ..<0.01: traits.insert(.draftYesterday)
        case ..<0.03: traits.insert(.amended)
        case ..<0.04: traits.insert(.archived)
        case ..<0.09: traits.insert(.minor)
        default: break
        }
        return DemoPerson(given, rng.pick(family), isFemale ? .female : .male, traits)
    }
}

/// The clinic's users, as stored (with ids).
struct DemoStaff: Sendable {
    var physiotherapist: Practitioner
    var podiatrist: Practitioner
    var chiropractor: Practitioner
    var osteopath: Practitioner
    var reception: Practitioner
}
