import Foundation
import ClinicModel
import LibXML

/// Reads an HL7 CDA R2 referral letter (C-CDA Referral or Consultation Note, Australian
/// e-Referral) into an `IncomingReferral`: the patient, the referral and the alerts it proposes.
///
/// Letters come from many systems, so reading is lenient where meaning is safe and strict where
/// it is not. In order: the bytes are parsed safely (size cap, no DOCTYPE, namespaces checked);
/// the root must be `ClinicalDocument` in `urn:hl7-org:v3`; the document must be valid against
/// Knot's open CDA profile (`knot-cda-profile-1.xsd`) and, when given, a full CDA schema the user
/// supplies; then the rules of `CDARules` (a named patient with a birth date or identifier).
/// A failure refuses the whole letter with the file, line and element path of every problem,
/// and nothing is produced, except that a profile problem in a header element Knot can do without
/// (a time, a title, an id; never in the patient or the body) leaves that element out with a
/// warning, unless reading is `strict` (`CDALeniency` states the rule). Past those checks, oddities (nullFlavors, unknown codes,
/// several recordTargets, partial dates) become warnings, never refusals; unknown content is
/// not mapped but stays in `referral.originalLetter`, the exact input bytes, with their SHA-256.
public enum CDAReferralReader {
    /// The birth date given to a patient whose letter has none (it then has an identifier).
    /// `Patient.validate` refuses it, so the clinic must set the real date before filing; the
    /// import carries a warning saying so.
    public static var unknownBirthDate: LocalDate { CDAPatientReader.unknownBirthDate }

    /// Reads `data` (the letter's bytes, kept verbatim as the original).
    ///
    /// - Parameters:
    ///   - data: the letter as received.
    ///   - fileName: shown in messages (overrides `options.fileName`).
    ///   - options: the parser's limits (size, depth, counts) and the name used in messages.
    ///   - extraSchema: a full CDA schema (e.g. `CDA.xsd` compiled by the caller, for
    ///     `knot import --schema FILE`) the letter must also be valid against.
    ///   - strict: refuse a letter that breaks the profile anywhere (`knot import --strict`);
    ///     otherwise a problem in a header element Knot can do without leaves it out (see `CDALeniency`).
    ///   - today: the referral date used, with a warning, when the letter gives none.
    ///   - parsed: `data` already parsed with `options` (`DocumentKind.parsed`), read instead of parsing it again.
    /// - Throws: `ClinicXMLErrors` naming the file, line and path of every problem.
    public static func read(_ data: Data, fileName: String?, options: ParseOptions = ParseOptions(),
                            extraSchema: XMLSchema? = nil, strict: Bool = false,
                            today: LocalDate = .today(), parsed: XMLDocument? = nil) throws(ClinicXMLErrors) -> IncomingReferral {
        var options = options
        let document = try XMLDocument.letter(data, fileName: fileName, options: &options, parsed: parsed)
        let file = options.fileName
        // Read in place (no copy of the tree); `document.root`, a copy, only for a problem's path.
        let root = document.rootCursor()
        guard root.isNamed("ClinicalDocument", namespace: CDACodes.hl7Namespace) else {
            let found = root.namespace.map { "\(root.name) in namespace \($0)" } ?? "\(root.name) in no namespace"
            throw ClinicXMLErrors([.rule(.unknownFormat,
                "not an HL7 CDA document: the root is \(found); a CDA letter's root is ClinicalDocument in urn:hl7-org:v3",
                at: root, file: file)])
        }
        if let stray = CDARules.strayText(in: root, file: file) { throw ClinicXMLErrors([stray]) }

        // A full CDA schema the user asked for is never waived, and checks the whole letter.
        if let extraSchema {
            do {
                try validate(document, original: document, against: extraSchema, file: file, label: "full CDA schema \(extraSchema.name)")
            } catch let errors as ClinicXMLErrors {
                throw errors
            } catch {
                throw ClinicXMLErrors(converting: error, file: file)
            }
        }

        // The profile: a problem in the header, outside the patient, leaves its element out with a
        // warning, and the letter, parsed afresh without what was left out, is validated again
        // (see CDALeniency); strict reading refuses every problem.
        var leftOut = Set<CDALeniency.Place>()
        var ignored: [String] = []
        var checking = document
        var round = 0
        while true {
            do {
                try validate(checking, original: document, against: CDAProfileSchema.schema(), file: file, label: nil)
                break
            } catch let errors as ClinicXMLErrors {
                round += 1
                if strict || round > CDALeniency.maxRounds { throw errors }
                let (places, warnings) = try CDALeniency.places(of: errors, in: document.root, file: file)
                leftOut.formUnion(places)
                ignored += warnings
                do {
                    checking = try XMLDocument(data: data, options: options)
                } catch {
                    throw ClinicXMLErrors(converting: error, file: file)
                }
                checking.removeElements(at: Array(leftOut))
            } catch {
                throw ClinicXMLErrors(converting: error, file: file)
            }
        }
        // As if what was left out were absent (places, lines and paths as in the original).
        let read = leftOut.isEmpty ? root : document.rootCursor(excluding: leftOut)
        var identifiers: CDAPatientReader.Identifiers?
        let broken = CDARules.check(read, file: file, identifiers: &identifiers)
        if !broken.isEmpty { throw ClinicXMLErrors(broken) }

        return try CDADocumentMapper.incomingReferral(read, original: data, file: file, today: today, warnings: ignored,
                                                      identifiers: identifiers)
    }

    /// Validates against `schema`, turning each libxml2 issue into a refusal with the path of the
    /// element on that line (found in the tree of `original`, the letter as parsed) and namespaces
    /// shortened for reading.
    private static func validate(_ document: XMLDocument, original: XMLDocument, against schema: XMLSchema,
                                 file: String?, label: String?) throws {
        do {
            try document.validate(against: schema)
        } catch {
            let converted = ClinicXMLErrors(converting: error, file: file)
            throw ClinicXMLErrors(converted.errors.map { issue in
                var issue = issue
                issue.message = issue.message.replacingOccurrences(of: "{\(CDACodes.hl7Namespace)}", with: "")
                if let label { issue.message = "\(label): \(issue.message)" }
                if issue.path == nil, issue.line > 0 {
                    issue.path = element(atLine: issue.line, named: CDALeniency.elementName(in: issue.message), under: original.root)?.path
                }
                return issue
            })
        }
    }

    /// The element starting on `line` (the one named `name` when several do).
    private static func element(atLine line: Int, named name: String?, under root: XMLElement) -> XMLElement? {
        var candidates: [XMLElement] = []
        var pending = [root]
        while let next = pending.popLast() {
            if next.line == line { candidates.append(next) }
            if next.line <= line { pending.append(contentsOf: next.elements.reversed()) }
        }
        return candidates.first { $0.name == name } ?? candidates.first
    }
}
