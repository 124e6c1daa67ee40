import ArgumentParser
import Foundation
import ClinicModel
import ClinicServices
import ClinicTUI

/// `knot` with no arguments: the full-screen front end on a terminal, else a pointer to the subcommands.
enum FrontEnd {
    static func launch(global: GlobalOptions) throws {
        let interactive = isatty(0) == 1 && isatty(1) == 1
        let session = try global.session(create: try mayCreate(global: global, interactive: interactive))
        // Without an account, the front end only offers to load the demo clinic into an empty database.
        if !session.may(.findPatients) && !session.may(.loadDemo) { try session.authorize(.findPatients) }
        if !interactive {
            let patients = session.may(.findPatients) ? try session.patientCount(includeArchived: true) : 0
            Console.print("Knot — clinic records and a dry-needling log. Database: \(session.database.path) (\(patients) patient(s)).")
            if let why = session.writesRefusedBecause { Console.print("Nothing can be saved: \(why).") }
            Console.print("Standard input or output is not a terminal, so the full-screen front end did not start.")
            Console.print("Every action is a subcommand: knot --help (e.g. knot demo, knot patient search NAME, knot import Import/).")
            return
        }
        try ClinicTUI.run(session: session)
    }

    /// The first-run prompt: the default path is created on first use; a path given with
    /// `--database` or `KNOT_DATABASE` that holds nothing is created only when the user says so
    /// at the terminal (a typo must not start an empty clinic). Not a terminal: refused (66).
    static func mayCreate(global: GlobalOptions, interactive: Bool) throws -> Bool {
        let path = global.databasePath
        if global.isDefaultPath || FileManager.default.fileExists(atPath: path) { return global.isDefaultPath }
        guard interactive else { throw StorageError.missing(path: path) }
        Console.print("There is no clinic database at \(path).")
        FileHandle.standardOutput.write(Data("Create a new, empty clinic there? [y/N] ".utf8))
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard answer == "y" || answer == "yes" else { throw StorageError.missing(path: path) }
        return true
    }
}

let extraSubcommands: [any ParsableCommand.Type] = [
    ImportCommand.self, ExportCommand.self, PlanCommand.self, ReviewsCommand.self, BackupCommand.self, RestoreCommand.self,
    CheckCommand.self, RetentionCommand.self, ReferralCommand.self, ClinicCommand.self, TemplateCommand.self,
    OutcomeCommand.self, MigrateStoreCommand.self,
]
