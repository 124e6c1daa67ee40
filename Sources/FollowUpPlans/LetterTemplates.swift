import Foundation
import ClinicModel
import Mustache

/// One part of a plan or letter whose wording the clinic can change (`knot template edit`).
///
/// The body of a plan or letter (its sections and items, from whichever rules made them) is
/// drawn by the renderers, so a section a new rule adds appears without a template change;
/// the parts a clinic words its own way (greeting, opening, closing and signature) are
/// Mustache templates with Knot's wording as the default.
public struct LetterTemplate: Sendable, Hashable {
    /// "referrer.greeting".
    public var name: String
    /// Whether the part belongs to the patient's plan or the referrer's letter.
    public var audience: PlanAudience
    /// What the part is, for `knot template list`.
    public var summary: String
    /// Knot's wording.
    public var defaultText: String
}

/// A template that does not parse or reaches outside its letter: which template, which line,
/// and why. Raised when the template is saved, so a letter is never half made from it.
public struct LetterTemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The template's name.
    public var template: String
    /// The line of the problem (1-based).
    public var line: Int
    /// The column of the problem (1-based).
    public var column: Int
    /// The text of the offending line.
    public var lineText: String
    /// What is wrong, in words.
    public var rule: String
    public var description: String { "template \(template), line \(line), column \(column): \(rule)" }
}

/// Knot's templates, their checking and their rendering.
///
/// Templates only fill in the values given to them: no partials (they would read files or other
/// templates), no inheritance, no changing the delimiters, no lambdas (nothing given to a
/// template is code). Output is plain text; the HTML renderer escapes it like any other text.
public enum LetterTemplates {
    /// Every template part a clinic can change, with Knot's wording.
    public static let all: [LetterTemplate] = [
        LetterTemplate(name: "patient.opening", audience: .patient,
                       summary: "paragraphs before the patient's plan (none by default)",
                       defaultText: "{{! Paragraphs to open the patient's plan with; none by default. Blank lines separate paragraphs. }}\n"),
        LetterTemplate(name: "patient.closing", audience: .patient,
                       summary: "the last lines of the patient's plan (whom to ask)",
                       defaultText: "Questions? Ask {{practitioner.name}} at {{clinic.name}}{{#clinic.phone}} on {{clinic.phone}}{{/clinic.phone}}.\n"),
        LetterTemplate(name: "referrer.greeting", audience: .referrer,
                       summary: "the letter's greeting, from the referrer's title and family name",
                       defaultText: "Dear {{recipient.salutation}},\n"),
        LetterTemplate(name: "referrer.opening", audience: .referrer,
                       summary: "the letter's first paragraph (thanks only when there was a referral)",
                       defaultText: """
                       {{#referral}}Thank you for referring {{patient.fullName}}, whom I saw on {{visit.date}}{{#sessionsUsed}} (session {{sessionsUsed}}{{#sessionsAllowed}} of {{sessionsAllowed}}{{/sessionsAllowed}} on this referral){{/sessionsUsed}}. My findings, treatment and plan follow.{{/referral}}
                       {{^referral}}I saw your patient {{patient.fullName}} on {{visit.date}}. My findings, treatment and plan follow.{{/referral}}

                       """),
        LetterTemplate(name: "referrer.closing", audience: .referrer,
                       summary: "the letter's sign-off and signature (name, profession, registration body and number)",
                       defaultText: """
                       Kind regards,

                       {{practitioner.signature}}
                       {{#practitioner.providerNumber}}
                       Provider number {{practitioner.providerNumber}}
                       {{/practitioner.providerNumber}}
                       {{clinic.name}}{{#clinic.phone}}, {{clinic.phone}}{{/clinic.phone}}

                       """),
    ]

    /// The template named `name`, nil when there is none.
    public static func named(_ name: String) -> LetterTemplate? { all.first { $0.name == name } }

    /// The longest template text accepted (the store allows no more).
    public static let maxLength = 20_000

    /// Parses `text` as template `name`, refusing what a template may not do; the error names
    /// the line.
    public static func check(_ name: String, _ text: String) throws(LetterTemplateError) {
        _ = try parse(name, text)
    }

    /// The pragma that makes the output plain text; put on line 1 so line numbers stay true.
    private static let textPragma = "{{% CONTENT_TYPE: TEXT}}"

