import Foundation
import Testing
import GRDB
import ClinicModel
import ClinicServices
@testable import ClinicStore

/// A signed visit stays as it was signed against a program (or a bug) writing raw SQL to the
/// file: a merge moves it to the kept record and changes nothing else, whatever column a later
/// Knot adds, and no entry of a draft visit is moved into it.
@Suite struct SignedVisitGuardTests {
    static let refusal = "a signed visit cannot be changed; amend it instead"
    /// The tables of a visit's entries: refused, like the visit, once it is signed.
    static let entryTables = ["trigger_point", "biomechanical_finding", "treatment", "needling_entry", "outcome_measure"]
    /// Other tables that point at a visit, with their own rules (amendments never change; a
    /// final plan never changes).
    static let otherVisitTables = ["amendment", "follow_up_plan"]

    /// Runs raw SQL through a plain connection; SQLite's refusal, or nil when it was written.
    static func raw(_ clinic: Clinic, _ sql: String, _ arguments: StatementArguments = []) throws -> DatabaseError? {
        let q = try clinic.raw()
        defer { try? q.close() }
        do {
            try q.write { try $0.execute(sql: sql, arguments: arguments) }
            return nil
        } catch let e as DatabaseError {
            return e
        }
    }

    static func read<T>(_ clinic: Clinic, _ body: (Database) throws -> T) throws -> T {
        let q = try clinic.raw()
        defer { try? q.close() }
        return try q.read(body)
    }

    static func visitColumns(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('visit') ORDER BY cid")
    }

    // MARK: the merge exception

