import Foundation
import Crypto
#if canImport(CCryptoBoringSSL)
import CCryptoBoringSSL
#endif

/// A SHA-256 computation held as a plain value: copying one (an HMAC's keyed midstate, row after
/// row) is a copy of its bytes, and hashing a cell allocates nothing.
///
/// Why: swift-crypto's `SHA256` keeps its state in a class, so every fresh hash and every copy
/// that is updated allocates a context (and an `HMAC` copies two per finalize). Sealing makes a
/// digest per cell and an HMAC per row, and those allocations were a large part of it. Where
/// swift-crypto is built on BoringSSL (Linux), its `SHA256_CTX` is used directly; elsewhere
/// swift-crypto's own `SHA256`. The bytes are SHA-256's either way.
struct SHA256State {
    #if canImport(CCryptoBoringSSL)
    private var context = SHA256_CTX()

    init() { CCryptoBoringSSL_SHA256_Init(&context) }

    /// Adds `bytes` to the hash.
    @inline(__always) mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        CCryptoBoringSSL_SHA256_Update(&context, base, bytes.count)
    }

    /// The digest of everything added (the state itself is left as it was).
    func finalize() -> SHA256Bytes {
        var copy = context
        var out = SHA256Bytes()
        withUnsafeMutableBytes(of: &out.bytes) { _ = CCryptoBoringSSL_SHA256_Final($0.baseAddress!.assumingMemoryBound(to: UInt8.self), &copy) }
        return out
    }
    #else
    private var hasher = SHA256()

    init() {}

    /// Adds `bytes` to the hash.
    @inline(__always) mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }

    /// The digest of everything added (the state itself is left as it was).
    func finalize() -> SHA256Bytes {
        var out = SHA256Bytes()
        hasher.finalize().withUnsafeBytes { src in withUnsafeMutableBytes(of: &out.bytes) { $0.copyMemory(from: src) } }
        return out
    }
    #endif

    /// Adds one byte.
    @inline(__always) mutating func update(byte: UInt8) {
        var b = byte
        withUnsafeBytes(of: &b) { update($0) }
    }
}

/// The 32 bytes of a SHA-256 digest, on the stack.
struct SHA256Bytes {
    var bytes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// The digest as an array (what the seal API hands back).
    var array: [UInt8] { withUnsafeBytes(of: bytes) { Array($0) } }
}

/// HMAC-SHA-256 (RFC 2104) with the key's two padded blocks hashed once: each message starts from
/// copies of the inner and outer midstates, so a MAC costs the message's blocks and two more,
/// and no allocation. The same bytes as `HMAC<SHA256>`.
struct KeyedSHA256 {
    private var inner = SHA256State()
    private var outer = SHA256State()

    init(key: UnsafeRawBufferPointer) {
        var block = [UInt8](repeating: 0, count: 64)
        if key.count > 64 {
            var h = SHA256State()
            h.update(key)
            let d = h.finalize()
            withUnsafeBytes(of: d.bytes) { for i in 0..<32 { block[i] = $0[i] } }
        } else {
            for i in 0..<key.count { block[i] = key[i] }
        }
        let ipad = block.map { $0 ^ 0x36 }, opad = block.map { $0 ^ 0x5c }
        ipad.withUnsafeBytes { inner.update($0) }
        opad.withUnsafeBytes { outer.update($0) }
    }

    /// The inner hash, keyed, ready for a message: add its parts, then `finish` it.
    var start: SHA256State { inner }

    /// The MAC of the message `message` holds (started from `start`).
    func finish(_ message: SHA256State) -> SHA256Bytes {
        let innerDigest = message.finalize()
        var o = outer
        withUnsafeBytes(of: innerDigest.bytes) { o.update($0) }
        return o.finalize()
    }
}
