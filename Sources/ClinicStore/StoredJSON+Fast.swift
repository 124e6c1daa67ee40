import Foundation
import ClinicModel

/// A JSON column read without `JSONDecoder`, for the common shapes Knot itself writes: plan
/// items (`follow_up_plan.items_json`, 17 MB of JSON in a 10,000-patient clinic) and PSFS items
/// (`visit.psfs_json`). A whole-clinic export read them through `JSONDecoder`, a sixth of its
/// reading thread.
///
/// The fast reader accepts only what it is sure `JSONDecoder` gives the same value for: an
/// array of objects whose keys are exactly the type's keys, each once, with string values
/// (plain characters and the escapes `\" \\ \/ \b \f \n \r \t`), integers of up to 15 digits
/// without a leading zero, enumeration values Knot knows and scores within their scale. On
/// anything else (a `\u` escape, `null`, a fraction, an unknown or repeated key, a raw control
/// character, a value out of range, text after the array) it answers nil, and the column goes
/// through `JSONDecoder` exactly as before, which decodes it or refuses it with the table, row
/// and column named. So what is accepted and what is refused does not change
/// (`StoredJSONFastTests` compares the two on every shape).
protocol FastJSONArrayElement {
    /// The elements of the JSON array `bytes`, or nil when the fast reader is not sure.
    static func fastDecodeArray(_ bytes: UnsafeBufferPointer<UInt8>) -> [Self]?
}

/// An array whose elements have a fast reader (`CheckedRow.json` asks it first).
protocol FastJSONArray {
    /// The array, or nil when the fast reader is not sure (then `JSONDecoder` decides).
    static func fastDecode(_ text: String) -> Self?
}

extension Array: FastJSONArray where Element: FastJSONArrayElement {
    static func fastDecode(_ text: String) -> [Element]? {
        var text = text
        return text.withUTF8 { Element.fastDecodeArray($0) }
    }
}

/// A cursor over the bytes of one JSON text (see `FastJSONArrayElement` for what it accepts).
struct FastJSONCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var at = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Skips JSON whitespace (space, tab, line feed, carriage return).
    mutating func skipSpace() {
        while at < bytes.count {
            switch bytes[at] {
            case 0x20, 0x09, 0x0A, 0x0D: at += 1
            default: return
            }
        }
    }

    /// Consumes `byte` (after whitespace); false when the next byte is another.
    mutating func take(_ byte: UInt8) -> Bool {
        skipSpace()
        guard at < bytes.count, bytes[at] == byte else { return false }
        at += 1
        return true
    }

    /// Whether only whitespace is left.
    mutating func atEnd() -> Bool {
        skipSpace()
        return at == bytes.count
    }

    /// Whether the next byte (after whitespace) is `byte`, without consuming it.
    mutating func peek(_ byte: UInt8) -> Bool {
        skipSpace()
        return at < bytes.count && bytes[at] == byte
    }

    /// A string value; nil for anything but a string with plain characters and simple escapes.
    mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = at
        // The common case: no escape, one copy of the bytes.
        while at < bytes.count {
            let b = bytes[at]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
                at += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { return nil }
            at += 1
        }
        guard at < bytes.count else { return nil }
        var out = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<at]))
        while at < bytes.count {
            let b = bytes[at]
            if b == UInt8(ascii: "\"") {
                at += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b < 0x20 { return nil }
            if b == UInt8(ascii: "\\") {
                guard at + 1 < bytes.count else { return nil }
                switch bytes[at + 1] {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                default: return nil  // \u and anything else: JSONDecoder decides
                }
                at += 2
                continue
            }
            out.append(b)
            at += 1
        }
        return nil
    }

    /// An integer value: an optional minus and 1 to 15 digits without a leading zero; nil otherwise.
    mutating func integer() -> Int? {
        skipSpace()
        var negative = false
        if at < bytes.count, bytes[at] == UInt8(ascii: "-") { negative = true; at += 1 }
        let start = at
        var value = 0
        while at < bytes.count, bytes[at] >= UInt8(ascii: "0"), bytes[at] <= UInt8(ascii: "9") {
            // More than 15 digits: JSONDecoder decides (and no overflow here).
            guard at - start < 15 else { return nil }
            value = value * 10 + Int(bytes[at] - UInt8(ascii: "0"))
            at += 1
        }
        let digits = at - start
        guard digits >= 1, digits <= 15, !(digits > 1 && bytes[start] == UInt8(ascii: "0")) else { return nil }
        // A fraction or an exponent follows: JSONDecoder decides.
        if at < bytes.count, bytes[at] == UInt8(ascii: ".") || bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
            return nil
        }
        return negative ? -value : value
    }

    /// An array whose elements `element` reads, each in turn; nil when anything is not as expected.
    mutating func array<T>(_ element: (inout FastJSONCursor) -> T?) -> [T]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var out: [T] = []
        if take(UInt8(ascii: "]")) { return out }
        repeat {
            guard let value = element(&self) else { return nil }
            out.append(value)
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]")) ? out : nil
    }

    /// An array of objects and nothing after it: `object` reads the fields of each (after its
    /// `{`, up to and without its `}`); nil when anything is not as expected.
    mutating func arrayOfObjects<T>(_ object: (inout FastJSONCursor) -> T?) -> [T]? {
        let out = array { c -> T? in
            guard c.take(UInt8(ascii: "{")), let value = object(&c), c.take(UInt8(ascii: "}")) else { return nil }
            return value
        }
        return atEnd() ? out : nil
    }

    /// The fields of one object, each handed to `field` with its key's bytes; nil when `field`
    /// does, or the object is malformed. An empty object is given no field.
    mutating func fields(_ field: (inout FastJSONCursor, UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        if peek(UInt8(ascii: "}")) { return true }
        repeat {
            guard take(UInt8(ascii: "\"")) else { return false }
            let start = at
            while at < bytes.count, bytes[at] != UInt8(ascii: "\"") {
                // A key with an escape or a control character: JSONDecoder decides.
                if bytes[at] == UInt8(ascii: "\\") || bytes[at] < 0x20 { return false }
                at += 1
            }
            guard at < bytes.count else { return false }
            let key = UnsafeBufferPointer(rebasing: bytes[start..<at])
            at += 1
            guard take(UInt8(ascii: ":")), field(&self, key) else { return false }
        } while take(UInt8(ascii: ","))
        return true
    }
}

