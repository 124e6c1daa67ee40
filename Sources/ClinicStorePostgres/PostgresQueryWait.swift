import Foundation
import PostgresNIO

/// Waiting on a blocking thread for the server's answer to one query: never forever.
///
/// PostgresNIO (1.33) hands a query to its channel without a promise for the write: when the
/// server ended the connection a moment before (the primary killed in a failover, a restart,
/// `pg_terminate_backend`), the query is dropped and its future never completes, so
/// `EventLoopFuture.wait()` would hold the command (and, in `knot`, the practitioner's terminal)
/// for good. This was seen in the failover test, about one run in three. Waiting here instead:
/// - every 50 ms, whether the connection is still open is checked; a closed connection whose
///   query has not answered within a second of being seen closed is a lost connection;
/// - no query waits longer than `timeout` (the URL's `query_timeout`, ``PostgresConnectionSettings``):
///   past it the connection is closed, so the server rolls back whatever was not committed, and
///   the command fails saying so (a server that stopped answering without closing the connection,
///   as a machine that lost power does over TCP, is only ever noticed this way).
enum PostgresQueryWait {
    /// Why the wait ended without an answer.
    enum Failure: Error, Equatable {
        /// The connection closed and the query never answered.
        case connectionLost
        /// No answer within the query timeout; the connection was closed here.
        case timedOut(seconds: Int)

        /// In the store's words (a `writeFailed` reason: either way nothing more reaches the server).
        var reason: String {
            switch self {
            case .connectionLost: "the connection to the PostgreSQL server was lost"
            case .timedOut(let seconds): "the connection to the PostgreSQL server was lost: no answer within \(seconds) s (query_timeout)"
            }
        }
    }

    /// The answer to `future`, or `Failure` when it cannot come.
    /// With no `connection` (one being opened), only the deadline applies.
    static func result<Value>(of future: EventLoopFuture<Value>, on connection: PostgresConnection?,
                              timeout: Duration) throws -> Value {
        let answer = Answer<Value>()
        future.whenComplete { answer.set($0) }
        let clock = ContinuousClock()
        let start = clock.now
        var closedSince: ContinuousClock.Instant?
        while true {
            if let result = answer.wait(milliseconds: 50) { return try result.get() }
            let now = clock.now
            if let connection, connection.isClosed {
                let since = closedSince ?? now
                closedSince = since
                if now - since >= .seconds(1) { throw Failure.connectionLost }
            }
            if now - start >= timeout {
                if let connection {
                    let closing: EventLoopFuture<Void> = connection.close()
                    _ = closing
                }
                throw Failure.timedOut(seconds: Int(timeout.components.seconds))
            }
        }
    }

    /// The future's result, handed from the event loop to the waiting thread.
    private final class Answer<Value>: @unchecked Sendable {
        private let condition = NSCondition()
        private var result: Result<Value, any Error>?

        func set(_ result: Result<Value, any Error>) {
            condition.lock()
            self.result = result
            condition.broadcast()
            condition.unlock()
        }

        /// The result when it came within `milliseconds`, else nil.
        func wait(milliseconds: Int) -> Result<Value, any Error>? {
            condition.lock()
            defer { condition.unlock() }
            if result == nil { _ = condition.wait(until: Date().addingTimeInterval(Double(milliseconds) / 1000)) }
            return result
        }
    }
}
