import ClinicModel
import ClinicServices
import TerminalKit

/// The full-screen front end: patient list with search as you type, chart, visit view,
/// recall list and audit log; the visit editor with its forms (consent and screen, trigger
/// points, needling, biomechanics, treatments, the clinical impression on F8 and outcome
/// measures item by item on F9); the clinic's settings (F9 on the patient list: changed by a
/// clinic administrator, read only for everyone else).
///
/// Built as state, update and view (see `AppState`, `Update`, `Render`): keys become commands
/// through per-screen key tables, database work happens in effects, and each frame is drawn
/// into a buffer whose changes alone reach the terminal.
public enum ClinicTUI {
    /// Runs the front end on this process's terminal (standard input and output) until the
    /// user quits. Throws `TerminalError.notATerminal` when either is not a terminal, before
    /// anything on screen changes.
    public static func run(session: ClinicSession) throws {
        try run(session: session, terminal: try POSIXTerminal())
    }

    /// Runs the front end on `terminal` until the user quits (or input ends), then gives the
    /// terminal back as it was, also when something throws.
    ///
    /// - Parameters:
    ///   - today: the clinic's date for ages, referrals and the recall list (tests fix it).
    ///   - colorPolicy: colours or not; by default `NO_COLOR` decides.
    public static func run(
        session: ClinicSession,
        terminal: any Terminal,
        today: LocalDate = .today(),
        colorPolicy: ColorPolicy = .fromEnvironment()
    ) throws {
        let app = App(session: session, terminal: terminal, today: today, colorPolicy: colorPolicy)
        try TerminalSession.withFullScreen(terminal) {
            try app.start()
            try app.run()
        }
    }
}
