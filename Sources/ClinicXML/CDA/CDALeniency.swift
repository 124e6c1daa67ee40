import Foundation
import LibXML

/// Which schema problems a CDA letter may carry and still be imported, and what is then left out.
///
/// The rule, "lenient where it is safe": Knot files a letter for its patient and its text. A
/// letter that is well-formed CDA but breaks Knot's profile (`knot-cda-profile-1.xsd`) is still
/// read when every problem lies in a header part Knot can do without; otherwise it is refused as
/// before. Precisely, a problem refuses the letter when it is
/// - inside a `recordTarget` (the patient; any of them, so that a broken first patient can never
///   let a second one be read in its place),
/// - inside the body (`component`: the sections, their text, codes and entries, a nonXMLBody),
/// - on the root element itself, or
/// - not placed for certain (no line, several candidate elements on its line in different
///   parts, problems past the cap).
/// Any other problem lies in one child of `ClinicalDocument`: an author, a title, the effective
/// time, the document id or code, an authenticator, a participant, a templateId, an element CDA
/// does not define... That whole child is left out, the letter is read as if it were absent
/// (the referrer then comes from the next part that names one, the referral date from the next
/// date; see `CDAParticipants` and `CDADocumentMapper`), and a warning names the file, line, the
/// part left out and the problem. The letter is then validated again without the parts left
/// out (libxml2 stops checking an element's later children after an unexpected one, so a
/// problem could hide behind another), a few rounds at most. The original letter is kept byte
/// for byte either way.
/// `strict` reading (`knot import --strict`) skips this and refuses any problem.
enum CDALeniency {
    /// Validation rounds before a letter whose problems keep appearing is refused.
    static let maxRounds = 4

    /// Children of `ClinicalDocument` whose problems always refuse the letter.
    static let essentialParts: Set<String> = ["recordTarget", "component"]

    /// The root's child elements (by position among `root.elements`) that hold `problems`,
    /// with one warning per problem; throws `problems` unchanged when any may not be ignored.
    static func partsHolding(_ problems: ClinicXMLErrors, in root: XMLElement, file: String?) throws(ClinicXMLErrors) -> (parts: Set<Int>, warnings: [String]) {
        var parts = Set<Int>()
        var warnings: [String] = []
        let children = root.elements
        for problem in problems.errors {
            guard problem.kind == .invalid, problem.line > 0 else { throw problems }
            let name = elementName(in: problem.message)
            if root.line == problem.line && (name == nil || name == root.name) { throw problems }
            let holders = children.indices.filter { contains(children[$0], line: problem.line, named: name) }
            guard holders.count == 1 else { throw problems }
            let part = children[holders[0]]
            if part.namespace == CDACodes.hl7Namespace && essentialParts.contains(part.name) { throw problems }
            parts.insert(holders[0])
            let place = [file ?? "the letter", String(problem.line), problem.path].compactMap { $0 }.joined(separator: ":")
            warnings.append("\(place): not valid against Knot's CDA profile (\(problem.message)); "
                            + "Knot does not need this part: the \(part.name) starting on line \(part.line) is left out (the original letter keeps it)")
        }
        return (parts, warnings)
    }

    /// `root` without the child elements at these positions (among `root.elements`).
    static func root(_ root: XMLElement, without parts: Set<Int>) -> XMLElement {
        var kept = root
        var position = 0
        kept.children = root.children.filter { node in
            guard case .element = node else { return true }
            defer { position += 1 }
            return !parts.contains(position)
        }
        return kept
    }

    /// Whether `element` or an element under it starts on `line` (with this local name, when given).
    private static func contains(_ element: XMLElement, line: Int, named name: String?) -> Bool {
        var pending = [element]
        while let next = pending.popLast() {
            if next.line == line && (name == nil || next.name == name) { return true }
            if next.line <= line { pending.append(contentsOf: next.elements) }
        }
        return false
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
