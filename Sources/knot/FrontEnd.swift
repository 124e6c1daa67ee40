import ArgumentParser
import Foundation
import ClinicServices
import ClinicTUI

/// `knot` with no arguments: the full-screen front end on a terminal, else a pointer to the subcommands.
enum FrontEnd {
    static func launch(global: GlobalOptions) throws {
        let interactive = isatty(0) == 1 && isatty(1) == 1
        if !interactive {
            Console.print("knot: standard input or output is not a terminal, so the full-screen front end cannot start.")
            Console.print("Use the subcommands instead (knot --help), e.g. knot patient list, knot patient search NAME.")
            throw KnotCommandError("not a terminal", code: 2)
        }
        try ClinicTUI.run(session: try global.session())
    }
}

let extraSubcommands: [any ParsableCommand.Type] = [
    ImportCommand.self, ExportCommand.self, PlanCommand.self, ReviewsCommand.self, BackupCommand.self, RestoreCommand.self,
    CheckCommand.self, RetentionCommand.self, ReferralCommand.self,
]
