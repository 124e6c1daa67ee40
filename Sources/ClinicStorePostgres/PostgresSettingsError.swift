/// Why Knot cannot use the PostgreSQL settings it was given: which field, which value, which
/// rule. Never carries a password.
public enum PostgresSettingsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A field of the URL (or a setting) breaks a rule.
    case invalid(field: String, value: String, rule: String)
    /// The URL carries a password (`user:password@` or `password=`).
    case passwordInURL(parameter: String)
    /// A password file that was named (passfile=, PGPASSFILE) does not exist.
    case passFileMissing(path: String)
    /// A password file is readable by group or others; like libpq, Knot will not use it.
    case passFileTooOpen(path: String, mode: String)
    /// A password file exists but cannot be read.
    case passFileUnreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalid(field, value, rule):
            "database \(field) '\(value)' is not usable: it must be \(rule)"
        case let .passwordInURL(parameter):
            "a password in the database URL (\(parameter)) is refused: it would stay in shell history and show in the process list; "
                + "put it in ~/.pgpass, in the file PGPASSFILE names, or in a file named by ?passfile= (mode 0600)"
        case let .passFileMissing(path):
            "password file '\(path)' does not exist"
        case let .passFileTooOpen(path, mode):
            "password file '\(path)' has mode \(mode): it must be readable by its owner only (chmod 600)"
        case let .passFileUnreadable(path, reason):
            "password file '\(path)' cannot be read: \(reason)"
        }
    }
}
