import Foundation
import ClinicModel
internal import ClinicStore
import FollowUpPlans

/// One template as `knot template list` and `show` print it.
public struct LetterTemplateSummary: Sendable, Equatable {
    /// The template's name.
    public var name: String
    /// Whether it belongs to the patient's plan or the referrer's letter.
    public var audience: PlanAudience
    /// What the part is, in one line.
    public var summary: String
    /// The text in use: the clinic's when it changed it, else Knot's.
    public var text: String
    /// Whether the clinic changed it (false: Knot's wording).
    public var changed: Bool
    /// When the clinic last changed it.
    public var changedAt: Date?
    /// Who changed it, by handle.
    public var changedBy: String?
}

/// A template refused as input (exit 65): which template, which line and why, with the line.
public struct LetterTemplateRefused: Error, Sendable, CustomStringConvertible {
    public var description: String
}

extension ClinicSession {
    /// The clinic's stored templates, checked: one that no longer parses (a database edited by
    /// hand) refuses the plan rather than making half a letter.
    static func letterTemplates(_ tx: any ClinicRecordReader) throws -> [String: String] {
        var texts: [String: String] = [:]
        for (name, stored) in try tx.letterTemplates() where LetterTemplates.named(name) != nil {
            do { try LetterTemplates.check(name, stored.body) } catch { throw Self.validation(error) }
            texts[name] = stored.body
        }
        return texts
    }

    static func validation(_ error: LetterTemplateError) -> LetterTemplateRefused {
        LetterTemplateRefused(description: "template \(error.template), line \(error.line), column \(error.column): \(error.rule)\n"
                                + "  \(error.line) | \(error.lineText)\nNothing was stored; the letters use the template as it was.")
    }

    private static func known(_ name: String) throws -> LetterTemplate {
        guard let template = LetterTemplates.named(name) else {
            throw LetterTemplateRefused(description: "template \(name): no such template; it must be one of "
                                        + LetterTemplates.all.map(\.name).joined(separator: ", "))
        }
        return template
    }

    /// Every template, in the order a document uses them, with the text in use.
    public func letterTemplates() throws -> [LetterTemplateSummary] {
        try authorize(.readTemplates)
        let stored = try database.read { tx in try tx.letterTemplates() }
        return LetterTemplates.all.map { t in
            let s = stored[t.name]
            return LetterTemplateSummary(name: t.name, audience: t.audience, summary: t.summary, text: s?.body ?? t.defaultText,
                                         changed: s != nil, changedAt: s?.changedAt, changedBy: s?.changedBy)
        }
    }

    /// One template by name.
    public func letterTemplate(_ name: String) throws -> LetterTemplateSummary {
        _ = try Self.known(name)
        return try letterTemplates().first { $0.name == name }!
    }

    /// Stores the clinic's text for a template, for every practitioner; checked first, so a
    /// template with an error is refused (naming its line) and nothing is stored. Text equal
    /// to Knot's wording resets the template. Clinic administrators only.
    @discardableResult
    public func setLetterTemplate(_ name: String, text: String) throws -> LetterTemplateSummary {
        let template = try Self.known(name)
        try authorize(.changeClinicSettings)
        do { try LetterTemplates.check(name, text) } catch { throw Self.validation(error) }
        try database.write { tx in
            if text == template.defaultText {
                try tx.resetLetterTemplate(name: name, actor: actor)
            } else {
                try tx.setLetterTemplate(name: name, body: text, actor: actor, at: Date())
            }
        }
        return try letterTemplate(name)
    }

    /// Back to Knot's wording; false when the clinic had not changed the template.
    @discardableResult
    public func resetLetterTemplate(_ name: String) throws -> Bool {
        _ = try Self.known(name)
        try authorize(.changeClinicSettings)
        return try database.write { tx in try tx.resetLetterTemplate(name: name, actor: actor) }
    }
}
