import Foundation
import PostgresNIO
import Testing
import ClinicTestSupport
import ClinicModel
@testable import ClinicStorePostgres

/// The PostgreSQL record store's machinery on a real server: opening (missing, foreign, newer
/// databases refused; `create` migrates), one transaction per `write`/`read`, savepoints,
/// server refusals as the store's errors, concurrent writers, a lost connection.
@Suite("PostgreSQL record store", .enabled(if: PostgresTestServer.isConfigured, PostgresTestServer.skipped))
struct PostgresRecordStoreTests {
    struct Refusal: Error, Equatable {}

    private func settingCount(_ store: PostgresRecordStore, _ name: String? = nil) throws -> Int64 {
        try store.read { tx in
            try tx.value("SELECT count(*) FROM clinic_setting WHERE \(name)::text IS NULL OR name = \(name)", as: Int64.self) ?? -1
        }
    }

    @Test("an empty database is not a clinic unless asked to make one; made, it is migrated and opens again")
    func openingAndCreating() throws {
        let clinic = try TestStore.postgres.newClinic()
        #expect(throws: PostgresStoreError.missing(path: clinic.location)) {
            try PostgresRecordStore(url: clinic.location, create: false)
        }
        let made = try PostgresRecordStore(url: clinic.location, create: true)
        #expect(made.createdHere)
        #expect(try made.appliedMigrations() == PostgresMigrations.all.map(\.name))
        let problems = try made.integrityProblems()
        #expect(problems.isEmpty, "\(problems)")
        try made.close()
        let again = try PostgresRecordStore(url: clinic.location, create: false)
        #expect(!again.createdHere)
        #expect(again.path == clinic.location)
        try again.close()
    }

    @Test("a database holding other tables, or migrated by a newer Knot, is refused and left alone")
    func foreignAndNewerDatabases() async throws {
        let foreign = try TestStore.postgres.newClinic()
        var settings = try PostgresConnectionSettings.parse(foreign.location)
        let connection = try await PostgresConnector.connect(settings)
        try await connection.query("CREATE TABLE invoices (id int)", logger: PostgresTestServer.logger)
        try await connection.close()
        #expect(throws: PostgresStoreError.notAKnotDatabase(path: foreign.location)) {
            try PostgresRecordStore(url: foreign.location, create: true)
        }

        let newer = try TestStore.postgres.newClinic()
        let store = try PostgresRecordStore(url: newer.location, create: true)
        try store.write { tx in try tx.execute("INSERT INTO knot_schema_migration (name) VALUES ('pg99-from-the-future')") }
        try store.close()
        #expect(throws: PostgresStoreError.newerDatabase(path: newer.location, unknownMigrations: ["pg99-from-the-future"])) {
            try PostgresRecordStore(url: newer.location, create: false)
        }
        settings.database = "knot_no_such_database"
        #expect(throws: PostgresStoreError.missing(path: settings.displayURL)) {
            try PostgresRecordStore(settings: settings, create: false)
        }
    }

    @Test("a write lands whole or not at all; a savepoint undoes only its own part; a use case's error passes through")
    func transactions() throws {
        let clinic = try TestStore.postgres.newClinic()
        let store = try PostgresRecordStore(url: clinic.location, create: true)
        try store.write { tx in try tx.execute("INSERT INTO clinic_setting (name, value) VALUES ('kept', '1')") }
        #expect(throws: Refusal()) {
            try store.write { tx in
                try tx.execute("INSERT INTO clinic_setting (name, value) VALUES ('dropped', '1')")
                throw Refusal()
            }
        }
        #expect(try settingCount(store, "kept") == 1)
        #expect(try settingCount(store, "dropped") == 0)

        try store.write { tx in
            try tx.execute("INSERT INTO clinic_setting (name, value) VALUES ('outer', '1')")
            #expect(throws: PostgresStoreError.self) {
                try tx.savepoint {
                    try tx.execute("INSERT INTO clinic_setting (name, value) VALUES ('inner', '1')")
                    try tx.execute("INSERT INTO clinic_setting (name, value) VALUES ('Bad Name', '1')")
                }
            }
            try tx.savepoint { try tx.execute("INSERT INTO clinic_setting (name, value) VALUES ('second', '1')") }
        }
        #expect(try settingCount(store, "outer") == 1)
        #expect(try settingCount(store, "inner") == 0, "the failed savepoint's first insert is undone too")
        #expect(try settingCount(store, "second") == 1)
        try store.close()
    }

    @Test("the server's refusals are the store's errors: duplicate, constraint, read-only, damaged")
    func refusals() throws {
        let clinic = try TestStore.postgres.newClinic()
        let store = try PostgresRecordStore(url: clinic.location, create: true)
        try store.write { tx in try tx.execute("INSERT INTO clinic_setting (name, value) VALUES ('a', '1')") }
        let duplicate = #expect(throws: PostgresStoreError.self) {
            try store.write { tx in try tx.execute("INSERT INTO clinic_setting (name, value) VALUES ('a', '2')") }
        }
        guard case .duplicate = duplicate else { Issue.record("not a duplicate: \(String(describing: duplicate))"); return }
        let check = #expect(throws: PostgresStoreError.self) {
            try store.write { tx in try tx.execute("INSERT INTO clinic_setting (name, value) VALUES ('UPPER', '2')") }
        }
        guard case .constraint(let message)? = check else { Issue.record("not a constraint: \(String(describing: check))"); return }
        #expect(message.contains("clinic_setting_name_check"), "\(message)")
        let trigger = #expect(throws: PostgresStoreError.self) {
            try store.write { tx in
                try tx.execute("INSERT INTO audit_event (at, actor, action, entity, prev_hash, hash) VALUES ('t', 'a', 'x', 'y', '', 'h')")
                try tx.execute("DELETE FROM audit_event")
            }
        }
        guard case .constraint? = trigger else { Issue.record("not a constraint: \(String(describing: trigger))"); return }
        #expect(throws: PostgresStoreError.readOnly(path: clinic.location)) {
            try store.read { tx in try tx.execute("INSERT INTO clinic_setting (name, value) VALUES ('b', '1')") }
        }
        let damaged = #expect(throws: PostgresStoreError.self) {
            try store.read { tx in try tx.values("SELECT name AS id FROM clinic_setting", as: Int64.self, table: "clinic_setting") }
        }
        guard case .damaged(let table, _, let column, _)? = damaged else { Issue.record("not damaged: \(String(describing: damaged))"); return }
        #expect(table == "clinic_setting" && column == "id")
        try store.close()
        #expect(throws: PostgresStoreError.self) { try store.read { _ in 1 } }
    }

    @Test("a read sees one snapshot while another thread commits")
    func readSnapshot() throws {
        let clinic = try TestStore.postgres.newClinic()
        let store = try PostgresRecordStore(url: clinic.location, create: true)
        let (before, after) = try store.read { tx in
            let before = try tx.value("SELECT count(*) FROM clinic_setting", as: Int64.self)
            let done = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                _ = try? store.write { tx in try tx.execute("INSERT INTO clinic_setting (name, value) VALUES ('later', '1')") }
                done.signal()
            }
            done.wait()
            return (before, try tx.value("SELECT count(*) FROM clinic_setting", as: Int64.self))
        }
        #expect(before == 0 && after == 0)
        #expect(try settingCount(store) == 1)
        try store.close()
    }

    @Test("16 threads writing at once: every write lands")
    func concurrentWriters() throws {
        let clinic = try TestStore.postgres.newClinic()
        let store = try PostgresRecordStore(url: clinic.location, create: true)
        let failures = DispatchQueue(label: "failures")
        nonisolated(unsafe) var errors: [String] = []
        DispatchQueue.concurrentPerform(iterations: 16) { worker in
            for n in 0..<5 {
                do {
                    try store.write { tx in
                        try tx.execute("INSERT INTO clinic_setting (name, value) VALUES (\("w\(worker)_\(n)"), '1')")
                    }
                } catch {
                    failures.sync { errors.append("\(error)") }
                }
            }
        }
        #expect(errors.isEmpty, "\(errors)")
        #expect(try settingCount(store) == 80)
        try store.close()
    }

    @Test("16 threads appending audit events at once form one chain, with the same hashes AuditChain gives (as SQLite's)")
    func concurrentAuditChain() throws {
        let clinic = try TestStore.postgres.newClinic()
        let store = try PostgresRecordStore(url: clinic.location, create: true)
        let at = Date(timeIntervalSince1970: 1_780_000_000.123)
        DispatchQueue.concurrentPerform(iterations: 16) { worker in
            for n in 0..<5 {
                _ = try? store.write { tx in
                    try tx.appendAuditAlways(AuditEvent(at: at, actor: "w\(worker)", action: .update, entity: "clinic-setting", detail: "n\(n)"))
                }
            }
        }
        let verification = try store.read { try $0.verifyAudit(anchor: nil) }
        #expect(verification.eventsChecked == 80)
        #expect(verification.firstProblem == nil, "\(verification.firstProblem ?? "")")
        var stored: [AuditRecord] = []
        try store.read { tx in try tx.forEachAudit { stored.append($0) } }
        let rechained = AuditChain.chain(stored.map { var e = $0.event; e.id = nil; return e })
        #expect(rechained.map(\.hash) == stored.map(\.hash), "the stored chain is AuditChain's, event for event")
        try store.close()
    }

    @Test("form drafts and letter templates are kept, replaced and forgotten as on SQLite")
    func draftsAndTemplates() throws {
        let clinic = try TestStore.postgres.newClinic()
        let store = try PostgresRecordStore(url: clinic.location, create: true)
        let at = Date(timeIntervalSince1970: 1_780_000_000.5)
        try store.write { tx in
            try tx.saveFormDraft(StoredFormDraft(slot: .patient(7), actor: "amy", kind: "patient", state: "{\"a\":1}", savedAt: at))
            try tx.saveFormDraft(StoredFormDraft(slot: .patient(7), actor: "amy", kind: "patient", state: "{\"a\":2}", savedAt: at))
            try tx.saveFormDraft(StoredFormDraft(slot: .patient(7), actor: "rec", kind: "patient", state: "{}", savedAt: at))
        }
        let kept = try store.read { try $0.formDraft(slot: .patient(7), actor: "amy") }
        #expect(kept?.state == "{\"a\":2}" && kept?.savedAt == at)
        #expect(try store.read { try $0.formDraftOverview() }.map(\.actor) == ["amy", "rec"])
        try store.write { tx in try tx.deleteFormDraft(slot: .patient(7), actor: "amy") }
        #expect(try store.read { try $0.formDraftCount() } == 1)
        try store.write { tx in try tx.deleteFormDrafts(slot: .patient(7)) }
        #expect(try store.read { try $0.formDraftCount() } == 0)

        try store.write { tx in try tx.setLetterTemplate(name: "referrer.closing", body: "With thanks,", actor: "amy", at: at) }
        let template = try store.read { try $0.letterTemplates() }["referrer.closing"]
        #expect(template?.body == "With thanks," && template?.changedBy == "amy" && template?.changedAt == Date(timeIntervalSince1970: 1_780_000_000))
        #expect(try store.write { tx in try tx.resetLetterTemplate(name: "referrer.closing", actor: "amy") })
        #expect(try !store.write { tx in try tx.resetLetterTemplate(name: "referrer.closing", actor: "amy") })
        #expect(try store.read { try $0.auditLog(patientID: nil, limit: 10) }.map(\.event.entity) == ["letter-template", "letter-template"])
        try store.close()
    }

    @Test("a connection the server ends is dropped: that command fails cleanly, the next one reconnects")
    func lostConnection() throws {
        let clinic = try TestStore.postgres.newClinic()
        let store = try PostgresRecordStore(url: clinic.location, create: true)
        // A second connection ends the first while its read is open, as a server restart or a
        // failover to the standby would.
        let outcome = Result {
            try store.read { tx in
                let pid = try tx.value("SELECT pg_backend_pid()", as: Int32.self)
                let killed = try store.write { other in
                    try other.value("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = \(pid)", as: Bool.self)
                }
                #expect(killed == true)
                Thread.sleep(forTimeInterval: 0.3)
                return try tx.value("SELECT count(*) FROM clinic_setting", as: Int64.self)
            }
        }
        guard case .failure(let error) = outcome, case .writeFailed(let reason)? = error as? PostgresStoreError else {
            Issue.record("the read on the ended connection did not fail as a lost connection: \(outcome)")
            return
        }
        #expect(reason.contains("connection"), "\(reason)")
        for _ in 0..<3 {
            try store.write { tx in try tx.execute("INSERT INTO clinic_setting (name, value) VALUES ('after', '1') ON CONFLICT DO NOTHING") }
        }
        #expect(try settingCount(store, "after") == 1)
        try store.close()
    }
}

