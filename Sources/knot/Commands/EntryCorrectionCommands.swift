import ArgumentParser
import Foundation
import ClinicModel
import ClinicServices

/// `knot finding|treatment|needle edit|strike VISIT N`: correcting a draft's entries, each
/// addressed by its number in `knot visit show` (findings: trigger points, then biomechanical
/// findings, numbered on). Edit changes only the options given (`--clear FIELD` blanks an
/// optional one); strike needs a reason and keeps the entry, marked, in the record's history.
enum EntryCorrection {
    static func record(_ session: ClinicSession, visit: Int64) throws -> Visit {
        try session.draftSnapshot(visitID: visit).visit
    }

    /// Parses `--clear` names against the fields that may be blanked.
    static func clears(_ names: [String], allowed: [String]) throws -> Set<String> {
        for name in names where !allowed.contains(name) {
            throw ValidationErrors([.badValue(field: "--clear", value: name, rule: "is not a field that can be blanked here (\(allowed.joined(separator: ", ")))")])
        }
        return Set(names)
    }

    /// `section` and `number` as the user named the entry (`knot finding strike 1 2`).
    static func printStruck(_ s: StruckEntry, _ section: String, _ number: Int, json: Bool) throws {
        if json { try Console.printJSON(StruckEntryJSON(s, number: number)); return }
        Console.print("Struck out \(section) \(number) (\(section == "finding" ? s.kind.noun + ": " : "")\(s.summary)): kept in the record's history with the reason.")
    }

    static func needleLine(_ session: ClinicSession, visit: Int64) throws {
        let r = try session.draftSnapshot(visitID: visit).visit.needleCount
        Console.print("Needles at visit \(visit): \(r.inserted) in, \(r.removed) out.")
        if r.inserted != r.removed {
            Console.warn("!! NEEDLE COUNT: \(r.inserted) in, \(r.removed) out — \(r.inserted - r.removed) unaccounted for")
        }
    }
}

struct EntryStrikeOptions: ParsableArguments {
    @Argument(help: "Visit id.", transform: Number.id) var visit: Int64
    @Argument(help: "The entry's number in `knot visit show`.", transform: Number.positive) var number: Int
    @Option(help: "Why it is struck out (required; kept in the audit trail).") var reason: String
    @OptionGroup var output: OutputOptions

    /// Strikes entry N of `section` out of the draft visit and prints it, named as `noun`.
    func strike(_ session: ClinicSession, _ section: VisitEntrySection, as noun: String) throws {
        let (kind, id) = try session.draftEntry(visitID: visit, section: section, number: number)
        try EntryCorrection.printStruck(try session.strikeEntry(visitID: visit, kind: kind, id: id, reason: reason), noun, number, json: output.json)
    }
}

/// What `knot finding|treatment|needle strike --json` prints: the entry struck out.
struct StruckEntryJSON: Encodable {
    var kind: String, id: Int64, visitID: Int64, number: Int, summary: String, struckAt: Date, struckBy: String, reason: String
    init(_ s: StruckEntry, number: Int) {
        kind = s.kind.rawValue; id = s.id; visitID = s.visitID; self.number = number; summary = s.summary
        struckAt = s.struckAt; struckBy = s.struckBy; reason = s.reason
    }
}

extension FindingCommand {
    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Correct a finding on a draft visit (number N as `knot visit show` lists findings).",
            discussion: """
            Only the options given change. Trigger point:  knot finding edit 12 1 --tenderness 5 --no-twitch
            Biomechanical finding: --side, --notes, or the measure given in full as with add (--value, --fpi, ...).
            --clear blanks an optional field: tenderness, ppt, location, causes, notes.
            """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Visit id.", transform: Number.id) var visit: Int64
        @Argument(help: "The finding's number in `knot visit show`.", transform: Number.positive) var number: Int
        @Option(help: "Muscle id from the catalogue.") var muscle: String?
        @Option(help: "Side.") var side: Side?
        @Option(help: "Active or latent.") var activity: TriggerPointFinding.Activity?
        @Flag(inversion: .prefixedNo, help: "A palpable taut band.") var tautBand: Bool?
        @Flag(inversion: .prefixedNo, help: "Local twitch response on palpation.") var twitch: Bool?
        @Flag(inversion: .prefixedNo, help: "Referred pain reproduced.") var referred: Bool?
        @Option(parsing: .unconditional, help: "Tenderness on pressure, NPRS 0-10.", transform: Measured<NPRS>.parse) var tenderness: NPRS?
        @Option(parsing: .unconditional, help: "Pressure pain threshold, kg/cm² (0-20).", transform: Measured<KilogramsPerSquareCentimetre>.parse) var ppt: KilogramsPerSquareCentimetre?
        @Option(parsing: .unconditional, help: "Algometer probe size, cm² (0.5-2).", transform: Bounded(0.5...2.0, "cm²").parse) var probe: Double?
        @Option(help: "Named location.") var location: String?
        @Option(help: "Likely causes, comma separated (replaces the list).") var causes: EnumList<LikelyCause>?
        @Option(help: "Biomechanical measure kind (default: the finding's own).") var kind: BiomechanicalMeasure.Kind?
        @OptionGroup var measure: MeasureOptions
        @Option(help: "Notes.") var notes: String?
        @Option(help: "Blank an optional field. Repeatable.") var clear: [String] = []
        @OptionGroup var output: OutputOptions

