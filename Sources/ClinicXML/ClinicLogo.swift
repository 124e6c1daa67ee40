import Foundation
import ClinicModel
import LibXML

/// The clinic's logo for the HTML letterhead: a PNG (checked by its signature) or an SVG
/// (parsed with the safe LibXML options and refused if it holds anything that could run or
/// fetch: scripts, event handlers, foreign objects, links or images outside the file, style
/// with `url(...)` or `@import`, processing instructions, a DOCTYPE), at most `maxBytes`.
///
/// Nothing is rewritten: a logo that passes is embedded as it is (as a data: image, which a
/// browser never runs scripts in); one that does not is refused naming what was found.
public enum ClinicLogo {
    /// The largest logo accepted: 100 KiB.
    public static let maxBytes = 100 * 1024
    /// The eight bytes every PNG file starts with.
    public static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    static let svgNamespace = "http://www.w3.org/2000/svg"
    static let forbiddenElements: Set<String> = ["script", "foreignObject", "iframe", "embed", "object", "audio", "video",
                                                 "handler", "listener", "animate", "set", "animateTransform", "animateMotion"]

    /// The logo's media type ("image/png" or "image/svg+xml"), or the rule it breaks.
    public static func check(_ data: Data, option: String = "--logo") throws(ValidationError) -> String {
        // A file that is not a logo Knot takes is bad input (65), not a clinical rule refusing it.
        func refuse(_ rule: String) -> ValidationError { ValidationError(field: option, value: "", rule: rule, kind: .badValue) }
        guard !data.isEmpty else { throw refuse("is an empty file") }
        guard data.count <= maxBytes else { throw refuse("is \(data.count) bytes; a logo may be at most \(maxBytes / 1024) KB") }
        if data.starts(with: pngSignature) {
            // Signature, then the IHDR chunk that every PNG starts with.
            guard data.count > 24, data[data.startIndex + 12 ..< data.startIndex + 16].elementsEqual(Array("IHDR".utf8)) else {
                throw refuse("starts like a PNG but has no image header")
            }
            return "image/png"
        }
        let document: XMLDocument
        do {
            var options = ParseOptions()
            options.fileName = "logo"
            document = try XMLDocument(data: data, options: options)
        } catch {
            throw refuse("is neither a PNG nor a well-formed SVG (\(String(describing: error).split(separator: "\n").first ?? ""))")
        }
        if document.prolog.contains(where: { if case .processingInstruction = $0 { return true } else { return false } }) {
            throw refuse("is an SVG with a processing instruction (e.g. xml-stylesheet): not allowed in a logo")
        }
        let root = document.root
        guard root.name == "svg", root.namespace == svgNamespace else {
            throw refuse("is XML but not an SVG (its root is <\(root.name)>)")
        }
        if let problem = problem(in: root) { throw refuse("is an SVG with \(problem): a logo may not run code or load anything") }
        return "image/svg+xml"
    }

    /// The first thing in `element` (or under it) a logo may not have.
    static func problem(in element: XMLElement) -> String? {
        if forbiddenElements.contains(element.name) { return "a <\(element.name)> element" }
        if element.namespace != svgNamespace { return "an element outside SVG (<\(element.name)>)" }
        for attribute in element.attributes {
            let name = attribute.name.lowercased()
            let value = attribute.value.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            if name.hasPrefix("on") { return "an event handler (\(attribute.name))" }
            if name == "href" || name == "src", !value.hasPrefix("#") {
                return "a reference outside the file (\(attribute.name)=\"\(attribute.value.prefix(40))\")"
            }
            if let problem = styleProblem(value) { return "\(problem) in \(attribute.name)" }
        }
        if element.name == "style", let problem = styleProblem(element.textContent.lowercased()) { return "\(problem) in <style>" }
        for case .element(let child) in element.children {
            if let problem = problem(in: child) { return problem }
        }
        if element.children.contains(where: { if case .processingInstruction = $0 { return true } else { return false } }) {
            return "a processing instruction"
        }
        return nil
    }

    /// `url(` not pointing inside the file, `@import`, `javascript:`, `expression(`.
    static func styleProblem(_ text: String) -> String? {
        let compact = text.filter { !$0.isWhitespace }
        if compact.contains("@import") { return "@import" }
        if compact.contains("javascript:") { return "javascript:" }
        if compact.contains("expression(") { return "expression(...)" }
        var rest = Substring(compact)
        while let r = rest.range(of: "url(") {
            let after = rest[r.upperBound...].drop { $0 == "\"" || $0 == "'" }
            if !after.hasPrefix("#") { return "url(...) outside the file" }
            rest = rest[r.upperBound...]
        }
        return nil
    }
}
