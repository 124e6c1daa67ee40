import Foundation
import ClinicModel
internal import ClinicStore

/// Why a use case refused, in words for the practitioner; each maps to one exit code.
public enum ServiceError: Error, Sendable, CustomStringConvertible {
    /// A clinical safety rule refused the action (consent, screen, needle count...): always a rule,
    /// never bad input (a value outside its range is a `ValidationError` of kind `.badValue`).
    case refused(action: String, reasons: [String])
    /// The user's role does not allow it (reception and clinical notes).
    case forbidden(String)
    /// Nobody is chosen to work as, and it cannot be guessed.
    case noPractitioner(String)
    /// The record asked for does not exist, in words ("no visit 12").
    case notFound(String)
    /// An input file problem (path missing, unreadable).
    case input(String)

    public var description: String {
        switch self {
        case .refused(let action, let reasons):
            "cannot \(action):\n" + reasons.map { "  - \($0)" }.joined(separator: "\n")
        case .forbidden(let m): m
        case .noPractitioner(let m): m
        case .notFound(let m): m
        case .input(let m): m
        }
    }
}
