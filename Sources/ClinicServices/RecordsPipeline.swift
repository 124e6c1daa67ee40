import Foundation

/// A bounded hand-over from one producing thread to one consuming thread, used by whole-clinic
/// export and import to put the XML work on one core and the database work on the other.
///
/// The producer `put`s chunks (blocking while `capacity` chunks wait, so memory stays flat) and
/// ends with `finish(failure:)`; the consumer `take`s them (nil at the end; the producer's error
/// is rethrown there). Either side may stop early: the consumer by `cancel()` (the producer's next
/// `put` returns false), the producer by `finish(failure:)`.
final class RecordsHandOver<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [[Element]] = []
    private let capacity: Int
    private var finished = false
    private var failure: Error?
    private var cancelled = false

    init(capacity: Int = 4) {
        self.capacity = max(1, capacity)
    }

    /// Hands over one chunk; false when the consumer has stopped (the producer should stop too).
    func put(_ chunk: [Element]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while chunks.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        chunks.append(chunk)
        condition.broadcast()
        return true
    }

    /// No more chunks; `failure` is rethrown to the consumer after the chunks already handed over.
    func finish(failure: Error? = nil) {
        condition.lock()
        defer { condition.unlock() }
        finished = true
        self.failure = failure
        condition.broadcast()
    }

    /// The next chunk, nil when the producer finished cleanly; throws the producer's failure.
    func take() throws -> [Element]? {
        condition.lock()
        defer { condition.unlock() }
        while chunks.isEmpty && !finished { condition.wait() }
        if !chunks.isEmpty {
            let chunk = chunks.removeFirst()
            condition.broadcast()
            return chunk
        }
        if let failure { throw failure }
        return nil
    }

    /// The consumer stops: the producer's waiting or next `put` returns false.
    func cancel() {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        chunks.removeAll()
        condition.broadcast()
    }
}

/// Runs `body` on a thread of its own (with a stack large enough for libxml2 and the model's
/// recursion); `join()` waits for it to end.
final class RecordsWorker: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)

    init(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let done = self.done
        let thread = Thread {
            body()
            done.signal()
        }
        thread.name = name
        thread.stackSize = 8 << 20
        thread.start()
    }

    func join() {
        done.wait()
    }
}

/// Carries a value that is handed from one thread to another and used by one thread at a time
/// (the reader or writer a worker owns until it is joined).
struct Handed<Value>: @unchecked Sendable {
    let value: Value
}
