import ArgumentParser
import Foundation
import ClinicServices
import Logging

/// `knot`: clinic records and a dry-needling log, at the terminal.
@main
struct Knot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "knot",
        abstract: "Clinic records and a dry-needling log for practitioners who treat myofascial trigger points.",
        discussion: """
        Run `knot` with no arguments for the full-screen front end; every action is also a subcommand.
        The database is $KNOT_DATABASE or --database, else $XDG_DATA_HOME/knot/clinic.sqlite (created on first use).
        """,
        version: KnotVersion.string,
        subcommands: [
            InitCommand.self, DemoCommand.self, PractitionerCommand.self, PatientCommand.self, AlertCommand.self,
            VisitCommand.self, FindingCommand.self, TreatmentCommand.self, NeedleCommand.self,
            ConsentCommand.self, ScreenCommand.self, HistoryCommand.self, LogCommand.self, MusclesCommand.self,
            AuditCommand.self,
        ] + extraSubcommands
    )

    @OptionGroup var global: GlobalOptions

    mutating func run() throws {
        try FrontEnd.launch(global: global)
    }

    /// Parses, runs, and reports errors in one place with the right exit code.
    static func main() {
        umask(0o077)  // every file Knot creates (database, exports, backups) is private to the user
        // A file-size limit (ulimit -f) must not kill Knot mid-write with no word: with SIGXFSZ
        // ignored, the write past the limit fails with EFBIG and is reported like a full disk.
        signal(SIGXFSZ, SIG_IGN)
        // Logs go to stderr at warning level unless KNOT_LOG_LEVEL says otherwise; they never carry patient data.
        let level = ProcessInfo.processInfo.environment["KNOT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            // --help wins; a value an option refuses exits 65 like any bad input; the rest is the parser's (64).
            ErrorReport.failParsing(error)
        }
        do {
            try command.run()
        } catch {
            // A usage error found while running is reported alone (not with the root command's usage).
            if ErrorReport.isKnotError(error) || error is UsageError { ErrorReport.fail(error) }
            exit(withError: error)
        }
    }
}

enum KnotVersion {
    static let string = "0.1.0"
}
