import Foundation
import Testing
import PostgresNIO
import ClinicTestSupport
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

    /// Runs the script on a thread of its own: waiting for it must not hold one of the few
    /// threads Swift concurrency (and every other test) runs on.
    @discardableResult
    static func run(_ arguments: String...) async throws -> String {
        try await BlockingWork.run { try BlockingWork.runScript(script, arguments) }
    }
}

/// Awaiting PostgresNIO's async API in the failover tests, never forever: a query written to a
/// connection the server has just closed is dropped by PostgresNIO and never answered (the store
/// guards against it in `PostgresQueryWait`; these tests use the connection directly). The
/// operation's answer, or `Unanswered` once the connection has been closed for a second without
/// one, or after `seconds`. A dropped operation is left behind, never awaited.
enum Answered {
    struct Unanswered: Error, CustomStringConvertible {
        let why: String
        var description: String { why }
    }

    static func value<T: Sendable>(on connection: PostgresConnection, within seconds: Int = 60,
                                   _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let gate = Gate<T>()
        return try await withCheckedThrowingContinuation { continuation in
            gate.start(continuation)
            Task {
                do { gate.finish(.success(try await operation())) } catch { gate.finish(.failure(error)) }
            }
            Task {
                let clock = ContinuousClock()
                let start = clock.now
                var closedSince: ContinuousClock.Instant?
                while !gate.isFinished {
                    try? await Task.sleep(for: .milliseconds(50))
                    let now = clock.now
                    if connection.isClosed {
                        let since = closedSince ?? now
                        closedSince = since
                        if now - since >= .seconds(1) { gate.finish(.failure(Unanswered(why: "the connection closed and the query was never answered"))) }
                    }
                    if now - start >= .seconds(seconds) { gate.finish(.failure(Unanswered(why: "no answer within \(seconds) s"))) }
                }
            }
        }
    }

    /// Resumes its continuation once, with whichever result comes first.
    private final class Gate<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<T, any Error>?
        private var pending: Result<T, any Error>?
        private var finished = false

        var isFinished: Bool { lock.withLock { finished } }

        func start(_ continuation: CheckedContinuation<T, any Error>) {
            lock.lock()
            if let pending { lock.unlock(); continuation.resume(with: pending); return }
            self.continuation = continuation
            lock.unlock()
        }

        func finish(_ result: Result<T, any Error>) {
            lock.lock()
            guard !finished else { lock.unlock(); return }
            finished = true
            if let continuation {
                self.continuation = nil
                lock.unlock()
                continuation.resume(with: result)
            } else {
                pending = result
                lock.unlock()
            }
        }
    }
}

/// A line on stderr saying where a failover test is (stdout is buffered when CI pipes it; if a
/// run hangs, these show the last step reached).
func failoverStep(_ text: String) {
    FileHandle.standardError.write(Data("failover: \(text)\n".utf8))
}
