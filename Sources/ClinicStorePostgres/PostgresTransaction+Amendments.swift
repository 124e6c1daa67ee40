import Foundation
import ClinicModel
import PostgresNIO

/// Amendments to signed visits on PostgreSQL, as the SQLite store keeps them
/// (Sources/ClinicStore/Visits.swift): the signed note stays, each amendment sits beside it, and
/// the schema refuses to change one (`amendment_immutable`).
extension PostgresTransaction {
    /// Adds an amendment to a signed visit.
    @discardableResult
    public func insertAmendment(_ a: Amendment, actor: String, preservingID: Bool) throws -> Amendment {
        do { try a.validate() } catch { throw PostgresStoreError.invalid(error) }
        var a = a
        a.amendedAt = AuditChain.truncated(a.amendedAt)
        let patient = try patientID(visitID: a.visitID)
        a.id = try insertReturningID("""
            INSERT INTO amendment (id, visit_id, practitioner_id, amended_at, reason, changes_json)
            VALUES (coalesce(\(preservingID ? a.id : nil), nextval(pg_get_serial_sequence('amendment', 'id'))),
                    \(a.visitID), \(a.practitionerID), \(PGText.timestamp(a.amendedAt)), \(a.reason), \(try PGJSON.encode(a.changes)))
            RETURNING id
            """, table: "amendment")
        if preservingID { try advanceIdentity("amendment") }
        try appendAudit(AuditEvent(actor: actor, action: .amend, entity: "visit", entityID: a.visitID, patientID: patient,
                                   detail: "amendment \(a.id!)"))
        return a
    }

    /// A visit's amendments, oldest first.
    public func amendments(visitID: Int64) throws -> [Amendment] {
        try query("""
            SELECT id, visit_id, practitioner_id, amended_at, reason, changes_json FROM amendment WHERE visit_id = \(visitID) ORDER BY id
            """).map(amendment)
    }

    private func amendment(_ row: PostgresRow) throws -> Amendment {
        let (id, visitID, practitionerID, amendedAt, reason, changes) = try decode(
            row, (Int64, Int64, Int64, String, String, String).self, table: "amendment")
        let decoded: [Amendment.Change]
        do { decoded = try PGJSON.decoder.decode([Amendment.Change].self, from: Data(changes.utf8)) } catch {
            throw PostgresStoreError.damaged(table: "amendment", row: String(id), column: "changes_json", problem: "is not valid JSON for this column")
        }
        return Amendment(id: id, visitID: visitID, practitionerID: practitionerID,
                         amendedAt: try timestamp(amendedAt, table: "amendment", row: id, column: "amended_at"),
                         reason: reason, changes: decoded)
    }
}
