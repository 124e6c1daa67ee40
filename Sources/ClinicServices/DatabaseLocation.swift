import Foundation

/// Where the clinic database lives: `--database PATH`, else `KNOT_DATABASE`, else
/// `$XDG_DATA_HOME/knot/clinic.sqlite`, else `~/.local/share/knot/clinic.sqlite`.
public enum DatabaseLocation {
    /// The database path: `explicit` when given, else `KNOT_DATABASE`, else the XDG data folder, else
    /// `~/.local/share/knot/clinic.sqlite`; `~` is expanded.
    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit, !explicit.isEmpty { return expand(explicit, environment) }
        if let env = environment["KNOT_DATABASE"], !env.isEmpty { return expand(env, environment) }
        let base: String
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            base = xdg
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            base = home + "/.local/share"
        }
        return base + "/knot/clinic.sqlite"
    }

    /// Whether `resolve` falls back to the default path (no `--database`, no `KNOT_DATABASE`):
    /// the only path any command may create a database at on first use.
    public static func isDefault(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        (explicit ?? "").isEmpty && (environment["KNOT_DATABASE"] ?? "").isEmpty
    }

    static func expand(_ path: String, _ env: [String: String]) -> String {
        if path == "~" || path.hasPrefix("~/") {
            return (env["HOME"] ?? NSHomeDirectory()) + path.dropFirst()
        }
        return path
    }
}
