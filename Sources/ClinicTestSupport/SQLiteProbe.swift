import Foundation

/// Reads a database with Python's own `sqlite3` module: an independent reader, so a test's
/// verdict on what is in the file never depends on the Knot code under test.
///
/// Opening the file read-write lets SQLite replay or discard a WAL left by a killed process,
/// exactly as the next `knot` would.
public enum SQLiteProbe {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Rows of `sql` as strings (NULL becomes "NULL").
    public static func query(_ database: String, _ sql: String) throws -> [[String]] {
        let script = """
        import json, sqlite3, sys
        c = sqlite3.connect(sys.argv[1])
        rows = c.execute(sys.argv[2]).fetchall()
        print(json.dumps([[("NULL" if v is None else str(v)) for v in r] for r in rows]))
        """
        let out = try python(script, [database, sql])
        guard let rows = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String]] else {
            throw Failure(description: "unexpected output from python: \(out)")
        }
        return rows
    }

    /// A single value (the first column of the first row).
    public static func scalar(_ database: String, _ sql: String) throws -> String? {
        try query(database, sql).first?.first
    }

    /// Runs a Python script with arguments and returns its standard output (throws on failure).
    public static func python(_ script: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", script] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        group.wait()
        guard p.terminationStatus == 0 else {
            throw Failure(description: "python failed: \(String(decoding: errData, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
