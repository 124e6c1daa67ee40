import Foundation
import ClinicModel
import ClinicServices

/// The error a closure threw, or nil (for a test that looks at what was refused and how).
public func caught<T>(_ body: () throws -> T) -> Error? {
    do { _ = try body(); return nil } catch { return error }
}

extension StorageError {
    /// The fields named when a use case's store refused a value for a model rule.
    public var invalidFields: [String] {
        if case .invalid(let e) = self { return e.errors.map(\.field) }
        return []
    }
}
