import Foundation
import ClinicServices
import TerminalKit

/// Where the referral inbox looks for letters: `$KNOT_IMPORT_DIR`, else `./Import` when it
/// exists, else `~/knot-inbox`.
///
/// The same folder a clinic drops its letters into for `knot import`, so the screen and the
/// command agree about what is waiting.
enum InboxFolder {
    static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment,
                        currentDirectory: String = FileManager.default.currentDirectoryPath,
                        home: String = NSHomeDirectory()) -> String {
        if let folder = environment["KNOT_IMPORT_DIR"], !folder.isEmpty { return folder }
        let local = (currentDirectory as NSString).appendingPathComponent("Import")
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: local, isDirectory: &isDirectory), isDirectory.boolValue { return local }
        return (home as NSString).appendingPathComponent("knot-inbox")
    }
}

/// One file in the import folder, with what a dry run of its import says.
struct InboxEntry: Sendable, Hashable {
    var path: String
    var fileName: String
    /// "Knot referral", "CDA letter", "clinic export"... or "unreadable".
    var format: String
    /// The dry run's verdict; `.skipped` means the file was imported before.
    var status: ImportOutcome.Status

    /// The verdict in the clinic's words.
    var statusLabel: String { Self.label(status) }

    static func label(_ status: ImportOutcome.Status) -> String {
        switch status {
        case .created: "new patient"
        case .matched: "matches a patient"
        case .skipped: "already imported"
        case .conflict: "conflict"
        case .rejected: "rejected"
        case .notFiled: "not filed (disk full)"
        }
    }
}

/// The import folder as last read.
struct InboxListing: Sendable, Hashable {
    var folder: String
    /// False when the folder does not exist (the screen says where letters are looked for).
    var folderExists: Bool
    var entries: [InboxEntry]
}

/// How far checking the inbox's letters got: `checked` of `total` dry-run.
struct InboxProgress: Sendable, Hashable {
    var folder: String
    var checked: Int
    var total: Int
}

/// The referral inbox: the letters waiting in the import folder, marking those already imported.
struct InboxState: Sendable {
    var listing: InboxListing
    var selection = 0
    /// While the letters are being checked (a dry run each, in the background, from F6 or a
    /// reload after an import): how far it got. Nil once the list is drawn.
    var checking: InboxProgress?

    init(listing: InboxListing) {
        self.listing = listing
    }

    /// The inbox shown at once, before its letters are checked.
    init(checking folder: String) {
        listing = InboxListing(folder: folder, folderExists: true, entries: [])
        checking = InboxProgress(folder: folder, checked: 0, total: 0)
    }

    /// Shows a fresh reading of the folder, keeping the selection on the same file when it is still there.
    mutating func reload(_ fresh: InboxListing) {
        let selected = listing.entries.indices.contains(selection) ? listing.entries[selection].path : nil
        listing = fresh
        selection = fresh.entries.firstIndex { $0.path == selected } ?? min(selection, max(0, fresh.entries.count - 1))
    }

    mutating func apply(_ command: Intent, pageRows: Int) -> [Effect] {
        switch command {
        case .moveUp, .moveDown, .pageUp, .pageDown:
            selection = Update.moved(selection, by: command, count: listing.entries.count, pageRows: pageRows)
        case .open:
            guard listing.entries.indices.contains(selection) else { return [] }
            return [.previewLetter(path: listing.entries[selection].path)]
        default:
            break
        }
        return []
    }
}

/// Draws the referral inbox.
enum InboxScreen {
    static func draw(_ state: InboxState, in body: Rect, into buffer: inout ScreenBuffer) {
        let width = body.width
        let entries = state.listing.entries
        if let checking = state.checking, entries.isEmpty {
            // The first check since F6: nothing to list until the last letter is dry-run.
            buffer.put(" \(checking.folder): checking \(Formatting.count(checking.total, "letter"))", row: body.row, column: 0,
                       style: .bold, maxWidth: width, overflow: .ellipsis)
            buffer.put(" " + progressLine(checking), row: body.row + 2, column: 0, maxWidth: width, overflow: .ellipsis)
            return
        }
        buffer.put(" \(state.listing.folder): \(Formatting.count(entries.count, "letter"))", row: body.row, column: 0,
                   style: .bold, maxWidth: width, overflow: .ellipsis)
        let statusWidth = 18, formatWidth = 14
        let nameWidth = max(4, width - 1 - statusWidth - 1 - formatWidth - 1)
        func line(_ status: String, _ format: String, _ name: String) -> String {
            " " + TextLayout.padded(status, toWidth: statusWidth) + " " + TextLayout.padded(format, toWidth: formatWidth)
                + " " + TextLayout.padded(name, toWidth: nameWidth)
        }
        buffer.put(line("Status", "Format", "File"), row: body.row + 1, column: 0, style: .bold, maxWidth: width)
        if entries.isEmpty {
            let why = state.listing.folderExists ? "No .xml files in this folder." : "The folder does not exist yet."
            buffer.put(" \(why) Set KNOT_IMPORT_DIR to read letters from elsewhere.", row: body.row + 2, column: 0,
                       style: .dim, maxWidth: width, overflow: .ellipsis)
            return
        }
        let top = body.row + 2
        let visible = max(0, body.bottom - top - 1)
        let first = Chrome.firstVisibleRow(selection: state.selection, visible: visible, count: entries.count)
        for (offset, entry) in entries.dropFirst(first).prefix(visible).enumerated() {
            let selected = first + offset == state.selection
            let style: Style = selected ? .reverse : (entry.status == .skipped ? .dim : .plain)
            buffer.put(line(entry.statusLabel, entry.format, entry.fileName), row: top + offset, column: 0, style: style,
                       maxWidth: width, overflow: .ellipsis)
        }
        // While a reload checks the letters again, the list stays and the hint says how far it got.
        let hint = state.checking.map(progressLine) ?? "Enter previews a letter (a dry run: nothing is written)."
        buffer.put(" " + hint, row: body.bottom - 1, column: 0, style: .dim, maxWidth: width, overflow: .ellipsis)
    }

    /// "Checking the letters: 12 of 40 (a dry run of each; Esc leaves)."
    static func progressLine(_ progress: InboxProgress) -> String {
        "Checking the letters: \(progress.checked) of \(progress.total) (a dry run of each; Esc leaves)."
    }
}