/// What replaces the SQLite store's keyed row seals on PostgreSQL: Knot works as a role that
/// does not own the tables (README, "PostgreSQL"), so it cannot rewrite the audit trail or
/// switch a rule off, whatever client it uses.
@Suite("PostgreSQL: Knot's working role", .enabled(if: PostgresTestServer.isConfigured, PostgresTestServer.skipped))
struct PostgresWorkingRoleTests {
    @Test("the working role writes records and audit events, but cannot UPDATE or DELETE audit rows, nor disable a trigger")
    func workingRole() async throws {
        let clinic = try TestStore.postgres.newClinic()
        let owner = try PostgresRecordStore(url: clinic.location, create: true)
        let role = "knot_app_" + UUID().uuidString.prefix(8).lowercased()
        var settings = try PostgresConnectionSettings.parse(clinic.location)
        try owner.write { tx in
            for sql in try PostgresWorkingRole.statements(role: role) {
                try tx.execute(PostgresQuery(unsafeSQL: sql))
            }
        }
        try owner.close()
        settings.username = role
        let app = try PostgresRecordStore(settings: settings, create: false)
        let record = try app.write { tx in
            try tx.execute("INSERT INTO clinic_setting (name, value) VALUES ('phone', '02 9555 0100')")
            return try tx.appendAuditAlways(AuditEvent(actor: "amy", action: .update, entity: "clinic-setting", detail: "phone"))
        }
        #expect(record.event.id == 1)
        for (sql, state) in [("UPDATE audit_event SET actor = 'mallory'", "42501"), ("DELETE FROM audit_event", "42501"),
                             ("ALTER TABLE audit_event DISABLE TRIGGER ALL", "42501"), ("ALTER TABLE visit DISABLE TRIGGER ALL", "42501"),
                             ("TRUNCATE audit_event", "42501")] {
            do {
                try app.write { tx in try tx.execute(PostgresQuery(unsafeSQL: sql)) }
                Issue.record("the working role could run: \(sql)")
            } catch let error as PostgresStoreError {
                guard case .constraint(let message) = error else { Issue.record("\(sql): \(error)"); continue }
                #expect(message.contains(state), "\(sql): \(message)")
            }
        }
        #expect(try app.read { try $0.verifyAudit(anchor: nil) }.firstProblem == nil)
        try app.close()
        let admin = try await PostgresConnector.connect(try PostgresConnectionSettings.parse(try #require(PostgresTestServer.url)))
        _ = clinic  // the database is dropped with `clinic`; the role is cluster-wide
        try await admin.query(PostgresQuery(unsafeSQL: "DROP OWNED BY \(role)"), logger: PostgresTestServer.logger)
        try await admin.close()
    }
}
