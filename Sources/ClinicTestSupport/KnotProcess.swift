import Foundation

/// Runs the built `knot` executable as a user would, for end-to-end tests.
public enum KnotProcess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The `knot` binary built beside the test bundle (`.build/<config>/knot`).
    public static var executable: String {
        if let explicit = ProcessInfo.processInfo.environment["KNOT_BINARY"] { return explicit }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("knot").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        // Swift Testing's runner may not pass the bundle in argv: fall back to the build folder.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for config in ["debug", "release"] {
            let candidate = root.appendingPathComponent(".build/\(config)/knot").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return "knot"
    }

    /// Where this process keeps clinic keys, for a `knot` started with another HOME:
    /// `KNOT_KEY_FILE` when set, else the configuration folder (`XDG_CONFIG_HOME`, else ~/.config).
    public static var keyEnvironment: [String: String] {
        let env = ProcessInfo.processInfo.environment
        if let file = env["KNOT_KEY_FILE"], !file.isEmpty { return ["KNOT_KEY_FILE": file] }
        if let xdg = env["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return ["XDG_CONFIG_HOME": xdg] }
        return ["XDG_CONFIG_HOME": (NSHomeDirectory() as NSString).appendingPathComponent(".config")]
    }

    /// Runs `knot args…` with a clean environment (HOME in `home`, no practitioner unless given).
    @discardableResult
    /// Runs another program (e.g. `script`, to give `knot` a terminal) with the same clean environment.
    public static func runProgram(_ program: String, _ args: [String], home: String, environment: [String: String] = [:]) throws -> Result {
        try run(args, home: home, environment: environment, program: program)
    }

    /// - Parameter umask: when given (e.g. 0), `knot` starts under that umask (through `/bin/sh`).
    public static func run(_ args: [String], home: String, environment: [String: String] = [:], stdin: Data? = nil,
                           umask: Int? = nil, program: String? = nil) throws -> Result {
        let p = Process()
        if let program {
            p.executableURL = URL(fileURLWithPath: program)
            p.arguments = args
        } else if let umask {
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "umask \(String(umask, radix: 8)) && exec \"$0\" \"$@\"", executable] + args
        } else {
            p.executableURL = URL(fileURLWithPath: executable)
            p.arguments = args
        }
        var env = ["HOME": home, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TZ": "UTC"]
        // The clinic keys live with this test process's, so that a database made in-process and
        // one made by `knot` are sealed and verified with the same key.
        for (k, v) in KnotProcess.keyEnvironment { env[k] = v }
        for (k, v) in environment { env[k] = v }
        p.environment = env
        p.currentDirectoryURL = URL(fileURLWithPath: home)
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        if let stdin { inp.fileHandleForWriting.write(stdin) }
        try? inp.fileHandleForWriting.close()
        // Read both pipes concurrently so a chatty child never blocks.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        p.waitUntilExit()
        group.wait()
        return Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// The logical content of a database (every table and row, through SQLite's own dump), to
    /// prove that a refused command changed nothing. Bytes are not compared: in WAL mode a reader
    /// that closes last folds the WAL into the main file, changing bytes but not content.
    public static func fingerprint(_ path: String) -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", """
            import sqlite3, sys, hashlib
            c = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True)
            h = hashlib.sha256()
            for line in c.iterdump(): h.update(line.encode('utf-8', 'surrogatepass'))
            print(h.hexdigest())
            """, path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        do { try p.run() } catch { return FileManager.default.contents(atPath: path) ?? Data() }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? data : (FileManager.default.contents(atPath: path) ?? Data())
    }
}
