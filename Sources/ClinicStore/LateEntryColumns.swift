import Foundation
import GRDB
import ClinicModel

extension StoreTransaction {
    /// The late-entry mark of a consent, screen or needling row: both columns set, or none.
    static func lateEntry(_ r: CheckedRow) throws -> LateEntry? {
        guard let at: Date = try r["written_at"], let by: Int64 = try r["written_by"] else { return nil }
        return LateEntry(writtenAt: at, writtenBy: by)
    }
}
