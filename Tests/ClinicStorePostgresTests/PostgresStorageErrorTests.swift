import Foundation
import PostgresNIO
import Testing
import ClinicModel
import ClinicServices
import ClinicTestSupport
@testable import ClinicStorePostgres

/// The PostgreSQL store throws the seam's own error (`StorageError`, no mirror of it), and a
/// session opened on a server's URL words it as a server's database, not as an SQLite file.
@Suite("PostgreSQL: the seam's errors, worded for a server", .enabled(if: PostgresTestServer.isConfigured, PostgresTestServer.skipped))
struct PostgresStorageErrorTests {
    @Test("a database that is not Knot's, and one that does not exist, are refused in a server's words")
    func refusedInAServersWords() async throws {
        let foreign = try TestStore.postgres.newClinic()
        let connection = try await PostgresConnector.connect(try PostgresConnectionSettings.parse(foreign.location))
        try await connection.query("CREATE TABLE invoices (id int)", logger: PostgresTestServer.logger)
        try await connection.close()
        #expect {
            _ = try ClinicSession.open(path: foreign.location, handle: nil, create: true)
        } throws: { error in
            guard let e = error as? StorageError, case .notAKnotDatabase(let p) = e else { return false }
            return p == foreign.location && e.description == "\(p) is a PostgreSQL database but not a Knot database; refusing to change it"
        }

        var settings = try PostgresConnectionSettings.parse(foreign.location)
        settings.database = "knot_no_such_database"
        #expect {
            _ = try ClinicSession.open(path: settings.displayURL, handle: nil, create: false)
        } throws: { error in
            guard let e = error as? StorageError, case .missing = e else { return false }
            return e.description.contains("Check the URL, or create a clinic there with `knot init --database postgres://")
                && !e.description.contains("knot demo")
        }
    }

    @Test("the store's error is the seam's error: what PostgresRecordStore throws is a StorageError as it is")
    func oneErrorType() throws {
        let clinic = try TestStore.postgres.newClinic()
        let store = try PostgresRecordStore(url: clinic.location, create: true)
        defer { try? store.close() }
        #expect {
            try store.write { tx in try tx.execute("INSERT INTO clinic_setting (name, value) VALUES (NULL, 'x')") }
        } throws: { error in
            guard let e = error as? StorageError, case .constraint(let message) = e else { return false }
            return message.contains("null")
        }
        #expect(PostgresStoreError.self == StorageError.self)
    }
}
