import Foundation
import LibXML

/// Which schema problems a CDA letter may carry and still be imported, and what is then left out.
///
/// The rule, "lenient where it is safe": Knot files a letter for its patient and its text. A
/// letter that is well-formed CDA but breaks Knot's profile (`knot-cda-profile-1.xsd`) is still
/// read when every problem lies in the header outside the patient; otherwise it is refused as
/// before. Precisely, a problem refuses the letter when it is
/// - inside a `recordTarget` (the patient; any of them, so that a broken first patient can never
///   let a second one be read in its place),
/// - inside the body (`component`: the sections, their text, codes and entries, a nonXMLBody),
/// - on the root element itself, or
/// - not placed for certain: no line, past libxml2's cap on problems, or several elements of
///   that name starting on that line (a letter written on one line).
/// Any other problem lies in the header, in an element Knot can read the letter without: the
/// effective time, a title, an id, the author's time, a name part, an element CDA does not
/// define... That element (with everything in it) is left out, the letter is read as if it were
/// absent (the referral date then comes from the next date, the referrer from the next part of
/// the header that names one: see `CDADocumentMapper`, `CDAParticipants`), and a warning names the
/// file, line, element and problem. The letter is then validated again without what was left
/// out, a few rounds at most, since libxml2 stops checking an element's later children after an
/// unexpected one and a problem could hide behind another. The original letter is kept byte for
/// byte either way. `strict` reading (`knot import --strict`) skips all this and refuses any
/// problem.
enum CDALeniency {
    /// An element's place: its position among its parent's child elements, from the root down.
    typealias Place = [Int]

    /// Validation rounds before a letter whose problems keep appearing is refused.
    static let maxRounds = 4

    /// Children of `ClinicalDocument` in which any problem refuses the letter.
    static let essentialParts: Set<String> = ["recordTarget", "component"]

    /// The place of the element holding each of `problems`, with one warning per problem;
    /// throws `problems` unchanged when any of them may not be ignored.
    static func places(of problems: ClinicXMLErrors, in root: XMLElement, file: String?) throws(ClinicXMLErrors) -> (places: Set<Place>, warnings: [String]) {
        var places = Set<Place>()
        var warnings: [String] = []
        for problem in problems.errors {
            guard problem.kind == .invalid, problem.line > 0 else { throw problems }
            let name = elementName(in: problem.message)
            let candidates = elements(in: root, line: problem.line, named: name)
            guard candidates.count == 1, let (place, element) = candidates.first, let top = place.first else { throw problems }
            let part = root.elements[top]
            if part.namespace == CDACodes.hl7Namespace && essentialParts.contains(part.name) { throw problems }
            places.insert(place)
            let where_ = [file ?? "the letter", String(problem.line), element.path].joined(separator: ":")
            warnings.append("\(where_): not valid against Knot's CDA profile (\(problem.message)); Knot does not need it:"
                            + " the \(element.name) element is left out with everything in it (the original letter keeps it)")
        }
        return (places, warnings)
    }

    /// Every element (the root's place is `[]`) starting on `line`, with this local name when given.
    private static func elements(in root: XMLElement, line: Int, named name: String?) -> [(Place, XMLElement)] {
        var found: [(Place, XMLElement)] = []
        var pending: [(Place, XMLElement)] = [([], root)]
        while let (place, next) = pending.popLast() {
            if next.line == line && (name == nil || next.name == name) { found.append((place, next)) }
            guard next.line <= line else { continue }
            for (index, child) in next.elements.enumerated() { pending.append((place + [index], child)) }
        }
        return found
    }

    /// The local name in a libxml2 message ("Element 'birthTime', attribute...", namespaces
    /// already shortened or not).
    static func elementName(in message: String) -> String? {
        guard let start = message.range(of: "Element '") else { return nil }
        let rest = message[start.upperBound...]
        guard let end = rest.firstIndex(of: "'") else { return nil }
        let qualified = rest[..<end]
        let local = qualified.split(separator: "}").last.map(String.init) ?? String(qualified)
        return local.split(separator: ":").last.map(String.init)
    }
}
