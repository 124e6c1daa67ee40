import Foundation
import GRDB
import ClinicModel

/// Two read transactions on one snapshot, on two connections: a long read (the clinic export's)
/// and a pass beside it on another thread (the seal check), so that both cores work at once and
/// still answer about one and the same state of the clinic.
///
/// SQLite as shipped here has no `sqlite3_snapshot_open`, so the sameness is proved, not asked
/// for: the main connection reads `PRAGMA data_version` outside any transaction (time t0); the
/// pass beside starts its read transaction and reads from the file (t1); then the main connection
/// starts its own and reads `PRAGMA data_version` again inside it (t2). That value changes when
/// any other connection, of this process or another (`sqlite3` included), committed between t0
/// and t2; when it is unchanged, nothing was committed between t0 and t2, so the snapshot taken
/// at t1 and the one taken at t2 are the same. The pass waits, its snapshot taken, for that
/// verdict before it runs. When the value changed, both transactions are dropped (the pass not
/// run) and the pair is started again (a few times), and then the pass runs first, inside the
/// main transaction, one after the other as a single transaction does.
extension ClinicDatabase {
    /// Tries to start the pair on one snapshot this many times before running one after the other.
    static let sameSnapshotAttempts = 3

    /// Runs `body` on a consistent snapshot while `beside` runs on another thread, on another
    /// connection, on exactly the same snapshot; `body`'s second argument waits for `beside`'s
    /// result (its value or what it threw). `beside` is always waited for before this returns:
    /// when `body` throws while `beside` runs (an export that fails part way), the error comes
    /// once `beside` has ended (for the export's seal pass, at most one pass's time).
    public func read<T, S: Sendable>(alongside beside: @escaping @Sendable (StoreTransaction) throws -> S,
                                     _ body: (StoreTransaction, _ besideResult: () throws -> S) throws -> T) throws -> T {
        let key = self.key, keyPath = self.keyPath
        do {
            for attempt in 1...Self.sameSnapshotAttempts {
                let outcome: SameSnapshotOutcome<T> = try pool.unsafeRead { db in
                    let before = try Int64.fetchOne(db, sql: "PRAGMA data_version")
                    let side = SideRead<S>()
                    let pool = self.pool
                    let thread = Thread {
                        var started = false
                        do {
                            try pool.read { sideDB in
                                // Reading the schema starts the read transaction: from here on
                                // this connection sees one snapshot.
                                _ = try Int.fetchOne(sideDB, sql: "SELECT count(*) FROM sqlite_master")
                                started = true
                                side.started.signal()
                                // The pass runs only once the main connection found the same
                                // snapshot; a pair started again never pays for it.
                                guard side.mayRun() else {
                                    side.finish(.failure(StoreError.busy))
                                    return
                                }
                                side.finish(Result { try beside(StoreTransaction(db: sideDB, key: key, keyPath: keyPath)) })
                            }
                        } catch {
                            side.finish(.failure(error))
                        }
                        if !started { side.started.signal() }
                        side.ended()
                    }
                    thread.name = "knot-same-snapshot"
                    thread.stackSize = 8 << 20
                    thread.start()
                    side.started.wait()
                    Self.sameSnapshotProbe.run(path: path, attempt: attempt)
                    // Whatever happens below, the pass beside is told whether to run (not,
                    // unless said so first) and has ended when this returns.
                    defer {
                        side.decide(run: false)
                        side.join()
                    }
                    try db.beginTransaction(.deferred)
                    defer { try? db.rollback() }
                    let after = try Int64.fetchOne(db, sql: "PRAGMA data_version")
                    let same = before != nil && before == after
                    side.decide(run: same)
                    if !same && attempt < Self.sameSnapshotAttempts { return .again }
                    let tx = StoreTransaction(db: db, key: key, keyPath: keyPath)
                    if !same {
                        // Still moving: the pass runs first, inside this transaction.
                        let result = Result { try beside(tx) }
                        return .done(try body(tx, { try result.get() }))
                    }
                    return .done(try body(tx, { try side.join().get() }))
                }
                if case .done(let value) = outcome { return value }
            }
            preconditionFailure("the last attempt always runs body")
        } catch let e as DatabaseError {
            throw Self.translate(e, path: path)
        } catch is RowDecodingError {
            throw Self.undecodable
        }
    }

    /// Called between the start of the pass beside and the start of the main read, with the
    /// attempt's number (tests commit a change there to prove the pair refuses to differ).
    static let sameSnapshotProbe = SameSnapshotProbe()
}

private enum SameSnapshotOutcome<T> {
    case again
    case done(T)
}

/// The pass beside: when it may run (the main connection's verdict on the snapshot), and its
/// result, set on its thread, read after it ended.
private final class SideRead<S>: @unchecked Sendable {
    let started = DispatchSemaphore(value: 0)
    private let go = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var value: Result<S, Error>?
    private var decided = false
    private var proceed = false

    /// The pass's thread: waits for the verdict; true when the pass is to run.
    func mayRun() -> Bool {
        go.wait()
        return lock.withLock { proceed }
    }

    /// The main thread: the verdict, once (later calls change nothing).
    func decide(run: Bool) {
        let first = lock.withLock { () -> Bool in
            guard !decided else { return false }
            decided = true
            proceed = run
            return true
        }
        if first { go.signal() }
    }

    func finish(_ result: Result<S, Error>) {
        lock.withLock { if value == nil { value = result } }
    }

    /// The pass's thread: nothing more will be done there.
    func ended() {
        done.signal()
    }

    /// Waits for the pass to end (again and again: it stays ended) and gives its result.
    @discardableResult
    func join() -> Result<S, Error> {
        done.wait()
        done.signal()
        return lock.withLock { value ?? .failure(StoreError.busy) }
    }
}

/// A hook for tests, run between the two starts of a same-snapshot read of one database file
/// (nothing by default).
final class SameSnapshotProbe: @unchecked Sendable {
    private let lock = NSLock()
    private var hooks: [String: @Sendable (Int) -> Void] = [:]

    /// Installs `hook` for the database at `path` (nil removes it).
    func set(path: String, _ hook: (@Sendable (_ attempt: Int) -> Void)?) {
        lock.withLock { hooks[path] = hook }
    }

    func run(path: String, attempt: Int) {
        let hook = lock.withLock { hooks[path] }
        hook?(attempt)
    }
}
