import ClinicModel
import Foundation

/// Writes small referral letters, alternately in Knot's format and as HL7 CDA, from templates
/// with varied names, dates, identifiers and clinical details.
///
/// Deterministic: letter `n` depends only on the seed and `n`. Every letter validates against
/// its schema (knot-referral-1.xsd or knot-cda-profile-1.xsd) and carries its own identifier,
/// so an import files almost all of them as new patients, as a clinic's inbox would.
struct LetterGenerator {
    let seed: UInt64
    /// The newest letter date; letters are dated up to a year before it.
    let latestDate: LocalDate
    /// When set, every patient is born on this day (a placeholder date many letters share).
    var sharedBirthDate: LocalDate? = nil

    /// A letter's file name and bytes.
    struct Letter {
        var fileName: String
        var isCDA: Bool
        var bytes: Data
    }

    func letter(_ n: Int) -> Letter {
        var rng = BenchRandom(seed: seed, stream: UInt64(n))
        var person = LetterPerson(&rng, serial: n)
        if let sharedBirthDate { person.dateOfBirth = sharedBirthDate }
        let date = latestDate.adding(days: -rng.int(0...365))
        if n % 2 == 0 {
            return Letter(fileName: String(format: "letter-%06d-knot.xml", n), isCDA: false,
                          bytes: Data(knotReferral(person, date: date, serial: n, rng: &rng).utf8))
        }
        return Letter(fileName: String(format: "letter-%06d-cda.xml", n), isCDA: true,
                      bytes: Data(cdaReferral(person, date: date, serial: n, rng: &rng).utf8))
    }

    /// Writes letters 0..<count into `directory`; returns the Knot and CDA paths.
    func write(count: Int, into directory: String) throws -> (knot: [String], cda: [String]) {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var knot: [String] = [], cda: [String] = []
        for n in 0..<count {
            let l = letter(n)
            let path = (directory as NSString).appendingPathComponent(l.fileName)
            try l.bytes.write(to: URL(fileURLWithPath: path))
            if l.isCDA { cda.append(path) } else { knot.append(path) }
        }
        return (knot, cda)
    }

    // MARK: - Templates

