import Foundation
import GRDB
import ClinicModel

extension StoreTransaction {
    /// Marks a patient or visit as imported from an untrusted export (kept once: the first import).
    public func markUntrustedImport(entity: String, id: Int64, mark: UntrustedImport) throws {
        guard try db.tableExists("untrusted_import") else { return }
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO untrusted_import (entity, entity_id, imported_at, file, reason) VALUES (?, ?, ?, ?, ?)
            """).execute(arguments: [entity, id, mark.importedAt, String(mark.file.prefix(4096)), String(mark.reason.prefix(4000))])
    }

    /// The untrusted-import mark of a patient or visit, if it has one.
    public func untrustedImport(entity: String, id: Int64) throws -> UntrustedImport? {
        guard try db.tableExists("untrusted_import"),
              let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, imported_at, file, reason FROM untrusted_import WHERE entity = ? AND entity_id = ?"),
                                         arguments: [entity, id]) else { return nil }
        let c = row.checked("untrusted_import")
        return try UntrustedImport(importedAt: c["imported_at"], file: c["file"], reason: c["reason"])
    }

    /// Every untrusted-import mark: the kind ("patient" or "visit"), the record's id, the patient
    /// it belongs to, and the mark; by kind then id.
    public func untrustedImports() throws -> [(entity: String, id: Int64, patientID: Int64?, mark: UntrustedImport)] {
        guard try db.tableExists("untrusted_import") else { return [] }
        return try Row.fetchAll(db.cachedStatement(sql: """
            SELECT u.id, u.entity, u.entity_id, u.imported_at, u.file, u.reason,
                   CASE u.entity WHEN 'patient' THEN u.entity_id ELSE (SELECT v.patient_id FROM visit v WHERE v.id = u.entity_id) END AS patient_id
            FROM untrusted_import u ORDER BY u.entity, u.entity_id
            """)).map { row in
            let c = row.checked("untrusted_import")
            return try (c["entity"], c["entity_id"], c["patient_id"],
                        UntrustedImport(importedAt: c["imported_at"], file: c["file"], reason: c["reason"]))
        }
    }

    /// The operating-system login an account belongs to; nil when it is not bound.
    public func osUser(practitionerID: Int64) throws -> String? {
        guard try db.tableExists("account_os_user") else { return nil }
        return try String.fetchOne(db.cachedStatement(sql: "SELECT os_user FROM account_os_user WHERE practitioner_id = ?"), arguments: [practitionerID])
    }

    /// Binds an account to an operating-system login (nil unbinds it), audited.
    public func setOSUser(practitionerID: Int64, osUser: String?, actor: String) throws {
        if let osUser {
            try db.cachedStatement(sql: """
                INSERT INTO account_os_user (practitioner_id, os_user) VALUES (?, ?)
                ON CONFLICT(practitioner_id) DO UPDATE SET os_user = excluded.os_user
                """).execute(arguments: [practitionerID, osUser])
        } else {
            try db.cachedStatement(sql: "DELETE FROM account_os_user WHERE practitioner_id = ?").execute(arguments: [practitionerID])
        }
        try appendAudit(AuditEvent(actor: actor, action: .update, entity: "practitioner", entityID: practitionerID,
                                   detail: osUser.map { "bound to operating-system user \($0)" } ?? "unbound from its operating-system user"))
    }
}

extension StoreTransaction {
    /// The clinic records, as "kind:id" in a clinic export's kinds (practitioner, patient,
    /// referral, consent, screen, visit, amendment, plan), one of whose rows no longer matches its
    /// audited seal or has none: changed or added outside Knot. A row of a record's part (an
    /// alert, an identifier, an attachment, a visit entry) counts for the record that holds it.
    /// Empty without the clinic key (nothing can be checked). An export writes these records with
    /// a digest that says so (`RecordsExportWriter.changedRecords`).
    public func recordsNotInAuditedState() throws -> Set<String> {
        guard let identity = try RowSeal.identity(db), identity.keyedFrom != nil, let key else { return [] }
        let findings = try RowSeal.verifyRows(db, key: key, limit: Int.max).findings
        let own: [String: String] = ["practitioner": "practitioner", "patient": "patient", "referral": "referral", "consent": "consent",
                                     "precaution_screen": "screen", "visit": "visit", "amendment": "amendment", "follow_up_plan": "plan"]
        let parts: [String: (column: String, kind: String)] = [
            "patient_alert": ("patient_id", "patient"), "patient_identifier": ("patient_id", "patient"),
            "referral_attachment": ("referral_id", "referral"), "trigger_point": ("visit_id", "visit"),
            "biomechanical_finding": ("visit_id", "visit"), "treatment": ("visit_id", "visit"),
            "needling_entry": ("visit_id", "visit"), "outcome_measure": ("visit_id", "visit"),
        ]
        var out = Set<String>()
        for f in findings where f.kind != .deleted {
            if let kind = own[f.table] {
                out.insert("\(kind):\(f.rowID)")
            } else if let part = parts[f.table],
                      let owner = try Int64.fetchOne(db, sql: "SELECT \(part.column) FROM \(f.table) WHERE rowid = ?", arguments: [f.rowID]) {
                out.insert("\(part.kind):\(owner)")
            }
        }
        return out
    }
}
