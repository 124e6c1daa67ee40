import Foundation

/// The audit wording of a correction of a visit's entry or of a consent or screen (an edit or a
/// strike) and the rule for a strike's reason: one wording for every store, so the same
/// correction is the same event and hashes alike (as `ClinicalImpression.auditDetail`).
public enum EntryCorrectionAudit {
    /// A strike's reason, trimmed: required, at most 500 characters.
    public static func strikeReason(_ reason: String) throws(ValidationErrors) -> String {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else {
            throw ValidationErrors([ValidationError(field: "reason", value: "", rule: "is required to strike out an entry")])
        }
        guard reason.count <= 500 else {
            throw ValidationErrors([ValidationError(field: "reason", value: String(reason.prefix(40)) + "…", rule: "is at most 500 characters")])
        }
        return reason
    }

    /// "struck out trigger point 5 (infraspinatus, left); reason: wrong muscle".
    public static func strikeDetail(noun: String, id: Int64, summary: String, reason: String) -> String {
        "struck out \(noun) \(id) (\(summary)); reason: \(reason)"
    }

    /// "trigger point 5 edited: tenderness 7 → 5, notes": each changed field, with its old and
    /// new value when that is a short value (free text is named, not copied).
    public static func editDetail<T: Encodable>(_ kind: VisitEntryKind, id: Int64, before: T, after: T) -> String {
        let changes = changedFields(before: before, after: after)
        return "\(kind.noun) \(id) edited: " + (changes.isEmpty ? "nothing changed" : changes.joined(separator: ", "))
    }

    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.dateEncodingStrategy = .millisecondsSince1970
        return e
    }()

    static func changedFields<T: Encodable>(before: T, after: T) -> [String] {
        func fields(_ value: T) -> [String: Any] {
            guard let data = try? encoder.encode(value),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
            return object
        }
        func short(_ value: Any?) -> String? {
            switch value {
            case nil, is NSNull: return "-"
            case let n as NSNumber: return n.stringValue
            case let s as String where s.count <= 24 && !s.contains("\n"): return s
            default: return nil
            }
        }
        let old = fields(before), new = fields(after)
        var out: [String] = []
        for key in Set(old.keys).union(new.keys).sorted() where key != "id" {
            let a = old[key].flatMap { try? JSONSerialization.data(withJSONObject: [$0], options: [.sortedKeys]) }
            let b = new[key].flatMap { try? JSONSerialization.data(withJSONObject: [$0], options: [.sortedKeys]) }
            guard a != b else { continue }
            let free = ["notes", "location", "patientResponse", "triggerPoint"].contains(key)
            if !free, let x = short(old[key]), let y = short(new[key]) { out.append("\(key) \(x) → \(y)") } else { out.append(key) }
        }
        return out
    }
}
