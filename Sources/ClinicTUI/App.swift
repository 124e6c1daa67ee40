import Foundation
import ClinicModel
import ClinicServices
import TerminalKit

/// The small runner around the pure parts: reads keys, turns them into intents, performs
/// effects, hands back their results, draws.
///
/// Work that can take long (an effect that declares it, `Effect.runsLong`: a search, opening
/// a chart, a letter's dry run, filing a letter, every letter in the referral inbox) is not
/// done in the loop: it runs in the background (`BackgroundWork`) with a progress line; the
/// loop takes its results before each read, so keys are still read and the screen redrawn
/// while it runs. Esc stops a read (a write goes on: it completes or rolls back whole); a
/// second request while one runs is refused in words, or queued when a result asked for it.
///
/// The loop waits at most a quarter of a second for input, then looks at the window size
/// again, so a resize is redrawn even when the terminal's signal is missed.
///
/// Keys that arrive together (typed ahead of a slow link, or faster than a search answers) are
/// handled together: while a run of typing is handled, a search or a draft save waits, and only
/// the last of each is done, before the next key that is not typing and before drawing. The
/// screen ends the same as if every key had been handled alone, without a search or a save per
/// letter the user never saw.
final class App {
    private(set) var state: AppState
    private let terminal: any Terminal
    private let performer: EffectPerformer
    private var renderer: Renderer
    private var reader = InputReader()
    private var drawnSize: TerminalSize?
    /// Searches and draft saves held back while a run of typed keys is handled.
    private var deferred: [Effect] = []
    /// True while the keys of one read that type into a field are handled.
    private var typingRun = false
    /// Long effects running off the loop, and what they reported.
    let background = BackgroundWork()
    /// Long effects that follow from a result, waiting for their lane (`startQueued`).
    private var queued: [Effect] = []

    init(session: ClinicSession, terminal: any Terminal, today: LocalDate, colorPolicy: ColorPolicy,
         now: @escaping @Sendable () -> Date = { Date() }, importFolder: String? = nil) {
        self.terminal = terminal
        self.performer = EffectPerformer(session: session, today: today, now: now,
                                         importFolder: importFolder ?? InboxFolder.resolve())
        self.renderer = Renderer(colorPolicy: colorPolicy)
        let context = SessionContext(databasePath: session.database.path, workingAs: Self.workingAs(session),
                                     isReception: session.isReception,
                                     canRecordVisits: session.may(.recordVisit), today: today,
                                     hasAccount: session.user != nil || session.isMaintenance,
                                     canChangeSettings: session.may(.changeClinicSettings))
        self.state = AppState(context: context, size: terminal.size)
    }

    /// "mchen (Mei Chen, practitioner)", or the OS user when nobody is chosen.
    static func workingAs(_ session: ClinicSession) -> String {
        guard let user = session.user else { return "\(session.actor) (no practitioner chosen)" }
        return "\(user.handle) (\(user.name), \(user.role.rawValue))"
    }

    /// Loads the first screen and draws it.
    func start() throws {
        send(.resized(terminal.size))
        perform([.checkFirstRun])
        landQuickWork()
        try draw()
    }

    /// Handles keys until the user quits or the input ends.
    func run() throws {
        defer { if !state.isRunning { finishOnQuit() } }
        while state.isRunning {
            takeBackgroundReports()
            let events: [TerminalEvent]
            do {
                // While work runs, look again soon, so that its result is drawn when it lands.
                events = try reader.nextEvents(from: terminal, timeout: .milliseconds(background.isBusy ? 20 : 250))
            } catch .inputClosed {
                return
            }
            for event in events where state.isRunning {
                switch event {
                case .key(let key):
                    guard let intent = KeyMap.command(for: key, in: state) else { continue }
                    if case .edit = intent {
                        typingRun = true
                    } else {
                        finishTypingRun()
                    }
                    send(.intent(intent))
                case .resized:
                    renderer.invalidate()
                }
            }
            finishTypingRun()
            landQuickWork()
            if state.isRunning { try draw() }
        }
    }

