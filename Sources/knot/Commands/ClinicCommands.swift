import ArgumentParser
import Foundation
import ClinicModel
import ClinicServices

/// `knot clinic show|set`: the clinic's own settings (for now its time zone).
struct ClinicCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clinic", abstract: "The clinic's settings: its time zone, in which every date and time is shown, written and exported.",
        subcommands: [Show.self, Set.self, Key.self, Trust.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the clinic's settings.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let settings = try global.session(create: false).clinicSettings()
            if output.json { try Console.printJSON(settings); return }
            Console.print("Time zone: \(settings.timeZone)"
                          + (settings.timeZoneStored ? "" : " (the machine's; none set for the clinic: knot clinic set --time-zone NAME)"))
        }
    }

    struct Key: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show where the clinic key is kept (back it up apart from the database) and its public signing key.",
            discussion: """
            The clinic key seals the audit trail and every record: `knot audit verify` needs it, and a \
            database restored without it cannot be verified. Keep a copy of the key file apart from the \
            database backups (KNOT_KEY_FILE names another file).
            """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let info = try global.session(create: false).clinicKey()
            if output.json { try Console.printJSON(info); return }
            guard let id = info.clinicID else {
                Console.print("This database has no clinic key yet (an older Knot left it): open it once for writing to seal it.")
                return
            }
            Console.print("Clinic: \(id)")
            Console.print("Key file: \(info.keyPath ?? "?")" + (info.keyPresent ? "" : " (MISSING: restore it from its backup)"))
            if let pub = info.publicSigningKey { Console.print("Public signing key: \(pub)") }
            if let from = info.keyedFrom { Console.print("Audit chain keyed from event \(from)") }
        }
    }

    struct Trust: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Trust another clinic's signing key, so that its signed exports import (administrators; audited).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("A file holding the other clinic's public key (as `knot clinic key` prints it), or one of its export .sig files.", valueName: "FILE"),
                  completion: .file())
        var file: String

        func run() throws {
            let (key, list) = try global.session(create: false).trustClinicKey(fromFile: file)
            Console.print("Trusted signing key \(key) (listed in \(list)).")
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change the clinic's settings (audited).")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The clinic's time zone, an IANA name (e.g. Australia/Sydney, Pacific/Auckland, Europe/London, UTC).", valueName: "zone"))
        var timeZone: String?

        func validate() throws {
            guard let timeZone else { throw UsageError("nothing to set: give --time-zone NAME") }
            do { _ = try ClinicTimeZone.named(timeZone, field: "--time-zone") } catch { throw UsageError(error.description) }
        }

        func run() throws {
            guard let timeZone else { return }
            let zone = try global.session(create: false).setTimeZone(timeZone)
            Console.print("The clinic's time zone is now \(zone.identifier).")
        }
    }
}
