import Foundation
import ClinicModel
import ClinicXML

/// Checks, while a clinic export is read, that every record in it has its audited origin: an
/// event of the export's own trail that made it, and content that still matches the digest the
/// exporting Knot wrote beside it (`RecordDigest`). Records come before the trail in the file,
/// so findings are known at the end (`problems`), before the import's transaction commits.
///
/// Memory: a set of ids per kind, for the records and for the events that made them, each kept
/// as ranges of consecutive ids (`IDRangeSet`): a clinic's ids are nearly all consecutive, so a whole
/// clinic takes a few ranges, not a hash-table entry per record and per event.
struct ExportOriginCheck {
    /// The kinds whose creating event names them by entity and id (an amendment's names its visit).
    static let kinds = ["practitioner", "patient", "referral", "consent", "screen", "visit", "amendment", "plan"]

    private var records: [String: IDRangeSet] = [:]
    private var created: [String: IDRangeSet] = [:]
    private var changed: [(kind: String, id: Int64)] = []
    private var withDigest = 0
    private var withoutDigest = 0
    private var events = 0
    /// The header's settings, and the detail of the last audit event that set each one.
    private var settings: [String: String] = [:]
    private var lastSettingEvent: [String: String] = [:]

    /// Notes the settings the export's header carries (checked against their audited values).
    mutating func add(settings: [String: String]) {
        self.settings = settings
    }

    /// Notes the records one item of the export held.
    mutating func add(_ exported: [ExportedRecord]) {
        for r in exported {
            records[r.kind, default: IDRangeSet()].insert(r.id)
            switch r.matches {
            case true?: withDigest += 1
            case false?: withDigest += 1; changed.append((r.kind, r.id))
            case nil: withoutDigest += 1
            }
        }
    }

    /// Notes an event of the export's trail: which record it made, if it made one.
    mutating func add(_ event: AuditEvent) {
        events += 1
        // "name: value" or "name: old → new" (or "→ (not set)" when removed).
        if event.entity == "clinic-setting", let detail = event.detail, let colon = detail.range(of: ": ") {
            lastSettingEvent[String(detail[..<colon.lowerBound])] = detail
        }
        guard let id = event.entityID else { return }
        switch event.action {
        case .create, .import:
            if Self.kinds.contains(event.entity) { created[event.entity, default: IDRangeSet()].insert(id) }
        case .amend:
            // "amendment N" on the visit amended.
            if let detail = event.detail, detail.hasPrefix("amendment "), let n = Int64(detail.dropFirst("amendment ".count)) {
                created["amendment", default: IDRangeSet()].insert(n)
            }
        default: break
        }
    }

    /// Why the origin could not be checked at all (an export made before digests, or without
    /// its audit trail); nil when it was checked.
    var notCheckable: String? {
        if records.values.allSatisfy(\.isEmpty) { return nil }
        if withDigest == 0 { return "origin not checkable: the export carries no record digests (made by an older Knot)" }
        if events == 0 { return "origin not checkable: the export carries no audit trail (one patient, or --since)" }
        return nil
    }

    /// Every record without an audited origin, or changed since, as "visit 12: ..." (sorted by kind, id).
    var problems: [String] {
        guard withDigest > 0 else { return [] }
        var out: [String] = []
        for c in changed.sorted(by: { ($0.kind, $0.id) < ($1.kind, $1.id) }) {
            out.append("\(c.kind) \(c.id): does not match the digest it was exported with (changed after its last audited write)")
        }
        if withoutDigest > 0 {
            out.append("\(withoutDigest) record(s) carry no digest although the others do (added to the file after it was written)")
        }
        guard events > 0 else { return out }
        for (name, value) in settings.sorted(by: { $0.key < $1.key }) {
            guard let detail = lastSettingEvent[name] else {
                out.append("setting \(name): no audited origin (the export's audit trail has no event setting it)")
                continue
            }
            if detail != "\(name): \(value)" && !detail.hasSuffix(" → \(value)") {
                out.append("setting \(name): does not match its last audited value (changed after its last audited write)")
            }
        }
        for kind in Self.kinds {
            for id in (records[kind] ?? IDRangeSet()).subtracting(created[kind] ?? IDRangeSet()) {
                out.append("\(kind) \(id): no audited origin (the export's audit trail has no event creating it)")
            }
        }
        return out
    }
}
