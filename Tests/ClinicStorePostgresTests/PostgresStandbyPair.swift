import Foundation
import Testing
@testable import ClinicStorePostgres

/// A primary and a synchronous hot standby on one machine, made by `.ci/postgres-standby` in a
/// scratch folder under /tmp, for the failover tests. They run only with
/// `KNOT_TEST_POSTGRES_FAILOVER=1` and Debian's PostgreSQL server binaries installed, because
/// they start two real clusters (about 10 to 30 seconds on a busy machine).
struct PostgresStandbyPair {
    static let isEnabled: Bool = ProcessInfo.processInfo.environment["KNOT_TEST_POSTGRES_FAILOVER"] == "1" && serverInstalled
    static let skipped: Comment = serverInstalled
        ? "KNOT_TEST_POSTGRES_FAILOVER is not 1: the failover tests (a primary and a hot standby, the primary killed with SIGKILL) are skipped"
        : "no PostgreSQL server under /usr/lib/postgresql (apt-get install postgresql): the failover tests are skipped"

    static var serverInstalled: Bool {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        return versions.contains { FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/pg_basebackup") }
    }

    /// The repository's `.ci/postgres-standby`.
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".ci/postgres-standby").path

    let directory: String
    let primary: PostgresConnectionSettings
    let standby: PostgresConnectionSettings

    /// Starts both servers; the database `knot_test` exists on the primary and is replicated.
    static func start() async throws -> PostgresStandbyPair {
        let directory = "/tmp/knot-failover-" + UUID().uuidString.prefix(8).lowercased()
        let output: String
        do {
            output = try await run("start", directory)
        } catch {
            _ = try? await run("stop", directory)
            throw error
        }
        var urls: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { urls[String(parts[0])] = String(parts[1]) }
        }
        return PostgresStandbyPair(directory: directory,
                                   primary: try PostgresConnectionSettings.parse(try #require(urls["PRIMARY"])),
                                   standby: try PostgresConnectionSettings.parse(try #require(urls["STANDBY"])))
    }

    /// Kills the primary's postmaster with SIGKILL (no shutdown, no checkpoint: a machine dying).
    func killPrimary() async throws {
        let pid = try await Self.run("pid", directory).trimmingCharacters(in: .whitespacesAndNewlines)
        let number = try #require(Int32(pid), "the primary's pid, got '\(pid)'")
        #expect(kill(number, SIGKILL) == 0, "kill -9 \(number)")
    }

    /// Promotes the standby and waits until it accepts writes.
    func promoteStandby() async throws {
        _ = try await Self.run("promote", directory)
    }

    /// Stops whatever still runs and removes the folder.
    func stop() async {
        _ = try? await Self.run("stop", directory)
    }

    struct ScriptFailed: Error, CustomStringConvertible {
        let arguments: [String]
        let status: Int32
        let output: String
        var description: String { "postgres-standby \(arguments.joined(separator: " ")) exited \(status): \(output)" }
    }

    /// Runs the script on a thread of its own: waiting for it must not hold one of the few
    /// threads Swift concurrency (and every other test) runs on.
    @discardableResult
    static func run(_ arguments: String...) async throws -> String {
        try await BlockingWork.run { try runBlocking(arguments) }
    }

    private static func runBlocking(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script] + arguments
        // One pipe for both streams, read to the end before waiting, so neither can fill and block.
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let status = BlockingWork.exitStatus(of: process)
        let text = String(decoding: data, as: UTF8.self)
        guard status == 0 else {
            throw ScriptFailed(arguments: arguments, status: status, output: text)
        }
        return text
    }
}

/// Blocking work (a child process and its pipes) on a thread of its own, awaited.
enum BlockingWork {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.start()
        }
    }

    /// The exit status of a finished child, reaped here with waitpid: Foundation's
    /// `waitUntilExit` was seen never to return in the test runner (the child left a zombie).
    static func exitStatus(of process: Process) -> Int32 {
        var status: Int32 = 0
        while true {
            let reaped = waitpid(process.processIdentifier, &status, 0)
            if reaped == process.processIdentifier { break }
            if reaped == -1 && errno == EINTR { continue }
            // Foundation reaped it first.
            process.waitUntilExit()
            return process.terminationStatus
        }
        // WIFEXITED / WEXITSTATUS, else 128 + the signal, as a shell reports it.
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
