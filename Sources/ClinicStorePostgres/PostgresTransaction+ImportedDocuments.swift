import Foundation
import ClinicModel
import PostgresNIO

/// The documents imported before (by SHA-256), so that a second import of one is a no-op, as
/// the SQLite store keeps them (Sources/ClinicStore/ImportedDocuments.swift).
extension PostgresTransaction {
    /// Remembers that a document was imported (its SHA-256), so a second import is a no-op.
    public func recordImportedDocument(sha256: String, kind: String) throws {
        try execute("INSERT INTO imported_document (sha256, kind, imported_at) VALUES (\(sha256), \(kind), \(PGText.timestamp(Date())))")
    }

    /// Whether a document with this SHA-256 was imported before.
    public func wasImported(sha256: String) throws -> Bool {
        try value("SELECT 1 FROM imported_document WHERE sha256 = \(sha256)", as: Int32.self, table: "imported_document") != nil
    }
}
