import Foundation
import Crypto

/// The SHA-256 of a letter or file as lower-case hex, the form Knot stores beside originals.
public enum LetterDigest {
    public static func sha256Hex(_ data: Data) -> String {
        SHA256.hash(data: data).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The SHA-256 of a file read in 1 MB chunks (a whole-clinic export can be gigabytes).
    public static func sha256Hex(fileAt path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The SHA-256 of a letter's text with its byte-order mark dropped, line endings made LF,
    /// trailing spaces removed from every line and trailing blank lines removed: the same
    /// letter re-sent through another mail system or editor digests the same.
    public static func normalisedSHA256Hex(_ data: Data) -> String {
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { line -> Substring in
                var line = line[...]
                while let last = line.last, last == " " || last == "\t" { line = line.dropLast() }
                return line
            }
        var kept = Array(lines)
        while let last = kept.last, last.isEmpty { kept.removeLast() }
        return sha256Hex(Data(kept.joined(separator: "\n").utf8))
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
