import ArgumentParser
import Foundation
import ClinicModel
import ClinicServices
#if canImport(ClinicXML)
import ClinicXML
#endif

/// Knot's exit codes: the one table (the README's "Errors" paragraph lists the same).
///
/// Codes follow sysexits where one fits: 1 a clinical rule refused, 3 a check found problems
/// (`knot check`, `knot audit verify`), 64 a command typed wrong (unknown option, missing
/// argument: the argument parser's), 65 bad input data, 66 missing input, 73 cannot create,
/// 74 I/O, 75 busy (try again), 77 not permitted.
enum ExitStatus: Int32, Sendable {
    case refused = 1
    case findings = 3
    case usage = 64
    case badInput = 65
    case missingInput = 66
    case cannotCreate = 73
    case io = 74
    case busy = 75
    case notPermitted = 77
}

/// The one place that turns an error into a message on stderr and an exit code.
enum ErrorReport {
    static func exitCode(for error: Error) -> Int32 { status(for: error).rawValue }

    static func status(for error: Error) -> ExitStatus {
        switch error {
        case let e as StorageError:
            switch e {
            case .notADatabase, .notAKnotDatabase, .newerDatabase, .damaged: return .badInput
            case .cannotOpen: return .cannotCreate
            case .notFound, .missing: return .missingInput
            case .invalid(let v): return status(for: v)
            case .duplicate, .constraint, .draftConflict: return .refused
            case .writeFailed, .notBuilt, .commitUnknown: return .io
            case .readOnly, .notWritable, .cannotSeal, .notReadable: return .notPermitted
            case .busy: return .busy
            }
        case let e as ServiceError:
            switch e {
            case .refused: return .refused
            case .forbidden, .noPractitioner: return .notPermitted
            case .notFound: return .missingInput
            case .input: return .missingInput
            }
        // A value outside what its field accepts is bad input; a rule that refused it is a refusal.
        case let e as ValidationErrors: return e.kind == .badValue ? .badInput : .refused
        case let e as ClinicModel.ValidationError: return e.kind == .badValue ? .badInput : .refused
        case is PossibleDuplicatePatient, is ChosenPatientDiffers: return .refused
        case is AmendmentError, is NewClinicRefused, is LetterTemplateRefused, is StoreMoveRefused: return .badInput
        case let e as FileWriteError: return e.cannotCreate ? .cannotCreate : .io
        case let e as KnotCommandError: return e.status
        case is UsageError: return .usage
        default:
            #if canImport(ClinicXML)
            if error is ClinicXMLError || error is ClinicXMLErrors { return .badInput }
            #endif
            return .refused
        }
    }

    static func message(for error: Error) -> String {
        switch error {
        case let e as ValidationErrors:
            return "invalid input:\n" + e.errors.map { "  - \($0)" }.joined(separator: "\n")
        case let e as PossibleDuplicatePatient:
            return e.description + "\n" + (e.sharesIdentifier
                ? "An identifier belongs to one patient only: use the record above, or correct the identifier."
                : "If this is a different person, run again with --allow-duplicate; if it is the same person, use the record above (two records of one person join with `knot patient merge KEEP OTHER`).")
        case let e as ChosenPatientDiffers:
            return e.description + "\nIf \(e.recordNumber) is the letter's patient all the same, run again with --confirm-different-patient;"
                + " else choose another with --patient (knot referral conflicts lists the candidates) or file it with --new-patient."
        case let e as UsageError:
            return e.message
        case let e as StorageError:
            if case .invalid(let v) = e { return "invalid input:\n" + v.errors.map { "  - \($0)" }.joined(separator: "\n") }
            return e.description
        case let e as CustomStringConvertible:
            return e.description
        default:
            return "\(error)"
        }
    }

    /// Whether the error is one of Knot's own (the argument parser reports the rest).
    static func isKnotError(_ error: Error) -> Bool {
        switch error {
        case is StorageError, is ServiceError, is ValidationErrors, is ClinicModel.ValidationError, is AmendmentError, is PossibleDuplicatePatient, is ChosenPatientDiffers, is NewClinicRefused, is FileWriteError, is LetterTemplateRefused, is StoreMoveRefused: return true
        default:
            #if canImport(ClinicXML)
            if error is ClinicXMLError || error is ClinicXMLErrors { return true }
            #endif
            return error is KnotCommandError
        }
    }

    /// Reports what the argument parser refused, reading its error through its public API only
    /// (`Knot.message(for:)`, `Knot.exitCode(for:)`, `Knot.exit(withError:)`):
    /// - with `--help` (or `-h`) typed, the help of the command named wins over any mistake typed
    ///   with it (exit 0), as the parser does for its own checks;
    /// - a value an option refused (one of Knot's argument types recorded it: `RefusedArgument`)
    ///   exits 65 with the parser's message, which names the option, the value and what it accepts;
    /// - anything else (an unknown option or subcommand, a missing argument, a `validate()` check)
    ///   is the parser's to report: its usage message, exit 64.
    static func failParsing(_ error: Error, arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        if var help = helpRequested(arguments) {
            do { try help.run() } catch { Knot.exit(withError: error) }
            Knot.exit()
        }
        if RefusedArgument.happened { fail(KnotCommandError(Knot.message(for: error), .badInput)) }
        Knot.exit(withError: error)
    }

    static let helpFlags: Set<String> = ["--help", "-h", "-help"]

    /// The parser's help command for the command `arguments` name, when they ask for help
    /// (`--help`, `-h` or `-help` before any `--`): the longest run of the arguments that parses
    /// with `--help` after it names the command, so a bad value typed after the command's name
    /// does not hide its help. (A run that parses as one of Knot's own commands took `--help`
    /// as a value, and is passed over.)
    static func helpRequested(_ arguments: [String]) -> ParsableCommand? {
        let typed = arguments.prefix { $0 != "--" }
        guard typed.contains(where: helpFlags.contains) else { return nil }
        let knotCommands = Set(commandTree(Knot.self).map(ObjectIdentifier.init))
        for count in stride(from: typed.count, through: 0, by: -1) {
            let candidate = typed.prefix(count).filter { !helpFlags.contains($0) } + ["--help"]
            if let command = try? Knot.parseAsRoot(candidate), !knotCommands.contains(ObjectIdentifier(type(of: command))) {
                return command
            }
        }
        return nil
    }

    /// A command and all its subcommands, at every depth.
    static func commandTree(_ root: ParsableCommand.Type) -> [ParsableCommand.Type] {
        [root] + root.configuration.subcommands.flatMap(commandTree)
    }

    /// Prints `knot: error: …` and exits.
    static func fail(_ error: Error) -> Never {
        let text = message(for: error)
        if !text.isEmpty { Console.warn("knot: error: " + text) }
        exit(exitCode(for: error))
    }
}

/// The command line's own error: what a command found wrong (a bad value for an option, a
/// bad combination, a check that found problems), with its place in the exit-code table.
/// Thrown from `validate()` (no database needed) or `run()`; nothing else makes an exit code.
struct KnotCommandError: Error, CustomStringConvertible {
    var description: String
    var status: ExitStatus
    init(_ description: String, _ status: ExitStatus = .refused) { self.description = description; self.status = status }

    /// A value an option does not accept: names the option, the value and what it accepts (exit 65).
    static func badValue(_ option: String, _ value: String, accepts: String) -> KnotCommandError {
        KnotCommandError("\(option): '\(value)' is not accepted: \(accepts)", .badInput)
    }

    /// Ends the command with a code and no further message (what went wrong is already printed).
    static func silent(_ status: ExitStatus) -> KnotCommandError { KnotCommandError("", status) }
}
