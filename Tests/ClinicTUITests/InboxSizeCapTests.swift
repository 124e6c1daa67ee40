import Foundation
import Testing
import ClinicModel
import ClinicServices
import TerminalKit
@testable import ClinicTUI

/// The referral inbox reads files through the import use case, within its size cap: a letter over
/// the cap is never read to be listed or previewed, and the inbox says why it is refused.
@Suite struct InboxSizeCapTests {
    @Test func overSizeLetterIsRefusedWithTheCapsMessage() throws {
        let folder = "/tmp/knot-tui-tests/inbox-oversize"
        let fm = FileManager.default
        try? fm.removeItem(atPath: folder)
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // A real Knot referral letter, then (sparse) zeros past the cap: whole, it would read as
        // a letter about Liam Walsh; within the cap it is not read at all.
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Import").standardized
        let path = "\(folder)/huge-referral.xml"
        try Data(contentsOf: examples.appendingPathComponent("referral-minimal.xml")).write(to: URL(fileURLWithPath: path))
        let cap = ImportOptions().maxBytes
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(cap) + 1)
        try handle.close()

        let tui = try TUIHarness("inbox-oversize", importFolder: folder)
        try tui.press(.ctrl("l"))
        guard case .inbox(let inbox) = tui.app.state.current else { Issue.record("not the inbox: \(tui.screen)"); return }
        #expect(inbox.listing.entries.map(\.fileName) == ["huge-referral.xml"])
        #expect(inbox.listing.entries.map(\.status) == [.rejected])
        #expect(inbox.listing.entries.map(\.format) == ["unreadable"], "a file over the cap is not read to be named")

        try tui.press(.enter)
        let text = tui.lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(text.contains("the file is \(cap + 1) bytes, over the \(cap)-byte limit (--max-mb)"), "\(tui.screen)")
        #expect(text.contains("Not importable"), "\(tui.screen)")
        #expect(!text.contains("Walsh"), "the letter over the cap was not read: \(tui.screen)")

        // y imports nothing.
        try tui.type("y")
        #expect(try tui.session.searchPatients("walsh", limit: 10).isEmpty)
    }
}
