import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicDemo
import ClinicStore
import TerminalKit
import ClinicTestSupport
@testable import ClinicTUI

/// The clinic's fixed "today" for every screen test (screens show ages, expiry and overdue days).
let fixedToday = try! LocalDate(year: 2026, month: 11, day: 20)

/// The clock new visits start at: 10:00 on `fixedToday`, in the machine's time zone.
let fixedNow: Date = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = .current
    return calendar.date(from: DateComponents(year: 2026, month: 11, day: 20, hour: 10))!
}()

/// The demo clinic, loaded once per test run; each test gets its own copy (loading it takes
/// a while, copying it does not).
let demoTemplate: ClinicDatabase = {
    let folder = "/tmp/knot-tui-tests"
    let path = "\(folder)/demo-template.sqlite"
    try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    let database = try! ClinicDatabase(path: path)
    try! DemoClinic.load(into: database, actor: "tester", today: fixedToday)
    return database
}()

/// A front end on an in-memory terminal and a real database, driven key by key.
///
/// The database lives at a fixed path per test (`/tmp/knot-tui-tests/NAME.sqlite`) because the
/// status line shows it and golden screens must not depend on a random folder.
final class TUIHarness {
    let terminal: InMemoryTerminal
    let session: ClinicSession
    let app: App

    /// - Parameters:
    ///   - name: names the database file; unique per test (tests run in parallel).
    ///   - demo: load the demo clinic first.
    ///   - user: the practitioner handle to work as (a demo handle), or nil for nobody.
    ///   - importFolder: the folder the referral inbox lists (default: the usual lookup).
    ///   - prepare: runs on the database before the front end starts.
    init(_ name: String, rows: Int = 24, columns: Int = 80, demo: Bool = true, user: String? = "mchen",
         importFolder: String? = nil, prepare: (ClinicSession) throws -> Void = { _ in }) throws {
        let folder = "/tmp/knot-tui-tests"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = "\(folder)/\(name).sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        if demo { try demoTemplate.backup(to: path) }
        // Set-up acts for the clinic as a whole (a maintenance session), not as a person.
        let setup = ClinicSession.maintenance(database: try ClinicSession.open(path: path, handle: nil, environment: ["USER": "tester"]).database,
                                              actor: "tester")
        try prepare(setup)
        session = try ClinicSession.open(path: path, handle: user, environment: ["USER": "tester"])
        terminal = InMemoryTerminal(rows: rows, columns: columns)
        app = App(session: session, terminal: terminal, today: fixedToday, colorPolicy: .color, now: { fixedNow },
                  importFolder: importFolder)
        try terminal.enterFullScreen()
        try app.start()
        try app.finishBackgroundWork()  // the first screen's list, as the user sees it once it is read
    }

    /// A second front end on `other`'s database file, as a second terminal on the same clinic
    /// (the usual init makes a fresh copy per name, so it cannot share one).
    init(sharing other: TUIHarness, rows: Int = 24, columns: Int = 80, user: String? = "mchen") throws {
        session = try ClinicSession.open(path: other.session.database.path, handle: user, environment: ["USER": "tester"])
        terminal = InMemoryTerminal(rows: rows, columns: columns)
        app = App(session: session, terminal: terminal, today: fixedToday, colorPolicy: .color, now: { fixedNow })
        try terminal.enterFullScreen()
        try app.start()
        try app.finishBackgroundWork()  // the first screen's list, as the user sees it once it is read
    }

    /// Plays keys (each one read separately, as typed) and lets the front end handle them.
    func press(_ keys: Key...) throws {
        try press(keys)
    }

    /// After each key, waits for what it started in the background (a search, a chart opening,
    /// the inbox's check) and draws its result: the screens a user sees who waits for each
    /// answer before the next key (`pressLeavingWorkRunning` plays keys into running work).
    func press(_ keys: [Key]) throws {
        guard !keys.isEmpty else {
            try pressLeavingWorkRunning([])  // keys the test queued itself
            try app.finishBackgroundWork()
            return
        }
        for key in keys {
            try pressLeavingWorkRunning([key])
            try app.finishBackgroundWork()
        }
    }

    /// Plays keys without waiting for the background work they start: the screen as drawn
    /// while it runs (`settle()` waits for it).
    func pressLeavingWorkRunning(_ keys: Key...) throws {
        try pressLeavingWorkRunning(keys)
    }

    func pressLeavingWorkRunning(_ keys: [Key]) throws {
        terminal.enqueue(keys: keys)
        try app.run()
    }

    /// Waits for the background work to end and draws what it brought back.
    func settle() throws {
        try app.finishBackgroundWork()
    }

    /// Types text one character at a time (search as you type sees every keystroke).
    func type(_ text: String) throws {
        try press(text.map { Key.character($0) })
    }

    /// Changes the window size and lets the front end notice, as after SIGWINCH.
    func resize(rows: Int, columns: Int) throws {
        terminal.resize(to: TerminalSize(rows: rows, columns: columns))
        terminal.enqueuePause()
        try app.run()
    }