    /// Gives the work just started up to a tenth of a second to land before drawing: work that
    /// ends by then is drawn with its result and no progress line flashes on the screen; the
    /// progress line is for work that takes longer.
    private func landQuickWork() {
        guard background.isBusy else { return }
        background.waitUntilDone(atMost: Self.progressDelay)
        takeBackgroundReports()
    }

    /// How long work runs before its progress line is drawn.
    static let progressDelay: TimeInterval = 0.1

    /// Applies a message and everything its effects bring back.
    func send(_ message: Message) {
        let (next, effects) = Update.update(state, message)
        state = next
        var asked = false
        if case .intent = message { asked = true }
        perform(effects, asked: asked)
    }

    /// Quitting: reads running are stopped; a write running is waited for, so that it
    /// completes (or rolls back) before the process ends.
    private func finishOnQuit() {
        let writing = state.working.values.contains { $0.writes }
        background.stopAll()
        if writing { background.waitUntilDone() }
    }

    /// Waits for the background work to end, hands over all it reported, and draws: where a
    /// test (or a script) wants the screen as it is once everything asked for is done.
    func finishBackgroundWork() throws {
        guard background.isBusy || !queued.isEmpty else { return }
        repeat {
            background.waitUntilDone()
            takeBackgroundReports()  // may start queued work
        } while background.isBusy
        if state.isRunning { try draw() }
    }

    /// Hands what the background work reported since the last look to `update`, then starts
    /// the long work that waited for its lane.
    private func takeBackgroundReports() {
        for result in background.take() where state.isRunning {
            send(.result(result))
        }
        startQueued()
    }

    /// `asked`: the effects follow from a key (a second long request is then refused in
    /// words, the user asks again); else from a result (it is queued, never dropped).
    private func perform(_ effects: [Effect], asked: Bool = false) {
        for effect in effects {
            if typingRun, let slot = effect.supersededSlot {
                deferred.removeAll { $0.supersededSlot == slot }
                deferred.append(effect)
                continue
            }
            performHeldBack()
            performOne(effect, asked: asked)
        }
    }

    private func performOne(_ effect: Effect, asked: Bool) {
        if let work = performer.longWork(effect) {
            // Long work with a progress of its own (the inbox's letters, counted as they are checked).
            send(.result(work.first))
            background.start(work.kind, work.rest)
        } else if let long = effect.runsLong {
            startLong(effect, long, asked: asked)
        } else if case .stopCheckingInbox = effect {
            background.stop("inbox")
        } else if case .stopWork(let lane) = effect {
            background.stop(lane.rawValue)
        } else {
            send(.result(performer.perform(effect)))
        }
    }

    /// Runs a long effect off the loop (see `LongEffect`): a newer search replaces the one
    /// running; other work waits for its lane (queued) or is refused when a key asked for it.
    private func startLong(_ effect: Effect, _ long: LongEffect, asked: Bool) {
        if let busy = state.working[long.lane], long.lane != .search {
            if asked {
                send(.result(.workRefused(asked: long, busy: busy)))
            } else {
                queued.append(effect)
                send(.result(.workQueued(asked: long, busy: busy)))
            }
            return
        }
        send(.result(.workStarted(long)))
        let performer = performer
        background.start(long.lane.rawValue) { _ in
            .workDone(long.lane, performer.perform(effect))
        }
    }

    /// Starts the queued long work whose lane is free, oldest first.
    private func startQueued() {
        var waiting = queued
        queued = []
        while !waiting.isEmpty, state.isRunning {
            let effect = waiting.removeFirst()
            guard let long = effect.runsLong, state.working[long.lane] == nil else {
                queued.append(effect)
                continue
            }
            startLong(effect, long, asked: false)
        }
    }

    /// Ends a run of typing: the held-back search and save are done now.
    private func finishTypingRun() {
        typingRun = false
        performHeldBack()
    }

    private func performHeldBack() {
        while !deferred.isEmpty {
            performOne(deferred.removeFirst(), asked: true)
        }
    }

    /// Draws the current state at the terminal's current size (a full redraw after a resize).
    func draw() throws(TerminalError) {
        let size = terminal.size
        if size != state.size { send(.resized(size)) }
        if size != drawnSize {
            renderer.invalidate()
            drawnSize = size
        }
        try renderer.draw(Render.render(state, size: size), on: terminal)
    }
}
