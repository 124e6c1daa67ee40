import Foundation
import ClinicModel

/// Why a clinical XML document was refused, with where in the file.
///
/// Every refusal names the file, the line (0 when unknown), and, where there is one, the
/// element's path, so a practitioner can open the letter and see what is wrong.
public struct ClinicXMLError: Error, Sendable, Equatable, CustomStringConvertible {
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
    public var kind: Kind
    public var file: String?
    public var line: Int
    public var path: String?
    public var message: String

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
    public var errors: [ClinicXMLError]
    public init(_ errors: [ClinicXMLError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
