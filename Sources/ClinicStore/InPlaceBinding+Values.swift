import Foundation
import GRDB
import ClinicModel

/// The per-letter statements' values bound in place (`InPlaceBinding`), each as GRDB would bind
/// it through `StatementArguments`, so what is stored is the same byte for byte.
extension InPlaceBinding {
    /// A value by its `databaseValue` (what `StatementArguments` binds for it), or NULL.
    mutating func convertible<T: DatabaseValueConvertible>(_ value: T?) {
        guard let value else { return null() }
        self.value(value.databaseValue)
    }

    /// A date as its `YYYY-MM-DD` text (`LocalDate.databaseValue`), or NULL.
    mutating func date(_ value: LocalDate?) { text(value?.description) }
}
