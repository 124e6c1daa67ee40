import Foundation
import Testing
@testable import ClinicStore
import SeededRandom

/// The row-seal verification hashes with the key's prepared inner and outer states
/// (`VerifySealHasher`, RowSealVerify+Fast.swift). What the clinic relies on: it computes the
/// very seal Knot made (`SealHasher`, `ClinicKey.mac`), so `knot audit verify`, `knot check` and
/// the export's seal pass find the same rows changed and no others.
@Suite struct VerifySealHasherTests {
    @Test("a row's seal, rowid or keyed, is the one SealHasher and ClinicKey.mac make, for any table, id, key and columns")
    func sameSealsAsTheMaker() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("knot-verify-hasher-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let key = try ClinicKey.create(path: (folder as NSString).appendingPathComponent("clinic.key"))
        let maker = SealHasher(key)
        let checker = VerifySealHasher(key)
        var random = SplitMix64(seed: 2104)
        // Lengths around SHA-256's 64-byte block and its padding boundary (55, 56, 64, 119, 120).
        let lengths = [0, 1, 20, 31, 32, 33, 55, 56, 63, 64, 65, 119, 120, 128, 500, 4000]
        for (i, length) in (lengths + (0..<200).map { _ in Int(random.next() % 2000) }).enumerated() {
            // Seal texts are ASCII (`name:digest,...`), so ClinicKey.mac over the same text is the reference.
            let columns = (0..<length).map { _ in UInt8(32 + random.next() % 95) }
            let table = Array(["visit", "needling_entry", "patient", "t"][i % 4].utf8)
            let id = i % 7 == 0 ? Int64.max : Int64(random.next() % 10_000_000)
            columns.withUnsafeBytes { c in
                let made = maker.row(table: table, rowID: id, columns: c)
                #expect(checker.row(table: table, rowID: id, columns: c) == made, "row \(id), \(length) bytes")
                #expect(made == [UInt8](key.mac(["row", String(decoding: table, as: UTF8.self), String(id), String(decoding: columns, as: UTF8.self)])))
                let rowKey = Array("key-\(id)".utf8)
                #expect(checker.keyedRow(table: table, key: rowKey, columns: c) == maker.keyedRow(table: table, key: rowKey, columns: c))
            }
        }
    }
}
