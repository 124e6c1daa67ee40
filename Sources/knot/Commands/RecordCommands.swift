import ArgumentParser
import Foundation
import ClinicModel
import ClinicServices

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "A patient's visits over time with the pain trend.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Record number or id.") var patient: String
    @OptionGroup var output: OutputOptions

    func run() throws {
        let (p, entries) = try global.session().history(patientKey: patient)
        if output.json { try Console.printJSON(entries); return }
        Console.print("\(p.displayName) (\(p.recordNumber)) — \(entries.count) visit(s)")
        // The one pain trend and MCID rule (ClinicModel's PainTrend and ClinicalImportance).
        let trend = PainTrend(points: entries.compactMap { e in e.painNow.map { PainTrend.Point(date: e.date, nprs: $0) } })
        if let first = trend.first, let last = trend.latest, let change = trend.change {
            Console.print("Pain trend (NPRS now): \(PainTrend.sparkline(trend.points.map(\.nprs)))  \(first.nprs) → \(last.nprs)"
                          + (change < 0 ? " (\(-change) better" : change > 0 ? " (\(change) worse" : " (no change")
                          + (trend.reachesMCID ? ", beyond the \(PainTrend.mcid)-point MCID)" : ", within the \(PainTrend.mcid)-point MCID)"))
        }
        // Outcome measures: one line per scale, oldest first, with the scale's MCID.
        for trend in OutcomeTrend.trends(entries.map { (Int64?.some($0.visitID), $0.date, $0.outcomes) }) {
            Console.print("Outcome trend: \(trend.summary)")
        }
        // Values as amended; a corrected one carries a mark, its signed value in the notes under the table.
        let anyOutcomes = entries.contains { !$0.outcomes.isEmpty }
        Console.print(Console.table(["VISIT", "DATE", "STATUS", "PAIN", "NEEDLES"] + (anyOutcomes ? ["OUTCOMES"] : []) + ["COMPLAINT"], entries.map {
            [String($0.visitID), $0.date.description, $0.status.rawValue + ($0.amendments > 0 ? " (amended)" : ""),
             ($0.painNow.map { "\($0)/10" } ?? "") + ($0.mark(.painNow).isEmpty ? "" : "*"), $0.needles > 0 ? String($0.needles) : ""]
            + (anyOutcomes ? [$0.outcomes.map(\.summary).joined(separator: ", ")] : [])
            + [($0.complaint ?? "") + ($0.mark(.complaint).isEmpty ? "" : "*")]
        }))
        for entry in entries {
            for c in entry.corrections {
                Console.print("* visit \(entry.visitID) \(c.field.label.lowercased()): \(c.value.isEmpty ? "–" : c.value)" + AmendedVisit.mark(c))
            }
        }
    }
}

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "Period logs.", subcommands: [Needling.self])

    struct Needling: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Needles, lots and adverse events in a period (table, CSV or JSON).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "First day (YYYY-MM-DD).", transform: ArgumentForm.date) var from: LocalDate
        @Option(help: "Last day (YYYY-MM-DD, default today).", transform: ArgumentForm.date) var to: LocalDate?
        @Option(help: "Output format.") var format: LogFormat = .table

        /// A depth as printed elsewhere: 15, 12.5.
        static func millimetres(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(format: "%.1f", d) }

        func run() throws {
            let start = from
            let session = try global.session()  // first: "today" is the clinic's
            let end = to ?? .today()
            if end < start { throw ValidationErrors([.badValue(field: "--to", value: end.description, rule: "is before --from")]) }
            let lines = try session.needlingLog(from: start, to: end)
            switch format {
            case .json: try Console.printJSON(lines)
            case .csv:
                Console.print("date,visit,record,practitioner,muscle,side,needle,brand,lot,inserted,removed,technique,adverse_events,depth_mm,amended")
                for l in lines {
                    Console.print([l.date.description, String(l.visitID), l.recordNumber, l.practitioner, l.muscle, l.side, l.needle, l.brand,
                                   l.lot, String(l.inserted), String(l.removed), l.technique, l.adverseEvents.joined(separator: "; "),
                                   l.depth.map(Self.millimetres) ?? "", l.amended.joined(separator: "; ")]
                        .map(CSV.field).joined(separator: ","))
                }
            case .table:
                // Values as amended; a site with corrections is marked * and listed under the table.
                Console.print(Console.table(["DATE", "VISIT", "RECORD", "BY", "MUSCLE", "SIDE", "NEEDLE", "LOT", "IN", "OUT", "DEPTH", "ADVERSE"], lines.map {
                    [$0.date.description, String($0.visitID) + ($0.amended.isEmpty ? "" : "*"), $0.recordNumber, $0.practitioner, $0.muscle,
                     $0.side, $0.needle, $0.lot, String($0.inserted), String($0.removed),
                     $0.depth.map { Self.millimetres($0) + " mm" } ?? "", $0.adverseEvents.joined(separator: ", ")]
                }))
                for l in lines where !l.amended.isEmpty {
                    Console.print("* visit \(l.visitID), \(l.muscle) \(l.side), amended after signing: " + l.amended.joined(separator: "; "))
                }
                let total = lines.reduce(0) { $0 + $1.inserted }
                let events = lines.reduce(0) { $0 + $1.adverseEvents.count }
                Console.print("\(lines.count) site(s), \(total) needle(s), \(events) adverse event(s), \(Set(lines.map(\.lot)).count) lot(s).")
            }
        }
    }
}

