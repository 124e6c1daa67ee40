import Foundation
import Crypto
import ClinicModel

/// The detached Ed25519 signature of a clinic export, kept beside it as `EXPORT.sig`.
///
/// Why detached: the export streams to disk and its bytes stay exactly what the records schema
/// validates; the signature covers the SHA-256 of the whole file, computed by streaming it once
/// written. The text form is four lines: a version, the file's SHA-256, the signer's public key
/// and the signature (hex), over `knot-export-signature 1\n<sha256>\n<public key>`.
public enum ExportSignature {
    public static let header = "knot-export-signature 1"

    /// What checking an export's signature found.
    public enum Check: Sendable, Equatable {
        /// Signed by a key this clinic trusts (its own, or one added with `knot clinic trust`).
        case trusted(publicKey: String)
        /// A valid signature by a key this clinic does not trust.
        case untrusted(publicKey: String)
        /// No `.sig` beside the export.
        case unsigned
        /// The signature does not verify: the file, or the signature, was changed.
        case forged(reason: String)
    }

    /// Where the signature of `export` is kept.
    public static func path(of export: String) -> String { export + ".sig" }

    static func signedBytes(sha256: String, publicKey: String) -> Data { Data("\(header)\n\(sha256)\n\(publicKey)".utf8) }

    /// The signature file's text for an export whose SHA-256 is `sha256`.
    static func text(sha256: String, key: ClinicKey) throws -> String {
        let pub = key.publicSigningKey
        let signature = try key.sign(signedBytes(sha256: sha256, publicKey: pub))
        return "\(header)\nsha256 \(sha256)\npublic-key \(pub)\nsignature \(ClinicKey.hex(signature))\n"
    }

    /// Checks the signature beside `export` (whose SHA-256 is `sha256`) against `trusted` keys.
    public static func check(export: String, sha256: String, trusted: Set<String>) -> Check {
        let sigPath = path(of: export)
        guard FileManager.default.fileExists(atPath: sigPath) else { return .unsigned }
        guard let data = FileManager.default.contents(atPath: sigPath), data.count < 4096 else {
            return .forged(reason: "\(sigPath) cannot be read or is too large")
        }
        var fields: [String: String] = [:]
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        guard lines.first.map(String.init) == header else { return .forged(reason: "\(sigPath) is not a Knot export signature") }
        for line in lines.dropFirst() {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        guard let signedSHA = fields["sha256"], let pub = fields["public-key"], let sig = fields["signature"].flatMap(ClinicKey.unhex),
              let pubBytes = ClinicKey.unhex(pub), let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: pubBytes) else {
            return .forged(reason: "\(sigPath) lacks its sha256, public-key or signature line")
        }
        guard signedSHA == sha256 else {
            return .forged(reason: "the export's SHA-256 is \(sha256) but its signature covers \(signedSHA) (the file was changed after signing)")
        }
        guard publicKey.isValidSignature(sig, for: signedBytes(sha256: sha256, publicKey: pub)) else {
            return .forged(reason: "the signature in \(sigPath) does not verify under the key it names")
        }
        return trusted.contains(pub.lowercased()) ? .trusted(publicKey: pub) : .untrusted(publicKey: pub)
    }
}

extension StoreTransaction {
    /// The signature file's text for an export (nil when the clinic key is missing).
    public func signExport(sha256: String) throws -> String? {
        try key.map { try ExportSignature.text(sha256: sha256, key: $0) }
    }

    /// Where the public keys this clinic trusts are listed: `trusted-keys` beside the key file.
    var trustedKeysFile: String? {
        keyPath.map { (($0 as NSString).deletingLastPathComponent as NSString).appendingPathComponent("trusted-keys") }
    }

    /// The public keys whose exports this clinic imports: its own, those of the other clinics
    /// whose keys this Knot account keeps beside it, and those it was told to trust.
    public func trustedExportKeys() throws -> Set<String> {
        var keys: Set<String> = []
        if let own = key?.publicSigningKey { keys.insert(own) }
        if let keyPath {
            let folder = (keyPath as NSString).deletingLastPathComponent
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasSuffix(".key") {
                if let other = (try? ClinicKey.load(path: (folder as NSString).appendingPathComponent(name))) ?? nil {
                    keys.insert(other.publicSigningKey)
                }
            }
        }
        if let file = trustedKeysFile, let data = FileManager.default.contents(atPath: file) {
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                let hex = line.split(separator: " ").first.map(String.init)?.lowercased() ?? ""
                if hex.count == 64, ClinicKey.unhex(hex) != nil { keys.insert(hex) }
            }
        }
        return keys
    }

    /// Adds a public signing key (64 hex digits) to the keys this clinic trusts; returns the file.
    public func trustExportKey(_ publicKey: String, label: String) throws -> String {
        guard let hex = ExportSigningKey.normalized(publicKey) else {
            throw StoreError.constraint(message: ExportSigningKey.refusal(publicKey))
        }
        guard let file = trustedKeysFile else {
            throw StoreError.constraint(message: "this database has no clinic key yet (an older Knot left it): open it once for writing first")
        }
        let line = "\(hex) \(label.replacingOccurrences(of: "\n", with: " "))\n"
        let fd = open(file, O_CREAT | O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError.cannotOpen(path: file, reason: String(cString: strerror(errno))) }
        defer { _ = close(fd) }
        let lineBytes = Array(line.utf8)
        let written = lineBytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == lineBytes.count, fsync(fd) == 0 else { throw StoreError.writeFailed(reason: "could not write \(file)") }
        return file
    }
}