/// Whether `key` is the ASCII `name`.
@inline(__always)
func fastJSONKey(_ key: UnsafeBufferPointer<UInt8>, is name: StaticString) -> Bool {
    guard key.count == name.utf8CodeUnitCount else { return false }
    return memcmp(key.baseAddress!, name.utf8Start, key.count) == 0
}

extension FollowUpPlan.Item: FastJSONArrayElement {
    static func fastDecodeArray(_ bytes: UnsafeBufferPointer<UInt8>) -> [FollowUpPlan.Item]? {
        var cursor = FastJSONCursor(bytes)
        return cursor.arrayOfObjects { c in
            var section: Section?, text: String?, rule: String?, muscle: String?, side: Side?
            var seenMuscle = false, seenSide = false
            let ok = c.fields { c, key in
                if fastJSONKey(key, is: "section") {
                    guard section == nil, let raw = c.string(), let v = Section(rawValue: raw) else { return false }
                    section = v
                } else if fastJSONKey(key, is: "text") {
                    guard text == nil, let v = c.string() else { return false }
                    text = v
                } else if fastJSONKey(key, is: "rule") {
                    guard rule == nil, let v = c.string() else { return false }
                    rule = v
                } else if fastJSONKey(key, is: "muscleID") {
                    guard !seenMuscle, let v = c.string() else { return false }
                    muscle = v; seenMuscle = true
                } else if fastJSONKey(key, is: "side") {
                    guard !seenSide, let raw = c.string(), let v = Side(rawValue: raw) else { return false }
                    side = v; seenSide = true
                } else {
                    return false
                }
                return true
            }
            guard ok, let section, let text, let rule else { return nil }
            return FollowUpPlan.Item(section: section, text: text, rule: rule, muscleID: muscle, side: side)
        }
    }
}

extension PSFSItem: FastJSONArrayElement {
    static func fastDecodeArray(_ bytes: UnsafeBufferPointer<UInt8>) -> [PSFSItem]? {
        var cursor = FastJSONCursor(bytes)
        return cursor.arrayOfObjects { c in
            var activity: String?, score: Int?
            let ok = c.fields { c, key in
                if fastJSONKey(key, is: "activity") {
                    guard activity == nil, let v = c.string() else { return false }
                    activity = v
                } else if fastJSONKey(key, is: "score") {
                    guard score == nil, let v = c.integer(), PSFSScore.range.contains(v) else { return false }
                    score = v
                } else {
                    return false
                }
                return true
            }
            guard ok, let activity, let score else { return nil }
            return PSFSItem(activity: activity, score: PSFSScore(unchecked: score))
        }
    }
}
