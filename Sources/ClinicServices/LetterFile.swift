import Foundation

/// A file read whole for import (a referral letter), within the size cap, through one open
/// descriptor: the size checked is that of the file that is read (a symbolic link is followed
/// for both), only a regular file is read (a device or a pipe could never end), and nothing
/// is read past the cap.
///
/// One `open`, `fstat` and `read` per letter: `FileManager.attributesOfItem` took 11% of the
/// letter readers' CPU (it looks up the owner's name in the user database for every file;
/// BENCHMARKS.md, session 13) and, using `lstat`, let a link to a large file past the cap.
enum LetterFile {
    enum Refusal: Error, Equatable {
        case cannotRead
        case notRegular
        case tooLarge(size: Int, limit: Int)

        /// What the import report says, as before for `cannotRead` and `tooLarge`.
        var detail: String {
            switch self {
            case .cannotRead: "cannot read the file"
            case .notRegular: "not a regular file (a device, pipe or socket): not read"
            case let .tooLarge(size, limit): "the file is \(size) bytes, over the \(limit)-byte limit (--max-mb)"
            }
        }
    }

    /// The size of the regular file at `path` (links followed), refused over `maxBytes`.
    static func size(_ path: String, maxBytes: Int) -> Result<Int, Refusal> {
        var info = stat()
        guard stat(path, &info) == 0 else { return .failure(.cannotRead) }
        return check(info, maxBytes: maxBytes)
    }

    /// The whole file at `path`, or why it is not read.
    static func read(_ path: String, maxBytes: Int) -> Result<Data, Refusal> {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return .failure(.cannotRead) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(.cannotRead) }
        let size: Int
        switch check(info, maxBytes: maxBytes) {
        case .success(let s): size = s
        case .failure(let refusal): return .failure(refusal)
        }
        var data = Data(count: size)
        let got = data.withUnsafeMutableBytes { buffer -> Int in
            var count = 0
            while count < size {
                let n = Foundation.read(fd, buffer.baseAddress! + count, size - count)
                if n < 0 {
                    if errno == EINTR { continue }
                    return -1
                }
                if n == 0 { break }
                count += n
            }
            return count
        }
        guard got >= 0 else { return .failure(.cannotRead) }
        // A file cut short while it was read is what was there; one that grew is read as it was.
        if got < size { data.count = got }
        return .success(data)
    }

    private static func check(_ info: stat, maxBytes: Int) -> Result<Int, Refusal> {
        guard info.st_mode & S_IFMT == S_IFREG else { return .failure(.notRegular) }
        let size = Int(info.st_size)
        return size > maxBytes ? .failure(.tooLarge(size: size, limit: maxBytes)) : .success(size)
    }
}