        func run() throws {
            let session = try global.session()
            let (entryKind, id) = try session.draftEntry(visitID: visit, section: .findings, number: number)
            let v = try EntryCorrection.record(session, visit: visit)
            if entryKind == .triggerPoint, var f = v.triggerPoints.first(where: { $0.id == id }) {
                let cleared = try EntryCorrection.clears(clear, allowed: ["tenderness", "ppt", "location", "causes", "notes"])
                if let muscle { f.muscleID = try Parse.muscle(muscle).id }
                if let side { f.side = side }
                if let activity { f.activity = activity }
                if let tautBand { f.tautBand = tautBand }
                if let twitch { f.localTwitchResponse = twitch }
                if let referred { f.referredPainReproduced = referred }
                if let tenderness { f.tenderness = tenderness }
                if let ppt {
                    // The probe is the one given, else the reading's own; a first reading needs it stated.
                    guard let probeSize = probe ?? f.pressurePainThreshold?.probeSizeCm2 else {
                        throw UsageError("--ppt on a finding without one needs --probe (the algometer's probe area, 0.5-2 cm²; never assumed)")
                    }
                    f.pressurePainThreshold = PressurePainThreshold(value: ppt, probeSizeCm2: probeSize)
                } else if let probe, let old = f.pressurePainThreshold {
                    f.pressurePainThreshold = PressurePainThreshold(value: old.value, probeSizeCm2: probe)
                }
                if let location { f.location = location }
                if let causes { f.likelyCauses = causes.values }
                if let notes { f.notes = notes }
                if cleared.contains("tenderness") { f.tenderness = nil }
                if cleared.contains("ppt") { f.pressurePainThreshold = nil }
                if cleared.contains("location") { f.location = nil }
                if cleared.contains("causes") { f.likelyCauses = [] }
                if cleared.contains("notes") { f.notes = nil }
                let saved = try session.editTriggerPoint(visitID: visit, f)
                if output.json { try Console.printJSON(saved); return }
                Console.print("Corrected trigger point \(number): \(saved.muscle?.name ?? saved.muscleID) \(saved.side.abbreviation), "
                              + "\(saved.activity.rawValue)\(saved.tenderness.map { ", tenderness \($0.value)/10" } ?? "").")
                return
            }
            guard var f = v.biomechanics.first(where: { $0.id == id }) else {
                throw ValidationErrors([.init(field: "N", value: "\(number)", rule: "is not a finding of visit \(visit)")])
            }
            let cleared = try EntryCorrection.clears(clear, allowed: ["notes"])
            if muscle != nil || activity != nil || tenderness != nil || ppt != nil || location != nil || causes != nil
                || tautBand != nil || twitch != nil || referred != nil {
                throw UsageError("finding \(number) is a biomechanical finding: trigger-point options do not apply")
            }
            if let side { f.side = side }
            if let notes { f.notes = notes }
            if cleared.contains("notes") { f.notes = nil }
            if kind != nil || measure.given {
                guard let measureKind = self.kind ?? BiomechanicalMeasure.Kind(rawValue: f.measure.code) else {
                    throw UsageError("finding \(number) has a measure Knot does not know (\(f.measure.code)): give --kind")
                }
                try measure.checkGiven(for: measureKind)
                f.measure = try measure.make(measureKind)
            }
            let saved = try session.editBiomechanical(visitID: visit, f)
            try output.report(saved, "Corrected finding \(number): \(saved.measure.summary) \(saved.side.abbreviation).")
        }
    }

    struct Strike: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Strike a finding out of a draft visit (kept, marked, with the reason).",
            discussion: "Example: knot finding strike 12 2 --reason \"recorded on the wrong side\"")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var entry: EntryStrikeOptions

        func run() throws { try entry.strike(try global.session(), .findings, as: "finding") }
    }
}

