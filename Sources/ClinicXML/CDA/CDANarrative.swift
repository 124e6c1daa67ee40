import Foundation
import LibXML

/// A CDA narrative block (`section/text`) flattened to readable plain text.
///
/// The narrative is what the referrer attested and what a practitioner reads, so it is kept
/// for every section, coded entries or not. Paragraphs, captions and `<br/>` become lines;
/// list items become "- item" (or "1. item" in ordered lists), nested lists indented; tables
/// become one line per row with cells joined by " | " (header rows included); inline markup
/// (`content`, `sub`, `sup`, `linkHtml`, footnotes) is kept as its text; multimedia references,
/// comments and processing instructions are dropped. White space inside a line is collapsed.
enum CDANarrative {
    /// The flattened text of `element` ("" for nil).
    static func text(of element: XMLElement?) -> String {
        guard let element else { return "" }
        var builder = Builder()
        builder.walk(element.children, indent: "")
        builder.flush()
        return builder.lines.joined(separator: "\n")
    }

    /// The text of a narrative fragment on one line (a table cell, a referenced `content`).
    static func inlineText(of element: XMLElement) -> String {
        // `XMLValueFormat.trimmed`: Foundation's trim only where an end is white space or not ASCII.
        text(of: element).split(separator: "\n").map { XMLValueFormat.trimmed(String($0)) }.joined(separator: " ")
    }

    private struct Builder {
        var lines: [String] = []
        var current = ""
        var pendingPrefix = ""

        /// Ends the current line; an empty line is dropped but keeps its pending prefix (a list
        /// item whose text starts inside a paragraph).
        mutating func flush() {
            let collapsed = current.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            current = ""
            guard !collapsed.isEmpty else { return }
            lines.append(pendingPrefix + collapsed)
            pendingPrefix = ""
        }

        mutating func appendText(_ text: String) {
            // Printable ASCII, tabs and line feeds (most narrative): byte by byte, no `Character`s;
            // the only white space is tab, line feed and space, and there is no control to drop.
            if text.utf8.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 || $0 == 0x0A }) {
                current += String(decoding: text.utf8.lazy.map { $0 == 0x09 || $0 == 0x0A ? 0x20 : $0 }, as: UTF8.self)
                return
            }
            for character in text.cdaWithoutControls {
                current.append(character.isWhitespace ? " " : character)
            }
        }

        mutating func walk(_ nodes: [XMLNode], indent: String) {
            for node in nodes {
                switch node {
                case .text(let text):
                    appendText(text)
                case .element(let element):
                    walk(element, indent: indent)
                case .comment, .processingInstruction:
                    break
                }
            }
        }

        mutating func walk(_ element: XMLElement, indent: String) {
            switch element.name {
            case "br":
                flush()
                if pendingPrefix.isEmpty { pendingPrefix = indent }
            case "paragraph", "caption":
                flush()
                if pendingPrefix.isEmpty { pendingPrefix = indent }
                walk(element.children, indent: indent)
                flush()
            case "list":
                flush()
                let ordered = element.attribute("listType") == "ordered"
                var number = 0
                for child in element.children {
                    switch child {
                    case .element(let item) where item.name == "item":
                        number += 1
                        flush()
                        pendingPrefix = indent + (ordered ? "\(number). " : "- ")
                        walk(item.children, indent: indent + "  ")
                        flush()
                        pendingPrefix = ""
                    case .element(let other):
                        walk(other, indent: indent)
                        flush()
                    default:
                        break
                    }
                }
            case "table":
                flush()
                for child in element.elements {
                    switch child.name {
                    case "caption":
                        walk(child, indent: indent)
                    case "thead", "tbody", "tfoot":
                        for row in child.elements where row.name == "tr" { appendRow(row, indent: indent) }
                    case "tr":
                        appendRow(child, indent: indent)
                    default:
                        break
                    }
                }
            case "renderMultiMedia", "col", "colgroup":
                break
            default:
                // content, linkHtml, sub, sup, footnote, footnoteRef, and anything unexpected.
                walk(element.children, indent: indent)
            }
        }

        mutating func appendRow(_ row: XMLElement, indent: String) {
            flush()
            let cells = row.elements.filter { $0.name == "td" || $0.name == "th" }.map(CDANarrative.inlineText(of:))
            let line = XMLValueFormat.trimmed(cells.joined(separator: " | "))
            if !line.isEmpty && !cells.allSatisfy(\.isEmpty) { lines.append(indent + line) }
        }
    }
}
