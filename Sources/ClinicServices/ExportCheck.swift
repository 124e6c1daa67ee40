import Foundation
import ClinicModel
import ClinicXML

/// The check of a clinic export, made as it is written, on a thread of its own: the second core
/// validates while the others read the database and write.
///
/// The writer hands over every chunk once it is in the file (`take`, on the writing thread): the
/// chunk is added to the file's SHA-256 and copied through a pipe (bounded: a full pipe makes the
/// writer wait) to a `RecordsImportReader` that reads it as an import of the file would: the
/// same byte screens, libxml2 with the schema, and every rule the decoder applies that the
/// schema cannot say. So one pass of each kind is made, and what is checked and hashed is
/// exactly the sequence of bytes the file was given, in order; `finish()` comes after the file
/// was synced and closed without error (`RecordsExportWriter.finish()`), so those are the bytes
/// on disk as far as the system can say. (Reading the file back, as the export did before, read
/// the same bytes from the page cache: it proved nothing more about the disk.)
final class ExportCheck: @unchecked Sendable {
    private let readEnd: Int32
    private let writeEnd: Int32
    // Written by the writing thread, read after it is joined.
    private var running = LetterDigest.Running()
    // Written by the checking thread, read after it is joined.
    private var failure: Error?
    private var worker: RecordsWorker?
    private var finished = false
    private var sha = ""

    /// Bytes the pipe holds before the writer waits (Linux's unprivileged maximum).
    static let pipeBytes: Int32 = 1 << 20
    /// Linux's `F_SETPIPE_SZ` (not exported to Swift by Glibc); failing leaves the default 64 KiB.
    static let setPipeSize: Int32 = 1031

    /// Starts the checking thread; `fileName` names the export in its findings.
    init(fileName: String) throws {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw StorageError.writeFailed(reason: "cannot open a pipe for the check of the export: \(String(cString: strerror(errno)))")
        }
        readEnd = ends[0]
        writeEnd = ends[1]
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(writeEnd, Self.setPipeSize, Self.pipeBytes)
        worker = RecordsWorker("knot-export-check") { [self] in run(fileName: fileName) }
    }

    /// Takes a chunk just written to the file (writing thread); returns why it could not.
    func take(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard !bytes.isEmpty else { return nil }
        running.update(bytes)
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(writeEnd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return "cannot hand the export to its check: \(String(cString: strerror(errno)))"
            }
            offset += written
        }
        return nil
    }

    /// Ends the document the check reads and waits for the check; returns the SHA-256 of every
    /// byte taken, or throws what the check found. Call it once nothing more is written (after
    /// the writer finished, or failed); later calls give the same answer.
    func finish() throws -> String {
        if !finished {
            finished = true
            _ = Glibc.close(writeEnd)
            worker?.join()
            sha = running.hex()
        }
        if let failure { throw failure }
        return sha
    }

    private func run(fileName: String) {
        do {
            let reader = try RecordsImportReader(streamingDescriptor: readEnd, fileName: fileName)
            reader.computesDigests = false
            while try reader.next() != nil {}
        } catch {
            failure = error
        }
        // Whatever is left is read and dropped, so the writer never waits on a check that stopped.
        var scrap = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = scrap.withUnsafeMutableBytes { Glibc.read(readEnd, $0.baseAddress, $0.count) }
            if got > 0 || (got < 0 && errno == EINTR) { continue }
            break
        }
        _ = Glibc.close(readEnd)
    }
}
