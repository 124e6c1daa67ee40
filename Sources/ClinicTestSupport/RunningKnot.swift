import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A `knot` started in the background, so a test can kill it mid-write or run several at once.
///
/// Crash-consistency and concurrency tests need what `KnotProcess.run` cannot give: the process
/// id while it runs, a SIGKILL at a chosen moment, and its output once it ends.
public final class RunningKnot: @unchecked Sendable {
    public let process: Process
    private let out = Pipe()
    private let err = Pipe()
    private let group = DispatchGroup()
    private let lock = NSLock()
    private var outData = Data()
    private var errData = Data()

    /// Starts `executable args…` (the built `knot` unless another program is named) with the same
    /// clean environment as `KnotProcess.run`.
    public init(_ args: [String], home: String, environment: [String: String] = [:], executable: String = KnotProcess.executable) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = args
        var env = ["HOME": home, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TZ": "UTC"]
        // The clinic keys live with this test process's, so that a database made in-process and
        // one made by `knot` are sealed and verified with the same key.
        for (k, v) in KnotProcess.keyEnvironment { env[k] = v }
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.currentDirectoryURL = URL(fileURLWithPath: home)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        for (pipe, isOut) in [(out, true), (err, false)] {
            group.enter()
            DispatchQueue.global().async { [self] in
                let d = pipe.fileHandleForReading.readDataToEndOfFile()
                lock.lock()
                if isOut { outData = d } else { errData = d }
                lock.unlock()
                group.leave()
            }
        }
    }

    public var pid: Int32 { process.processIdentifier }

    /// Sends SIGKILL: the process gets no chance to finish, flush or roll back.
    public func kill() {
        if process.isRunning { _ = Glibc.kill(pid, SIGKILL) }
    }

    /// Waits for the end and returns what it printed; `status` is the signal number when killed.
    @discardableResult
    public func wait() -> KnotProcess.Result {
        process.waitUntilExit()
        group.wait()
        lock.lock()
        defer { lock.unlock() }
        return KnotProcess.Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                                  stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Whether it ended by a signal (SIGKILL) rather than by exiting.
    public var wasKilled: Bool { process.terminationReason == .uncaughtSignal }
}
