import Foundation
import GRDB
import ClinicModel

/// The documents imported before (by SHA-256), so that a second import of one is a no-op.
extension StoreTransaction {
    /// Remembers that a document was imported (its SHA-256), so a second import is a no-op.
    public func recordImportedDocument(sha256: String, kind: String) throws {
        try db.cachedStatement(sql: "INSERT INTO imported_document (sha256, kind, imported_at) VALUES (?, ?, ?)").execute(arguments: [sha256, kind, StoredDateText.databaseValue(Date())])
    }

    public func wasImported(sha256: String) throws -> Bool {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM imported_document WHERE sha256 = ?"), arguments: [sha256]) != nil
    }
}