/// RFC 4180 fields; a leading = + - @ is prefixed with ' so that spreadsheets do not run it.
enum CSV {
    static func field(_ s: String) -> String {
        var s = s
        if let f = s.first, "=+-@".contains(f) { s = "'" + s }
        if s.contains(",") || s.contains("\"") || s.contains("\n") { return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        return s
    }
}

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "The keyed, hash-chained audit trail and the seals of every record.",
                                                    subcommands: [Verify.self, Anchor.self, Log.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check every link of the audit chain and every record's seal; report what was changed outside Knot.",
                                                        discussion: """
            Needs the clinic key (see `knot clinic key`). Reports the first broken link of the chain, \
            every problem with the keyed seals, and every record changed, added or removed outside Knot \
            by table, row and column. Exit 3 when anything is found.
            """)
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("A head written down earlier with `knot audit anchor`: the trail must still extend it.", valueName: "COUNT:HASH"))
        var anchor: String?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if let anchor, AuditAnchor(parsing: anchor) == nil {
                throw ValidationError("--anchor '\(anchor)': expected COUNT:HASH as `knot audit anchor` prints it (a number, a colon, 64 hex digits)")
            }
        }

        func run() throws {
            let v = try global.session(create: false).verifyAudit(anchor: anchor.flatMap(AuditAnchor.init(parsing:)))
            if output.json {
                struct Out: Encodable {
                    var intact: Bool; var eventsChecked: Int; var firstProblem: String?; var headHash: String
                    var keyedFrom: Int64?; var sealProblems: [String]; var rowsChecked: Int; var rowFindings: [TamperFinding]; var moreRowFindings: Int
                    var failure: String?
                }
                try Console.printJSON(Out(intact: v.isIntact, eventsChecked: v.eventsChecked, firstProblem: v.firstProblem, headHash: v.headHash,
                                          keyedFrom: v.keyedFrom, sealProblems: v.sealProblems, rowsChecked: v.rowsChecked,
                                          rowFindings: v.rowFindings, moreRowFindings: v.moreRowFindings,
                                          failure: v.isIntact ? nil : v.onlyRecordsFailed ? "records" : v.sealsUnchecked ? "unchecked" : "trail"))
            } else {
                Console.print(Self.report(v))
            }
            if !v.isIntact { throw KnotCommandError.silent(.findings) }
        }

        /// The verification in words (shared with `knot check`).
        static func report(_ v: AuditVerification) -> String {
            var lines: [String] = []
            let keyed = v.unkeyedBecause ?? v.keyedFrom.map { $0 <= 1 ? "keyed from the first event" : "chain keyed from event \($0); earlier events checked unkeyed" } ?? "not yet keyed"
            if v.isIntact {
                let rows = v.unkeyedBecause == nil ? "\(v.rowsChecked) record(s) match their audited writes; " : ""
                lines.append("Audit trail intact: \(v.eventsChecked) event(s) (\(keyed)); \(rows)head hash \(v.headHash)")
                if let resumed = v.resumedFrom {
                    lines.append("  (resumed from the keyed checkpoint at event \(resumed): events 1 to \(resumed) compared byte for byte with its digest, not re-hashed; every record re-read)")
                }
            } else {
                // The headline says what failed: the trail itself, the check (no usable key), or only records.
                if v.onlyRecordsFailed {
                    lines.append("Records changed outside Knot (the audit trail itself verifies: \(v.eventsChecked) event(s), \(keyed)): \(v.firstProblem ?? "")")
                } else if v.sealsUnchecked {
                    lines.append("Audit trail NOT VERIFIED (its hash chain holds over \(v.eventsChecked) event(s), but no keyed seal could be checked): \(v.firstProblem ?? "")")
                } else {
                    lines.append("Audit trail BROKEN after checking \(v.eventsChecked) event(s) (\(keyed)): \(v.firstProblem ?? "")")
                }
                for p in v.sealProblems where p != v.firstProblem { lines.append("  - \(p)") }
                for f in v.rowFindings where f.description != v.firstProblem { lines.append("  - \(f.description)") }
                if v.moreRowFindings > 0 { lines.append("  - and \(v.moreRowFindings) more row(s) (use --json for the list)") }
            }
            return lines.joined(separator: "\n")
        }
    }

    struct Anchor: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the trail's head (count, hash, time) to write down off-site; `knot audit verify --anchor` proves the trail still extends it.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let (anchor, at) = try global.session(create: false).auditAnchor()
            if output.json {
                struct Out: Encodable { var anchor: String; var count: Int64; var hash: String; var at: Date? }
                try Console.printJSON(Out(anchor: anchor.description, count: anchor.count, hash: anchor.hash, at: at))
            } else {
                Console.print("\(anchor)  (\(anchor.count) event(s)\(at.map { ", last at " + Console.dateTime($0) } ?? ""))")
            }
        }
    }

    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List audit events, newest first.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only events about this patient (record number or id).") var patient: String?
        @Option(parsing: .unconditional, help: "At most this many.", transform: Number.whole) var limit: Int = 50
        @OptionGroup var output: OutputOptions

        func run() throws {
            let events = try global.session(create: false).auditLog(patientKey: patient, limit: limit)
            if output.json { try Console.printJSON(events); return }
            Console.print(Console.table(["ID", "WHEN", "WHO", "ACTION", "RECORD", "DETAIL"], events.map {
                [String($0.event.id ?? 0), Console.dateTime($0.event.at), $0.event.actor, $0.event.action.rawValue,
                 "\($0.event.entity) \($0.event.entityID.map(String.init) ?? "")", $0.event.detail ?? ""]
            }))
        }
    }
}
