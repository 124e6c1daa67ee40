import Foundation
import GRDB
import ClinicModel

/// The documents imported before (by SHA-256), so that a second import of one is a no-op.
extension StoreTransaction {
    /// Remembers that a document was imported (its SHA-256), so a second import is a no-op.
    public func recordImportedDocument(sha256: String, kind: String) throws {
        var insert = InPlaceBinding(try db.cachedStatement(sql: "/* bound in place */ INSERT INTO imported_document (sha256, kind, imported_at) VALUES (?, ?, ?)"), direct: scratch.directSteps)
        insert.text(sha256); insert.text(kind); insert.value(StoredDateText.databaseValue(Date()))
        try insert.execute()
    }

    /// Whether these bytes were filed before: imported (`wasImported`) or kept as a referral's
    /// original letter (`referralID(sha256:)`), in one statement (a letter batch asks it of
    /// every letter before anything else).
    ///
    /// Read straight through SQLite (`rowsBoundInPlace`), through GRDB when that cannot say.
    public func filedBefore(sha256: String) throws -> Bool {
        if let found = try rowsBoundInPlace(Self.filedBeforeInPlace, bind: { $0.text(sha256) },
                                            read: { InPlaceBinding.int64($0, 0) }) {
            return found.first.map { $0 != 0 } ?? false
        }
        return try Bool.fetchOne(db.cachedStatement(sql: Self.filedBeforeSQL), arguments: [sha256]) ?? false
    }

    static let filedBeforeSQL = """
        SELECT EXISTS (SELECT 1 FROM imported_document WHERE sha256 = ?1)
            OR EXISTS (SELECT 1 FROM referral WHERE original_sha256 = ?1)
        """
    static let filedBeforeInPlace = InPlaceBinding.marker + " " + filedBeforeSQL

    public func wasImported(sha256: String) throws -> Bool {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM imported_document WHERE sha256 = ?"), arguments: [sha256]) != nil
    }
}
