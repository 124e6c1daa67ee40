import ClinicModel
import ClinicServices
import TerminalKit

/// The full-screen front end: every screen a practitioner or receptionist works in, from the
/// patient list (search as you type) to the chart, the visit editor with its forms, the plan,
/// the referral inbox, the recall list, the audit log and the clinic's settings.
///
/// Each screen is one file named after it (`PatientListScreen`, `ChartScreen`, `VisitScreen`,
/// `InboxScreen`...; the forms `*Form`); the `Screen` enum in `AppState` lists them all, so this
/// comment does not.
///
/// Built as state, update and view (see `AppState`, `Update`, `Render`): keys become intents
/// through per-screen key tables, database work happens in effects whose results come back as
/// messages of their own kind (`Message`), long work runs off the input loop (`BackgroundWork`),
/// and each frame is drawn into a buffer whose changes alone reach the terminal.
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
