import Foundation
import ClinicModel
import ClinicServices
import TerminalKit

/// The small runner around the pure parts: reads keys, turns them into intents, performs
/// effects, hands back their results, draws.
///
/// Work that can take long (checking every letter in the referral inbox) is not done in the
/// loop: it runs in the background (`BackgroundWork`) and reports how far it got; the loop
/// takes its reports before each read, so keys are still read and the screen redrawn while it
/// runs (Esc leaves the inbox and stops the check).
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
    private let background = BackgroundWork()

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
        try draw()
    }

    /// Handles keys until the user quits or the input ends.
    func run() throws {
        defer { if !state.isRunning { background.stopAll() } }
        while state.isRunning {
            takeBackgroundReports()
            let events: [TerminalEvent]
            do {
                events = try reader.nextEvents(from: terminal, timeout: .milliseconds(250))
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
            if state.isRunning { try draw() }
        }
    }

    /// Applies a message and everything its effects bring back.
    func send(_ message: Message) {
        let (next, effects) = Update.update(state, message)
        state = next
        perform(effects)
    }

    /// Waits for the background work to end, hands over all it reported, and draws: where a
    /// test (or a script) wants the screen as it is once everything asked for is done.
    func finishBackgroundWork() throws {
        guard background.isBusy else { return }
        while background.isBusy {
            background.waitUntilDone()
            takeBackgroundReports()
        }
        if state.isRunning { try draw() }
    }

    /// Hands what the background work reported since the last look to `update`.
    private func takeBackgroundReports() {
        for result in background.take() where state.isRunning {
            send(.result(result))
        }
    }

    private func perform(_ effects: [Effect]) {
        for effect in effects {
            if typingRun, let slot = effect.supersededSlot {
                deferred.removeAll { $0.supersededSlot == slot }
                deferred.append(effect)
                continue
            }
            performHeldBack()
            if let work = performer.longWork(effect) {
                send(.result(work.first))
                background.start(work.kind, work.rest)
            } else if case .stopCheckingInbox = effect {
                background.stop("inbox")
            } else {
                send(.result(performer.perform(effect)))
            }
        }
    }

    /// Ends a run of typing: the held-back search and save are done now.
    private func finishTypingRun() {
        typingRun = false
        performHeldBack()
    }

    private func performHeldBack() {
        while !deferred.isEmpty {
            send(.result(performer.perform(deferred.removeFirst())))
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