    @Test("every visit column but patient_id is compared by the merge exception of visit_signed_immutable")
    func theMergeExceptionCoversEveryVisitColumn() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let (columns, trigger) = try Self.read(clinic) { db in
            (try Self.visitColumns(db),
             try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'visit_signed_immutable'") ?? "")
        }
        #expect(columns.contains("impression_code_system"))
        for column in columns where column != "patient_id" {
            #expect(trigger.contains("NEW.\(column) IS OLD.\(column)"),
                    "visit.\(column) is not compared by visit_signed_immutable: a migration that adds a visit column must re-create that trigger with it")
        }
    }

    /// OTHER's signed visit, every column filled, and a donor visit of KEEP whose every column
    /// differs; OTHER is marked merged into KEEP. Then, column by column, a merge-shaped update
    /// that also changes that one column is refused, and the merge alone goes through.
    @Test("a merge moving a signed visit cannot change any other column, the impression included")
    func aMergeCannotChangeAnythingButThePatient() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let keep = try clinic.addPatient("Jo", "Smith", record: "K1")
        let other = try clinic.addPatient("Joanne", "Smith", record: "K2")
        let day = testToday.adding(days: -10)
        let target = try #require(try clinic.addVisit(patient: other, day: day, complaint: "Neck pain").id)
        let donor = try #require(try clinic.addVisit(patient: keep, day: day.adding(days: 1), complaint: "Low back pain").id)
        let referrals = try clinic.db.write { tx in
            try [other, keep].map { p in
                try #require(try tx.insertReferral(Referral(patientID: p.id!, referrerName: "Dr Whitford", date: day.adding(days: -5),
                                                            reason: "Pain"), actor: "test").id)
            }
        }
        #expect(try Self.raw(clinic, """
            INSERT INTO practitioner (handle, name, profession, role, created_at)
            VALUES ('alee', 'Al Lee', 'physiotherapist', 'practitioner', '2026-01-01 09:00:00.000')
            """) == nil)
        let fill = """
            UPDATE visit SET practitioner_id = ?, referral_id = ?, pain_now = ?, pain_best = ?, pain_worst = ?, psfs_json = ?, notes = ?,
              likely_cause_notes = ?, revision = ?, impression = ?, impression_code = ?, impression_code_system = ?,
              status = 'signed', signed_at = ? WHERE id = ?
            """
        #expect(try Self.raw(clinic, fill, [clinic.practitioner.id, referrals[0], 6, 2, 8, #"[{"activity":"Driving","score":4}]"#, "Worse at work",
                                            "Desk set-up", 3, "Right upper trapezius myofascial pain", "24026003", "snomed-ct",
                                            "2026-06-20 11:00:00.000", target]) == nil)
        let alee = try Self.read(clinic) { try Int64.fetchOne($0, sql: "SELECT id FROM practitioner WHERE handle = 'alee'") }
        #expect(try Self.raw(clinic, fill, [alee, referrals[1], 4, 1, 5, "[]", "Better", "Lifting", 7, "Lumbar facet irritation",
                                            "M54.5", "icd-10", "2026-06-21 12:00:00.000", donor]) == nil)
        // OTHER marked merged into KEEP, its referral moved, as `knot patient merge` does first.
        #expect(try Self.raw(clinic, "UPDATE patient SET merged_into = ?, archived = 1 WHERE id = ?", [keep.id, other.id]) == nil)
        #expect(try Self.raw(clinic, "UPDATE referral SET patient_id = ? WHERE id = ?", [keep.id, referrals[0]]) == nil)

        let (columns, before, donorRow) = try Self.read(clinic) { db in
            (try Self.visitColumns(db),
             try #require(try Row.fetchOne(db, sql: "SELECT * FROM visit WHERE id = ?", arguments: [target])),
             try #require(try Row.fetchOne(db, sql: "SELECT * FROM visit WHERE id = ?", arguments: [donor])))
        }
        // Both are signed, so the status to try is the other one.
        let fallback: [String: DatabaseValue] = ["status": "draft".databaseValue]
        var tried: [String] = []
        for column in columns where column != "patient_id" {
            var value: DatabaseValue = donorRow[column]
            if value == before[column] as DatabaseValue { value = fallback[column] ?? .null }
            guard value != before[column] as DatabaseValue else {
                Issue.record("no other value to try for visit.\(column): give the donor visit one in this test")
                continue
            }
            let refused = try Self.raw(clinic, "UPDATE visit SET patient_id = ?, \(column.quotedDatabaseIdentifier) = ? WHERE id = ?",
                                       [keep.id, value, target])
            #expect(refused?.message == Self.refusal, "a merge could also change visit.\(column): \(String(describing: refused))")
            tried.append(column)
        }
        #expect(tried.contains("impression") && tried.contains("impression_code") && tried.contains("impression_code_system"))
        #expect(tried.count == columns.count - 1)
        let unchanged = try Self.read(clinic) { try Row.fetchOne($0, sql: "SELECT * FROM visit WHERE id = ?", arguments: [target]) }
        #expect(unchanged == before)

        // The move alone is the merge, and it goes through; the row is otherwise as signed.
        #expect(try Self.raw(clinic, "UPDATE visit SET patient_id = ? WHERE id = ?", [keep.id, target]) == nil)
        let moved = try #require(try Self.read(clinic) { try Row.fetchOne($0, sql: "SELECT * FROM visit WHERE id = ?", arguments: [target]) })
        for column in columns {
            let expected: DatabaseValue = column == "patient_id" ? keep.id!.databaseValue : before[column]
            #expect(moved[column] as DatabaseValue == expected, "visit.\(column)")
        }
        // Moved, it is KEEP's signed visit: no merge exception any more.
        #expect(try Self.raw(clinic, "UPDATE visit SET impression = 'Changed later' WHERE id = ?", [target])?.message == Self.refusal)
        #expect(try Self.raw(clinic, "UPDATE visit SET patient_id = ? WHERE id = ?", [other.id, target])?.message == Self.refusal)
    }

    @Test("knot patient merge still moves a signed visit with its impression and outcome measures, unchanged")
    func aRealMergeStillMovesSignedVisits() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let keep = try clinic.addPatient("Jo", "Smith", record: "K1")
        let other = try clinic.addPatient("Joanne", "Smith", record: "K2")
        var visit = try clinic.addVisit(patient: other, needles: 2)
        visit.impression = ClinicalImpression(text: "Right upper trapezius myofascial pain", code: "24026003", codeSystem: .snomedCT)
        try clinic.db.write { tx in
            try tx.updateVisitHeader(visit, actor: "test")
            _ = try tx.insertOutcome(try OutcomeMeasure(scale: .ndi, items: [1, 2, 1, 0, 2, 1, 0, 1, 2, 1]), visitID: visit.id!, actor: "test")
            try tx.signVisit(id: visit.id!, actor: "test")
        }
        let before = try #require(try clinic.db.read { try $0.visit(id: visit.id!) })

        let summary = try ClinicSession(database: clinic.db, user: clinic.practitioner).mergePatients(keepKey: "K1", otherKey: "K2")

        #expect(summary.moved["visit"] == 1)
        var after = try #require(try clinic.db.read { try $0.visit(id: visit.id!) })
        #expect(after.patientID == keep.id && after.status == .signed)
        #expect(after.impression == before.impression && after.impression?.code == "24026003")
        #expect(after.outcomes.count == 1 && after.needling.count == 1 && after.triggerPoints.count == 1)
        after.patientID = before.patientID
        #expect(after == before, "nothing but the patient changed")
        #expect(try clinic.db.integrityProblems().isEmpty)
    }

    // MARK: entries moved between visits

    /// One row of every entry table in `visit`, written as raw SQL; their ids by table.
    static func addEntries(_ clinic: Clinic, visit: Int64) throws -> [String: Int64] {
        let inserts = [
            "trigger_point": "INSERT INTO trigger_point (visit_id, muscle_id, side, activity, taut_band, local_twitch, referred_pain) VALUES (?, 'soleus', 'left', 'active', 1, 0, 0)",
            "biomechanical_finding": #"INSERT INTO biomechanical_finding (visit_id, kind, side, measure_json) VALUES (?, 'lunge', 'left', '{"lunge":{"cm":9}}')"#,
            "treatment": "INSERT INTO treatment (visit_id, kind) VALUES (?, 'exercise')",
            "needling_entry": """
                INSERT INTO needling_entry (visit_id, muscle_id, side, needle_brand, needle_gauge_mm, needle_length_mm, needle_lot,
                  inserted, removed, technique, twitch_responses, sharps_disposed)
                VALUES (?, 'infraspinatus', 'left', 'Seirin', 0.25, 40, 'L1', 3, 1, 'static', 0, 1)
                """,
            "outcome_measure": "INSERT INTO outcome_measure (visit_id, scale, items_json, score) VALUES (?, 'ndi', '[1,2,1,0,2,1,0,1,2,1]', 22)",
        ]
        let q = try clinic.raw()
        defer { try? q.close() }
        return try q.write { db in
            var ids: [String: Int64] = [:]
            for table in Self.entryTables {
                try db.execute(sql: try #require(inserts[table], "no sample row for \(table)"), arguments: [visit])
                ids[table] = db.lastInsertedRowID
            }
            return ids
        }
    }

    @Test("an entry of a draft visit cannot be moved into a signed visit, in any entry table")
    func anEntryCannotBeMovedIntoASignedVisit() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let patient = try clinic.addPatient("Jo", "Smith")
        let signed = try clinic.addVisit(patient: patient, day: testToday.adding(days: -9), needles: 2)
        try clinic.db.write { tx in try tx.signVisit(id: signed.id!, actor: "test") }
        let draft = try #require(try clinic.addVisit(patient: patient, day: testToday.adding(days: -2)).id)
        let otherDraft = try #require(try clinic.addVisit(patient: patient, day: testToday.adding(days: -1)).id)
        let entries = try Self.addEntries(clinic, visit: draft)
        func counts(_ visit: Int64) throws -> [Int] {
            try Self.read(clinic) { db in
                try Self.entryTables.map { try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0) WHERE visit_id = ?", arguments: [visit]) ?? 0 }
            }
        }
        let signedBefore = try counts(signed.id!)

        for table in Self.entryTables {
            let id = try #require(entries[table])
            let into = try Self.raw(clinic, "UPDATE \(table) SET visit_id = ? WHERE id = ?", [signed.id, id])
            #expect(into?.message == Self.refusal, "\(table): an entry was moved into a signed visit")
            // Struck out on the way in, or not: still refused.
            if table != "outcome_measure" {
                let struck = try Self.raw(clinic, """
                    UPDATE \(table) SET visit_id = ?, struck_at = '2026-06-29 10:00:00.000', struck_by = 'test', strike_reason = 'moved' WHERE id = ?
                    """, [signed.id, id])
                #expect(struck?.message == Self.refusal, "\(table)")
            }
            // Between two drafts an entry may still move, and the draft's entries may still change.
            #expect(try Self.raw(clinic, "UPDATE \(table) SET visit_id = ? WHERE id = ?", [otherDraft, id]) == nil, "\(table)")
            #expect(try Self.raw(clinic, "UPDATE \(table) SET visit_id = ? WHERE id = ?", [draft, id]) == nil, "\(table)")
        }
        // Out of the signed visit is refused too (the visit it comes from).
        let signedNeedle = try #require(signed.needling.first?.id)
        #expect(try Self.raw(clinic, "UPDATE needling_entry SET visit_id = ? WHERE id = ?", [draft, signedNeedle])?.message == Self.refusal)

        #expect(try counts(signed.id!) == signedBefore)
        #expect(try counts(draft) == [2, 1, 1, 1, 1], "the draft keeps its entries (its trigger point from addVisit, and one of each)")
        let read = try #require(try clinic.db.read { try $0.visit(id: signed.id!) })
        #expect(read.status == .signed && read.needling.count == 1 && read.needling[0].needlesInserted == read.needling[0].needlesRemoved)
    }

    @Test("every table of a visit's entries has signed-visit triggers that check the visit an entry goes to")
    func everyEntryTableChecksBothVisits() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let (visitTables, triggers) = try Self.read(clinic) { db in
            (Set(try String.fetchAll(db, sql: """
                SELECT m.name FROM sqlite_master m, pragma_foreign_key_list(m.name) f
                WHERE m.type = 'table' AND f."table" = 'visit' AND f."from" = 'visit_id'
                """)),
             Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
                .map { ($0["name"] as String, $0["sql"] as String) }))
        }
        #expect(visitTables == Set(Self.entryTables + Self.otherVisitTables),
                "a new table of a visit's entries needs *_signed_insert/update/delete triggers (checking OLD.visit_id and NEW.visit_id) and a place in this list")
        for table in Self.entryTables {
            #expect(triggers["\(table)_signed_insert"]?.contains("NEW.visit_id") == true, "\(table)_signed_insert")
            let update = triggers["\(table)_signed_update"] ?? ""
            #expect(update.contains("OLD.visit_id") && update.contains("NEW.visit_id"), "\(table)_signed_update: \(update)")
            #expect(triggers["\(table)_signed_delete"]?.contains("OLD.visit_id") == true, "\(table)_signed_delete")
        }
    }
}
