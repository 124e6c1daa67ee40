import Foundation

/// Effects that take long, done on a thread of their own so that the input loop goes on
/// reading keys (Esc still leaves) and drawing how far the work got.
///
/// A job reports results as it goes (`inboxProgress`) and brings back its last one when done;
/// the loop takes them with `take()` between reads and hands them to `update` like any other
/// effect's result. Starting a job of a kind stops the one before it; a stopped job's reports
/// are dropped, so a screen the user left never hears from it.
final class BackgroundWork: @unchecked Sendable {
    /// Handed to a running job: report a result, ask whether to stop.
    struct Job: Sendable {
        fileprivate let work: BackgroundWork
        fileprivate let id: Int

        /// True once the job was stopped (the user left, or a newer job of its kind started).
        var isCancelled: Bool { work.isCancelled(id) }

        /// Queues a result for the input loop (dropped once the job is stopped).
        func report(_ result: EffectResult) { work.post(result, from: id) }
    }

    /// Guards everything below (an `NSCondition`, so `waitUntilDone` can sleep on it).
    private let condition = NSCondition()
    private var nextID = 0
    /// The live job of each kind.
    private var current: [String: Int] = [:]
    private var live: Set<Int> = []
    private var running = 0
    private var reports: [(id: Int, result: EffectResult)] = []
    /// While true, a job started waits before its work (`hold`).
    private var held = false

    /// Runs `body` on its own thread as the job of `kind` (stopping an earlier one); what it
    /// brings back, unless nil or stopped by then, is its last report.
    func start(_ kind: String, _ body: @escaping @Sendable (Job) -> EffectResult?) {
        condition.lock()
        stopLocked(kind)
        nextID += 1
        let job = Job(work: self, id: nextID)
        current[kind] = job.id
        live.insert(job.id)
        running += 1
        condition.unlock()
        Thread.detachNewThread { [self] in
            condition.lock()
            while held { condition.wait() }
            condition.unlock()
            let last = body(job)
            condition.lock()
            if let last, live.contains(job.id) { reports.append((job.id, last)) }
            live.remove(job.id)
            if current[kind] == job.id { current[kind] = nil }
            running -= 1
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Jobs started from now on wait before doing their work until `release`: where a test
    /// looks at the screen while long work runs, whatever the machine's speed.
    func hold() {
        condition.lock()
        held = true
        condition.unlock()
    }

    /// Lets the held jobs do their work.
    func release() {
        condition.lock()
        held = false
        condition.broadcast()
        condition.unlock()
    }

    /// Stops the job of `kind`, if one runs, and drops what it reported and was not taken.
    func stop(_ kind: String) {
        condition.lock()
        stopLocked(kind)
        condition.unlock()
    }

    /// Stops every job (the front end is quitting).
    func stopAll() {
        condition.lock()
        for kind in Array(current.keys) { stopLocked(kind) }
        condition.unlock()
    }

    /// The results reported since the last call, oldest first.
    func take() -> [EffectResult] {
        condition.lock()
        defer { condition.unlock() }
        let taken = reports.map(\.result)
        reports.removeAll()
        return taken
    }

    /// True while a job runs or a report waits to be taken.
    var isBusy: Bool {
        condition.lock()
        defer { condition.unlock() }
        return running > 0 || !reports.isEmpty
    }

    /// Sleeps until no job runs (their reports wait to be taken).
    func waitUntilDone() {
        condition.lock()
        while running > 0 { condition.wait() }
        condition.unlock()
    }

    /// Sleeps until no job runs or `seconds` have passed, whichever is first.
    func waitUntilDone(atMost seconds: TimeInterval) {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        while running > 0, condition.wait(until: deadline) {}
        condition.unlock()
    }

    private func stopLocked(_ kind: String) {
        guard let id = current.removeValue(forKey: kind) else { return }
        live.remove(id)
        reports.removeAll { $0.id == id }
    }

    private func isCancelled(_ id: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return !live.contains(id)
    }

    private func post(_ result: EffectResult, from id: Int) {
        condition.lock()
        if live.contains(id) { reports.append((id, result)) }
        condition.unlock()
    }
}

/// An effect's work split for `BackgroundWork`: what the screen shows at once, and the rest,
/// done off the input loop.
struct LongWork: Sendable {
    /// Names the job: a newer one of the same kind stops it (see `Effect.stopCheckingInbox`).
    var kind: String
    /// Handed to `update` before the job starts (the first progress line).
    var first: EffectResult
    var rest: @Sendable (BackgroundWork.Job) -> EffectResult?
}
