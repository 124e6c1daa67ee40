import ArgumentParser
import Foundation
import ClinicModel
import ClinicServices
#if canImport(ClinicXML)
import ClinicXML
#endif

/// The one place that turns an error into a message on stderr and an exit code.
///
/// Codes follow sysexits where one fits: 1 a clinical rule refused, 65 bad input data,
/// 66 missing input, 73 cannot create, 74 I/O, 75 busy (try again), 77 not permitted.
enum ErrorReport {
    static func exitCode(for error: Error) -> Int32 {
        switch error {
        case let e as StorageError:
            switch e {
            case .notADatabase, .notAKnotDatabase, .newerDatabase, .damaged: return 65
            case .cannotOpen: return 73
            case .notFound, .missing: return 66
            case .duplicate, .constraint, .invalid, .draftConflict: return 1
            case .writeFailed: return 74
            case .readOnly, .notWritable: return 77
            case .busy: return 75
            }
        case let e as ServiceError:
            switch e {
            case .refused: return 1
            case .forbidden, .noPractitioner: return 77
            case .notFound: return 66
            case .input: return 66
            }
        case is ValidationErrors, is ClinicModel.ValidationError, is PossibleDuplicatePatient: return 1
        case is AmendmentError, is NewClinicRefused, is LetterTemplateRefused: return 65
        case let e as FileWriteError: return e.cannotCreate ? 73 : 74
        case let e as KnotCommandError: return e.code
        default:
            #if canImport(ClinicXML)
            if error is ClinicXMLError || error is ClinicXMLErrors { return 65 }
            #endif
            return 1
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

    /// Prints `knot: error: …` and exits.
    static func fail(_ error: Error) -> Never {
        Console.warn("knot: error: " + message(for: error))
        exit(exitCode(for: error))
    }
}

/// An error raised by a command itself (a bad combination of options found while running).
struct KnotCommandError: Error, CustomStringConvertible {
    var description: String
    var code: Int32 = 1
    init(_ description: String, code: Int32 = 1) { self.description = description; self.code = code }
}
