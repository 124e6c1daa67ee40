import Foundation
import PostgresNIO

/// A few connections to one database, shared by the threads of one process: a transaction
/// takes a connection for its whole length and gives it back; when all `maximum` are busy the
/// next waits. A connection that lost the server (or whose transaction could not be ended)
/// is closed and forgotten, and the next transaction opens a new one, so a server restart or
/// a failover to a standby costs the commands running at that moment, not the process.
final class PostgresConnectionPool: Sendable {
    /// Thrown through `withConnection` to say the connection must not be reused; the pool
    /// throws `error` on.
    struct Discard: Error { let error: any Error }

    private let configuration: PostgresConnection.Configuration
    private let path: String
    private let maximum: Int
    private let state = NSCondition()
    nonisolated(unsafe) private var idle: [PostgresConnection] = []
    nonisolated(unsafe) private var open = 0
    nonisolated(unsafe) private var closed = false
    nonisolated(unsafe) private var nextID = 1

    init(configuration: PostgresConnection.Configuration, path: String, maximum: Int) {
        self.configuration = configuration
        self.path = path
        self.maximum = maximum
    }

    /// A store released without `close()` still ends its connections (PostgresNIO requires it).
    deinit {
        for connection in idle {
            let closing: EventLoopFuture<Void> = connection.close()
            if !connection.eventLoop.inEventLoop { _ = try? closing.wait() }
        }
    }

    /// Runs `body` with a connection of its own; errors from the server come out as `PostgresStoreError`.
    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try acquire()
        do {
            let result = try body(connection)
            release(connection, reusable: !connection.isClosed)
            return result
        } catch let discard as Discard {
            release(connection, reusable: false)
            throw PostgresStoreError.from(discard.error, path: path)
        } catch {
            let lost = connection.isClosed || PostgresStoreError.isConnectionLoss(error)
            release(connection, reusable: !lost)
            throw PostgresStoreError.translated(error, path: path)
        }
    }

    private func acquire() throws -> PostgresConnection {
        state.lock()
        while true {
            if closed {
                state.unlock()
                throw PostgresStoreError.cannotOpen(path: path, reason: "the store was closed")
            }
            if let connection = idle.popLast() {
                state.unlock()
                return connection
            }
            if open < maximum { break }
            state.wait()
        }
        open += 1
        let id = nextID
        nextID += 1
        state.unlock()
        do {
            // Bounded like every query (see PostgresQueryWait): the connect timeout covers
            // reaching the server, this also its login and startup.
            let connecting = PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration,
                                                        id: id, logger: PostgresRecordStore.logger)
            do {
                return try PostgresQueryWait.result(of: connecting, on: nil, timeout: Self.startupLimit(configuration))
            } catch {
                // Given up on: if it still opens later, it is closed, never left behind.
                connecting.whenSuccess { late in
                    let closing: EventLoopFuture<Void> = late.close()
                    _ = closing
                }
                throw error
            }
        } catch {
            state.lock()
            open -= 1
            state.signal()
            state.unlock()
            throw Self.connectFailure(error, path: path)
        }
    }

    private func release(_ connection: PostgresConnection, reusable: Bool) {
        state.lock()
        let keep = reusable && !closed
        if keep { idle.append(connection) } else { open -= 1 }
        state.signal()
        state.unlock()
        if !keep { Self.close(connection) }
    }

    /// How long opening a connection may take in all: the connect timeout and 10 s to log in.
    private static func startupLimit(_ configuration: PostgresConnection.Configuration) -> Duration {
        .nanoseconds(configuration.options.connectTimeout.nanoseconds) + .seconds(10)
    }

    /// Closes the idle connections and refuses new transactions.
    func close() {
        state.lock()
        closed = true
        let connections = idle
        idle = []
        open -= connections.count
        state.broadcast()
        state.unlock()
        for connection in connections { Self.close(connection) }
    }

    /// Closes `connection`, waiting a few seconds at most (a connection the server already
    /// dropped may never answer a close either; see `PostgresQueryWait`).
    private static func close(_ connection: PostgresConnection) {
        _ = try? PostgresQueryWait.result(of: connection.close(), on: connection, timeout: .seconds(5))
    }

    /// Why a connection could not be made, in the store's words.
    static func connectFailure(_ error: any Error, path: String) -> PostgresStoreError {
        let server = PostgresServerError(error)
        if server.sqlState == "3D000" { return .missing(path: path) }
        if let state = server.sqlState, state.hasPrefix("28") {
            return .cannotOpen(path: path, reason: "the server refused the login: \(server.message) (see PGPASSFILE or ?passfile=, never a password in the URL)")
        }
        if let state = server.sqlState, state == "57P03" {
            return .busy
        }
        return .cannotOpen(path: path, reason: "cannot reach the PostgreSQL server (\(server.sqlState.map { _ in server.message } ?? "\(error)"))")
    }
}
