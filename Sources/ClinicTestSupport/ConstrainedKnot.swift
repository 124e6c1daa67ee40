import Foundation

/// Runs `knot` under the constraints a clinic machine can impose: a file size limit (the disk
/// "fills" at that size) and, when the tests run as root, no capabilities (so file permissions
/// bind as they do for an ordinary user).
///
/// A full disk is simulated with RLIMIT_FSIZE (`prlimit --fsize`) with SIGXFSZ ignored, so
/// writes past the limit fail with EFBIG as they would with ENOSPC, instead of killing the
/// process. Root ignores chmod, so as root the command runs under
/// `setpriv --bounding-set -all`, which leaves uid 0 without CAP_DAC_OVERRIDE.
public enum ConstrainedKnot {
    /// Whether permission tests are meaningful here (as root only once capabilities are dropped).
    public static var canDropPrivileges: Bool {
        getuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
    }

    /// Runs `knot args…` with a file size limit in bytes, an address-space (memory) limit in
    /// bytes (RLIMIT_AS), and/or without privileges.
    ///
    /// With `shellIgnoresXFSZ` false, `knot` starts with SIGXFSZ at its default action (kill),
    /// as under a plain `ulimit -f`: only Knot's own `signal(SIGXFSZ, SIG_IGN)` keeps it alive.
    public static func run(_ args: [String], home: String, environment: [String: String] = [:],
                           fileSizeLimit: Int? = nil, unprivileged: Bool = false,
                           shellIgnoresXFSZ: Bool = true, addressSpaceLimit: Int? = nil) throws -> KnotProcess.Result {
        var command: [String] = []
        if let fileSizeLimit { command += ["/usr/bin/prlimit", "--fsize=\(fileSizeLimit)", "--"] }
        if let addressSpaceLimit { command += ["/usr/bin/prlimit", "--as=\(addressSpaceLimit)", "--"] }
        if unprivileged && getuid() == 0 { command += ["/usr/bin/setpriv", "--bounding-set", "-all", "--"] }
        command += [KnotProcess.executable] + args
        // The shell ignores SIGXFSZ; an ignored signal stays ignored across exec.
        let script = shellIgnoresXFSZ ? "trap '' XFSZ; exec \"$@\"" : "trap - XFSZ; exec \"$@\""
        let run = try RunningKnot(["-c", script, "sh"] + command, home: home, environment: environment, executable: "/bin/sh")
        return run.wait()
    }
}