    private func knotReferral(_ p: LetterPerson, date: LocalDate, serial: Int, rng: inout BenchRandom) -> String {
        let referrer = rng.pick(LetterPools.referrers)
        let reason = rng.pick(LetterPools.reasons)
        var meds = ""
        if rng.chance(40) {
            meds = "\n  <medications>\n" + (0..<rng.int(1...3)).map { _ in
                "    <medication>\(rng.pick(LetterPools.medications))</medication>"
            }.joined(separator: "\n") + "\n  </medications>"
        }
        var allergies = ""
        if rng.chance(25) {
            allergies = "\n  <allergies>\n    <allergy>\(rng.pick(LetterPools.allergies))</allergy>\n  </allergies>"
        }
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <referral xmlns="urn:knot:referral:1" version="1" id="BENCH-REF-\(serial)">
          <referrer>
            <name>\(referrer.name)</name>
            <organisation>\(referrer.organisation)</organisation>
            <contact>\(referrer.phone)</contact>
          </referrer>
          <date>\(date)</date>
          <patient>
            <givenNames>\(p.given)</givenNames>
            <familyName>\(p.family)</familyName>
            <dateOfBirth>\(p.dateOfBirth)</dateOfBirth>
            <sex>\(p.female ? "female" : "male")</sex>
            <identifier system="https://example.org/Id/bench">\(p.identifier)</identifier>
            <phone>\(p.phone)</phone>
            <address>\(p.address)</address>
          </patient>
          <reason>\(reason)</reason>
          <history>\(rng.pick(LetterPools.histories))</history>\(meds)\(allergies)
        </referral>

        """
    }

    private func cdaReferral(_ p: LetterPerson, date: LocalDate, serial: Int, rng: inout BenchRandom) -> String {
        let referrer = rng.pick(LetterPools.referrers)
        let reason = rng.pick(LetterPools.reasons)
        let until = date.adding(days: 180)
        let compact = String(describing: date).replacingOccurrences(of: "-", with: "")
        let medsRows = (0..<rng.int(1...3)).map { _ in
            "                <tr><td>\(rng.pick(LetterPools.medications))</td><td>as directed</td></tr>"
        }.joined(separator: "\n")
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <ClinicalDocument xmlns="urn:hl7-org:v3">
          <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
          <id root="1.2.36.1.2001.1005.77.1" extension="BENCH-\(serial)"/>
          <code code="57133-1" codeSystem="2.16.840.1.113883.6.1" displayName="Referral note"/>
          <title>Referral letter</title>
          <effectiveTime value="\(compact)"/>
          <confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/>
          <recordTarget>
            <patientRole>
              <id root="1.2.36.1.5001.1.0.7" extension="\(p.medicare)" assigningAuthorityName="Medicare"/>
              <patient>
                <name><given>\(p.given)</given><family>\(p.family)</family></name>
                <administrativeGenderCode code="\(p.female ? "F" : "M")" codeSystem="2.16.840.1.113883.13.68"/>
                <birthTime value="\(String(describing: p.dateOfBirth).replacingOccurrences(of: "-", with: ""))"/>
              </patient>
            </patientRole>
          </recordTarget>
          <author>
            <time value="\(compact)"/>
            <assignedAuthor>
              <id root="1.2.36.1.2001.1005.77.2" extension="ref-\(serial % 97)"/>
              <assignedPerson><name><given>\(referrer.given)</given><family>\(referrer.family)</family></name></assignedPerson>
              <representedOrganization><name>\(referrer.organisation)</name></representedOrganization>
            </assignedAuthor>
          </author>
          <custodian><assignedCustodian><representedCustodianOrganization><id root="1.2.36.1.2001.1005.77"/></representedCustodianOrganization></assignedCustodian></custodian>
          <component>
            <structuredBody>
              <component>
                <section>
                  <title>Reason for referral</title>
                  <text>
                    <paragraph>Dear colleague,</paragraph>
                    <paragraph>Thank you for seeing \(p.given). \(reason)</paragraph>
                    <paragraph>Valid until \(Self.dayMonthYear(until)). Sessions: \(rng.int(2...8)).</paragraph>
                  </text>
                </section>
              </component>
              <component>
                <section>
                  <title>Current medications</title>
                  <text>
                    <table>
                      <thead><tr><th>Medicine</th><th>Dose</th></tr></thead>
                      <tbody>
        \(medsRows)
                      </tbody>
                    </table>
                  </text>
                </section>
              </component>
              <component>
                <section>
                  <title>Social history</title>
                  <text>\(rng.pick(LetterPools.histories))</text>
                </section>
              </component>
            </structuredBody>
          </component>
        </ClinicalDocument>

        """
    }

    private static func dayMonthYear(_ d: LocalDate) -> String {
        String(format: "%02d/%02d/%04d", d.day, d.month, d.year)
    }
}

/// The patient a generated letter is about.
struct LetterPerson {
    var given: String
    var family: String
    var female: Bool
    var dateOfBirth: LocalDate
    var identifier: String
    /// 11 digits, unique per letter, passing Medicare's check digit (as a real card's number does).
    var medicare: String
    var phone: String
    var address: String

    init(_ rng: inout BenchRandom, serial: Int) {
        female = rng.chance(55)
        given = rng.pick(female ? LetterPools.femaleGiven : LetterPools.maleGiven)
        family = rng.pick(LetterPools.families)
        // Born 1940...2008.
        let base = (try? LocalDate(year: 1940, month: 1, day: 1)) ?? LocalDate(dayNumber: 0)
        dateOfBirth = base.adding(days: rng.int(0...(68 * 365)))
        identifier = String(format: "B%08d", serial)
        // The card number "2" and a 7-digit serial, its check digit, issue number 1, IRN 1.
        let card = String(format: "2%07d", serial % 10_000_000)
        medicare = card + "\(IdentifierCheckDigit.medicareCheckDigit(card) ?? 0)11"
        phone = String(format: "04%02d %03d %03d", rng.int(0...99), rng.int(0...999), rng.int(0...999))
        address = "\(rng.int(1...250)) \(rng.pick(LetterPools.streets)), \(rng.pick(LetterPools.suburbs))"
    }
}

