import Foundation
import ClinicModel

/// A JSON value read by `CheckedRow.json` without `JSONDecoder` when it has the shape Knot
/// writes, as `FastJSONArray` does for arrays (StoredJSON+Fast.swift): nil means "not sure",
/// and the decoder decides, as before.
protocol FastJSONValue {
    /// The value, or nil when the fast reader is not sure (then `JSONDecoder` decides).
    static func fastDecode(_ text: String) -> Self?
}

extension FastJSONCursor {
    /// A number without an exponent: an optional minus, 1 to 9 digits without a leading zero,
    /// optionally a point and 1 to 9 digits; read by `Double(_:)`, which rounds a decimal
    /// correctly as `JSONDecoder` does, so both give the same `Double`. Nil otherwise.
    mutating func decimal() -> Double? {
        skipSpace()
        let start = at
        if at < bytes.count, bytes[at] == UInt8(ascii: "-") { at += 1 }
        func digits() -> Int {
            let from = at
            while at < bytes.count, bytes[at] >= UInt8(ascii: "0"), bytes[at] <= UInt8(ascii: "9") { at += 1 }
            return at - from
        }
        let whole = at
        let n = digits()
        guard n >= 1, n <= 9, !(n > 1 && bytes[whole] == UInt8(ascii: "0")) else { return nil }
        if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
            at += 1
            let f = digits()
            guard f >= 1, f <= 9 else { return nil }
        }
        if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") { return nil }
        return Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self))
    }

    /// An array of strings; nil when anything is not as expected.
    mutating func strings() -> [String]? { array { $0.string() } }

    /// An array of integers (as `integer()`); nil when anything is not as expected.
    mutating func integers() -> [Int]? { array { $0.integer() } }
}

/// `{"kind": "lunge", "cm": 7}` and the other shapes `BiomechanicalMeasure.encode(to:)` writes,
/// each with exactly the keys it writes (an FPI-6's `total` and `category`, which the decoder
/// does not read, must be an integer and a string); any other shape, a value off its scale,
/// or the shape of before 25 November 2026 goes to the decoder.
extension BiomechanicalMeasure: FastJSONValue {
    static func fastDecode(_ text: String) -> BiomechanicalMeasure? {
        var text = text
        return text.withUTF8 { bytes -> BiomechanicalMeasure? in
            var c = FastJSONCursor(bytes)
            guard c.take(UInt8(ascii: "{")) else { return nil }
            var kind: String?, items: [Int]?, total: Int?, category: String?, number: [String: Double] = [:]
            var texts: [String: String] = [:], observations: [String]?, grade: Int?
            var seen = Set<String>()
            let ok = c.fields { c, keyBytes in
                let key = String(decoding: keyBytes, as: UTF8.self)
                guard seen.insert(key).inserted else { return false }
                switch key {
                case "kind": kind = c.string(); return kind != nil
                case "items": items = c.integers(); return items != nil
                case "total": total = c.integer(); return total != nil
                case "category": category = c.string(); return category != nil
                case "cm", "mm", "degrees", "value":
                    guard let v = c.decimal() else { return false }
                    number[key] = v
                    return true
                case "observations": observations = c.strings(); return observations != nil
                case "grade": grade = c.integer(); return grade != nil
                case "movement", "joint", "name", "unit":
                    guard let v = c.string() else { return false }
                    texts[key] = v
                    return true
                default: return false
                }
            }
            guard ok, c.take(UInt8(ascii: "}")), c.atEnd(), let kind else { return nil }
            /// Exactly these keys besides "kind".
            func only(_ keys: Set<String>) -> Bool { seen == keys.union(["kind"]) }
            func measure<M: ClinicalMeasure>(_ key: String, _ type: M.Type) -> M? where M.Value == Double {
                guard let v = number[key], M.range.contains(v) else { return nil }
                return M(unchecked: v)
            }
            switch kind {
            case "fpi6":
                guard only(["items", "total", "category"]), total != nil, category != nil, let items,
                      let fpi = try? FootPostureIndex(items: items) else { return nil }
                return .footPostureIndex(fpi)
            case "lunge":
                guard only(["cm"]), let m = measure("cm", LungeCentimetres.self) else { return nil }
                return .lunge(m)
            case "leg-length":
                guard only(["mm"]), let m = measure("mm", LegLengthMillimetres.self) else { return nil }
                return .legLengthDifference(m)
            case "hallux-dorsiflexion":
                guard only(["degrees"]), let m = measure("degrees", Degrees.self) else { return nil }
                return .halluxDorsiflexion(m)
            case "gait":
                guard only(["observations"]), let observations else { return nil }
                var out: [GaitObservation] = []
                for raw in observations {
                    guard let o = GaitObservation(rawValue: raw) else { return nil }
                    out.append(o)
                }
                return .gait(out)
            case "strength":
                guard only(["movement", "grade"]), let movement = texts["movement"], let grade, StrengthGrade.range.contains(grade) else { return nil }
                return .strength(movement: movement, grade: StrengthGrade(unchecked: grade))
            case "joint-range":
                guard only(["joint", "movement", "degrees"]), let joint = texts["joint"], let movement = texts["movement"],
                      let m = measure("degrees", Degrees.self) else { return nil }
                return .jointRange(joint: joint, movement: movement, degrees: m)
            case "posture":
                guard only([]) else { return nil }
                return .posture
            case "measure":
                guard only(["name", "value", "unit"]), let name = texts["name"], let value = number["value"], let unit = texts["unit"] else { return nil }
                return .measure(name: name, value: value, unit: unit)
            default:
                return nil
            }
        }
    }
}
