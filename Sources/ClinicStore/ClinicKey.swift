import Foundation
import Crypto
import ClinicModel

/// The clinic's secret key, kept outside the database: an HMAC-SHA-256 key that seals the audit
/// chain and every clinical row, and an Ed25519 key for signing exports.
///
/// Why outside: anyone who can read the database file could otherwise recompute an unkeyed
/// chain after editing it. The key file lives in the Knot account's configuration folder
/// (`$XDG_CONFIG_HOME/knot/`, else `~/.config/knot/`) as `<clinic-id>.key`, mode 0600, created
/// when the clinic is first opened by this Knot; `KNOT_KEY_FILE` names another file (tests).
/// Back it up separately from the database: a backup restored without it cannot be verified.
/// A keyed clinic whose key is not found (or is another clinic's) refuses every write
/// (`ClinicDatabase.sealRefusal`): nothing is ever written unsealed.
public struct ClinicKey: Sendable {
    /// Raw key bytes (the CryptoKit key types are not Sendable; they are made when used).
    let macKeyBytes: Data
    let signingKeyBytes: Data
    var macKey: SymmetricKey { SymmetricKey(data: macKeyBytes) }
    var signingKey: Curve25519.Signing.PrivateKey {
        // Checked when the file was read, so this cannot fail; a fresh key keeps it total.
        (try? Curve25519.Signing.PrivateKey(rawRepresentation: signingKeyBytes)) ?? Curve25519.Signing.PrivateKey()
    }
    /// Where the key was read from.
    public let path: String

    /// The public half of the signing key, hex (for `knot clinic key`).
    public var publicSigningKey: String { Self.hex(signingKey.publicKey.rawRepresentation) }

    /// Where the key of the clinic `clinicID` is kept.
    public static func location(clinicID: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let file = environment["KNOT_KEY_FILE"], !file.isEmpty { return file }
        let base: String
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            base = xdg
        } else {
            base = ((environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()) as NSString).appendingPathComponent(".config")
        }
        return ((base as NSString).appendingPathComponent("knot") as NSString).appendingPathComponent("\(clinicID).key")
    }

    /// Reads the key at `path`; nil when there is no file.
    static func load(path: String) throws -> ClinicKey? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError.cannotOpen(path: path, reason: "the clinic key file cannot be read (permission denied)")
        }
        var mac: Data?
        var sign: Data?
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2 else { continue }
            if parts[0] == "hmac-sha256" { mac = unhex(parts[1]) }
            if parts[0] == "ed25519" { sign = unhex(parts[1]) }
        }
        guard let mac, mac.count == 32, let sign, (try? Curve25519.Signing.PrivateKey(rawRepresentation: sign)) != nil else {
            throw StoreError.cannotOpen(path: path, reason: "the clinic key file is damaged (expected 'hmac-sha256 HEX' and 'ed25519 HEX' lines)")
        }
        return ClinicKey(macKeyBytes: mac, signingKeyBytes: sign, path: path)
    }

    /// Creates a new key file (folder 0700, file 0600, never overwriting); when another process
    /// created it first, theirs is read.
    static func create(path: String) throws -> ClinicKey {
        let folder = (path as NSString).deletingLastPathComponent
        if !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError.cannotOpen(path: path, reason: "cannot create the folder for the clinic key \(folder)")
            }
        }
        let mac = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let signing = Curve25519.Signing.PrivateKey()
        let text = "knot-clinic-key 1\nhmac-sha256 \(hex(mac))\ned25519 \(hex(signing.rawRepresentation))\n"
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd < 0 {
            if errno == EEXIST, let existing = try load(path: path) { return existing }
            throw StoreError.cannotOpen(path: path, reason: "cannot create the clinic key file (\(String(cString: strerror(errno))))")
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        _ = fsync(fd)
        _ = close(fd)
        guard written == bytes.count else {
            unlink(path)
            throw StoreError.cannotOpen(path: path, reason: "cannot write the clinic key file")
        }
        return ClinicKey(macKeyBytes: mac, signingKeyBytes: signing.rawRepresentation, path: path)
    }

    /// HMAC-SHA-256 of `parts` (length-prefixed, so no two lists give the same bytes), raw.
    func mac(_ parts: [String]) -> Data {
        var h = HMAC<SHA256>(key: macKey)
        for p in parts {
            let bytes = Array(p.utf8)
            let n = UInt64(bytes.count)
            h.update(data: (0..<8).map { UInt8(truncatingIfNeeded: n >> (56 - 8 * $0)) })
            h.update(data: bytes)
        }
        return Data(h.finalize())
    }

    /// Signs `data` with the clinic's Ed25519 key.
    public func sign(_ data: Data) throws -> Data { try signingKey.signature(for: data) }

    static let hexDigits = Array("0123456789abcdef".utf8)
    static func hex<D: DataProtocol>(_ data: D) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(data.count * 2)
        for b in data { out.append(hexDigits[Int(b >> 4)]); out.append(hexDigits[Int(b & 0x0F)]) }
        return String(decoding: out, as: UTF8.self)
    }
    static func unhex<S: StringProtocol>(_ s: S) -> Data? {
        let u = Array(s.utf8)
        guard u.count % 2 == 0 else { return nil }
        var out = Data(capacity: u.count / 2)
        var i = 0
        while i < u.count {
            guard let hi = hexValue(u[i]), let lo = hexValue(u[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    /// The value of one hex digit, lower or upper case; nil for any other byte.
    @inline(__always) static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 97...102: c - 87
        case 65...70: c - 55
        default: nil
        }
    }
}

extension StoreTransaction {
    /// The clinic's identity and key (never the secret).
    public func clinicKeyInfo() throws -> ClinicKeyInfo {
        let identity = try RowSeal.identity(db)
        return ClinicKeyInfo(clinicID: identity?.clinicID, keyPath: keyPath, keyPresent: key != nil,
                             publicSigningKey: key?.publicSigningKey, keyedFrom: identity?.keyedFrom)
    }
}
