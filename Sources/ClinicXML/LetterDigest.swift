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
}
