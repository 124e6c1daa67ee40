import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program as a child process and measures it from outside: wall time, exit status and
/// peak resident memory (the kernel's `ru_maxrss` for that child, from `wait4`).
///
/// `posix_spawn` rather than `Foundation.Process` because only `wait4` reports the child's own
/// peak memory, which is what "memory stays flat" is about.
enum ChildProcess {
    struct Outcome {
        var status: Int32
        var seconds: Double
        /// Peak resident set of the child, in bytes.
        var peakBytes: Int
        /// CPU time of the child, user + system, in seconds (steadier than wall time on a shared machine).
        var cpuSeconds: Double = 0
    }

    /// Runs `executable` with `arguments`; stdout and stderr go to the given files (or /dev/null).
    static func run(_ executable: String, _ arguments: [String], stdout: String = "/dev/null",
                    stderr: String = "/dev/null", environment: [String: String]? = nil) throws -> Outcome {
        let start = Clock.now()
        let pid = try spawn(executable, arguments, stdout: stdout, stderr: stderr, environment: environment)
        return try wait(pid, executable: executable, since: start)
    }

    /// Starts `executable` and returns at once with its process id (several children running
    /// at the same time: `wait` for each).
    static func spawn(_ executable: String, _ arguments: [String], stdout: String = "/dev/null",
                      stderr: String = "/dev/null", environment: [String: String]? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }

        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard rc == 0 else { throw BenchError.setup("cannot start \(executable): \(String(cString: strerror(rc)))") }
        return pid
    }

    /// Waits for child `pid` (started at `start`) and measures it.
    static func wait(_ pid: pid_t, executable: String, since start: UInt64) throws -> Outcome {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw BenchError.setup("wait4 failed for \(executable): errno \(errno)") }
        }
        let seconds = Clock.seconds(since: start)
        let exited = status & 0x7F == 0
        return Outcome(status: exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F), seconds: seconds,
                       peakBytes: Int(usage.ru_maxrss) * 1024,
                       cpuSeconds: usage.cpuSeconds)
    }
}

extension rusage {
    /// User + system CPU time, in seconds.
    var cpuSeconds: Double {
        Double(ru_utime.tv_sec + ru_stime.tv_sec) + Double(ru_utime.tv_usec + ru_stime.tv_usec) / 1e6
    }
}

/// Monotonic time, in seconds.
enum Clock {
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
    static func seconds(since start: UInt64) -> Double { Double(now() - start) / 1e9 }
    /// This thread's CPU time in nanoseconds: steadier than wall time on a loaded machine.
    static func threadCPU() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }
}

/// This process's own memory, from /proc/self/status (Linux).
enum ProcessMemory {
    /// Peak resident set (VmHWM), in bytes; 0 where /proc is missing.
    static var peakBytes: Int { field("VmHWM:") }
    /// Current resident set (VmRSS), in bytes.
    static var residentBytes: Int { field("VmRSS:") }

    private static func field(_ name: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let kb = line.dropFirst(name.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) } ?? 0
            return kb * 1024
        }
        return 0
    }
}

/// Percentiles of a sample (nearest rank).
enum Percentile {
    static func of(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }
}
