import Foundation
import ClinicModel
import PostgresNIO

/// The signing keys whose clinic exports this clinic imports. The SQLite store keeps them in a
/// `trusted-keys` file beside its clinic key (Sources/ClinicStore/ExportSignature.swift); a clinic
/// on PostgreSQL has no clinic key and is opened from many machines, so they are listed in the
/// database (`trusted_export_key`, PGMigration+ExportKeys.swift).
extension PostgresTransaction {
    /// What `trustExportKey` returns as the place the keys are listed, for `knot clinic trust`.
    public static let trustedKeysPlace = "the clinic database's trusted_export_key table"

    /// The public keys this clinic trusts (it has no key of its own on PostgreSQL).
    public func trustedExportKeys() throws -> Set<String> {
        Set(try values("SELECT public_key FROM trusted_export_key", as: String.self, table: "trusted_export_key"))
    }

    /// Adds a public signing key (64 hex digits) to the keys this clinic trusts (once; trusting
    /// it again keeps the first label); returns where the keys are listed.
    public func trustExportKey(_ publicKey: String, label: String) throws -> String {
        guard let hex = ExportSigningKey.normalized(publicKey) else {
            throw PostgresStoreError.constraint(message: ExportSigningKey.refusal(publicKey))
        }
        try execute("""
            INSERT INTO trusted_export_key (public_key, label, trusted_at)
            VALUES (\(hex), \(String(label.replacingOccurrences(of: "\n", with: " ").prefix(1000))), \(PGText.timestamp(Date())))
            ON CONFLICT (public_key) DO NOTHING
            """)
        return Self.trustedKeysPlace
    }
}
