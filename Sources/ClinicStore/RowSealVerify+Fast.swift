import Foundation
import Crypto

/// The keyed hashing of a row-seal verification (`RowSeal.verifyRows`: `knot audit verify`,
/// `knot check` and the export's seal pass): the same HMAC-SHA256 as `SealHasher`, computed from
/// the key's inner and outer SHA-256 states (RFC 2104), prepared once per run, each row's
/// message hashed in one `SHA256.update(bufferPointer:)`. `HMAC<SHA256>.update(data:)` took
/// the message as a generic `DataProtocol` and walked its regions, a sixth of the seal pass in
/// the export's profile. Same bytes as `SealHasher` (`VerifySealHasherTests`); seals are made
/// by `SealHasher` (SealWork), which this does not change.
struct VerifySealHasher {
    /// SHA-256 after the key XOR ipad block; SHA-256 after the key XOR opad block.
    private let inner: SHA256
    private let outer: SHA256
    /// The message of the row being hashed, kept between rows.
    private let scratch = SealScratch()

    init(_ key: ClinicKey) {
        // HMAC's key block: a key longer than SHA-256's 64-byte block is hashed first, then
        // padded with zeros to the block.
        var block = [UInt8](key.macKeyBytes)
        if block.count > 64 { block = Array(SHA256.hash(data: block)) }
        block += [UInt8](repeating: 0, count: 64 - block.count)
        var inner = SHA256()
        inner.update(data: block.map { $0 ^ 0x36 })
        var outer = SHA256()
        outer.update(data: block.map { $0 ^ 0x5C })
        self.inner = inner
        self.outer = outer
    }

    /// The same bytes as `SealHasher.mac(parts)`: each part length-prefixed, end to end.
    func mac(_ parts: [UnsafeRawBufferPointer]) -> [UInt8] {
        scratch.message.removeAll(keepingCapacity: true)
        for p in parts {
            var n = UInt64(p.count).bigEndian
            withUnsafeBytes(of: &n) { scratch.message.append(contentsOf: $0) }
            scratch.message.append(contentsOf: p)
        }
        var h = inner
        scratch.message.withUnsafeBytes { h.update(bufferPointer: $0) }
        let innerDigest = h.finalize()
        var o = outer
        innerDigest.withUnsafeBytes { o.update(bufferPointer: $0) }
        return o.finalize().withUnsafeBytes { Array($0) }
    }

    /// The seal of a rowid row, as `SealHasher.row`.
    func row(table: [UInt8], rowID: Int64, columns: UnsafeRawBufferPointer) -> [UInt8] {
        var id = String(rowID)
        return id.withUTF8 { i in
            Self.rowTag.withUnsafeBytes { tag in
                table.withUnsafeBytes { t in mac([tag, t, UnsafeRawBufferPointer(i), columns]) }
            }
        }
    }

    /// The seal of a row of a table without rowid, as `SealHasher.keyedRow`.
    func keyedRow(table: [UInt8], key: [UInt8], columns: UnsafeRawBufferPointer) -> [UInt8] {
        Self.keyrowTag.withUnsafeBytes { tag in
            table.withUnsafeBytes { t in key.withUnsafeBytes { k in mac([tag, t, k, columns]) } }
        }
    }

    private static let rowTag = Array("row".utf8)
    private static let keyrowTag = Array("keyrow".utf8)
}
