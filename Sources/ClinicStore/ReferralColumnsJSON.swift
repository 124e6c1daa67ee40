import Foundation
import ClinicModel

/// The JSON text of a referral's sections and import warnings, written directly: byte for byte
/// what `StoreTransaction.json` (JSONEncoder, sorted keys) writes for them, so every stored value
/// is as before (row seals, exports and the PostgreSQL store see the same text). The encoder was
/// a measurable part of filing each letter (a generic encoding walk per section and entry).
///
/// JSONEncoder's strings: `"`, `\` and `/` escaped with a backslash; backspace, tab, line feed,
/// form feed and carriage return as `\b \t \n \f \r`; other characters below U+0020 as `\u00xx`
/// (lower-case hex); everything else, non-ASCII included, as its UTF-8 bytes. Keys in sorted
/// order; a nil optional leaves its key out (synthesised `Codable`). Tests compare the two on
/// every ASCII character and on random sections.
enum ReferralColumnsJSON {
    /// `"name":` in an object, after a comma unless it is the object's first key.
    static func objectKey(_ name: StaticString, first: inout Bool, into out: inout [UInt8]) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    /// `[ReferralSection]` as JSONEncoder with `.sortedKeys` writes it.
    static func sections(_ sections: [ReferralSection]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(sections.reduce(2) { $0 + 64 + $1.title.utf8.count + $1.text.utf8.count + 96 * $1.entries.count })
        out.append(UInt8(ascii: "["))
        for (i, s) in sections.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            // Sorted keys: code, codeSystem, entries, kind, text, title.
            var first = true
            func key(_ name: StaticString) { objectKey(name, first: &first, into: &out) }
            out.append(UInt8(ascii: "{"))
            if let code = s.code { key("code"); string(code, into: &out) }
            if let system = s.codeSystem { key("codeSystem"); string(system, into: &out) }
            key("entries")
            out.append(UInt8(ascii: "["))
            for (j, e) in s.entries.enumerated() {
                if j > 0 { out.append(UInt8(ascii: ",")) }
                // Sorted keys: code, codeSystem, displayName, text.
                var firstInEntry = true
                func entryKey(_ name: StaticString) { objectKey(name, first: &firstInEntry, into: &out) }
                out.append(UInt8(ascii: "{"))
                if let code = e.code { entryKey("code"); string(code, into: &out) }
                if let system = e.codeSystem { entryKey("codeSystem"); string(system, into: &out) }
                if let display = e.displayName { entryKey("displayName"); string(display, into: &out) }
                if let text = e.text { entryKey("text"); string(text, into: &out) }
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: "]"))
            key("kind"); string(s.kind, into: &out)
            key("text"); string(s.text, into: &out)
            key("title"); string(s.title, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    /// `[String]` as JSONEncoder writes it.
    static func strings(_ values: [String]) -> String {
        var out: [UInt8] = [UInt8(ascii: "[")]
        out.reserveCapacity(values.reduce(2) { $0 + 3 + $1.utf8.count })
        for (i, v) in values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            string(v, into: &out)
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    /// A JSON string, quoted and escaped as JSONEncoder escapes it.
    static func string(_ value: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            var plainFrom = 0
            for (i, b) in bytes.enumerated() {
                let escape: (UInt8, Bool)?
                switch b {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): escape = (b, false)
                case 0x08: escape = (UInt8(ascii: "b"), false)
                case 0x09: escape = (UInt8(ascii: "t"), false)
                case 0x0A: escape = (UInt8(ascii: "n"), false)
                case 0x0C: escape = (UInt8(ascii: "f"), false)
                case 0x0D: escape = (UInt8(ascii: "r"), false)
                case 0..<0x20: escape = (b, true)
                default: escape = nil
                }
                guard let (char, unicode) = escape else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plainFrom..<i]))
                plainFrom = i + 1
                out.append(UInt8(ascii: "\\"))
                if unicode {
                    out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                            hexDigits[Int(char >> 4)], hexDigits[Int(char & 0x0F)]])
                } else {
                    out.append(char)
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plainFrom...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
