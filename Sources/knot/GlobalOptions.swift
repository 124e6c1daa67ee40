import ArgumentParser
import Foundation
import ClinicServices
import ClinicModel

/// Options every command shares: which database, who is working, output format.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The clinic database file (default: $KNOT_DATABASE, else $XDG_DATA_HOME/knot/clinic.sqlite).", valueName: "path"))
    var database: String?

    @Option(name: .long, help: ArgumentHelp("Who is working, by handle (default: $KNOT_PRACTITIONER, else the OS user's handle; without an account only `knot init` works).", valueName: "handle"))
    var practitioner: String?

    var databasePath: String { DatabaseLocation.resolve(explicit: database) }

    /// Whether the path is Knot's default one (neither `--database` nor `KNOT_DATABASE` given).
    var isDefaultPath: Bool { DatabaseLocation.isDefault(explicit: database) }

    /// Opens the database and resolves the practitioner.
    ///
    /// - Parameter create: whether a missing database is created. By default (nil) only the
    ///   default path is created on first use: a path given with `--database` or
    ///   `KNOT_DATABASE` that holds no database is refused (exit 66) and nothing is created
    ///   there, so a typo never starts an empty clinic. `knot init` and `knot demo` pass true.
    func session(create: Bool? = nil) throws -> ClinicSession {
        let handle = practitioner ?? ProcessInfo.processInfo.environment["KNOT_PRACTITIONER"]
        // Read the modes before opening: opening tightens the files to 0600 and would hide the exposure.
        let modeBefore = PermissionsCheck.fileMode(databasePath)
        let s = try ClinicSession.open(path: databasePath, handle: handle, create: create ?? isDefaultPath, notice: openingNotice)
        PermissionsCheck.warnIfExposed(path: s.database.path, modeBefore: modeBefore)
        return s
    }

    /// Says on stderr what opening the database does before it is ready (an upgrade).
    var openingNotice: (OpeningNotice) -> Void {
        let path = databasePath
        return { Console.warn(OpeningNotices.line($0, path: path)) }
    }
}

/// What the practitioner reads on stderr while opening does long work (an upgrade re-checks and
/// re-seals every record: minutes for a large clinic), so that a wait is never silent.
enum OpeningNotices {
    static func line(_ notice: OpeningNotice, path: String) -> String {
        switch notice {
        case let .upgrading(_, patients):
            let who = patients == 1 ? "1 patient" : "\(patients) patients"
            return "knot: upgrading \(path) (\(who)) for this version of Knot: every record is checked, then sealed again. "
                + "A large clinic takes minutes; let it finish. Older versions of Knot cannot open the clinic afterwards."
        case let .upgraded(seconds, foundProblems):
            let done = seconds < 1 ? "knot: upgrade done." : "knot: upgrade done in \(duration(seconds))."
            guard foundProblems == true else { return done }
            return done + " The check before it found records changed outside Knot or a damaged audit trail (recorded): run `knot audit verify`."
        }
    }

    /// "40 s", "2 min 34 s".
    static func duration(_ seconds: Double) -> String {
        let whole = max(0, Int(seconds.rounded()))
        return whole < 60 ? "\(whole) s" : "\(whole / 60) min \(whole % 60) s"
    }
}

/// `--json` for scripts.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON (stable field names, documented in docs/json.md) instead of a table.")
    var json = false

    /// Prints what a command did: `value` as JSON with `--json`, else `line` for the practitioner.
    func report<Value: Encodable>(_ value: Value, _ line: @autoclosure () throws -> String) throws {
        if json { try Console.printJSON(value) } else { Console.print(try line()) }
    }
}

/// Warns on stderr when others can read the database (it holds health records).
enum PermissionsCheck {
    static func fileMode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
    }

    /// - Parameter modeBefore: the file's mode before Knot opened it (opening sets it to 0600).
    static func warnIfExposed(path: String, modeBefore: Int?) {
        guard let mode = modeBefore ?? fileMode(path) else { return }
        if mode & 0o077 != 0 {
            if let now = fileMode(path), now & 0o077 == 0 {
                Console.warn("warning: \(path) was readable by other users (mode \(String(mode, radix: 8))); Knot has set it to \(String(now, radix: 8)). Check who could have copied it.")
            } else {
                Console.warn("warning: \(path) is readable by other users (mode \(String(mode, radix: 8))); run: chmod 600 \(path)")
            }
        }
        let dir = (path as NSString).deletingLastPathComponent
        if let d = try? FileManager.default.attributesOfItem(atPath: dir), let dm = d[.posixPermissions] as? Int,
           dm & 0o002 != 0, dm & 0o1000 == 0 {
            Console.warn("warning: the folder \(dir) is writable by other users (mode \(String(dm, radix: 8))); run: chmod 700 \(dir)")
        }
    }
}
typealias UsageError = ArgumentParser.ValidationError
