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
        var reasons: [Int64: [String]] = [:]
        var order: [Int64] = []
        func note(_ id: Int64, _ reason: String) {
            if id == patient.id { return }
            if reasons[id] == nil { order.append(id) }
            if reasons[id]?.contains(reason) != true { reasons[id, default: []].append(reason) }
        }
        for ident in patient.identifiers {
            if let id = try patientID(identifier: ident) { note(id, "same \(ident.system.rawValue) identifier \(ident.value)") }
        }
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, family_name, given_names FROM patient WHERE date_of_birth = ? AND merged_into IS NULL ORDER BY id
            """), arguments: [patient.dateOfBirth])
        let family = Self.foldedName(patient.familyName), given = Self.foldedName(patient.givenNames)
        let firstGiven = given.split(separator: " ").first.map(String.init) ?? given
        for plain in rows {
            let row = plain.checked("patient")
            let id: Int64 = try row["id"]
            let otherFamily = Self.foldedName(try row["family_name"]), otherGiven = Self.foldedName(try row["given_names"])
            let otherFirstGiven = otherGiven.split(separator: " ").first.map(String.init) ?? otherGiven
            if !family.isEmpty, otherFamily == family {
                note(id, "same family name and date of birth")
            } else if Self.withinOneEdit(family, otherFamily) {
                note(id, "family name one letter apart, same date of birth")
            }
            if !firstGiven.isEmpty, otherFirstGiven == firstGiven || otherGiven == given {
                note(id, "same given name and date of birth")
            } else if Self.withinOneEdit(given, otherGiven) || Self.withinOneEdit(firstGiven, otherFirstGiven) {
                note(id, "given name one letter apart, same date of birth")
            }
        }
        return try order.compactMap { id in
            guard let p = try self.patient(id: id), try mergedInto(patientID: id) == nil else { return nil }
            return DuplicateCandidate(patient: PatientSummary(p), reasons: reasons[id] ?? [])
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

    /// A name folded for comparison: case and accents removed, punctuation to spaces, single spaces.
    static func foldedName(_ s: String) -> String {
        let folded = s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        let kept = String(String.UnicodeScalarView(folded.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? $0 : " " }))
        return kept.split(separator: " ").joined(separator: " ")
    }

    /// Whether two non-empty names are at most one insertion, deletion or substitution apart.
    static func withinOneEdit(_ a: String, _ b: String) -> Bool {
        let x = Array(a), y = Array(b)
        guard !x.isEmpty, !y.isEmpty, abs(x.count - y.count) <= 1 else { return false }
        var i = 0, j = 0, edits = 0
        while i < x.count, j < y.count {
            if x[i] == y[j] { i += 1; j += 1; continue }
            edits += 1
            if edits > 1 { return false }
            if x.count > y.count { i += 1 } else if y.count > x.count { j += 1 } else { i += 1; j += 1 }
        }
        return edits + (x.count - i) + (y.count - j) <= 1
    }
}
