import Foundation
import GRDB
import ClinicModel

extension StoreTransaction {
    /// Patients who may be the same person as `patient`: the same identifier (system and
    /// value), or the same date of birth with a similar name (case and accents folded; the
    /// same family name, the same first given name, or one letter apart on either).
    ///
    /// `patient` itself (by id) and records already merged into another are left out; archived
    /// patients are included (a returning patient is often archived).
    public func duplicateCandidates(of patient: Patient) throws -> [DuplicateCandidate] {
        var holders: [(PatientIdentifier, Int64)] = []
        for ident in patient.identifiers {
            if let id = try patientID(identifier: ident) { holders.append((ident, id)) }
        }
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, family_name, given_names FROM patient WHERE date_of_birth = ? AND merged_into IS NULL ORDER BY id
            """), arguments: [patient.dateOfBirth])
        let born = try rows.map { plain in
            let row = plain.checked("patient")
            return try DuplicateMatching.Born(id: row["id"], familyName: row["family_name"], givenNames: row["given_names"])
        }
        return try DuplicateMatching.candidates(of: patient, identifierHolders: holders, bornSameDay: born).compactMap { id, reasons in
            guard let p = try self.patient(id: id), try mergedInto(patientID: id) == nil else { return nil }
            return DuplicateCandidate(patient: PatientSummary(p), reasons: reasons)
        }
    }

    /// The patient this record was merged into, if it was.
    public func mergedInto(patientID: Int64) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT merged_into FROM patient WHERE id = ?"), arguments: [patientID])
    }

    /// Moves every row that belongs to patient `otherID` to `keepID`, after marking OTHER
    /// merged into KEEP and archived; returns how many rows moved, per table.
    ///
    /// The tables are found from the schema (every foreign key to `patient`), so a table added
    /// later moves too. A form draft kept for OTHER's details follows to KEEP's details slot.
    /// Signed visits move through the one exception the `v5-patient-merge` trigger allows (the
    /// mark is set first). The callers check the clinical rules (identifiers, drafts) first;
    /// the audit trail gets one event on each patient.
    public func mergePatient(keepID: Int64, otherID: Int64, actor: String, detail: String) throws -> [String: Int] {
        guard keepID != otherID else { throw StoreError.constraint(message: "a patient cannot be merged into itself") }
        guard try patient(id: keepID) != nil else { throw StoreError.notFound(entity: "patient", key: String(keepID)) }
        guard try patient(id: otherID) != nil else { throw StoreError.notFound(entity: "patient", key: String(otherID)) }
        try db.cachedStatement(sql: "UPDATE patient SET merged_into = ?, archived = 1, updated_at = ? WHERE id = ?")
            .execute(arguments: [keepID, Date(), otherID])
        var moved: [String: Int] = [:]
        let references = try Row.fetchAll(db, sql: """
            SELECT m.name AS tbl, f."from" AS col FROM sqlite_master m, pragma_foreign_key_list(m.name) f
            WHERE m.type = 'table' AND f."table" = 'patient' AND m.name != 'patient' ORDER BY m.name
            """)
        for ref in references {
            let table: String = ref["tbl"], column: String = ref["col"]
            try db.execute(sql: "UPDATE \(table.quotedDatabaseIdentifier) SET \(column.quotedDatabaseIdentifier) = ? WHERE \(column.quotedDatabaseIdentifier) = ?",
                           arguments: [keepID, otherID])
            moved[table, default: 0] += db.changesCount
        }
        try db.execute(sql: "UPDATE form_draft SET slot = ? WHERE slot = ?",
                       arguments: [FormDraftSlot.patient(keepID).rawValue, FormDraftSlot.patient(otherID).rawValue])
        moved["form_draft", default: 0] += db.changesCount
        try appendAudit(AuditEvent(actor: actor, action: .archive, entity: "patient", entityID: otherID, patientID: otherID,
                                   detail: "merged into patient \(keepID)"))
        try appendAudit(AuditEvent(actor: actor, action: .update, entity: "patient", entityID: keepID, patientID: keepID,
                                   detail: detail))
        return moved
    }

    /// Marks a patient, archived, as merged into `keepID` without moving anything: a records
    /// import bringing back a merge made before the export (its rows already belong to KEEP).
    public func markMerged(patientID: Int64, into keepID: Int64) throws {
        try db.cachedStatement(sql: "UPDATE patient SET merged_into = ?, archived = 1 WHERE id = ?").execute(arguments: [keepID, patientID])
    }

    /// Rows that belong to a patient, per table (every foreign key to `patient`), for merge
    /// summaries and tests.
    public func rowsBelonging(toPatient id: Int64) throws -> [String: Int] {
        let references = try Row.fetchAll(db, sql: """
            SELECT m.name AS tbl, f."from" AS col FROM sqlite_master m, pragma_foreign_key_list(m.name) f
            WHERE m.type = 'table' AND f."table" = 'patient' AND m.name != 'patient' ORDER BY m.name
            """)
        var counts: [String: Int] = [:]
        for ref in references {
            let table: String = ref["tbl"], column: String = ref["col"]
            counts[table, default: 0] += try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.quotedDatabaseIdentifier) WHERE \(column.quotedDatabaseIdentifier) = ?",
                                                          arguments: [id]) ?? 0
        }
        return counts
    }
}
