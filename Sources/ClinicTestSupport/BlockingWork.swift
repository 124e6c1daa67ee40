import Foundation

/// Blocking work (a child process and its pipes) on a thread of its own, awaited: waiting for
/// a script that takes seconds must not hold one of the few threads Swift concurrency, and every
/// other test, runs on.
public enum BlockingWork {
    /// Runs `work` on a new thread and returns what it returned (or throws what it threw).
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    /// A script that exited other than 0: its arguments, status and output.
    public struct ScriptFailed: Error, CustomStringConvertible {
        public let script: String
        public let arguments: [String]
        public let status: Int32
        public let output: String
        public var description: String { "\((script as NSString).lastPathComponent) \(arguments.joined(separator: " ")) exited \(status): \(output)" }
    }

    /// Runs `bash script arguments…` and returns its output (stdout and stderr together), or
    /// throws `ScriptFailed`. One pipe for both streams, read to the end before waiting, so
    /// neither can fill and block.
    public static func runScript(_ script: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let status = exitStatus(of: process)
        let text = String(decoding: data, as: UTF8.self)
        guard status == 0 else { throw ScriptFailed(script: script, arguments: arguments, status: status, output: text) }
        return text
    }

    /// The exit status of a finished child, reaped here with waitpid: Foundation's
    /// `waitUntilExit` was seen never to return in the test runner (the child left a zombie).
    public static func exitStatus(of process: Process) -> Int32 {
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
