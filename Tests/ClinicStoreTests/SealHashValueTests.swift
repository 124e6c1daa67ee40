import Foundation
import Testing
import Crypto
import GRDB
import ClinicTestSupport
import SeededRandom
@testable import ClinicStore

/// The seals' SHA-256 and HMAC are now computed on states held as values (`SHA256State`,
/// `KeyedSHA256`), not swift-crypto's objects: the bytes must be swift-crypto's, for every key
/// length (shorter than a block, a block, longer: hashed first) and message (empty, parts that
/// straddle SHA-256's 64-byte blocks), or no old clinic would verify.
@Suite struct SealHashValueTests {
    static func bytes(_ count: Int, _ random: inout SplitMix64) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
    }

    @Test("SHA-256 on a value state is swift-crypto's SHA-256, fed whole or in pieces, and finalizing leaves the state as it was")
    func digests() {
        var random = SplitMix64(seed: 19)
        for count in Array(0...130) + [255, 256, 1000, 4096, 10_001] {
            let message = Self.bytes(count, &random)
            let expected = Array(SHA256.hash(data: message))
            var whole = SHA256State()
            message.withUnsafeBytes { whole.update($0) }
            #expect(whole.finalize().array == expected, "\(count) bytes")
            #expect(whole.finalize().array == expected, "\(count) bytes, finalized twice")
            var pieces = SHA256State()
            var at = 0
            while at < count {
                let n = min(count - at, Int.random(in: 1...70, using: &random))
                message[at..<at + n].withUnsafeBytes { pieces.update($0) }
                at += n
            }
            #expect(pieces.finalize().array == expected, "\(count) bytes in pieces")
        }
    }

    @Test("HMAC-SHA-256 from the kept midstates is swift-crypto's HMAC for keys of every length, and a copy of the start state is not changed by another")
    func macs() {
        var random = SplitMix64(seed: 7)
        for keyLength in [0, 1, 16, 32, 63, 64, 65, 100, 128, 200] {
            let key = Self.bytes(keyLength, &random)
            let keyed = key.withUnsafeBytes { KeyedSHA256(key: $0) }
            for count in [0, 1, 8, 55, 56, 63, 64, 65, 119, 120, 500, 3000] {
                let message = Self.bytes(count, &random)
                let expected = Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
                var h = keyed.start
                message.withUnsafeBytes { h.update($0) }
                #expect(keyed.finish(h).array == expected, "key \(keyLength), message \(count)")
                // The start state is a value: the one used above did not change it.
                var again = keyed.start
                message.withUnsafeBytes { again.update($0) }
                #expect(keyed.finish(again).array == expected, "key \(keyLength), message \(count), again")
            }
        }
    }

    @Test("a row's seal and a keyed row's seal are ClinicKey.mac of their parts, for ids of every size and sign")
    func rowSeals() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("knot-seal-hash-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let key = try ClinicKey.create(path: (folder as NSString).appendingPathComponent("clinic.key"))
        let hasher = SealHasher(key)
        var random = SplitMix64(seed: 3)
        let ids: [Int64] = [0, 1, -1, 9, 10, 99, 100, 12345, Int64.max, Int64.min, Int64.min + 1]
            + (0..<200).map { _ in Int64.random(in: Int64.min...Int64.max, using: &random) }
        for id in ids {
            let columns = "id:" + String(id) + ",name:0123456789abcdef" + String(repeating: ",x:00", count: Int(id.magnitude % 40))
            let sealed = Array(columns.utf8).withUnsafeBytes { hasher.row(table: Array("patient".utf8), rowID: id, columns: $0) }
            #expect(sealed == [UInt8](key.mac(["row", "patient", String(id), columns])), "row \(id)")
        }
        let keyedSeal = Array("a:1".utf8).withUnsafeBytes { hasher.keyedRow(table: Array("clinic_setting".utf8), key: Array("[\"k\"]".utf8), columns: $0) }
        #expect(keyedSeal == [UInt8](key.mac(["keyrow", "clinic_setting", "[\"k\"]", "a:1"])))
    }

    /// HMAC-SHA-256 (swift-crypto's) of length-prefixed byte parts: `ClinicKey.mac` for parts that are not text.
    static func mac(_ key: ClinicKey, _ parts: [[UInt8]]) -> [UInt8] {
        var h = HMAC<SHA256>(key: SymmetricKey(data: key.macKeyBytes))
        for p in parts {
            h.update(data: (0..<8).map { UInt8(truncatingIfNeeded: UInt64(p.count) >> (56 - 8 * $0)) })
            h.update(data: p)
        }
        return Array(h.finalize())
    }

    @Test("a v7 row seal, and a keyed one, from the table's kept state copied per row, is the HMAC of its parts, for ids of every size and sign and digests of every length")
    func compactRowSeals() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("knot-seal-hash-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let key = try ClinicKey.create(path: (folder as NSString).appendingPathComponent("clinic.key"))
        let hasher = SealHasher(key)
        var random = SplitMix64(seed: 11)
        let table = Array("patient".utf8), names = Array("id,given_names,family_name".utf8)
        let state = hasher.table(table, names: names, keyed: false)
        let keyedState = hasher.table(table, names: names, keyed: true)
        let ids: [Int64] = [0, 1, -1, 9, 10, Int64.max, Int64.min] + (0..<100).map { _ in Int64.random(in: Int64.min...Int64.max, using: &random) }
        for (n, id) in ids.enumerated() {
            let digests = Self.bytes(8 * (n % 20), &random)
            let sealed = digests.withUnsafeBytes { hasher.row7(state, rowID: id, digests: $0) }.array
            #expect(sealed == Self.mac(key, [Array("row7".utf8), table, names, Array(String(id).utf8), digests]), "row \(id)")
            let rowKey = Array("[\(id)]".utf8)
            let keyedSeal = digests.withUnsafeBytes { hasher.keyedRow7(keyedState, key: rowKey, digests: $0) }.array
            #expect(keyedSeal == Self.mac(key, [Array("keyrow7".utf8), table, names, rowKey, digests]), "keyed row \(id)")
        }
    }
}
