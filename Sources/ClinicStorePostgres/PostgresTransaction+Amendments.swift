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

    /// The visit timeline of a patient, newest first, with the complaint and pain now as last
    /// amended (SQLite's `visitSummaries`, its JSON walk over the amendments in PostgreSQL's words).
    public func visitSummaries(patientID: Int64) throws -> [VisitSummary] {
        try query("""
            SELECT v.id, v.patient_id, v.practitioner_id, v.started_at, v.status,
              coalesce((\(unescaped: Self.amendedValue("complaint"))), v.complaint) AS complaint,
              coalesce((SELECT CASE WHEN t ~ '^-?[0-9]+$' THEN t::integer END FROM (\(unescaped: Self.amendedValue("pain.now"))) AS amended(t)),
                       v.pain_now) AS pain_now,
              coalesce((SELECT sum(inserted) FROM needling_entry n WHERE n.visit_id = v.id AND n.struck_at IS NULL), 0)::bigint AS ins,
              coalesce((SELECT sum(removed) FROM needling_entry n WHERE n.visit_id = v.id AND n.struck_at IS NULL), 0)::bigint AS rem,
              (SELECT count(*) FROM amendment a WHERE a.visit_id = v.id) AS amendments
            FROM visit v WHERE v.patient_id = \(patientID) ORDER BY v.started_at DESC, v.id DESC
            """).map { row in
            let (id, patient, practitioner, startedAt, status, complaint, painNow, inserted, removed, amendments) = try decode(
                row, (Int64, Int64, Int64, String, String, String?, Int?, Int64, Int64, Int64).self, table: "visit")
            return VisitSummary(id: id, patientID: patient, practitionerID: practitioner,
                                startedAt: try timestamp(startedAt, table: "visit", row: id, column: "started_at"),
                                status: try enumeration(status, table: "visit", row: id, column: "status"),
                                complaint: complaint, painNow: painNow, needlesInserted: Int(inserted), needlesRemoved: Int(removed),
                                amendments: Int(amendments))
        }
    }

    /// The value of `field` after the visit's latest amendment that changed it (NULL when none
    /// did, or when it left the field blank, so the signed value shows).
    static func amendedValue(_ field: String) -> String {
        """
        SELECT nullif(c.value->>'after', '') FROM amendment a, json_array_elements(a.changes_json::json) WITH ORDINALITY AS c(value, key)
        WHERE a.visit_id = v.id AND c.value->>'field' = '\(field)' ORDER BY a.id DESC, c.key DESC LIMIT 1
        """
    }
}
