/// A small writer of well-formed XHTML and SVG text in which every piece of user text is
/// escaped on the way in.
///
/// Text and attribute values can only be added through methods that escape them, so a
/// patient named `<script>` is printed, never run; characters XML 1.0 forbids (control
/// characters) are dropped so the output always parses.
struct Markup {
    private(set) var output = ""

    /// Escapes `&`, `<`, `>`, `"` and `'`, and drops characters not allowed in XML 1.0.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                let v = scalar.value
                let allowed = v == 0x9 || v == 0xA || v == 0xD || (0x20...0xD7FF).contains(v)
                    || (0xE000...0xFFFD).contains(v) || (0x10000...0x10FFFF).contains(v)
                if allowed { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    private static func attributes(_ attrs: [(String, String)]) -> String {
        attrs.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }

    mutating func open(_ name: String, _ attrs: [(String, String)] = []) {
        output += "<\(name)\(Self.attributes(attrs))>"
    }

    mutating func close(_ name: String) { output += "</\(name)>" }

    /// An element holding only text.
    mutating func element(_ name: String, _ attrs: [(String, String)] = [], text: String) {
        open(name, attrs); self.text(text); close(name)
    }

    /// An element with no content, written `<name/>`.
    mutating func empty(_ name: String, _ attrs: [(String, String)] = []) {
        output += "<\(name)\(Self.attributes(attrs))/>"
    }

    mutating func text(_ s: String) { output += Self.escape(s) }

    /// Markup made by other `Markup` writers (SVG charts), inserted as it is.
    mutating func insert(_ other: Markup) { output += other.output }

    /// Trusted constant markup from this module (a stylesheet, a doctype): never user text.
    mutating func trusted(_ s: StaticString) { output += s.description }

    mutating func newline() { output += "\n" }

    /// A number for an SVG attribute: one decimal place, no locale.
    static func number(_ v: Double) -> String {
        let rounded = (v * 10).rounded() / 10
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(rounded)
    }
}
