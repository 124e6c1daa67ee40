import ArgumentParser
import Foundation
import ClinicModel
import ClinicServices

struct VisitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visit", abstract: "Open, show, sign and amend visits.",
        subcommands: [New.self, Show.self, Impression.self, Sign.self, Amend.self])

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a draft visit for a patient.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Record number or id.") var patient: String
        @Option(help: "Presenting complaint.") var complaint: String?
        @Option(parsing: .unconditional, help: "Pain now, NPRS 0-10.", transform: Measured<NPRS>.parse) var painNow: NPRS?
        @Option(parsing: .unconditional, help: "Best pain this week, NPRS 0-10.", transform: Measured<NPRS>.parse) var painBest: NPRS?
        @Option(parsing: .unconditional, help: "Worst pain this week, NPRS 0-10.", transform: Measured<NPRS>.parse) var painWorst: NPRS?
        @Option(help: ArgumentHelp("A PSFS activity and score as 'activity=score' (0-10). Up to five.", valueName: "activity=score"),
                transform: ArgumentForm.psfs) var psfs: [PSFSItem] = []
        @Option(help: "Notes.") var notes: String?
        @Option(help: "Link to this referral (default: the patient's current one).", transform: Number.id) var referral: Int64?
        @Option(help: "When the visit started (YYYY-MM-DDTHH:MM, default now).", transform: DateTimeArgument.init) var at: DateTimeArgument?
        @OptionGroup var output: OutputOptions

        func run() throws {
            let pain = PainScores(now: painNow, best: painBest, worst: painWorst)
            let session = try global.session()  // first: it installs the clinic's zone that --at is read in
            let date = try at?.date() ?? Date()
            let v = try session.newVisit(patientKey: patient, at: date, complaint: complaint, pain: pain, psfs: psfs,
                                                  notes: notes, referralID: referral)
            try output.report(v, "Opened draft visit \(v.id!) for patient \(patient)\(v.referralID.map { " (referral #\($0))" } ?? "").")
        }
    }

    struct Impression: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the clinical impression / working diagnosis of a draft visit (the referrer letter leads with it).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Visit id.", transform: Number.id) var visit: Int64
        @Argument(help: "The impression in words, e.g. \"Right gluteus medius myofascial pain\".") var text: String?
        @Option(help: ArgumentHelp("An optional code with its system, SYSTEM:CODE; SYSTEM is \(ClinicalImpression.CodeSystem.allCases.map(\.rawValue).joined(separator: ", ")).",
                                   valueName: "snomed-ct:CODE"), transform: ArgumentForm.impressionCode) var code: ArgumentForm.ImpressionCode?
        @Flag(help: "Clear the impression (a draft's; a signed visit's is amended).") var clear = false
        @OptionGroup var output: OutputOptions

        /// `--json`: the visit and its impression after the change (absent when cleared).
        struct Saved: Encodable {
            var visitID: Int64
            var impression: ClinicalImpression?
        }

        func validate() throws {
            if clear, text != nil || code != nil { throw UsageError("--clear takes no impression or --code") }
            if !clear, text == nil { throw UsageError("give the impression text, or --clear") }
        }

        func run() throws {
            var impression: ClinicalImpression?
            if let text {
                let coded = code?.coded
                impression = ClinicalImpression(text: text, code: coded?.code, codeSystem: coded?.system)
            }
            let v = try global.session().setImpression(visitID: visit, impression)
            try output.report(Saved(visitID: visit, impression: v.impression), v.impression.map { "Visit \(visit) impression: \($0.description)." } ?? "Visit \(visit): impression cleared.")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a visit with its findings, needling, amendments and plans.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Visit id.", transform: Number.id) var visit: Int64
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
                    Console.print("  \(s.kind.noun) \(s.id), \(Console.dateTime(s.struckAt)) by \(s.struckBy): \(s.reason)")
                }
            }
        }
    }

    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign a visit (refused while the needle count does not balance).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Visit id.", transform: Number.id) var visit: Int64
        @OptionGroup var output: OutputOptions

        func run() throws {
            let v = try global.session().sign(visitID: visit)
            try output.report(v, "Signed visit \(v.id!) at \(Console.dateTime(v.signedAt!)). From now on it can only be amended.")
        }
    }

    struct Amend: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Amend a signed visit: the original stays, the amendment sits beside it.",
            discussion: """
                Any field of the note or of its entries can be corrected. The note's fields: \(AmendableField.noteAttributes.joined(separator: ", ")). \
                An entry's field is KIND.N.FIELD, N its number in `knot visit show`: \
                \(AmendableField.Entry.allCases.map { "\($0.rawValue).N.{\($0.attributes.joined(separator: ","))}" }.joined(separator: "; ")). \
                Values are checked as when recorded, all of them put in first and then each entry checked once, so the order of \
                the --set options does not matter; a blank value clears an optional field. A needle moved onto a muscle over the lung \
                fields needs a consent covering the visit that names pneumothorax, as `knot needle add` does (exit 1 without). \
                `--fields` lists this visit's fields.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Visit id.", transform: Number.id) var visit: Int64
        @Option(help: "Why the note is amended.") var reason: String?
        @Option(help: ArgumentHelp("A change as 'field=new value' (e.g. pain.now=4, needle.2.depth=15, finding.1.side=right). Repeatable.", valueName: "field=value"),
                transform: ArgumentForm.change)
        var set: [Amendment.Change] = []
        @Flag(help: "List the fields this visit can amend, with their values as amended now.") var fields = false
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if fields { return }
            if set.isEmpty { throw ValidationError("give at least one --set FIELD=VALUE (or --fields to list them)") }
            if (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason is required: why the signed note needed correcting") }
        }

        func run() throws {
            let session = try global.session()
            if fields {
                let record = try session.visitRecord(id: visit)
                let rows = record.amendableFields.map {
                    [$0.field.rawValue, $0.value.isEmpty ? "–" : $0.value.replacingOccurrences(of: "\n", with: " "), $0.field.hint]
                }
                Console.print("Fields visit \(visit) can amend (values as amended now):")
                Console.print(Console.table(["FIELD", "NOW", "ACCEPTS"], rows))
                return
            }
            let a = try session.amend(visitID: visit, reason: reason ?? "", changes: set)
            if output.json { try Console.printJSON(a); return }
            Console.print("Amended visit \(visit) (amendment \(a.id!)); the signed original is kept.")
            for c in a.changes { Console.print("  \(c.field): \(c.before.isEmpty ? "–" : c.before) → \(c.after.isEmpty ? "–" : c.after)") }
        }
    }
}

/// A visit as readable text for the terminal.
enum VisitText {
    /// The visit as amended: each corrected value is marked with its signed value and the date
    /// (`now 6 (amended from 4, 2026-12-06)`; an entry's corrections on the lines under it).
    static func render(_ r: VisitRecord) -> String {
        let amended = r.asAmended
        let v = amended.visit
        func mark(_ f: AmendableField) -> String { amended.mark(f) }
        func entryNotes(_ kind: AmendableField.Entry, _ n: Int) -> [String] {
            amended.notes(of: kind, n).map { "       ↳ amended: " + $0 }
        }
        var out: [String] = []
        out.append("Visit \(v.id!) — \(r.patient.displayName) (\(r.patient.recordNumber)) — \(Console.dateTime(v.startedAt)) — \(r.practitioner)")
        out.append(v.status == .signed ? "SIGNED \(Console.dateTime(v.signedAt!))" : "DRAFT (not signed)")
        if let u = r.untrustedImport { out.append("!! " + u.describe(time: Console.dateTime)) }
        if let w = r.needleCountWarning { out.append("!! \(w)") }
        if let c = v.complaint { out.append("Complaint: \(c)" + mark(.complaint)) } else if amended.correction(.complaint) != nil { out.append("Complaint: –" + mark(.complaint)) }
        let p = v.pain
        if p.now != nil || p.best != nil || p.worst != nil || amended.corrections.contains(where: { $0.field.isPainScore && $0.field.entry == nil }) {
            out.append("Pain (NPRS): now \(p.now.map { "\($0.value)" } ?? "-")\(mark(.painNow)), best \(p.best.map { "\($0.value)" } ?? "-")\(mark(.painBest)), worst \(p.worst.map { "\($0.value)" } ?? "-")\(mark(.painWorst))")
        }
        for item in v.psfs { out.append("PSFS: \(item.activity) \(item.score.value)/10") }
        if let n = v.notes { out.append("Notes: \(n)" + mark(.notes)) } else if amended.correction(.notes) != nil { out.append("Notes: –" + mark(.notes)) }
        if let n = v.likelyCauseNotes { out.append("Likely causes: \(n)" + mark(.likelyCauseNotes)) }
        if let i = v.impression { out.append("Impression: \(i.description)" + mark(.impression) + mark(.impressionCode)) }
        for (i, m) in v.outcomes.enumerated() {
            out.append("Outcome \(i + 1): \(m.summary) (items " + m.items.map { $0.map(String.init) ?? "-" }.joined(separator: ",") + ")")
        }
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
                if let n = t.notes { s += " — \(n)" }
                out.append(s)
                out += entryNotes(.triggerPoint, i + 1)
            }
        }
        if !v.biomechanics.isEmpty {
            out.append("")
            out.append("Biomechanics")
            for (i, b) in v.biomechanics.enumerated() {
                out.append("  \(v.triggerPoints.count + i + 1). \(b.measure.summary) \(b.side.abbreviation)" + (b.notes.map { " — \($0)" } ?? ""))
                out += entryNotes(.finding, v.triggerPoints.count + i + 1)
            }
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
                out += entryNotes(.treatment, i + 1)
            }
        }
        if !v.needling.isEmpty {
            out.append("")
            out.append("Dry needling (\(v.needleCount.inserted) in, \(v.needleCount.removed) out)")
            for (i, e) in v.needling.enumerated() {
                var s = "  \(i + 1). [entry \(e.id!)] \(e.muscle?.name ?? e.muscleID) \(e.side.abbreviation): \(e.needle.size) \(e.needle.brand) lot \(e.needle.lot), "
                s += "\(e.needlesInserted) in / \(e.needlesRemoved) out, \(e.technique.code)"
                if let d = e.depth { s += ", depth \(d)" }
                if let t = e.timeInSitu { s += ", \(t) in situ" }
                s += ", \(e.twitchResponses) LTR"
                s += e.adverseEvents.isEmpty ? ", no adverse events" : ", AE: " + e.adverseEvents.map { "\($0.kind.rawValue) (\($0.severity.rawValue))" }.joined(separator: ", ")
                s += e.sharpsDisposed ? ", sharps disposed" : ", SHARPS NOT RECORDED"
                if let p = e.patientResponse { s += " — \(p)" }
                if let late = e.lateEntry {
                    s += " — " + (e.performedAt.map { "done \(Console.dateTime($0)), " } ?? "") + r.describe(late)
                }
                out.append(s)
                out += entryNotes(.needle, i + 1)
            }
        }
        out += SafetyText.lines(r)
        if !r.amendments.isEmpty {
            out.append("")
            out.append("Amendments (values above are as amended; the signed note is kept unchanged, --json has both)")
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

/// The consent and precaution screen that cover a visit, as `visit show` prints them, late
/// entries marked with when and by whom they were written.
enum SafetyText {
    static func lines(_ r: VisitRecord) -> [String] {
        guard !r.consents.isEmpty || !r.screens.isEmpty || !r.struckSafety.isEmpty else { return [] }
        var out = ["", "Consent and precaution screen"]
        for c in r.consents {
            var s = "  Consent \(c.id.map(String.init) ?? "?"), given \(Console.dateTime(c.recordedAt))"
            s += c.validUntil.map { ", standing until \($0)" } ?? ", that day only"
            s += "; risks explained: " + Consent.Risk.allCases.filter(c.risksExplained.contains).map(\.rawValue).joined(separator: ", ")
            if let g = c.guardian { s += "; guardian: \(g.name) (\(g.relationship))" }
            if let m = c.matureMinorAssessment { s += "; mature minor: \(m)" }
            if let late = c.lateEntry { s += " — " + r.describe(late) }
            out.append(s)
        }
        for screen in r.screens {
            var s = "  Screen \(screen.id.map(String.init) ?? "?"), done \(Console.dateTime(screen.recordedAt)), until \(screen.validUntil); "
            s += screen.present.isEmpty ? "no precautions present" : "present: " + screen.findingsText
            if let late = screen.lateEntry { s += " — " + r.describe(late) }
            out.append(s)
        }
        for struck in r.struckSafety {
            out.append("  STRUCK: \(struck.kind == .consent ? "Consent" : "Screen") \(struck.id), recorded \(Console.dateTime(struck.recordedAt)) — "
                       + "struck \(Console.dateTime(struck.struckAt)) by \(struck.struckBy): \(struck.reason) (covers nothing)")
        }
        return out
    }
}
