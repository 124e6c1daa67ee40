import ArgumentParser
import Foundation
import ClinicServices

struct MigrateStoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate-store",
        abstract: "Move the whole clinic from the current database to another store (a new SQLite file or an empty PostgreSQL database), ids and audit trail kept.",
        discussion: """
        An administrator's command. The clinic is exported to a private scratch file (--scratch, \
        default $TMPDIR; deleted afterwards) and imported into the target in one transaction, whose \
        audit trail (the same events and hashes) is checked link by link before it commits and \
        verified as `knot audit verify` does after: the target holds the whole clinic or nothing. \
        Refused, creating nothing: a target that already holds a clinic (exit 73), an SQLite path \
        where a file already is (exit 73), records changed outside Knot since their audited write \
        (exit 65; see `knot audit verify`). The current database is only read (it records the export \
        in its audit trail) and stays in use until you point --database or KNOT_DATABASE at the new one: \
        what is written to it after the move began is not moved, so move the clinic while nobody works.
          knot migrate-store --to 'postgres://knot@db.example/clinic?passfile=/etc/knot/pgpass'
          knot --database 'postgres://knot@db.example/clinic' migrate-store --to /srv/knot/clinic.sqlite
        Passwords come from PGPASSFILE or a passfile in the URL, never the command line.
        """)
    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Where the clinic goes: a new SQLite file path or a postgres:// URL of an empty database.", valueName: "path-or-url"))
    var to: String
    @Option(help: ArgumentHelp("A folder for the scratch export (needs room for one export of the clinic; default $TMPDIR).", valueName: "folder"))
    var scratch: String?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if to.isEmpty { throw UsageError("--to: give a new SQLite file path or a postgres:// URL") }
    }

    func run() throws {
        let session = try global.session(create: false)
        let line = MoveProgressLine(enabled: !output.json && isatty(2) == 1)
        let summary: StoreMigrationSummary
        do {
            summary = try session.migrateStore(to: DatabaseLocation.resolve(explicit: to), scratchFolder: scratch ?? NSTemporaryDirectory(),
                                               progress: line.update)
        } catch {
            line.finish()
            throw error
        }
        line.finish()
        if output.json { try Console.printJSON(summary); return }
        for w in summary.warnings { Console.warn("warning: \(w)") }
        Console.print("Moved the clinic from \(summary.from) to \(summary.to): \(summary.patients) patient(s), \(summary.visits) visit(s), "
                      + "\(summary.referrals) referral(s), \(summary.practitioners) account(s), \(summary.auditEvents) audit event(s) with their hashes.")
        Console.print("Audit trail verified on the new store: \(summary.auditEventsVerified) event(s), head hash \(summary.headHash).")
        Console.print("Knot still uses \(summary.from): work on the new store with --database or KNOT_DATABASE set to it.")
    }
}

/// The move's progress on one line of stderr, rewritten in place (only on a terminal).
final class MoveProgressLine {
    let enabled: Bool
    private var last = ""
    init(enabled: Bool) { self.enabled = enabled }

    func update(_ step: StoreMigrationProgress) {
        guard enabled else { return }
        let text: String
        switch step {
        case .exporting(let done, let total): text = "Moving the clinic: reading patients \(done)/\(total)"
        case .importing(let done, let total): text = "Moving the clinic: writing patients \(done)/\(total)"
        case .verifying: text = "Moving the clinic: verifying the audit trail on the new store"
        }
        guard text != last else { return }
        let pad = String(repeating: " ", count: max(0, last.count - text.count))
        last = text
        FileHandle.standardError.write(Data("\r\(text)\(pad)".utf8))
    }

    func finish() { if enabled && !last.isEmpty { FileHandle.standardError.write(Data("\n".utf8)) } }
}