extension TreatmentCommand {
    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Correct a treatment on a draft visit (number N as `knot visit show` lists treatments).",
            discussion: "Only the options given change; --clear blanks muscle, side, hold, cycles or notes. Example: knot treatment edit 12 1 --hold 60 --cycles 3")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Visit id.", transform: Number.id) var visit: Int64
        @Argument(help: "The treatment's number in `knot visit show`.", transform: Number.positive) var number: Int
        @Option(help: "The treatment given.") var kind: Treatment.Kind?
        @Option(help: "Muscle id.") var muscle: String?
        @Option(help: "Side.") var side: Side?
        @Option(parsing: .unconditional, help: "Hold time per cycle, seconds.", transform: Measured<Seconds>.parse) var hold: Seconds?
        @Option(parsing: .unconditional, help: "Cycles (1-50).", transform: Bounded(1...50).parse) var cycles: Int?
        @Option(help: "Notes.") var notes: String?
        @Option(help: "Blank an optional field. Repeatable.") var clear: [String] = []
        @OptionGroup var output: OutputOptions

        func run() throws {
            let session = try global.session()
            let (_, id) = try session.draftEntry(visitID: visit, section: .treatments, number: number)
            guard var t = try EntryCorrection.record(session, visit: visit).treatments.first(where: { $0.id == id }) else {
                throw ValidationErrors([.init(field: "N", value: "\(number)", rule: "is not a treatment of visit \(visit)")])
            }
            let cleared = try EntryCorrection.clears(clear, allowed: ["muscle", "side", "hold", "cycles", "notes"])
            if let kind { t.kind = kind }
            if let muscle { t.muscleID = try Parse.muscle(muscle).id }
            if let side { t.side = side }
            if let hold { t.holdTime = hold }
            if let cycles { t.cycles = cycles }
            if let notes { t.notes = notes }
            if cleared.contains("muscle") { t.muscleID = nil }
            if cleared.contains("side") { t.side = nil }
            if cleared.contains("hold") { t.holdTime = nil }
            if cleared.contains("cycles") { t.cycles = nil }
            if cleared.contains("notes") { t.notes = nil }
            let saved = try session.editTreatment(visitID: visit, t)
            try output.report(saved, "Corrected treatment \(number): \(saved.kind.rawValue).")
        }
    }

    struct Strike: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Strike a treatment out of a draft visit (kept, marked, with the reason).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var entry: EntryStrikeOptions

        func run() throws { try entry.strike(try global.session(), .treatments, as: "treatment") }
    }
}

