import Foundation
import Crypto

/// The SHA-256 of a letter or file as lower-case hex, the form Knot stores beside originals.
public enum LetterDigest {
    /// The SHA-256 of `data` as 64 lower-case hex digits.
    public static func sha256Hex(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    /// Lower-case hex of a digest's bytes, two digits each, written straight into the string.
    static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        func digit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x57 + value }
        let count = bytes.underestimatedCount
        var out: [UInt8] = []
        out.reserveCapacity(2 * count)
        for byte in bytes {
            out.append(digit(byte >> 4))
            out.append(digit(byte & 0x0F))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The SHA-256 of a file read in 1 MB chunks (a whole-clinic export can be gigabytes).
    public static func sha256Hex(fileAt path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hex(hasher.finalize())
    }

    /// A SHA-256 taken of bytes as they go by (an export's, as it is written), then as hex.
    public struct Running {
        private var hasher = SHA256()
        /// A digest of nothing yet.
        public init() {}
        /// Adds `bytes`, in the order they were written.
        public mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }
        /// The 64 lower-case hex digits of what was given so far.
        public func hex() -> String { LetterDigest.hex(hasher.finalize()) }
    }

    /// The SHA-256 of a letter's text with its byte-order mark dropped, line endings made LF,
    /// trailing spaces removed from every line and trailing blank lines removed: the same
    /// letter re-sent through another mail system or editor digests the same.
    public static func normalisedSHA256Hex(_ data: Data) -> String {
        // One pass over the bytes (a letter may be megabytes of one line): spaces and tabs are
        // held back until something other than a line end follows them.
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingBlanks = 0, pendingBlankStart = 0, pendingNewlines = 0
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case 0x20, 0x09:
                if pendingBlanks == 0 { pendingBlankStart = i }
                pendingBlanks += 1
            case 0x0D, 0x0A:
                if b == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
                pendingBlanks = 0
                pendingNewlines += 1
            default:
                out.append(contentsOf: repeatElement(0x0A, count: pendingNewlines))
                out.append(contentsOf: bytes[pendingBlankStart..<(pendingBlankStart + pendingBlanks)])
                pendingBlanks = 0
                pendingNewlines = 0
                out.append(b)
            }
            i += 1
        }
        return sha256Hex(Data(out))
    }

    /// What identifies a letter whatever its bytes (stored as `Referral.letterKey`): the
    /// sender's document id when it has one (`id:` + CDA root^extension, or the Knot referral's
    /// id), else the CDA set and version, else the normalised digest of its text.
    public static func letterKey(format: String, documentID: String?, setID: String?, version: Int?, data: Data) -> String {
        if let documentID, !documentID.isEmpty { return "\(format)-id:\(documentID)" }
        if let setID, !setID.isEmpty, let version { return "\(format)-set:\(setID)#\(version)" }
        return "text-sha256:" + normalisedSHA256Hex(data)
    }
}
