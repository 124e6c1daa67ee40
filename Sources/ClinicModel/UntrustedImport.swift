import Foundation

/// A record that came from a clinic export this clinic could not trust (`knot import
/// --untrusted`): unsigned, signed by a key not trusted, or with records whose audited origin
/// did not check out. Shown wherever the record is (`patient show`, `visit show`, the chart).
public struct UntrustedImport: Sendable, Hashable, Codable {
    /// When it was imported.
    public var importedAt: Date
    /// The export file, as named on the command line.
    public var file: String
    /// Why the export was not trusted: "unsigned", which key signed it, which records failed.
    public var reason: String

    /// The mark for a record imported from `file` at `importedAt`, untrusted for `reason`.
    public init(importedAt: Date, file: String, reason: String) {
        self.importedAt = importedAt; self.file = file; self.reason = reason
    }

    /// "UNTRUSTED IMPORT: from clinic.xml, 2026-12-06 07:40 UTC (unsigned ...)".
    public func describe(time: (Date) -> String) -> String {
        "UNTRUSTED IMPORT: this record came from \(file) on \(time(importedAt)), an export this clinic could not trust (\(reason))"
    }
}
