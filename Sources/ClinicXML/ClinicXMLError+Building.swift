import Foundation
import ClinicModel
import LibXML

/// Turning LibXML's and the model's errors into `ClinicXMLError`s that name the file and line.
extension ClinicXMLError {
    /// One refusal from a LibXML issue: schema violations are `.invalid`, everything else
    /// (malformed, too large, DOCTYPE, encoding) is `.unreadable`.
    init(_ issue: XMLError, file: String?) {
        self.init(kind: issue.kind == .invalid ? .invalid : .unreadable, file: issue.file ?? file,
                  line: issue.line, message: issue.message)
    }

    /// The first problem of any error LibXML threw, as one refusal.
    static func unreadable(_ error: any Error, file: String?) -> ClinicXMLError {
        ClinicXMLErrors(converting: error, file: file).errors.first
            ?? ClinicXMLError(kind: .unreadable, file: file, message: "\(error)")
    }

    /// A rule broken at `element` (its line and path).
    static func rule(_ kind: Kind = .ruleBroken, _ message: String, at element: XMLElement?, file: String?) -> ClinicXMLError {
        ClinicXMLError(kind: kind, file: file, line: element?.line ?? 0, path: element?.path, message: message)
    }

    /// A rule broken at the element `cursor` reads (its line and path, as the copied element's).
    static func rule(_ kind: Kind = .ruleBroken, _ message: String, at cursor: XMLElementCursor?, file: String?) -> ClinicXMLError {
        ClinicXMLError(kind: kind, file: file, line: cursor?.line ?? 0, path: cursor?.path, message: message)
    }
}

extension ClinicXMLErrors {
    /// Every problem in `error`: LibXML's `XMLErrors` issue by issue, ours as they are.
    init(converting error: any Error, file: String?) {
        switch error {
        case let errors as ClinicXMLErrors:
            self = errors
        case let error as ClinicXMLError:
            self.init([error])
        case let errors as XMLErrors:
            var converted = errors.issues.map { ClinicXMLError($0, file: file) }
            if errors.omittedCount > 0, let last = converted.last {
                converted.append(ClinicXMLError(kind: last.kind, file: file,
                                                message: "... and \(errors.omittedCount) more problems"))
            }
            self.init(converted)
        case let error as XMLError:
            self.init([ClinicXMLError(error, file: file)])
        default:
            self.init([ClinicXMLError(kind: .unreadable, file: file, message: "\(error)")])
        }
    }

    /// The model's rule violations for the record at `element`, as `.clinicalValue` refusals.
    init(_ violations: ValidationErrors, at element: XMLElement?, file: String?, prefix: String = "") {
        self.init(violations.errors.map { violation in
            ClinicXMLError.rule(.clinicalValue, prefix + violation.description, at: element, file: file)
        })
    }
}