/// Word pools for the letters (accents, apostrophes, hyphens and CJK names included).
enum LetterPools {
    static let femaleGiven = ["Olivia", "Zoë", "Siobhán", "Aisha", "Mei", "Priya", "Chloé", "Grace", "Kateřina", "Aroha",
                              "Yūki", "Amelia", "Isla", "Fatima", "Ngozi", "Lucía", "Hannah", "Sofia", "Ingrid", "芳"]
    static let maleGiven = ["Liam", "José", "Mohammed", "Björn", "Seán", "Oliver", "Thomas", "Wei", "Arjun", "Mateo",
                            "Kofi", "Noah", "Lachlan", "Dmitri", "Tane", "Hiroshi", "Pierre", "Jack", "Samir", "伟"]
    static let families = ["Walsh", "Rahman", "O'Brien", "Müller", "Nguyễn", "Al-Hassan", "Dubois", "Lindqvist", "Raman",
                           "Nováková", "Tanaka", "Williams", "Brown", "Jones", "Smith", "Brennan-Smythe", "Okafor", "Patel",
                           "García", "Kowalski", "Ngata", "Chen", "Li", "Singh", "Murphy", "Kim", "Rossi", "Papadopoulos",
                           "MacDonald", "Haddad", "Silva", "Johansson", "Van der Berg", "王", "李", "Taylor", "Wilson",
                           "Martin", "Thompson", "White", "Harris", "Clarke", "Wright", "Walker", "Robinson", "Lewis",
                           "Hughes", "Edwards", "Turner", "Campbell"]
    static let streets = ["Otley Road", "High Street", "Church Lane", "Station Road", "Victoria Parade", "Rue du Port",
                          "King Street", "Beach Road", "Mill Lane", "Queen's Avenue"]
    static let suburbs = ["Leeds LS6 3AA", "Fitzroy VIC 3065", "Newtown NSW 2042", "Brunswick VIC 3056",
                          "Ponsonby Auckland 1011", "Portland OR 97214", "Headingley LS6 2AB"]
    static let reasons = [
        "Right-sided neck and upper shoulder pain with tension-type headaches for three months. Tender upper trapezius and levator scapulae.",
        "Jaw pain and headaches, clenching. Assess masseter and temporalis.",
        "Chronic low back pain after lifting; quadratus lumborum and gluteus medius trigger points suspected.",
        "Plantar heel pain for six weeks, worse in the morning. Tight calves. Please assess and treat.",
        "Lateral elbow pain in a tennis player; extensor forearm trigger points likely.",
        "Shoulder pain on overhead reaching; infraspinatus referral pattern. No neurological signs.",
        "Hip and buttock pain radiating to the thigh, not below the knee; piriformis suspected.",
    ]
    static let histories = [
        "Migraine without aura. Otherwise fit and well.", "Type 2 diabetes, well controlled.",
        "Hypertension on treatment. Works at a desk.", "No significant history. Runs three times a week.",
        "Asthma, mild. Swims twice a week.", "Hypothyroidism on replacement. Gardener.",
    ]
    static let medications = ["Paracetamol 1 g as required", "Ibuprofen 400 mg as required", "Metformin 500 mg twice daily",
                              "Amlodipine 5 mg daily", "Sertraline 50 mg daily", "Apixaban 5 mg twice daily",
                              "Levothyroxine 100 microgram daily", "Salbutamol inhaler as required"]
    static let allergies = ["Penicillin - rash", "Nickel (contact dermatitis)", "Latex - hives", "Elastoplast - skin reaction",
                            "Sulfur drugs - rash"]
    static let referrers: [(name: String, given: String, family: String, organisation: String, phone: String)] = [
        ("Dr Sarah Okafor", "Sarah", "Okafor", "Northside Family Practice", "03 9555 0101"),
        ("Dr Thomas Whitfield", "Thomas", "Whitfield", "Chapel Allerton Health Partnership, Leeds", "0113 496 0321"),
        ("Dr Anika Patel", "Anika", "Patel", "Fitzroy Medical Centre", "03 9555 0199"),
        ("Dr Wei Li", "Wei", "Li", "Harbour Street Clinic", "02 9555 0142"),
        ("Dr Élodie Martin", "Élodie", "Martin", "Cabinet médical du Port", "04 91 55 01 23"),
    ]
}
