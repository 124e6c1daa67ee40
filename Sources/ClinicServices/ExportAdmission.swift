import Foundation
import ClinicXML

/// Whether a whole-clinic export file may be imported at all: not imported before (its SHA-256
/// among the clinic's imported documents) and its detached signature (`exportProvenance`),
/// decided beside the import's reading and writing rather than before them.
///
/// Why: the file's SHA-256 is one more pass over the whole file, and before the reading began
/// it held up both threads (about 3% of a 10,000-patient import, growing with the file). Here a
/// thread of its own hashes the file while the import reads and writes; the writer asks after
/// each chunk whether the digest is in (`check(_:session:waiting:)` without waiting) and, in any
/// case, waits for it when the reading ends, before anything else the import decides. The import
/// is one transaction, so nothing is committed before the check has passed, and its refusal is
/// thrown as soon as it is known, rolling everything back. When the import fails for another
/// reason first (an XML error, a refused record), the caller waits for the check and reports
/// its refusal instead, so a forged, untrusted or unsigned file, or one already imported, is
/// reported as it was when the check ran first (`ClinicSession.importFile`).
final class ExportAdmission: @unchecked Sendable {
    /// Why the file may not be imported; thrown by `check`.
    enum Refusal: Error {
        /// The same file (SHA-256) was imported before: nothing to write.
        case alreadyImported
        /// The signature check refused it (`exportProvenance`'s error, its message as it was).
        case refused(any Error)
        /// The file could not be read to hash it.
        case unreadable(any Error)
    }

    /// The export.
    let path: String
    /// `--untrusted`: an unsigned file, or one signed by a key the clinic does not trust, is
    /// imported marked so; a forged one never.
    let untrusted: Bool
    private let condition = NSCondition()
    private var digest: Result<String, any Error>?
    /// The file's SHA-256 and the provenance words for the import's audit event, once admitted.
    private(set) var admitted: (sha: String, provenance: String)?

    /// Starts hashing `path` on a thread of its own.
    init(path: String, untrusted: Bool) {
        self.path = path
        self.untrusted = untrusted
        let handed = Handed(value: self)
        _ = RecordsWorker("knot-export-digest") {
            let admission = handed.value
            let result = Result { try LetterDigest.sha256Hex(fileAt: admission.path) }
            admission.condition.lock()
            admission.digest = result
            admission.condition.broadcast()
            admission.condition.unlock()
        }
    }

    /// The digest: nil while the hashing thread runs, unless `waiting`, which waits for it.
    private func digest(waiting: Bool) -> Result<String, any Error>? {
        condition.lock()
        defer { condition.unlock() }
        while waiting && digest == nil { condition.wait() }
        return digest
    }

    /// Waits for the hashing thread to end (it reads the file; nothing is left running).
    func finish() {
        _ = digest(waiting: true)
    }

    /// Decides, once the file's digest is in, whether it may be imported: true once admitted
    /// (`admitted` then holds the digest and provenance), false when the digest is not in yet
    /// and not `waiting`. Throws the refusal. `tx` is the import's own transaction (or any read
    /// of the clinic): it tells whether the file was imported before and which keys are trusted.
    func check(_ tx: any ClinicRecordReader, session: ClinicSession, waiting: Bool) throws -> Bool {
        if admitted != nil { return true }
        guard let digest = digest(waiting: waiting) else { return false }
        let sha: String
        switch digest {
        case .success(let value): sha = value
        case .failure(let error): throw Refusal.unreadable(error)
        }
        if try tx.wasImported(sha256: sha) { throw Refusal.alreadyImported }
        let provenance: String
        do {
            provenance = try session.exportProvenance(path, sha: sha, untrusted: untrusted, trusted: try tx.trustedExportKeys())
        } catch {
            throw Refusal.refused(error)
        }
        admitted = (sha, provenance)
        return true
    }
}
