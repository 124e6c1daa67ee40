import Foundation
import Crypto
import Testing
@testable import ClinicModel

/// The audit hash covers canonical bytes that every existing chain was made with (JSONEncoder's
/// array of strings). The direct writer for plain fields must give exactly those bytes, or every
/// stored chain would stop verifying; anything it does not handle must go back to JSONEncoder.
@Suite struct AuditChainCanonicalTests {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.dateEncodingStrategy = .millisecondsSince1970
        return e
    }()

    @Test("every printable ASCII character but \", \\ and / is written as JSONEncoder writes it")
    func everyPlainCharacter() throws {
        for scalar in 0x20..<0x7F {
            let text = "a" + String(UnicodeScalar(UInt8(scalar))) + "z"
            let fields: [String?] = [text, nil, "1764979200000"]
            let direct = AuditChain.plainJSON(fields)
            if ["\"", "\\", "/"].contains(String(UnicodeScalar(UInt8(scalar)))) {
                #expect(direct == nil, "U+\(String(scalar, radix: 16)) goes to JSONEncoder")
            } else {
                #expect(direct == (try Self.encoder.encode(fields)), "U+\(String(scalar, radix: 16))")
            }
        }
    }

    @Test("control characters, non-ASCII text and escapes go to JSONEncoder")
    func notPlain() {
        for text in ["line\nbreak", "tab\there", "\u{7F}", "Zoë", "→", "\u{2028}", "a/b", "say \"hi\"", "back\\slash", "\u{0}"] {
            #expect(AuditChain.plainJSON([text]) == nil, "\(text.debugDescription)")
        }
    }

    @Test("random plain events hash the same through both writers")
    func randomEvents() throws {
        var random = SystemRandomNumberGenerator()
        let plain = (0x20..<0x7F).map { Character(UnicodeScalar(UInt8($0))) }.filter { !"\"\\/".contains($0) }
        for _ in 0..<2_000 {
            let fields: [String?] = (0..<9).map { _ in
                if Int.random(in: 0..<5, using: &random) == 0 { return nil }
                return String((0..<Int.random(in: 0..<40, using: &random)).map { _ in plain.randomElement(using: &random)! })
            }
            #expect(AuditChain.plainJSON(fields) == (try Self.encoder.encode(fields)), "\(fields)")
        }
    }

    @Test("a chain made before keeps its hashes: an event with a slash in its detail and one without")
    func hashesUnchanged() throws {
        let at = Date(timeIntervalSince1970: 1_764_979_200.123)
        let plain = AuditEvent(at: at, actor: "amy", action: .create, entity: "patient", entityID: 7, patientID: 7, detail: "K00001")
        let slashed = AuditEvent(at: at, actor: "amy", action: .create, entity: "patient", entityID: 7, patientID: 7, detail: "import of a/b.xml")
        for event in [plain, slashed] {
            let fields: [String?] = ["1", String(Int64((at.timeIntervalSince1970 * 1000).rounded())), event.actor, event.action.rawValue,
                                     event.entity, event.entityID.map(String.init), event.patientID.map(String.init), event.detail,
                                     AuditChain.genesisHash]
            let expected = try Self.encoder.encode(fields)
            let digest = SHA256.hash(data: expected).map { String(format: "%02x", $0) }.joined()
            #expect(AuditChain.hash(id: 1, event: event, prevHash: AuditChain.genesisHash) == digest)
        }
    }
}
