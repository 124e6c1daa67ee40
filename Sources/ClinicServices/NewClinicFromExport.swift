import Foundation
import ClinicModel
internal import ClinicStore

/// Why `knot init --from` made no clinic: the export was refused (nothing was left behind).
public struct NewClinicRefused: Error, Sendable, CustomStringConvertible {
    /// What the import of the export said.
    public var outcome: ImportOutcome
    public var description: String {
        "\(outcome.file): \(outcome.detail.split(separator: "\n").joined(separator: "; ")); no clinic was created"
    }
}

extension ClinicSession {
    /// Makes a new clinic database at `path` from a whole-clinic export (urn:knot:records:1) in
    /// one step, keeping the export's ids and audit trail (the import lands in an empty database).
    ///
    /// Refused, creating nothing, when a file is already at `path` or the export is missing;
    /// when the import itself is refused the new (empty) database and any folder made for it
    /// are removed again, so a failed start leaves nothing half-made.
    public static func createClinic(at path: String, fromExport export: String, handle: String?,
                                    options: ImportOptions = ImportOptions()) throws -> (ClinicSession, ImportOutcome) {
        let fm = FileManager.default
        guard fm.fileExists(atPath: export) else { throw ServiceError.input("\(export): no such file") }
        if fm.fileExists(atPath: path) {
            throw StorageError.cannotOpen(path: path, reason: "a file is already there; `knot init --from` makes a new clinic (add an export to an existing clinic with `knot import`)")
        }
        let folder = (path as NSString).deletingLastPathComponent
        let folderExisted = folder.isEmpty || fm.fileExists(atPath: folder)
        let session = try open(path: path, handle: handle, create: true)
        let outcome = session.importFile(export, options: options)
        if outcome.status == .created { return (session, outcome) }
        try? session.database.close()
        for suffix in ["", "-wal", "-shm", "-journal"] { try? fm.removeItem(atPath: path + suffix) }
        if !folderExisted { try? fm.removeItem(atPath: folder) }
        throw NewClinicRefused(outcome: outcome)
    }
}
