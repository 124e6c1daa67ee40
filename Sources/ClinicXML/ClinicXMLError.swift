import Foundation
import ClinicModel

/// Why a clinical XML document was refused, with where in the file.
///
/// Every refusal names the file, the line (0 when unknown), and, where there is one, the
/// element's path, so a practitioner can open the letter and see what is wrong.
public struct ClinicXMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of refusal it is, from unreadable bytes to a broken clinical rule.
    public enum Kind: String, Sendable, Equatable {
        /// Not well-formed, too large, a DOCTYPE, bad encoding: libxml2 refused to parse it.
        case unreadable
        /// The root element or namespace is not a format Knot reads.
        case unknownFormat
        /// The document breaks its schema.
        case invalid
        /// Valid against the schema but breaks a rule a schema cannot say (e.g. no patient name).
        case ruleBroken
        /// The document's values break a clinical rule of the model.
        case clinicalValue
    }
    /// What kind of refusal it is.
    public var kind: Kind
    /// The file, as named to Knot (nil for a document in memory).
    public var file: String?
    /// The line in the document (1-based; 0 when not known).
    public var line: Int
    /// The element's path, when known (`/referral/patient/name`).
    public var path: String?
    /// What is wrong, in words.
    public var message: String

    /// A refusal of `kind`, placed as far as it is known.
    public init(kind: Kind, file: String? = nil, line: Int = 0, path: String? = nil, message: String) {
        self.kind = kind; self.file = file; self.line = line; self.path = path; self.message = message
    }

    public var description: String {
        var s = file ?? "<document>"
        if line > 0 { s += ":\(line)" }
        s += ": "
        if let path { s += "\(path): " }
        return s + message
    }
}

/// Several refusals found in one document (a schema reports every violation it finds).
public struct ClinicXMLErrors: Error, Sendable, Equatable, CustomStringConvertible {
    /// The refusals, in document order.
    public var errors: [ClinicXMLError]
    /// Refusals found together.
    public init(_ errors: [ClinicXMLError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
