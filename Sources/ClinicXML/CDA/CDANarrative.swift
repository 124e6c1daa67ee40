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
    /// The flattened text of `element` ("" for nil). `byteShortcuts: false` takes every text
    /// through `Character`s, as before plain text went byte by byte: the same lines, slower (the
    /// tests' reference for the shortcut).
    static func text<Element: NarrativeElement>(of element: Element?, byteShortcuts: Bool = true) -> String {
        guard let element else { return "" }
        var builder = Builder<Element>(byteShortcuts: byteShortcuts)
        builder.walkChildren(of: element, indent: "")
        builder.flush()
        return builder.lines.joined(separator: "\n")
    }

    /// The text of a narrative fragment on one line (a table cell, a referenced `content`).
    static func inlineText<Element: NarrativeElement>(of element: Element, byteShortcuts: Bool = true) -> String {
        // `XMLValueFormat.trimmed`: Foundation's trim only where an end is white space or not ASCII.
        // The lines themselves, not `text(of:)` split at its line feeds: no line holds a line
        // feed (white space becomes a space) and none is empty, so they are what the split gave.
        var builder = Builder<Element>(byteShortcuts: byteShortcuts)
        builder.walkChildren(of: element, indent: "")
        builder.flush()
        return builder.lines.map { XMLValueFormat.trimmed($0) }.joined(separator: " ")
    }

    private struct Builder<Element: NarrativeElement> {
        let byteShortcuts: Bool
        var lines: [String] = []
        var current = ""
        var pendingPrefix = ""
        /// Whether everything in `current` is plain text (`NarrativeBytes.isPlain`): then each of
        /// its scalars is a character of its own and the only white space is a space, so `flush`
        /// can collapse it byte by byte.
        var currentIsPlain = true

        /// Ends the current line; an empty line is dropped but keeps its pending prefix (a list
        /// item whose text starts inside a paragraph).
        mutating func flush() {
            let collapsed = currentIsPlain
                ? NarrativeBytes.collapsingSpaces(current)
                : current.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            current = ""
            currentIsPlain = true
            guard !collapsed.isEmpty else { return }
            lines.append(pendingPrefix + collapsed)
            pendingPrefix = ""
        }

        mutating func appendText(_ text: String) {
            // Plain text (most narrative: printable ASCII, tabs, line feeds, accented Latin and
            // CJK letters): tabs and line feeds become spaces byte by byte, no `Character`s;
            // there is no other white space and no control to drop.
            switch byteShortcuts ? NarrativeBytes.plainness(of: text) : .other {
            case .plainWithoutTabsOrLineFeeds:
                current += text
                return
            case .plain:
                // Written into one buffer (a lazily mapped view is decoded a byte at a time).
                let utf8 = text.utf8
                current += String(unsafeUninitializedCapacity: utf8.count) { buffer in
                    var i = 0
                    for byte in utf8 {
                        buffer[i] = byte == 0x09 || byte == 0x0A ? 0x20 : byte
                        i += 1
                    }
                    return i
                }
                return
            case .other:
                currentIsPlain = false
            }
            for character in text.cdaWithoutControls {
                current.append(character.isWhitespace ? " " : character)
            }
        }

        mutating func walkChildren(of parent: Element, indent: String) {
            parent.forEachNarrativeChild { node in
                switch node {
                case .text(let text):
                    appendText(text)
                case .element(let element):
                    walk(element, indent: indent)
                case .other:
                    break
                }
            }
        }

        mutating func walk(_ element: Element, indent: String) {
            switch element.name {
            case "br":
                flush()
                if pendingPrefix.isEmpty { pendingPrefix = indent }
            case "paragraph", "caption":
                flush()
                if pendingPrefix.isEmpty { pendingPrefix = indent }
                walkChildren(of: element, indent: indent)
                flush()
            case "list":
                flush()
                let ordered = element.attribute("listType", namespace: nil) == "ordered"
                var number = 0
                element.forEachNarrativeChild { child in
                    switch child {
                    case .element(let item) where item.name == "item":
                        number += 1
                        flush()
                        pendingPrefix = indent + (ordered ? "\(number). " : "- ")
                        walkChildren(of: item, indent: indent + "  ")
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
                walkChildren(of: element, indent: indent)
            }
        }

        mutating func appendRow(_ row: Element, indent: String) {
            flush()
            let cells = row.elements.filter { $0.name == "td" || $0.name == "th" }.map { CDANarrative.inlineText(of: $0, byteShortcuts: byteShortcuts) }
            let line = XMLValueFormat.trimmed(cells.joined(separator: " | "))
            if !line.isEmpty && !cells.allSatisfy(\.isEmpty) { lines.append(indent + line) }
        }
    }
}

/// An element `CDANarrative` can flatten: a copied `XMLElement` or a cursor reading the document
/// in place; both give the same children, so the same lines.
protocol NarrativeElement {
    var name: String { get }
    func attribute(_ name: String, namespace: String?) -> String?
    var elements: [Self] { get }
    /// Calls `body` with each child, as `XMLElement.children` lists them (adjacent text merged).
    func forEachNarrativeChild(_ body: (NarrativeChild<Self>) -> Void)
}

/// One child of a narrative element: comments and processing instructions are `other`.
enum NarrativeChild<Element> {
    case element(Element)
    case text(String)
    case other
}

extension XMLElement: NarrativeElement {
    func forEachNarrativeChild(_ body: (NarrativeChild<XMLElement>) -> Void) {
        for node in children {
            switch node {
            case .element(let element): body(.element(element))
            case .text(let text): body(.text(text))
            case .comment, .processingInstruction: body(.other)
            }
        }
    }
}

extension XMLElementCursor: NarrativeElement {
    func forEachNarrativeChild(_ body: (NarrativeChild<XMLElementCursor>) -> Void) {
        forEachChild { node in
            switch node {
            case .element(let element): body(.element(element))
            case .text(let text): body(.text(text))
            case .comment, .processingInstruction: body(.other)
            }
        }
    }
}

/// Byte-level reading of narrative text that is "plain": printable ASCII, tab, line feed, and
/// letters from U+00C0-U+023F (accented Latin), U+1E00-U+1EFF (Latin Extended Additional) and
/// U+4E00-U+9FFF (CJK ideographs).
///
/// Every one of those scalars is a grapheme cluster of its own whatever surrounds it (none is a
/// combining mark, prepend, spacing mark, joiner or carriage return), none is a control, and the
/// only white space among them is tab, line feed and space. So on plain text, working on
/// `Character`s (white space to a space, splitting on spaces) and working on bytes give the same
/// result, and the bytes are much cheaper.
enum NarrativeBytes {
    enum Plainness { case plainWithoutTabsOrLineFeeds, plain, other }

    static func plainness(of text: String) -> Plainness {
        var tabsOrLineFeeds = false
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case 0x20...0x7E:
                continue
            case 0x09, 0x0A:
                tabsOrLineFeeds = true
            case 0xC3...0xC8:
                // U+00C0-U+023F; the continuation byte is there (the text is valid UTF-8).
                _ = iterator.next()
            case 0xE1:
                // U+1E00-U+1EFF: E1 B8..BB xx.
                guard let second = iterator.next(), (0xB8...0xBB).contains(second) else { return .other }
                _ = iterator.next()
            case 0xE4:
                // U+4E00-U+4FFF: E4 B8..BF xx.
                guard let second = iterator.next(), second >= 0xB8 else { return .other }
                _ = iterator.next()
            case 0xE5...0xE9:
                // U+5000-U+9FFF.
                _ = iterator.next()
                _ = iterator.next()
            default:
                return .other
            }
        }
        return tabsOrLineFeeds ? .plain : .plainWithoutTabsOrLineFeeds
    }

    /// Runs of spaces made one, spaces at either end dropped: on plain text, what
    /// `split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")` gives.
    static func collapsingSpaces(_ text: String) -> String {
        var previousIsSpace = true
        var needsWork = false
        for byte in text.utf8 {
            let isSpace = byte == 0x20
            if isSpace && previousIsSpace { needsWork = true; break }
            previousIsSpace = isSpace
        }
        if !needsWork && !previousIsSpace { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            if byte == 0x20 {
                pendingSpace = !bytes.isEmpty
            } else {
                if pendingSpace { bytes.append(0x20) }
                pendingSpace = false
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
