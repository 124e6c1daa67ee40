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
            case .duplicate, .constraint, .invalid, .draftConflict: return .refused
            case .writeFailed, .notBuilt: return .io
            case .readOnly, .notWritable: return .notPermitted
            case .busy: return .busy
            }
        case let e as ServiceError:
            switch e {
            case .refused: return .refused
            case .forbidden, .noPractitioner: return .notPermitted
            case .notFound: return .missingInput
            case .input: return .missingInput
            }
        case is ValidationErrors, is ClinicModel.ValidationError, is PossibleDuplicatePatient: return .refused
        case is AmendmentError, is NewClinicRefused, is LetterTemplateRefused: return .badInput
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
        case is StorageError, is ServiceError, is ValidationErrors, is ClinicModel.ValidationError, is AmendmentError, is PossibleDuplicatePatient, is NewClinicRefused, is FileWriteError, is LetterTemplateRefused: return true
        default:
            #if canImport(ClinicXML)
            if error is ClinicXMLError || error is ClinicXMLErrors { return true }
            #endif
            return error is KnotCommandError
        }
    }

    /// What the argument parser refused while parsing, when it is Knot's to report.
    enum ParserRefusal {
        /// `validate()` threw one of Knot's errors: reported with its own code.
        case knot(Error)
        /// A value an option or argument does not accept (a bad enum value, date or number): exit 65.
        case badValue
    }

    /// Reads the argument parser's error: its types are internal, so their shape is read by
    /// reflection (`CommandError.parserError`, a `ParserError` case). Anything else (an unknown
    /// option, a missing argument, `--help`) is nil and left to the parser (exit 64, or 0).
    static func parserRefusal(_ error: Error) -> ParserRefusal? {
        let parserError = Mirror(reflecting: error).children.first { $0.label == "parserError" }?.value ?? error
        guard let (label, payload) = Mirror(reflecting: parserError).children.first.map({ ($0.label, $0.value) }) else { return nil }
        switch label {
        case "userValidationError":
            if let inner = payload as? Error, isKnotError(inner) { return .knot(inner) }
            return nil
        case "unableToParseValue":
            // With --help the help is what was asked for: the parser shows it, as for any other error.
            if CommandLine.arguments.dropFirst().contains(where: { $0 == "--help" || $0 == "-h" }) { return nil }
            return .badValue
        default:
            return nil
        }
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
