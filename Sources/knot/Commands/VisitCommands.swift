import ArgumentParser
import Foundation
import ClinicModel
import ClinicServices
import ClinicStore

struct VisitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visit", abstract: "Open, show, sign and amend visits.",
        subcommands: [New.self, Show.self, Sign.self, Amend.self])

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a draft visit for a patient.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Record number or id.") var patient: String
        @Option(help: "Presenting complaint.") var complaint: String?
        @Option(help: "Pain now, NPRS 0-10.") var painNow: Int?
        @Option(help: "Best pain this week, NPRS 0-10.") var painBest: Int?
        @Option(help: "Worst pain this week, NPRS 0-10.") var painWorst: Int?
        @Option(help: ArgumentHelp("A PSFS activity and score as 'activity=score' (0-10). Up to five.", valueName: "activity=score")) var psfs: [String] = []
        @Option(help: "Notes.") var notes: String?
        @Option(help: "Link to this referral (default: the patient's current one).") var referral: Int64?
        @Option(help: "When the visit started (YYYY-MM-DDTHH:MM, default now).") var at: String?
        @OptionGroup var output: OutputOptions

        func run() throws {
            let pain = PainScores(now: try Parse.nprs(painNow, option: "--pain-now"), best: try Parse.nprs(painBest, option: "--pain-best"),
                                  worst: try Parse.nprs(painWorst, option: "--pain-worst"))
            let items: [PSFSItem] = try psfs.map { text in
                let parts = text.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, let score = Int(parts[1].trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationErrors([ClinicModel.ValidationError(field: "--psfs", value: text, rule: "is not 'activity=score'")])
                }
                return PSFSItem(activity: String(parts[0]), score: try Parse.measure(PSFSScore.self, score, option: "--psfs")!)
            }
            let date = try at.map(VisitCommand.parseDateTime) ?? Date()
            let v = try global.session().newVisit(patientKey: patient, at: date, complaint: complaint, pain: pain, psfs: items,
                                                  notes: notes, referralID: referral)
            if output.json { try Console.printJSON(v); return }
            Console.print("Opened draft visit \(v.id!) for patient \(patient)\(v.referralID.map { " (referral #\($0))" } ?? "").")
        }
    }

    static func parseDateTime(_ text: String) throws -> Date {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        for format in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"] {
            f.dateFormat = format
            if let d = f.date(from: text) { return d }
        }
        throw ValidationErrors([ClinicModel.ValidationError(field: "--at", value: text, rule: "is not a date and time like 2026-11-25T09:30")])
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a visit with its findings, needling, amendments and plans.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Visit id.") var visit: Int64
        @OptionGroup var output: OutputOptions

        func run() throws {
            let session = try global.session()
            let r = try session.visitRecord(id: visit)
            if output.json { try Console.printJSON(r); return }
            Console.print(VisitText.render(r))
            let struck = try session.struckEntries(visitID: visit)
            if !struck.isEmpty {
                Console.print("\nStruck out while a draft (kept in the record's history)")
                for s in struck {
                    Console.print("  \(s.kind.noun) \(s.id), \(Console.dateTime(s.at)) by \(s.by): \(s.reason)")
                }
            }
        }
    }

    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign a visit (refused while the needle count does not balance).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Visit id.") var visit: Int64

        func run() throws {
            let v = try global.session().sign(visitID: visit)
            Console.print("Signed visit \(v.id!) at \(Console.dateTime(v.signedAt!)). From now on it can only be amended.")
        }
    }

    struct Amend: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Amend a signed visit: the original stays, the amendment sits beside it.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Visit id.") var visit: Int64
        @Option(help: "Why the note is amended.") var reason: String
        @Option(help: ArgumentHelp("A change as 'field=new text' (e.g. notes=..., complaint=..., pain.now=4). Repeatable.", valueName: "field=value"))
        var set: [String]

        func run() throws {
            let session = try global.session()
            let record = try session.visitRecord(id: visit)
            let changes: [Amendment.Change] = try set.map { text in
                let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, !parts[0].isEmpty else {
                    throw ValidationErrors([ClinicModel.ValidationError(field: "--set", value: text, rule: "is not 'field=value'")])
                }
                let field = String(parts[0])
                let after = String(parts[1])
                if field.hasPrefix("pain.") {
                    guard let v = Int(after) else { throw ValidationErrors([.init(field: field, value: after, rule: "is not a number")]) }
                    _ = try Parse.nprs(v, option: field)
                }
                return Amendment.Change(field: field, before: AmendableField.currentValue(of: field, in: record.visit), after: after)
            }
            let a = try session.amend(visitID: visit, reason: reason, changes: changes)
            Console.print("Amended visit \(visit) (amendment \(a.id!)); the signed original is kept.")
        }
    }
}

