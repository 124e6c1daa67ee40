import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file could not be written: which file, what the system said.
public struct FileWriteError: Error, Sendable, CustomStringConvertible {
    /// The file's path.
    public var path: String
    /// What the system said, in words.
    public var reason: String
    /// True when the file could not be created at all (a folder missing, a name taken), as opposed
    /// to a failure while writing (a full disk).
    public var cannotCreate: Bool
    /// The failure to write `path`; `cannotCreate` tells creating from writing.
    public init(path: String, reason: String, cannotCreate: Bool) {
        self.path = path; self.reason = reason; self.cannotCreate = cannotCreate
    }
    public var description: String { "\(path): \(cannotCreate ? "cannot create" : "cannot write"): \(reason)" }
}

/// The one way Knot makes the files it writes (exports, plans, saved attachments, backups
/// being restored): readable by their owner only (0600) from the first moment, whatever the
/// umask, created new (`O_EXCL`) without following a symbolic link (`O_NOFOLLOW`), as a
/// temporary file in the destination folder that takes its name only once complete.
///
/// It lives in ClinicModel, the module every writer imports, though it knows nothing clinical.
public enum PrivateFile {
    /// Creates a new file at exactly `path`, mode 0600, refusing a file or link already there.
    /// Returns an open descriptor for writing, which the caller closes.
    public static func createNew(_ path: String) throws(FileWriteError) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(0o600))
        guard fd >= 0 else { throw FileWriteError(path: path, reason: String(cString: strerror(errno)), cannotCreate: true) }
        // The umask can only take bits away from 0600; fchmod makes sure of the exact mode.
        _ = fchmod(fd, 0o600)
        return fd
    }

    /// Creates a temporary file beside `path` (same folder, so that renaming it is atomic),
    /// named `<path>.<tag>-<random>`; returns its descriptor and path.
    public static func createTemporary(besides path: String, tag: String = "partial") throws(FileWriteError) -> (fd: Int32, path: String) {
        var reason = "no free temporary name"
        for _ in 0..<8 {
            let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 36)
            let candidate = "\(path).\(tag)-\(suffix)"
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(0o600))
            if fd >= 0 {
                _ = fchmod(fd, 0o600)
                return (fd, candidate)
            }
            let failure = errno
            reason = String(cString: strerror(failure))
            if failure != EEXIST { break }
        }
        throw FileWriteError(path: path, reason: reason, cannotCreate: true)
    }

    /// Gives a complete temporary file its name: replacing a file there when `replacing`, else
    /// refusing one (atomically: a link, never a check followed by a rename).
    public static func commit(_ temporary: String, to path: String, replacing: Bool) throws(FileWriteError) {
        if replacing {
            guard rename(temporary, path) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                throw FileWriteError(path: path, reason: reason, cannotCreate: true)
            }
            return
        }
        guard link(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw FileWriteError(path: path, reason: reason, cannotCreate: true)
        }
        unlink(temporary)
    }

    /// Writes `data` to `path` through a temporary file beside it: nothing half-written, 0600 throughout.
    public static func write(_ data: Data, to path: String, replacing: Bool = true) throws(FileWriteError) {
        let (fd, temporary) = try createTemporary(besides: path)
        var failure: String?
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 { if errno == EINTR { continue }; failure = String(cString: strerror(errno)); return }
                offset += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        close(fd)
        if let failure {
            unlink(temporary)
            throw FileWriteError(path: path, reason: failure, cannotCreate: false)
        }
        try commit(temporary, to: path, replacing: replacing)
    }

    /// Copies the file at `source` to a new temporary file beside `path`, 0600; returns its path.
    public static func copyToTemporary(from source: String, besides path: String, tag: String) throws(FileWriteError) -> String {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw FileWriteError(path: source, reason: String(cString: strerror(errno)), cannotCreate: false) }
        defer { close(input) }
        let (fd, temporary) = try createTemporary(besides: path, tag: tag)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var failure: String?
        while failure == nil {
            let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress!, $0.count) }
            if n == 0 { break }
            if n < 0 { if errno == EINTR { continue }; failure = String(cString: strerror(errno)); break }
            var offset = 0
            while offset < n {
                let w = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, n - offset) }
                if w < 0 { if errno == EINTR { continue }; failure = String(cString: strerror(errno)); break }
                offset += w
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        close(fd)
        if let failure {
            unlink(temporary)
            throw FileWriteError(path: path, reason: failure, cannotCreate: false)
        }
        return temporary
    }
}
