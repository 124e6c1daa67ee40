import Foundation
import Crypto

/// A clinic's public export-signing key as `knot clinic key` prints it and `knot clinic trust`
/// takes it: 64 hex digits (an Ed25519 public key). One rule for both stores.
public enum ExportSigningKey {
    /// The key in lower case, or nil when `text` is not a public signing key.
    public static func normalized(_ text: String) -> String? {
        let hex = text.lowercased()
        guard hex.count == 64, hex.allSatisfy(\.isHexDigit) else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        guard (try? Curve25519.Signing.PublicKey(rawRepresentation: bytes)) != nil else { return nil }
        return hex
    }

    /// Why `text` is refused as a key, in the clinic's words.
    public static func refusal(_ text: String) -> String {
        "'\(text)' is not a public signing key (64 hex digits, as `knot clinic key` prints)"
    }
}
