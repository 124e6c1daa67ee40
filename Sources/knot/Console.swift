import Foundation
import TerminalKit
import ClinicModel

/// Everything Knot prints goes through here, so that text from the record (names, notes,
/// imported letters) can never carry a terminal escape sequence to the screen.
enum Console {
    /// Replaces control characters (ESC, C1, BEL, bidi overrides and isolates, line separators...)
    /// with a visible '?', keeping newlines and tabs: TerminalKit's one sanitizing function.
    static func safe(_ text: String) -> String {
        sanitizedForTerminal(text, keepingLineBreaks: true, as: .replace("?"))
    }

    /// Writes bytes received from outside (an original letter) to standard output: byte for
    /// byte to a file or pipe; to a terminal, as UTF-8 text with every control character shown
    /// escaped (`\u{009B}`), so that nothing in it can act on the terminal.
    static func writeVerbatim(_ data: Data, terminal: Bool = isatty(1) == 1) {
        if terminal {
            out(Data(sanitizedForTerminal(String(decoding: data, as: UTF8.self), keepingLineBreaks: true, as: .escape).utf8))
        } else {
            out(data)
        }
    }

    /// A name from outside (a file name) on one line: every control, newlines and tabs too,
    /// replaced by '?' as `safe` replaces the others, so that a crafted name cannot print lines
    /// of its own into a report.
    static func oneLine(_ text: String) -> String {
        sanitizedForTerminal(text, keepingLineBreaks: false, as: .replace("?"))
    }

    /// `text` with each of `names` (file names, as given and as their last component) on one
    /// line (`oneLine`), for a message that quotes them.
    static func quotingOneLine(_ text: String, names: [String]) -> String {
        names.filter { !$0.isEmpty && $0 != oneLine($0) }.sorted { $0.count > $1.count }.reduce(text) {
            $0.replacingOccurrences(of: $1, with: oneLine($1))
        }
    }

    static func print(_ text: String = "") {
        out(Data((safe(text) + "\n").utf8))
    }

    /// Writes to standard output. When the reader has gone (`knot check | head`: EPIPE, as
    /// SIGPIPE is ignored once the PostgreSQL driver's event loop runs), Knot stops there with
    /// exit 74 instead of trapping in Foundation's non-throwing `write`.
    static func out(_ data: Data) {
        do { try FileHandle.standardOutput.write(contentsOf: data) } catch { exit(74) }
    }

    static func warn(_ text: String) {
        FileHandle.standardError.write(Data((safe(text) + "\n").utf8))
    }

    /// JSON with sorted keys, dates as ISO 8601 (UTC, milliseconds).
    static func printJSON<T: Encodable>(_ value: T) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(isoFormatter.string(from: date))
        }
        let data = try e.encode(value)
        out(data)
        out(Data("\n".utf8))
    }

    nonisolated(unsafe) static let isoFormatter: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }()

    /// "2026-12-07 09:00" in the clinic's time zone, whatever the viewer's `TZ`.
    static func dateTime(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_AU_POSIX")
        f.timeZone = ClinicTimeZone.current
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: d)
    }

    /// A plain text table: columns padded to the widest cell, clipped at `maxWidth` characters.
    /// Columns are measured in terminal cells, so accented and wide (CJK) names line up.
    static func table(_ headers: [String], _ rows: [[String]], maxWidth: Int = 40) -> String {
        let clipped = rows.map { $0.map { TextLayout.truncated(safe($0).replacingOccurrences(of: "\n", with: " "), toWidth: maxWidth) } }
        var widths = headers.map { displayWidth(of: $0) }
        for r in clipped { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], displayWidth(of: c)) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in c + String(repeating: " ", count: max(0, widths[i] - displayWidth(of: c))) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return ([line(headers), line(widths.map { String(repeating: "-", count: $0) })] + clipped.map(line)).joined(separator: "\n")
    }
}
