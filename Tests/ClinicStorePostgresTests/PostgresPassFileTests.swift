import Foundation
import Testing
@testable import ClinicStorePostgres

/// Passwords come from password files, as libpq reads them, on real files.
@Suite("PostgreSQL password files")
struct PostgresPassFileTests {
    let settings = PostgresConnectionSettings(endpoint: .tcp(host: "db1", port: 5432), username: "knot", database: "group")

    private func write(_ text: String, mode: mode_t = 0o600) throws -> (folder: String, file: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("knot-pgpass-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = folder + "/.pgpass"
        try text.write(toFile: file, atomically: false, encoding: .utf8)
        chmod(file, mode)
        return (folder, file)
    }

    @Test func theFirstMatchingLineWinsWithWildcardsAndEscapes() {
        let text = """
        # hostname:port:database:username:password
        db2:5432:group:knot:wrong-host
        db1:*:group:other:wrong-user
        db1:*:*:knot:pa\\:ss\\\\word
        *:*:*:*:fallback
        """
        #expect(PostgresPassFile.match(in: text, settings: settings) == "pa:ss\\word")
        var other = settings
        other.username = "nobody"
        #expect(PostgresPassFile.match(in: text, settings: other) == "fallback")
    }

    @Test func aUnixSocketMatchesItsFolderOrLocalhost() {
        let socket = PostgresConnectionSettings(endpoint: .unixSocket(directory: "/run/postgresql", port: 5432), username: "knot", database: "group")
        #expect(PostgresPassFile.match(in: "localhost:5432:group:knot:local", settings: socket) == "local")
        #expect(PostgresPassFile.match(in: "/run/postgresql:5432:group:knot:sock", settings: socket) == "sock")
        #expect(PostgresPassFile.match(in: "db1:5432:group:knot:tcp", settings: socket) == nil)
    }

    @Test func homePgpassIsReadAndMayBeMissing() throws {
        let (folder, _) = try write("db1:5432:group:knot:from-home\n")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try PostgresPassFile.password(for: settings, environment: ["HOME": folder]) == "from-home")
        #expect(try PostgresPassFile.password(for: settings, environment: ["HOME": folder + "/none"]) == nil)
    }

    @Test func theURLsPassfileWinsOverPGPASSFILEAndMustExist() throws {
        let (a, fileA) = try write("*:*:*:*:from-url\n")
        let (b, fileB) = try write("*:*:*:*:from-env\n")
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        var named = settings
        #expect(try PostgresPassFile.password(for: named, environment: ["PGPASSFILE": fileB]) == "from-env")
        named.passfile = fileA
        #expect(try PostgresPassFile.password(for: named, environment: ["PGPASSFILE": fileB]) == "from-url")
        named.passfile = a + "/missing"
        #expect(throws: PostgresSettingsError.passFileMissing(path: a + "/missing")) {
            try PostgresPassFile.password(for: named, environment: [:])
        }
    }

    @Test func aFileOthersCanReadIsRefused() throws {
        let (folder, file) = try write("*:*:*:*:secret\n", mode: 0o644)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do throws(PostgresSettingsError) {
            _ = try PostgresPassFile.password(for: settings, environment: ["PGPASSFILE": file])
            Issue.record("used a world-readable password file")
        } catch {
            #expect(error == .passFileTooOpen(path: file, mode: "644"))
            #expect(error.description.contains("chmod 600"))
            #expect(!error.description.contains("secret"))
        }
    }
}
