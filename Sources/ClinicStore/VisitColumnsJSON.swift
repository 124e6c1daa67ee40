import Foundation
import ClinicModel

/// The JSON text of a visit's PSFS items, a biomechanical finding's measure, an outcome
/// measure's item scores, a needling entry's adverse events and a plan's items, written
/// directly: byte for byte what `StoreTransaction.json` (JSONEncoder, sorted keys) writes for
/// them, so every stored value is as before (row seals, exports, old databases and the
/// PostgreSQL store see the same text). The encoder's generic walk was a measurable part of
/// writing each visit in a whole-clinic import (the profile of session 9: 6.4% of the writer).
///
/// Strings are escaped as `ReferralColumnsJSON.string` escapes them (JSONEncoder's rules).
/// Integers as their decimal digits; a finite `Double` as its `description` with a trailing
/// `.0` taken off (`7.0` → `7`, `9.5`, `1e-05`, `-0`), which is what JSONEncoder writes (the
/// tests compare the two on generated values, awkward strings and numbers included). A value
/// JSONEncoder refuses (a non-finite number) goes to JSONEncoder, which refuses it as before.
/// Keys in sorted order; a nil optional leaves its key out (synthesised `Codable`).
enum VisitColumnsJSON {

    /// `"name":` in an object, as the referral columns write it.
    private static func key(_ name: StaticString, first: inout Bool, into out: inout [UInt8]) {
        ReferralColumnsJSON.objectKey(name, first: &first, into: &out)
    }

    private static func string(_ value: String, into out: inout [UInt8]) {
        ReferralColumnsJSON.string(value, into: &out)
    }

    private static func integer(_ value: Int, into out: inout [UInt8]) {
        if value >= 0 && value < 10 {
            out.append(UInt8(ascii: "0") + UInt8(value))
        } else {
            out.append(contentsOf: String(value).utf8)
        }
    }

    /// A finite number as JSONEncoder writes it; nil for one it refuses.
    private static func number(_ value: Double, into out: inout [UInt8]) -> Bool {
        guard value.isFinite else { return false }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        out.append(contentsOf: text.utf8)
        return true
    }

    private static func text(_ out: [UInt8]) -> String { String(decoding: out, as: UTF8.self) }

    /// `[PSFSItem]`: `[{"activity":"…","score":7}]`.
    static func psfs(_ items: [PSFSItem]) -> String {
        if items.isEmpty { return "[]" }
        var out: [UInt8] = []
        out.reserveCapacity(items.reduce(2) { $0 + 32 + $1.activity.utf8.count })
        out.append(UInt8(ascii: "["))
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"activity":"#.utf8)
            string(item.activity, into: &out)
            out.append(contentsOf: #","score":"#.utf8)
            integer(item.score.value, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return text(out)
    }

    /// An outcome measure's item scores (`[Int?]`): `[3,null,2]`.
    static func outcomeItems(_ items: [Int?]) -> String {
        var out: [UInt8] = [UInt8(ascii: "[")]
        out.reserveCapacity(2 + 3 * items.count)
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            if let item { integer(item, into: &out) } else { out.append(contentsOf: "null".utf8) }
        }
        out.append(UInt8(ascii: "]"))
        return text(out)
    }

    /// `[AdverseEvent]`: keys `action` (when there is one), `kind`, `severity`.
    static func adverseEvents(_ events: [AdverseEvent]) -> String {
        if events.isEmpty { return "[]" }
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (i, e) in events.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            var first = true
            out.append(UInt8(ascii: "{"))
            if let action = e.action { key("action", first: &first, into: &out); string(action, into: &out) }
            key("kind", first: &first, into: &out); string(e.kind.rawValue, into: &out)
            key("severity", first: &first, into: &out); string(e.severity.rawValue, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return text(out)
    }

    /// `[FollowUpPlan.Item]`: keys `muscleID` (when set), `rule`, `section`, `side` (when set), `text`.
    static func planItems(_ items: [FollowUpPlan.Item]) -> String {
        if items.isEmpty { return "[]" }
        var out: [UInt8] = []
        out.reserveCapacity(items.reduce(2) { $0 + 64 + $1.text.utf8.count + $1.rule.utf8.count })
        out.append(UInt8(ascii: "["))
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            var first = true
            out.append(UInt8(ascii: "{"))
            if let muscle = item.muscleID { key("muscleID", first: &first, into: &out); string(muscle, into: &out) }
            key("rule", first: &first, into: &out); string(item.rule, into: &out)
            key("section", first: &first, into: &out); string(item.section.rawValue, into: &out)
            if let side = item.side { key("side", first: &first, into: &out); string(side.rawValue, into: &out) }
            key("text", first: &first, into: &out); string(item.text, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return text(out)
    }

    /// A biomechanical measure in its own JSON shape (`BiomechanicalMeasure.encode(to:)`), keys
    /// sorted; nil for a number JSONEncoder refuses (the caller then asks JSONEncoder, which says why).
    static func measure(_ m: BiomechanicalMeasure) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        var first = true
        func k(_ name: StaticString) { key(name, first: &first, into: &out) }
        func kind() { k("kind"); string(m.code, into: &out) }
        out.append(UInt8(ascii: "{"))
        switch m {
        case .footPostureIndex(let f):
            k("category"); string(f.category.rawValue, into: &out)
            k("items"); out.append(UInt8(ascii: "["))
            for (i, item) in f.items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                integer(item.value, into: &out)
            }
            out.append(UInt8(ascii: "]"))
            kind()
            k("total"); integer(f.total, into: &out)
        case .lunge(let l):
            k("cm"); guard number(l.value, into: &out) else { return nil }
            kind()
        case .legLengthDifference(let d):
            kind()
            k("mm"); guard number(d.value, into: &out) else { return nil }
        case .halluxDorsiflexion(let d):
            k("degrees"); guard number(d.value, into: &out) else { return nil }
            kind()
        case .gait(let g):
            kind()
            k("observations"); out.append(UInt8(ascii: "["))
            for (i, o) in g.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                string(o.rawValue, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .strength(let movement, let grade):
            k("grade"); integer(grade.value, into: &out)
            kind()
            k("movement"); string(movement, into: &out)
        case .jointRange(let joint, let movement, let degrees):
            k("degrees"); guard number(degrees.value, into: &out) else { return nil }
            k("joint"); string(joint, into: &out)
            kind()
            k("movement"); string(movement, into: &out)
        case .posture:
            kind()
        case .measure(let name, let value, let unit):
            kind()
            k("name"); string(name, into: &out)
            k("unit"); string(unit, into: &out)
            k("value"); guard number(value, into: &out) else { return nil }
        }
        out.append(UInt8(ascii: "}"))
        return text(out)
    }
}
