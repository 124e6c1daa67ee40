import Foundation
import Testing
import ClinicTestSupport
import SeededRandom
import GRDB
import ClinicModel
import ClinicServices
import ClinicDemo
@testable import ClinicStore

/// The audit trail: every write appends a row chained to the one before, and any change made
/// behind Knot's back (even with the append-only triggers dropped) breaks the chain.
@Suite struct AuditTrailTests {
    static func head(_ db: ClinicDatabase) throws -> AuditRecord? { try db.read { try $0.auditLog(limit: 1).first } }

    @Test func everyWriteAppendsOneChainedRow() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        var previous = try #require(try Self.head(clinic.db))
        var patient: Patient!
        var visit: Visit!
        var plan: FollowUpPlan!
        let day = testToday.adding(days: -3)
        let steps: [(String, (StoreTransaction) throws -> Void)] = [
            ("patient", { tx in patient = try tx.insertPatient(Patient(recordNumber: "", givenNames: "Jo", familyName: "Smith",
                dateOfBirth: try LocalDate(parsing: "1980-05-17")), actor: "mchen", today: testToday) }),
            ("alert", { tx in _ = try tx.insertAlert(PatientAlert(kind: .precaution(.antiplatelet), text: "Aspirin", status: .proposed),
                                                     patientID: patient.id!, actor: "mchen") }),
            ("referral", { tx in _ = try tx.insertReferral(Referral(patientID: patient.id!, referrerName: "Dr Whitford",
                                                                    date: day.adding(days: -5), reason: "Neck pain"), actor: "mchen") }),
            ("consent", { tx in _ = try tx.insertConsent(Consent(patientID: patient.id!, practitionerID: clinic.practitioner.id!,
                                                                 recordedAt: moment(day, hour: 9), risksExplained: Set(Consent.Risk.allCases), benefitsExplained: true), actor: "mchen") }),
            ("screen", { tx in _ = try tx.insertScreen(PrecautionScreen(patientID: patient.id!, practitionerID: clinic.practitioner.id!,
                                                                       recordedAt: moment(day, hour: 9), validUntil: day.adding(days: 90)), actor: "mchen") }),
            ("visit", { tx in visit = try tx.insertVisit(Visit(patientID: patient.id!, practitionerID: clinic.practitioner.id!,
                                                                startedAt: moment(day, hour: 9, minute: 5)), actor: "mchen") }),
            ("trigger point", { tx in _ = try tx.insertTriggerPoint(TriggerPointFinding(muscleID: "upper-trapezius", side: .left, activity: .active),
                                                                    visitID: visit.id!, actor: "mchen") }),
            ("needling", { tx in visit.needling = [try tx.insertNeedling(Clinic.needling(2, removed: 0), visitID: visit.id!, actor: "mchen")] }),
            ("needles out", { tx in try tx.updateNeedlesRemoved(entryID: visit.needling[0].id!, removed: 2, actor: "mchen") }),
            ("sign", { tx in try tx.signVisit(id: visit.id!, actor: "mchen") }),
            ("amend", { tx in _ = try tx.insertAmendment(Amendment(visitID: visit.id!, practitionerID: clinic.practitioner.id!,
                reason: "Wrong side", changes: [.init(field: "triggerPoints[0].side", before: "left", after: "right")]), actor: "mchen") }),
            ("plan", { tx in plan = try tx.insertPlan(FollowUpPlan(visitID: visit.id!, status: .final, reviewDate: day.adding(days: 14),
                                                                   items: [.init(section: .review, text: "Review in 2 weeks")]), actor: "mchen") }),
            ("view", { tx in try tx.auditView(patientID: patient.id!, actor: "reception") }),
            ("archive", { tx in var p = try tx.patient(id: patient.id!)!; p.archived = true; try tx.updatePatient(p, actor: "mchen", today: testToday) }),
        ]
        for (name, step) in steps {
            try clinic.db.write { tx in try step(tx) }
            let log = try clinic.db.read { try $0.auditLog(limit: 2) }
            let newest = try #require(log.first)
            #expect(newest.event.id == previous.event.id! + 1, "\(name) did not append exactly one row")
            #expect(newest.prevHash == previous.hash, "\(name) did not chain to the previous row")
            #expect(log.dropFirst().first?.hash == previous.hash, "\(name) appended more than one row")
            previous = newest
        }
        #expect(plan.version == 1)
        let verification = try clinic.db.read { try $0.verifyAudit() }
        #expect(verification.isIntact)
        #expect(verification.headHash == previous.hash)
        #expect(verification.eventsChecked == Int(previous.event.id!))
        // Per-patient log: only that patient's rows, newest first.
        let mine = try clinic.db.read { try $0.auditLog(patientID: patient.id!, limit: 100) }
        #expect(mine.allSatisfy { $0.event.patientID == patient.id })
        #expect(mine.map { $0.event.id! } == mine.map { $0.event.id! }.sorted(by: >))
        #expect(mine.first?.event.action == .archive)
    }

    @Test func aFailedWriteLeavesNoAuditRow() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let before = try #require(try Self.head(clinic.db))
        _ = caught {
            try clinic.db.write { tx in
                _ = try tx.insertPatient(Patient(recordNumber: "", givenNames: "Jo", familyName: "Smith",
                                                 dateOfBirth: try LocalDate(parsing: "1980-05-17")), actor: "t", today: testToday)
                _ = try tx.insertPatient(Patient(recordNumber: "K00001", givenNames: "Jo", familyName: "Smith",
                                                 dateOfBirth: try LocalDate(parsing: "1980-05-17")), actor: "t", today: testToday)
            }
        }
        #expect(try Self.head(clinic.db) == before)
        #expect(try clinic.db.read { try $0.patientCount() } == 0)
    }

    @Test func aCleanDatabaseVerifies() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        try SyntheticClinic.generate(into: clinic.db, patients: 20, visitsPerPatient: 2, seed: 1, today: testToday)
        let v = try clinic.db.read { try $0.verifyAudit() }
        #expect(v.isIntact, "\(v.firstProblem ?? "")")
        #expect(v.eventsChecked > 100)
        // Reopening does not disturb it.
        try clinic.db.close()
        let again = try ClinicDatabase(path: clinic.path)
        #expect(try again.read { try $0.verifyAudit() } == v)
        try again.close()
    }
}

