import Foundation
import PostgresNIO
import Testing
import ClinicModel
import ClinicTestSupport
@testable import ClinicStorePostgres

/// Issue 20, "TLS when the server asks": the store's `sslmode` settings against a real TLS
/// server. `require` really encrypts; `verify-full` trusts the clinic's CA for the right host
/// name only; `verify-ca` without a readable root file, and `disable` where the server takes
/// only TLS, are refused in words that say why.
@Suite("PostgreSQL over TLS", .enabled(if: PostgresTLSServer.isAvailable, PostgresTLSServer.skipped),
       .timeLimit(.minutes(3)))
struct PostgresTLSTests {
    /// Whether the store's own session is encrypted, as the server sees it.
    private func sessionIsTLS(_ store: PostgresRecordStore) throws -> Bool? {
        try store.read { tx in try tx.value("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", as: Bool.self) }
    }

    /// The reason a store refused to open, or nil (recorded as an issue) when it opened.
    private func refusal(_ url: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        do {
            let store = try PostgresRecordStore(url: url, create: true, environment: [:])
            try? store.close()
            Issue.record("opened: \(url)", sourceLocation: sourceLocation)
            return nil
        } catch let error as StorageError {
            guard case .cannotOpen(_, let reason) = error else {
                Issue.record("refused, but not as cannotOpen: \(error)", sourceLocation: sourceLocation)
                return nil
            }
            return reason
        } catch {
            Issue.record("refused with \(type(of: error)): \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    @Test("sslmode=require opens the clinic over an encrypted connection")
    func requireIsEncrypted() async throws {
        let server = try await PostgresTLSServer.shared.value
        let database = try await server.newDatabase()
        let store = try PostgresRecordStore(url: server.url(database: database, "sslmode=require"), create: true, environment: [:])
        #expect(store.createdHere)
        #expect(try sessionIsTLS(store) == true)
        try store.close()
        // Opened again (the clinic exists now), still over TLS.
        let again = try PostgresRecordStore(url: server.url(database: database, "sslmode=require"), create: false, environment: [:])
        #expect(try sessionIsTLS(again) == true)
        try again.close()
    }

    @Test("sslmode=prefer takes TLS when the server offers it")
    func preferTakesTLS() async throws {
        let server = try await PostgresTLSServer.shared.value
        let database = try await server.newDatabase()
        let store = try PostgresRecordStore(url: server.url(database: database, "sslmode=prefer"), create: true, environment: [:])
        #expect(try sessionIsTLS(store) == true)
        try store.close()
    }

    @Test("verify-full with the clinic's CA opens for the names on the certificate",
          arguments: ["127.0.0.1", "localhost"])
    func verifyFullRightName(host: String) async throws {
        let server = try await PostgresTLSServer.shared.value
        let database = try await server.newDatabase()
        let url = server.url(host: host, database: database, "sslmode=verify-full&sslrootcert=\(server.certificateAuthority)")
        let store = try PostgresRecordStore(url: url, create: true, environment: [:])
        #expect(try sessionIsTLS(store) == true)
        try store.close()
    }

    @Test("verify-full is refused for a host name the certificate does not carry, saying so")
    func verifyFullWrongName() async throws {
        let server = try await PostgresTLSServer.shared.value
        let database = try await server.newDatabase()
        // 127.0.0.2 reaches the same server; its certificate names 127.0.0.1 and localhost only.
        let url = server.url(host: "127.0.0.2", database: database, "sslmode=verify-full&sslrootcert=\(server.certificateAuthority)")
        let reason = try #require(refusal(url))
        #expect(reason.contains("certificate does not name the host 127.0.0.2"), "\(reason)")
        #expect(reason.contains("127.0.0.2"), "\(reason)")
        #expect(!reason.contains("Generic description"), "\(reason)")
        // verify-ca checks the CA only: the same host opens.
        let store = try PostgresRecordStore(url: server.url(host: "127.0.0.2", database: database, "sslmode=verify-ca&sslrootcert=\(server.certificateAuthority)"),
                                            create: true, environment: [:])
        #expect(try sessionIsTLS(store) == true)
        try store.close()
    }

    @Test("verify-full without the clinic's CA is refused: the certificate is not trusted")
    func verifyFullUnknownAuthority() async throws {
        let server = try await PostgresTLSServer.shared.value
        let database = try await server.newDatabase()
        // No sslrootcert: the system's roots, which never signed this test CA.
        let reason = try #require(refusal(server.url(database: database, "sslmode=verify-full")))
        #expect(reason.contains("certificate is not signed by a root trusted here"), "\(reason)")
        #expect(!reason.contains("Generic description"), "\(reason)")
    }

    @Test("verify-ca with a root file that cannot be read is refused naming sslrootcert")
    func verifyCAUnreadableRoot() async throws {
        let server = try await PostgresTLSServer.shared.value
        let database = try await server.newDatabase()
        let missing = "/tmp/knot-tls-no-such-\(UUID().uuidString.prefix(8)).pem"
        let reason = try #require(refusal(server.url(database: database, "sslmode=verify-ca&sslrootcert=\(missing)")))
        #expect(reason.contains("sslrootcert"), "\(reason)")
        #expect(reason.contains(missing), "\(reason)")
    }

    @Test("sslmode=disable is refused by a server that takes only TLS, saying TLS is needed")
    func disableRefusedByTLSOnlyServer() async throws {
        let server = try await PostgresTLSServer.shared.value
        let database = try await server.newDatabase()
        let reason = try #require(refusal(server.url(database: database, "sslmode=disable")))
        #expect(reason.contains("no encryption"), "\(reason)")
        #expect(reason.contains("sslmode=require"), "\(reason)")
        #expect(!reason.contains("PGPASSFILE"), "the password file is not the trouble: \(reason)")
    }
}