/// A visit as readable text for the terminal.
enum VisitText {
    static func render(_ r: VisitRecord) -> String {
        let v = r.visit
        var out: [String] = []
        out.append("Visit \(v.id!) — \(r.patient.displayName) (\(r.patient.recordNumber)) — \(Console.dateTime(v.startedAt)) — \(r.practitioner)")
        out.append(v.status == .signed ? "SIGNED \(Console.dateTime(v.signedAt!))" : "DRAFT (not signed)")
        if let w = r.needleCountWarning { out.append("!! \(w)") }
        if let c = v.complaint { out.append("Complaint: \(c)") }
        let p = v.pain
        if p.now != nil || p.best != nil || p.worst != nil {
            out.append("Pain (NPRS): now \(p.now.map { "\($0.value)" } ?? "-"), best \(p.best.map { "\($0.value)" } ?? "-"), worst \(p.worst.map { "\($0.value)" } ?? "-")")
        }
        for item in v.psfs { out.append("PSFS: \(item.activity) \(item.score.value)/10") }
        if let n = v.notes { out.append("Notes: \(n)") }
        if !v.triggerPoints.isEmpty {
            out.append("")
            out.append("Trigger points")
            for (i, t) in v.triggerPoints.enumerated() {
                var s = "  \(i + 1). \(t.muscle?.name ?? t.muscleID) \(t.side.abbreviation) — \(t.activity.rawValue)"
                if t.tautBand { s += ", taut band" }
                if t.localTwitchResponse { s += ", LTR" }
                if t.referredPainReproduced { s += ", referred pain reproduced" }
                if let n = t.tenderness { s += ", tenderness \(n.value)/10" }
                if let ppt = t.pressurePainThreshold { s += ", PPT \(ppt.value) (\(ppt.probeSizeCm2) cm² probe)" }
                if !t.likelyCauses.isEmpty { s += "; causes: " + t.likelyCauses.map(\.rawValue).joined(separator: ", ") }
                out.append(s)
            }
        }
        if !v.biomechanics.isEmpty {
            out.append("")
            out.append("Biomechanics")
            for (i, b) in v.biomechanics.enumerated() { out.append("  \(v.triggerPoints.count + i + 1). \(b.measure.summary) \(b.side.abbreviation)" + (b.notes.map { " — \($0)" } ?? "")) }
        }
        if !v.treatments.isEmpty {
            out.append("")
            out.append("Treatment")
            for (i, t) in v.treatments.enumerated() {
                var s = "  \(i + 1). \(t.kind.rawValue)"
                if let m = t.muscleID { s += " \(MuscleCatalogue.muscle(id: m)?.name ?? m)" }
                if let side = t.side { s += " \(side.abbreviation)" }
                if let h = t.holdTime { s += ", \(h.value) s holds" }
                if let c = t.cycles { s += " × \(c)" }
                if let n = t.notes { s += " — \(n)" }
                out.append(s)
            }
        }
        if !v.needling.isEmpty {
            out.append("")
            out.append("Dry needling (\(r.needlesInserted) in, \(r.needlesRemoved) out)")
            for (i, e) in v.needling.enumerated() {
                var s = "  \(i + 1). [entry \(e.id!)] \(e.muscle?.name ?? e.muscleID) \(e.side.abbreviation): \(e.needle.size) \(e.needle.brand) lot \(e.needle.lot), "
                s += "\(e.needlesInserted) in / \(e.needlesRemoved) out, \(e.technique.code)"
                if let d = e.depth { s += ", depth \(d)" }
                if let t = e.timeInSitu { s += ", \(t) in situ" }
                s += ", \(e.twitchResponses) LTR"
                s += e.adverseEvents.isEmpty ? ", no adverse events" : ", AE: " + e.adverseEvents.map { "\($0.kind.rawValue) (\($0.severity.rawValue))" }.joined(separator: ", ")
                s += e.sharpsDisposed ? ", sharps disposed" : ", SHARPS NOT RECORDED"
                out.append(s)
            }
        }
        if !r.amendments.isEmpty {
            out.append("")
            out.append("Amendments (the signed original above is unchanged)")
            for a in r.amendments {
                out.append("  \(Console.dateTime(a.amendedAt)) — \(a.reason)")
                for c in a.changes { out.append("    \(c.field): \"\(c.before)\" → \"\(c.after)\"") }
            }
        }
        if !r.plans.isEmpty {
            out.append("")
            out.append("Plans: " + r.plans.map { "v\($0.version) \($0.status.rawValue)" + ($0.reviewDate.map { ", review \($0)" } ?? "") }.joined(separator: "; "))
        }
        return out.joined(separator: "\n")
    }
}
