import Foundation
import PostgresNIO
import Testing
import ClinicTestSupport
@testable import ClinicStorePostgres

/// No command waits forever for a server that will not answer (PostgresQueryWait): a query past
/// the clinic's `query_timeout` fails and its connection is closed, a transaction whose
/// connection the server ended fails saying nothing was saved, and the next command works
/// (the setting's range is checked with the other URL settings, PostgresConnectionSettingsTests).
@Suite("PostgreSQL: no query waits forever", .enabled(if: PostgresTestServer.isConfigured, PostgresTestServer.skipped))
struct PostgresQueryWaitTests {
    @Test("a query past query_timeout fails within a moment of it, naming the setting; the next command works")
    func queryTimeout() throws {
        let clinic = try TestStore.postgres.newClinic()
        try PostgresRecordStore(url: clinic.location, create: true).close()
        let store = try PostgresRecordStore(url: clinic.location + "&query_timeout=1", create: false)
        #expect(store.settings.queryTimeoutSeconds == 1)
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = Result { try store.read { tx in try tx.execute("SELECT pg_sleep(10)") } }
        let waited = clock.now - start
        guard case .failure(let error) = outcome, case .writeFailed(let reason)? = error as? PostgresStoreError else {
            Issue.record("a 10 s query with query_timeout=1 did not fail as a lost connection: \(outcome)")
            return
        }
        #expect(reason.contains("query_timeout") && reason.contains("1 s"), "\(reason)")
        #expect(waited < .seconds(5), "failed after \(waited), not about 1 s")
        try store.write { tx in try tx.execute("INSERT INTO clinic_setting (name, value) VALUES ('after', '1')") }
        #expect(try store.read { tx in try tx.value("SELECT count(*) FROM clinic_setting WHERE name = 'after'", as: Int64.self) } == 1)
        try store.close()
    }

    @Test("a write whose connection the server ended before COMMIT fails saying nothing was saved, and nothing is")
    func connectionEndedBeforeCommit() throws {
        let clinic = try TestStore.postgres.newClinic()
        let store = try PostgresRecordStore(url: clinic.location, create: true)
        let outcome = Result {
            try store.write { tx in
                try tx.execute("INSERT INTO clinic_setting (name, value) VALUES ('lost', '1')")
                let pid = try tx.value("SELECT pg_backend_pid()", as: Int32.self)
                // A second connection ends this one, as a server restart or failover would.
                _ = try store.read { other in
                    try other.value("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = \(pid)", as: Bool.self)
                }
                Thread.sleep(forTimeInterval: 0.3)
            }
        }
        guard case .failure(let error) = outcome, let storeError = error as? PostgresStoreError, case .writeFailed = storeError else {
            Issue.record("the write on the ended connection did not fail as a lost connection: \(outcome)")
            return
        }
        #expect(storeError.description.contains("nothing was saved"), "\(storeError)")
        #expect(try store.read { tx in try tx.value("SELECT count(*) FROM clinic_setting WHERE name = 'lost'", as: Int64.self) } == 0)
        try store.close()
    }
}
