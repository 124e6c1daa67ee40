import Foundation
import Crypto

/// How Knot chains audit events: each row's SHA-256 covers its id, every field and the previous
/// row's hash; the first row links to 64 zeros. One function for every store (SQLite and
/// PostgreSQL hash the same event to the same bytes, so `knot audit verify` means the same on
/// both), and for exports made elsewhere (tests, other tools) that a store must verify.
public enum AuditChain {
    /// What the first event's `prevHash` is: 64 zeros.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The hash of an event at `id` following `prevHash` (lower-case hex): SHA-256 of the JSON
    /// array of its id, time in milliseconds, actor, action, entity, entity id, patient id,
    /// detail and the previous hash.
    public static func hash(id: Int64, event: AuditEvent, prevHash: String) -> String {
        let fields: [String?] = [
            String(id), String(Int64((event.at.timeIntervalSince1970 * 1000).rounded())), event.actor,
            event.action.rawValue, event.entity, event.entityID.map(String.init),
            event.patientID.map(String.init), event.detail, prevHash,
        ]
        let digest = plainJSONBytes(fields).map { SHA256.hash(data: $0) } ?? SHA256.hash(data: (try? json.encode(fields)) ?? Data())
        // Lower-case hex by table: `String(format: "%02x")` per byte was 10% of filing a letter.
        return digest.withUnsafeBytes { bytes in
            String(unsafeUninitializedCapacity: 2 * bytes.count) { hex in
                for (i, byte) in bytes.enumerated() {
                    hex[2 * i] = hexDigits[Int(byte >> 4)]
                    hex[2 * i + 1] = hexDigits[Int(byte & 0x0F)]
                }
                return 2 * bytes.count
            }
        }
    }

    /// The canonical bytes without JSONEncoder when every field is plain printable ASCII with
    /// nothing JSONEncoder escapes (no `"`, `\`, `/` or control character): then its output is
    /// exactly `["a",null,…]`, which this writes directly; nil for anything else, which goes
    /// through JSONEncoder as before. Most events are plain (ids, times, handles, hashes); the
    /// encoder was a measurable part of filing a letter and of importing a clinic.
    static func plainJSON(_ fields: [String?]) -> Data? {
        plainJSONBytes(fields).map { Data($0) }
    }

    /// `plainJSON`'s bytes: each field checked, then copied whole (not byte by byte: the hash of
    /// every audit event is built here, a few hundred bytes each).
    static func plainJSONBytes(_ fields: [String?]) -> [UInt8]? {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        bytes.reserveCapacity(fields.reduce(2) { $0 + 3 + ($1?.utf8.count ?? 4) })
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            guard var field else {
                bytes.append(contentsOf: "null".utf8)
                continue
            }
            let plain = field.withUTF8 { utf8 -> Bool in
                for byte in utf8 where byte < 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
                    || byte == UInt8(ascii: "/") {
                    return false
                }
                bytes.append(UInt8(ascii: "\""))
                bytes.append(contentsOf: utf8)
                bytes.append(UInt8(ascii: "\""))
                return true
            }
            if !plain { return nil }
        }
        bytes.append(UInt8(ascii: "]"))
        return bytes
    }

    /// Chains events in order, numbering them from 1.
    public static func chain(_ events: [AuditEvent]) -> [AuditRecord] {
        var prev = genesisHash
        return events.enumerated().map { i, e in
            var event = e
            event.id = Int64(i + 1)
            event.at = truncated(event.at)
            let h = hash(id: Int64(i + 1), event: event, prevHash: prev)
            defer { prev = h }
            return AuditRecord(event: event, prevHash: prev, hash: h)
        }
    }

    /// Dates are kept to the millisecond, so what is read back equals what an export wrote.
    public static func truncated(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }

    /// The canonical encoder (the stores' own JSON settings: sorted keys, dates in milliseconds).
    private static let json: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.dateEncodingStrategy = .millisecondsSince1970
        return e
    }()

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
