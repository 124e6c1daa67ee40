import Foundation

/// The password for a connection, from a libpq password file (`~/.pgpass` format):
/// `hostname:port:database:username:password` lines, `*` matching anything in the first four
/// fields, `\:` and `\\` escaping, `#` starting a comment; the first matching line wins.
///
/// Which file: the URL's `passfile`, else `PGPASSFILE`, else `~/.pgpass`. A file that was named
/// must exist; `~/.pgpass` may be missing (then no password is sent, and the server may still
/// accept peer or certificate authentication). A file readable by group or others is refused,
/// as libpq ignores it, so a password never sits in a file others can read.
/// For a unix-socket connection a line matches with the socket folder or with `localhost`.
public enum PostgresPassFile {
    /// The password for `settings`, or nil when no file or no line applies.
    public static func password(for settings: PostgresConnectionSettings,
                                environment: [String: String] = ProcessInfo.processInfo.environment) throws(PostgresSettingsError) -> String? {
        let named = settings.passfile ?? environment["PGPASSFILE"].flatMap { $0.isEmpty ? nil : $0 }
        let path: String
        if let named {
            path = expandTilde(named, environment: environment)
        } else if let home = environment["HOME"], !home.isEmpty {
            path = home + "/.pgpass"
        } else {
            return nil
        }
        var status = stat()
        guard stat(path, &status) == 0 else {
            if named != nil { throw .passFileMissing(path: path) }
            return nil
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw .passFileUnreadable(path: path, reason: "not a regular file")
        }
        if status.st_mode & 0o077 != 0 {
            throw .passFileTooOpen(path: path, mode: String(status.st_mode & 0o777, radix: 8))
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .passFileUnreadable(path: path, reason: "not readable as UTF-8 text")
        }
        return match(in: text, settings: settings)
    }

    /// The password of the first line of `text` that matches `settings`.
    public static func match(in text: String, settings: PostgresConnectionSettings) -> String? {
        var hosts = [settings.hostForPassword]
        if case .unixSocket = settings.endpoint { hosts.append("localhost") }
        let wanted: [[String]] = [hosts, [String(settings.port)], [settings.database], [settings.username]]
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            if line.hasPrefix("#") { continue }
            let fields = splitFields(line)
            guard fields.count == 5 else { continue }
            let matches = (0..<4).allSatisfy { i in fields[i] == "*" || wanted[i].contains(fields[i]) }
            if matches { return fields[4] }
        }
        return nil
    }

    /// Splits a line at unescaped colons, undoing `\:` and `\\`.
    static func splitFields(_ line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for ch in line {
            if escaped {
                current.append(ch)
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else if ch == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        fields.append(current)
        return fields
    }

    private static func expandTilde(_ path: String, environment: [String: String]) -> String {
        guard path.hasPrefix("~/"), let home = environment["HOME"] else { return path }
        return home + path.dropFirst()
    }
}