    static func parse(_ name: String, _ text: String) throws(LetterTemplateError) -> MustacheTemplate {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func fail(_ line: Int, _ column: Int, _ rule: String) -> LetterTemplateError {
            LetterTemplateError(template: name, line: line, column: column,
                                lineText: line >= 1 && line <= lines.count ? lines[line - 1] : "", rule: rule)
        }
        if text.count > maxLength { throw fail(1, 1, "is longer than \(maxLength) characters") }
        // Control characters (terminal escapes hide in them) never reach a letter, nor an export.
        for (index, line) in lines.enumerated() {
            if let bad = line.unicodeScalars.firstIndex(where: {
                $0.properties.generalCategory == .control && $0 != "\t" && $0 != "\r"
            }) {
                throw fail(index + 1, line.unicodeScalars.distance(from: line.unicodeScalars.startIndex, to: bad) + 1,
                           "holds a control character (only tabs and line breaks are allowed)")
            }
        }
        // Tags a letter may not use, found before parsing so the message says what is wrong.
        let refused: [(Character, String)] = [
            (">", "a partial ({{> name}}) would read another file or template: templates may only fill in values"),
            ("<", "a parent template ({{< name}}) would read another file or template: templates may only fill in values"),
            ("$", "blocks ({{$ name}}) belong to template inheritance, which letters do not use"),
            ("=", "changing the delimiters ({{= ... =}}) is not allowed in letter templates"),
            ("%", "pragmas ({{% ...}}) are not allowed in letter templates"),
        ]
        for (index, line) in lines.enumerated() {
            var rest = Substring(line)
            while let open = rest.range(of: "{{") {
                let after = rest[open.upperBound...].drop { $0 == " " || $0 == "{" }
                if let sigil = after.first, let rule = refused.first(where: { $0.0 == sigil }) {
                    throw fail(index + 1, line.distance(from: line.startIndex, to: open.lowerBound) + 1, rule.1)
                }
                rest = rest[open.upperBound...]
            }
        }
        do {
            return try MustacheTemplate(string: textPragma + text)
        } catch let error as MustacheTemplate.ParserError {
            if case .expectedSectionEnd? = error.error as? MustacheTemplate.Error, let open = unclosedSection(lines) {
                throw fail(open.line, open.column, "the section {{\(open.tag)}} opened here is never closed with {{/\(open.name)}}")
            }
            let line = error.context.lineNumber
            let column = line == 1 ? max(1, error.context.columnNumber - textPragma.count) : error.context.columnNumber
            throw fail(line, column, rule(error.error))
        } catch {
            throw fail(1, 1, "does not parse: \(error)")
        }
    }

    /// The last section opened ({{#name}} or {{^name}}) and not closed, to name its line.
    private static func unclosedSection(_ lines: [String]) -> (line: Int, column: Int, tag: String, name: String)? {
        var open: [(line: Int, column: Int, tag: String, name: String)] = []
        for (index, line) in lines.enumerated() {
            var rest = Substring(line)
            while let start = rest.range(of: "{{"), let end = rest[start.upperBound...].range(of: "}}") {
                let inner = rest[start.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespaces)
                if let sigil = inner.first, sigil == "#" || sigil == "^" || sigil == "/" {
                    let name = inner.dropFirst().trimmingCharacters(in: .whitespaces)
                    if sigil == "/" {
                        if let i = open.lastIndex(where: { $0.name == name }) { open.removeSubrange(i...) }
                    } else {
                        open.append((index + 1, line.distance(from: line.startIndex, to: start.lowerBound) + 1, inner, name))
                    }
                }
                rest = rest[end.upperBound...]
            }
        }
        return open.last
    }

    private static func rule(_ error: any Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect?: "a section is closed ({{/...}}) with a name other than the one it opened with"
        case .unfinishedName?: "a tag is not finished: every {{ needs its }}"
        case .expectedSectionEnd?: "a section opened with {{#...}} or {{^...}} is never closed with {{/...}}"
        case .invalidSetDelimiter?: "changing the delimiters is not allowed in letter templates"
        case .invalidConfigVariableSyntax?, .unrecognisedConfigVariable?: "pragmas ({{% ...}}) are not allowed in letter templates"
        default: "does not parse (\(error))"
        }
    }

    /// Renders template `name` for a plan: the clinic's text from `ctx.templates` when it
    /// parses, else Knot's. Stored templates are checked when saved and again before a plan is
    /// made (`PlanContext.checkTemplates`), so the fallback only guards a store edited by hand.
    static func render(_ name: String, _ values: [String: Any], _ ctx: PlanContext) -> String {
        let fallback = named(name)?.defaultText ?? ""
        let template = (ctx.templates[name].flatMap { try? parse(name, $0) })
            ?? (try? parse(name, fallback))
        return template?.render(values) ?? ""
    }

    /// Paragraphs: blank lines separate them; lines within one are joined by a space.
    static func paragraphs(_ text: String) -> [String] {
        var result: [String] = []
        var current: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                if !current.isEmpty { result.append(current.joined(separator: " ")); current = [] }
            } else {
                current.append(trimmed)
            }
        }
        if !current.isEmpty { result.append(current.joined(separator: " ")) }
        return result
    }

    /// Lines as written, blank ones kept between text but not at either end.
    static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }
}