    /// What the user sees now (as the terminal interpreted the renderer's output).
    var screen: String { terminal.screenText }

    /// The screen's rows.
    var lines: [String] { terminal.screen.lines }

    /// The first row containing `text`.
    func row(containing text: String) -> Int? {
        lines.firstIndex { $0.contains(text) }
    }
}

/// Compares a screen with `Golden/NAME.txt` (the shared golden helper, ClinicTestSupport);
/// with KNOT_UPDATE_GOLDEN=1 writes it instead, into the source folder.
func expectGolden(_ name: String, _ screen: String, filePath: String = #filePath,
                  sourceLocation: SourceLocation = #_sourceLocation) throws {
    ClinicTestSupport.expectGolden(screen + "\n", named: name + ".txt", filePath: filePath, sourceLocation: sourceLocation)
}

extension TUIHarness {
    /// Keys what the needling form never fills in for the practitioner (the side, the needles
    /// inserted and removed, the technique, the twitches, the adverse events (none), whether the
    /// sharps were disposed of),
    /// from any field; the inserted and twitch counts only when still blank (a test that typed
    /// its own keeps it). Leaves the focus on the last field, sharps, ready for Ctrl-S.
    func keyNeedlingClaims(side: Character = "l", inserted: String = "1", removed: String = "1", technique: Character = "p",
                           twitches: String = "0", sharps: Character = "y") throws {
        try press(Array(repeating: Key.backTab, count: 30))  // up to the muscle, already taken
        try press(.tab, .character(side))
        try focusNeedling(.inserted)
        if needlingForm()?.inserted.isEmpty == true { try type(inserted) }
        try focusNeedling(.removed)
        try press(.ctrl("u"))
        try type(removed)
        try press(.tab, .character(technique))
        try focusNeedling(.twitches)
        if needlingForm()?.twitches.isEmpty == true { try type(twitches) }
        try answerNeedlingSharps(sharps)
    }

    /// The needling form on screen, nil when another screen is.
    func needlingForm() -> NeedlingFormState? {
        if case .needlingForm(let form) = app.state.current { return form }
        return nil
    }

    /// Moves the needling form's focus to `field`, up or down (at most the form's length).
    func focusNeedling(_ field: NeedlingFormState.Focus) throws {
        let order = NeedlingFormState.Focus.allCases
        for _ in order {
            guard let focus = needlingForm()?.focus, focus != field,
                  let from = order.firstIndex(of: focus), let to = order.firstIndex(of: field) else { return }
            try press(to > from ? .tab : .backTab)
        }
    }
}

extension TUIHarness {
    /// Answers the needling form's last fields: the adverse events `n` (none) when none is typed
    /// and they are still unanswered, then the sharps disposal (neither is pre-filled); the focus
    /// stays on the sharps, ready for Ctrl-S.
    func answerNeedlingSharps(_ answer: Character = "y") throws {
        try focusNeedling(.adverse)
        if needlingForm()?.adverse.isAnswered == false { try press(.character("n")) }
        try press(Array(repeating: Key.tab, count: 30) + [.character(answer)])
    }
}

extension TUIHarness {
    /// Keys, on the trigger-point form, each finding still unanswered (the form pre-fills none):
    /// the side `l`, active `a`, a taut band `y`, no twitch `n`, no referred pain `n`. Leaves
    /// the focus on the referred pain, ready for Ctrl-S.
    func keyTriggerPointFindings() throws {
        func form() -> TriggerPointFormState? {
            if case .triggerPointForm(let form) = app.state.current { return form }
            return nil
        }
        try press(Array(repeating: Key.backTab, count: 30))  // up to the muscle, already taken
        try press(.tab)
        if form()?.side == nil { try press(.character("l")) }
        try press(.tab)
        if form()?.activity == nil { try press(.character("a")) }
        try press(.tab, .tab)
        if form()?.tautBand == nil { try press(.character("y")) }
        try press(.tab)
        if form()?.twitch == nil { try press(.character("n")) }
        try press(.tab)
        if form()?.referred == nil { try press(.character("n")) }
    }
}

extension TUIHarness {
    /// Consent and screen with no precautions, then the needling form with soleus, a 0.25x40
    /// Seirin needle (lot A123), one in and one out; the focus left on the technique (the
    /// twitches and the sharps still unanswered).
    func needlingUpToTechnique() throws {
        try recordConsentAndScreenNonePresent()
        try press(.function(4))
        try type("soleus")
        try press(.tab, .character("l"), .tab)  // take the muscle, key the side
        try type("0.25x40")
        try press(.tab)
        try type("Seirin")
        try press(.tab)
        try type("A123")
        try press(.tab)
        try type("1")                           // inserted: keyed, never pre-filled
        try press(.tab)
        try type("1")                           // removed: keyed, never pre-filled
        try press(.tab, .character("p"))        // the technique: keyed too
    }
}
