import GRDB

extension ClinicMigrations {
    /// Row seals in format v7 (issue 19): `row_seal.columns` and `row_key_seal.columns` hold a
    /// blob of the columns' 8-byte digests and `mac` the raw 32-byte MAC, where they held
    /// `name:<16 hex>,…` and 64 hex digits (a seal was ~60% of a clinic's bytes). See `RowSeal`.
    ///
    /// No SQL: the columns keep their declared type TEXT. A column's type in SQLite is an
    /// affinity, and TEXT affinity converts only numbers, never a blob: a blob bound to a TEXT
    /// column is stored and read back as that blob, byte for byte, so old text seals and new
    /// blob seals sit side by side in the same table, and the table needs no rebuild (rewriting
    /// `row_seal`, the largest table of a clinic, for a type name that changes nothing).
    /// Registering the migration is what converts a clinic: opening one with pending migrations
    /// verifies it first and records what that found (`RowSeal.recordFindings`), then re-seals
    /// every row (`ClinicDatabase.prepareSeals`, `RowSeal.baseline(keepKeyedFrom:)`), now in v7.
    /// A clinic migrated by a Knot without its key keeps its text seals, which go on verifying
    /// as they were made; each row written afterwards is sealed in v7.
    static func compactSeals(_ db: Database) throws {}
}