extension NeedleCommand {
    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Correct a needling entry on a draft visit (number N as `knot visit show` lists them); its rules are checked again.",
            discussion: "Only the options given change; --clear blanks point, estim, depth, time, response or adverse. Example: knot needle edit 12 1 --inserted 3 --removed 3")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Visit id.", transform: Number.id) var visit: Int64
        @Argument(help: "The entry's number in `knot visit show`.", transform: Number.positive) var number: Int
        @Option(help: "Muscle id.") var muscle: String?
        @Option(help: "Side: left, right or midline.") var side: Side?
        @Option(help: "Which trigger point, in your words.") var point: String?
        @Option(help: "Needle gauge x length in mm, e.g. 0.25x40.", transform: ArgumentForm.needleSize) var size: ArgumentForm.NeedleSize?
        @Option(help: "Needle brand.") var brand: String?
        @Option(help: "Lot number.") var lot: String?
        @Option(parsing: .unconditional, help: "Needles inserted (1-50).", transform: Bounded(NeedlingEntry.insertedRange).parse) var inserted: Int?
        @Option(parsing: .unconditional, help: "Needles removed (0-50).", transform: Bounded(0...NeedlingEntry.insertedRange.upperBound).parse) var removed: Int?
        @Option(help: "Technique.") var technique: TechniqueArgument?
        @Option(help: "Electrical stimulation settings.") var estim: String?
        @Option(parsing: .unconditional, help: "Estimated depth, mm.", transform: Measured<DepthMillimetres>.parse) var depth: DepthMillimetres?
        @Option(parsing: .unconditional, help: "Time in situ, seconds (0-3600).", transform: Bounded(NeedlingEntry.timeInSituRange, "seconds").parse) var time: Int?
        @Option(parsing: .unconditional, help: "Local twitch responses elicited (0-100).", transform: Bounded(NeedlingEntry.twitchRange).parse) var twitches: Int?
        @Option(help: "Patient response.") var response: String?
        @Option(help: ArgumentHelp("Adverse event as kind:severity[:action] (replaces the list). Repeatable.", valueName: "kind:severity:action"),
                transform: ArgumentForm.adverseEvent)
        var adverse: [AdverseEvent] = []
        @Flag(inversion: .prefixedNo, help: "Sharps disposed of.") var sharpsDisposed: Bool?
        @Option(help: "Blank an optional field. Repeatable.") var clear: [String] = []
        @OptionGroup var output: OutputOptions

        func run() throws {
            let session = try global.session()
            let (_, id) = try session.draftEntry(visitID: visit, section: .needling, number: number)
            guard var e = try EntryCorrection.record(session, visit: visit).needling.first(where: { $0.id == id }) else {
                throw ValidationErrors([.init(field: "N", value: "\(number)", rule: "is not a needling entry of visit \(visit)")])
            }
            let cleared = try EntryCorrection.clears(clear, allowed: ["point", "estim", "depth", "time", "response", "adverse"])
            if let muscle { e.muscleID = try Parse.muscle(muscle).id }
            if let side { e.side = side }
            if let point { e.triggerPoint = point }
            if let size { (e.needle.gaugeMm, e.needle.lengthMm) = (size.gauge, size.length) }
            if let brand { e.needle.brand = brand }
            if let lot { e.needle.lot = lot }
            if let inserted { e.needlesInserted = inserted }
            if let removed { e.needlesRemoved = removed }
            if technique != nil || estim != nil || cleared.contains("estim") {
                var settings: String?
                if case .electricalStimulation(let s) = e.technique { settings = s }
                if let estim { settings = estim }
                if cleared.contains("estim") { settings = nil }
                do { e.technique = try NeedlingTechnique(code: technique?.rawValue ?? e.technique.code, settings: settings) } catch { throw ValidationErrors([error]) }
            }
            if let depth { e.depth = depth }
            if let time { e.timeInSitu = try Parse.measure(Seconds.self, time, option: "--time") }
            if let twitches { e.twitchResponses = twitches }
            if let response { e.patientResponse = response }
            if !adverse.isEmpty { e.adverseEvents = adverse }
            if let sharpsDisposed { e.sharpsDisposed = sharpsDisposed }
            if cleared.contains("point") { e.triggerPoint = nil }
            if cleared.contains("depth") { e.depth = nil }
            if cleared.contains("time") { e.timeInSitu = nil }
            if cleared.contains("response") { e.patientResponse = nil }
            if cleared.contains("adverse") { e.adverseEvents = [] }
            let saved = try session.editNeedling(visitID: visit, e)
            if output.json { try Console.printJSON(saved); return }
            Console.print("Corrected needling entry \(number): \(saved.muscle?.name ?? saved.muscleID) \(saved.side.abbreviation), "
                          + "\(saved.needle.size), \(saved.needlesInserted) in / \(saved.needlesRemoved) out.")
            try EntryCorrection.needleLine(session, visit: visit)
        }
    }

    struct Strike: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Strike a needling entry out of a draft visit (kept, marked, with the reason); the needle count follows.",
            discussion: "Example: knot needle strike 12 2 --reason \"entered twice\"")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var entry: EntryStrikeOptions

        func run() throws {
            let session = try global.session()
            let (_, id) = try session.draftEntry(visitID: entry.visit, section: .needling, number: entry.number)
            let site = try EntryCorrection.record(session, visit: entry.visit).needling.first { $0.id == id }
            try entry.strike(session, .needling, as: "needling entry")
            if let site, site.needlesInserted > site.needlesRemoved {  // a warning, on stderr, with --json too
                let left = site.needlesInserted - site.needlesRemoved
                Console.warn("warning: \(left) needle(s) at that site were never recorded as removed; the count no longer includes them "
                             + "(strike only an entry whose needles were never inserted)")
            }
            if !entry.output.json { try EntryCorrection.needleLine(session, visit: entry.visit) }
        }
    }
}