/// Tampering with the trail through a raw connection, with the append-only triggers dropped:
/// every kind of change is caught.
@Suite struct AuditTamperTests {
    enum Tamper: CaseIterable {
        case mutateField, deleteMiddle, deleteLast, forgeValidRowAtEnd, forgeGarbageRowAtEnd, replaceWithForgedRow,
             swapTwoRows, changeHash, truncateTail, dropHead
    }

    static let columns = ["at", "actor", "action", "entity", "entity_id", "patient_id", "detail", "prev_hash", "hash"]

    /// Applies one tamper to the trail of the database at `path` and says what was done.
    static func tamper(_ kind: Tamper, path: String, rng: inout SplitMix64) throws -> String {
        let q = try DatabaseQueue(path: path)
        defer { try? q.close() }
        return try q.write { db in
            try db.execute(sql: "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete")
            let last = try Int64.fetchOne(db, sql: "SELECT max(id) FROM audit_event")!
            let id = Int64(rng.int(1...Int(last)))
            switch kind {
            case .mutateField:
                let column = rng.pick(columns)
                let change: String = switch column {
                case "at": "at = strftime('%Y-%m-%d %H:%M:%f', at, '+\(rng.int(1...5000)) seconds')"
                case "action": "action = CASE action WHEN 'create' THEN 'view' ELSE 'create' END"
                case "entity": "entity = CASE entity WHEN 'visit' THEN 'patient' ELSE 'visit' END"
                case "entity_id", "patient_id": "\(column) = coalesce(\(column), 0) + \(rng.int(1...9))"
                case "prev_hash", "hash": "\(column) = CASE substr(\(column), 1, 1) WHEN 'a' THEN 'b' ELSE 'a' END || substr(\(column), 2)"
                default: "\(column) = coalesce(\(column), '') || ' (edited)'"
                }
                try db.execute(sql: "UPDATE audit_event SET \(change) WHERE id = ?", arguments: [id])
                return "changed \(column) of row \(id)"
            case .deleteMiddle:
                let middle = Int64(rng.int(1...Int(last - 1)))
                try db.execute(sql: "DELETE FROM audit_event WHERE id = ?", arguments: [middle])
                return "deleted row \(middle)"
            case .deleteLast:
                try db.execute(sql: "DELETE FROM audit_event WHERE id = ?", arguments: [last])
                return "deleted the last row"
            case .truncateTail:
                let keep = Int64(rng.int(1...Int(last - 2)))
                try db.execute(sql: "DELETE FROM audit_event WHERE id > ?", arguments: [keep])
                return "truncated after \(keep)"
            case .forgeValidRowAtEnd, .forgeGarbageRowAtEnd:
                let prev = try String.fetchOne(db, sql: "SELECT hash FROM audit_event WHERE id = ?", arguments: [last])!
                let event = AuditEvent(at: Date(timeIntervalSince1970: 1_780_000_000), actor: "intruder", action: .export,
                                       entity: "patient", entityID: 1, patientID: 1, detail: "export of every record")
                let hash = kind == .forgeValidRowAtEnd
                    ? StoreTransaction.auditHash(id: last + 1, event: event, prevHash: prev) : String(repeating: "f", count: 64)
                try db.execute(sql: """
                    INSERT INTO audit_event (id, at, actor, action, entity, entity_id, patient_id, detail, prev_hash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [last + 1, event.at, event.actor, event.action.rawValue, event.entity, event.entityID,
                                     event.patientID, event.detail, prev, hash])
                return kind == .forgeValidRowAtEnd ? "appended a correctly hashed forged row" : "appended a forged row"
            case .replaceWithForgedRow:
                // A careful forger: the replacement links correctly to its predecessor and hashes correctly.
                let target = Int64(rng.int(1...Int(last - 1)))
                let prev = try String.fetchOne(db, sql: "SELECT prev_hash FROM audit_event WHERE id = ?", arguments: [target])!
                let event = AuditEvent(at: Date(timeIntervalSince1970: 1_780_000_000), actor: "intruder", action: .view,
                                       entity: "patient", entityID: 1, patientID: 1)
                try db.execute(sql: "UPDATE audit_event SET at = ?, actor = ?, action = ?, entity = ?, entity_id = ?, patient_id = ?, detail = NULL, hash = ? WHERE id = ?",
                               arguments: [event.at, event.actor, event.action.rawValue, event.entity, event.entityID, event.patientID,
                                           StoreTransaction.auditHash(id: target, event: event, prevHash: prev), target])
                return "replaced row \(target) with a well-formed forgery"
            case .swapTwoRows:
                let a = Int64(rng.int(1...Int(last - 1)))
                let b = Int64(rng.int(Int(a + 1)...Int(last)))
                let cols = columns.joined(separator: ", ")
                let ra = try GRDB.Row.fetchOne(db, sql: "SELECT \(cols) FROM audit_event WHERE id = ?", arguments: [a])!
                let rb = try GRDB.Row.fetchOne(db, sql: "SELECT \(cols) FROM audit_event WHERE id = ?", arguments: [b])!
                let set = columns.map { "\($0) = ?" }.joined(separator: ", ")
                try db.execute(sql: "UPDATE audit_event SET \(set) WHERE id = ?",
                               arguments: StatementArguments(columns.map { rb[$0] as DatabaseValue } + [a.databaseValue]))
                try db.execute(sql: "UPDATE audit_event SET \(set) WHERE id = ?",
                               arguments: StatementArguments(columns.map { ra[$0] as DatabaseValue } + [b.databaseValue]))
                return "swapped rows \(a) and \(b)"
            case .changeHash:
                let newHash = (0..<64).map { _ in String(rng.pick(Array("0123456789abcdef"))) }.joined()
                try db.execute(sql: "UPDATE audit_event SET hash = ? WHERE id = ?", arguments: [newHash, id])
                return "changed the hash of row \(id)"
            case .dropHead:
                try db.execute(sql: "DELETE FROM audit_head")
                return "deleted the head record"
            }
        }
    }

    @Test func everyTamperIsCaught() throws {
        let base = try Clinic()
        defer { base.close() }
        try SyntheticClinic.generate(into: base.db, patients: 6, visitsPerPatient: 2, seed: 99, today: testToday)
        let expected = try base.db.read { try $0.verifyAudit() }
        #expect(expected.isIntact)
        try base.db.close()
        let pristine = try #require(fileBytes(base.path))
        // Closing copied the WAL into the main file, so the main file alone is the whole database.
        let alone = base.directory.file("main-file-alone.sqlite")
        try pristine.write(to: URL(fileURLWithPath: alone))
        let check = try ClinicDatabase(path: alone)
        #expect(try check.read { try $0.verifyAudit() } == expected)
        try check.close()

        var rng = SplitMix64(state: 0xA0D17)
        let trials = 80
        for trial in 0..<trials {
            let kind = Tamper.allCases[trial % Tamper.allCases.count]
            let copy = base.directory.file("trial-\(trial).sqlite")
            try pristine.write(to: URL(fileURLWithPath: copy))
            let what = try Self.tamper(kind, path: copy, rng: &rng)
            let db = try ClinicDatabase(path: copy)
            let verification = try db.read { try $0.verifyAudit() }
            #expect(!verification.isIntact, "trial \(trial): \(what) was not detected")
            try db.close()
        }
    }

    /// Truncating the tail AND rewriting the head record leaves a chain that is internally
    /// consistent: only the head hash written down elsewhere (the anchor) shows it.
    @Test func aRewrittenHeadIsCaughtByTheAnchor() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        try SyntheticClinic.generate(into: clinic.db, patients: 3, visitsPerPatient: 1, seed: 5, today: testToday)
        let anchor = try clinic.db.read { try $0.verifyAudit() }.headHash
        try clinic.db.close()
        let q = try DatabaseQueue(path: clinic.path)
        try q.write { db in
            try db.execute(sql: "DROP TRIGGER audit_no_delete")
            try db.execute(sql: "DELETE FROM audit_event WHERE id > 5")
            try db.execute(sql: "UPDATE audit_head SET last_id = 5, last_hash = (SELECT hash FROM audit_event WHERE id = 5)")
        }
        try q.close()
        let db = try ClinicDatabase(path: clinic.path)
        defer { try? db.close() }
        let v = try db.read { try $0.verifyAudit() }
        #expect(v.eventsChecked == 5)
        #expect(v.headHash != anchor)
    }
}
