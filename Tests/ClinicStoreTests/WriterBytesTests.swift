import Foundation
import Testing
import ClinicModel
@testable import ClinicStore

/// The letter writer's shortcuts must store exactly the bytes the general code stored: the
/// referral's JSON columns as JSONEncoder wrote them (row seals, exports and the PostgreSQL store
/// read the same text), and each audit event's keyed seal as `ClinicKey.mac` made it (every seal
/// already on disk must still verify).
@Suite struct WriterBytesTests {
    static let pool: [String] = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        + ["é", "Zoë", "→", "\u{2028}", "\u{2029}", "\u{85}", "\u{A0}", "\u{FEFF}", "😀", "李", "e\u{301}", "\r\n"]

    static func encoded<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try StoreTransaction.json.encode(value), as: UTF8.self)
    }

    @Test("every ASCII character and the awkward Unicode ones, in every field, as JSONEncoder writes them")
    func everyCharacter() throws {
        for c in Self.pool {
            let text = "a" + c + "z"
            let sections = [
                ReferralSection(kind: text, code: text, codeSystem: text, title: text, text: text,
                                entries: [.init(code: text, codeSystem: text, displayName: text, text: text), .init()]),
                ReferralSection(kind: "reason", title: c, text: c + c),
            ]
            #expect(ReferralColumnsJSON.sections(sections) == (try Self.encoded(sections)), "\(c.debugDescription)")
            #expect(ReferralColumnsJSON.strings([c, text, ""]) == (try Self.encoded([c, text, ""])), "\(c.debugDescription)")
        }
        #expect(ReferralColumnsJSON.sections([]) == (try Self.encoded([ReferralSection]())))
        #expect(ReferralColumnsJSON.strings([]) == (try Self.encoded([String]())))
    }

    @Test("2,000 random sections with and without their optional parts")
    func randomSections() throws {
        var random = SystemRandomNumberGenerator()
        func text() -> String {
            String((0..<Int.random(in: 0..<24, using: &random)).map { _ in Self.pool.randomElement(using: &random)! }.joined())
        }
        func maybe() -> String? { Bool.random(using: &random) ? text() : nil }
        for _ in 0..<2_000 {
            let sections = (0..<Int.random(in: 0..<4, using: &random)).map { _ in
                ReferralSection(kind: text(), code: maybe(), codeSystem: maybe(), title: text(), text: text(),
                                entries: (0..<Int.random(in: 0..<3, using: &random)).map { _ in
                                    .init(code: maybe(), codeSystem: maybe(), displayName: maybe(), text: maybe())
                                })
            }
            #expect(ReferralColumnsJSON.sections(sections) == (try Self.encoded(sections)))
            let warnings = (0..<Int.random(in: 0..<3, using: &random)).map { _ in text() }
            #expect(ReferralColumnsJSON.strings(warnings) == (try Self.encoded(warnings)))
        }
    }

    @Test("an audit event's keyed seal is the one ClinicKey.mac made, for any id and hash")
    func eventSeals() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("knot-writer-bytes-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let key = try ClinicKey.create(path: (folder as NSString).appendingPathComponent("clinic.key"))
        let hasher = SealHasher(key)
        var random = SystemRandomNumberGenerator()
        for id in [Int64(1), 9, 10, 12345, Int64.max] + (0..<500).map({ _ in Int64.random(in: 1..<10_000_000, using: &random) }) {
            let hash = (0..<64).map { _ in "0123456789abcdef".randomElement(using: &random)! }
            let text = String(hash)
            #expect(hasher.event(id: id, hash: text) == RowSeal.eventMAC(key, id: id, hash: text), "event \(id)")
        }
        #expect(hasher.event(id: 1, hash: AuditChain.genesisHash) == RowSeal.eventMAC(key, id: 1, hash: AuditChain.genesisHash))
    }
}
