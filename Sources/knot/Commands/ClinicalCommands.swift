import ArgumentParser
import Foundation
import ClinicModel
import ClinicServices

struct FindingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finding", abstract: "Record trigger-point and biomechanical findings on a draft visit.",
        subcommands: [Add.self, Edit.self, Strike.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a finding: a trigger point (--muscle) or a biomechanical measure (--kind).",
            discussion: """
            Trigger point:  knot finding add 12 --muscle gastrocnemius-medial --side left --active --taut-band --twitch --referred --tenderness 7
            A trigger point assumes nothing; each of these is required:
              --side (a paired muscle's; a midline muscle is midline),
              --active or --latent, --taut-band or --no-taut-band,
              --twitch or --no-twitch, --referred or --no-referred,
              and --probe with --ppt (e.g. --ppt 3.2 --probe 1).
            The measures take none of these; each needs --side but gait and posture (midline).
            FPI-6:          knot finding add 12 --kind fpi6 --side left --fpi 1,1,2,1,1,2
            Lunge (cm):     knot finding add 12 --kind lunge --side right --value 8.5
            Also: leg-length (mm, --side = longer leg), hallux-dorsiflexion (degrees), gait (--gait codes), strength (--movement, --value 0-5),
            joint-range (--joint, --movement, --value degrees), posture (--notes), measure (--name, --value, --unit).
            """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Visit id.", transform: Number.id) var visit: Int64
        @Option(help: "Finding kind (trigger-point is the default with --muscle).") var kind: FindingKind?
        @Option(help: "Muscle id from the catalogue (see `knot muscles`).") var muscle: String?
        @Option(help: "Side (required for a trigger point in a paired muscle, a midline muscle is midline; required for a measure but gait and posture, which are midline).") var side: Side?
        @Flag(help: "Active (reproduces the complaint) or latent: one is required for a trigger point.") var activity: ActivityFlag?
        @Flag(inversion: .prefixedNo, help: "A palpable taut band found, or not (one is required for a trigger point).") var tautBand: Bool?
        @Flag(inversion: .prefixedNo, help: "Local twitch response on palpation, or not (one is required for a trigger point).") var twitch: Bool?
        @Flag(inversion: .prefixedNo, help: "Referred pain reproduced, or not (one is required for a trigger point).") var referred: Bool?
        @Option(parsing: .unconditional, help: "Tenderness on pressure, NPRS 0-10.", transform: Measured<NPRS>.parse) var tenderness: NPRS?
        @Option(parsing: .unconditional, help: "Pressure pain threshold, kg/cm² (0-20).", transform: Measured<KilogramsPerSquareCentimetre>.parse) var ppt: KilogramsPerSquareCentimetre?
        @Option(parsing: .unconditional, help: "Algometer probe size, cm² (0.5-2; required with --ppt, never assumed).", transform: Bounded(0.5...2.0, "cm²").parse) var probe: Double?
        @Option(help: "Named location (e.g. TrP1 mid-belly).") var location: String?
        @Option(help: "Likely causes, comma separated.") var causes: EnumList<LikelyCause>?
        @OptionGroup var measure: MeasureOptions
        @Option(help: "Notes.") var notes: String?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            switch kind ?? (muscle != nil ? .triggerPoint : nil) {
            case nil:
                throw UsageError("give --muscle for a trigger point, or --kind for a measure")
            case .triggerPoint:
                guard let muscle else { throw UsageError("a trigger point needs --muscle") }
                // Nothing is claimed for the practitioner (as the front end's F3 form): each finding is stated.
                var missing: [String] = []
                if side == nil, MuscleCatalogue.muscle(id: muscle)?.paired ?? true { missing.append("--side") }
                if activity == nil { missing.append("--active or --latent") }
                if tautBand == nil { missing.append("--taut-band or --no-taut-band") }
                if twitch == nil { missing.append("--twitch or --no-twitch") }
                if referred == nil { missing.append("--referred or --no-referred") }
                // A threshold read with an assumed probe is a wrong number: the probe is stated with it.
                if ppt != nil, probe == nil { missing.append("--probe with --ppt (the algometer's probe area, 0.5-2 cm²)") }
                if !missing.isEmpty {
                    throw UsageError("a trigger point needs each of these stated (nothing is assumed): \(missing.joined(separator: "; "))")
                }
                if probe != nil, ppt == nil {
                    throw UsageError("--probe is the algometer probe of a pressure pain threshold: give --ppt with it, or leave it out")
                }
            case .measure(let measureKind):
                let given = [activity.map { "--\($0.rawValue)" }, tautBand.map { $0 ? "--taut-band" : "--no-taut-band" },
                             twitch.map { $0 ? "--twitch" : "--no-twitch" }, referred.map { $0 ? "--referred" : "--no-referred" }].compactMap { $0 }
                if !given.isEmpty {
                    throw UsageError("\(given.joined(separator: ", ")) \(given.count == 1 ? "describes" : "describe") a trigger point, not --kind \(measureKind.rawValue): leave \(given.count == 1 ? "it" : "them") out")
                }
                // A measure is taken on a side, stated like a trigger point's (gait and posture are midline).
                if side == nil, !measureKind.hasOneSide {
                    throw UsageError("--kind \(measureKind.rawValue) needs --side (left, right, midline or bilateral; nothing is assumed)")
                }
                try measure.checkGiven(for: measureKind)
            }
        }

        /// `--active` or `--latent`, as `finding add` takes them (one is required for a trigger point).
        enum ActivityFlag: String, EnumerableFlag {
            case active, latent
            static func help(for value: ActivityFlag) -> ArgumentHelp? {
                value == .active ? "An active trigger point (reproduces the complaint)." : "A latent trigger point (does not reproduce it)."
            }
        }

        func run() throws {
            let session = try global.session()
            let kind = self.kind ?? .triggerPoint
            guard case .measure(let measureKind) = kind else {
                let m = try Parse.muscle(muscle ?? "")
                let causes = causes?.values ?? []
                // validate() saw each stated; a midline muscle left without --side is midline (its one side).
                guard let activity, let tautBand, let twitch, let referred else { throw UsageError("a trigger point needs --active or --latent, --taut-band or --no-taut-band, --twitch or --no-twitch, --referred or --no-referred") }
                let side = side ?? .midline
                let f = TriggerPointFinding(
                    muscleID: m.id, side: side, location: location, activity: activity == .active ? .active : .latent, tautBand: tautBand,
                    localTwitchResponse: twitch, referredPainReproduced: referred,
                    tenderness: tenderness,
                    pressurePainThreshold: try ppt.map {
                        // validate() refused --ppt without --probe.
                        guard let probe else { throw UsageError("--ppt needs --probe (the algometer's probe area, 0.5-2 cm²)") }
                        return PressurePainThreshold(value: $0, probeSizeCm2: probe)
                    }, likelyCauses: causes, notes: notes)
                let saved = try session.addTriggerPoint(visitID: visit, f)
                if output.json { try Console.printJSON(saved); return }
                let number = try session.draftSnapshot(visitID: visit).visit.triggerPoints.count
                Console.print("Recorded finding \(number) (trigger point): \(m.name) \(side.abbreviation), \(f.activity.rawValue).")
                return
            }
            let measure = try self.measure.make(measureKind)
            let side = side ?? .midline
            let saved = try session.addBiomechanical(visitID: visit, BiomechanicalFinding(measure: measure, side: side, notes: notes))
            if output.json { try Console.printJSON(saved); return }
            // Numbered as `knot visit show` lists findings (trigger points, then these), for `finding edit`.
            let recorded = try session.draftSnapshot(visitID: visit).visit
            Console.print("Recorded finding \(recorded.triggerPoints.count + recorded.biomechanics.count): \(measure.summary) \(side.abbreviation).")
        }
    }
}

/// The options that give a biomechanical measure in full, as `finding add` and `finding edit` read them.
struct MeasureOptions: ParsableArguments {
    @Option(help: "FPI-6 item scores, six comma-separated values -2..+2.", transform: ArgumentForm.fpiItems) var fpi: [FPIItemScore]?
    @Option(parsing: .unconditional, help: "The measured value (cm, mm, degrees, grade, or any unit).", transform: Number.decimal) var value: Double?
    @Option(help: "Gait observations, comma separated.") var gait: EnumList<GaitObservation>?
    @Option(help: "Movement (strength, joint range).") var movement: String?
    @Option(help: "Joint (joint range).") var joint: String?
    @Option(help: "Measure name (free-form measure).") var name: String?
    @Option(help: "Unit (free-form measure).") var unit: String?

    /// Whether any of the measure's options was given.
    var given: Bool { fpi != nil || value != nil || gait != nil || movement != nil || joint != nil || name != nil || unit != nil }

    /// Refuses, as a usage error, a measure of `kind` without what it needs (its items or its value).
    func checkGiven(for kind: BiomechanicalMeasure.Kind) throws {
        if kind == .fpi6, fpi == nil { throw UsageError("--kind fpi6 needs --fpi with six item scores") }
        if let what = kind.valueMeaning(unit: unit), value == nil { throw UsageError("--kind \(kind.rawValue) needs --value (\(what))") }
    }

    /// The measure of `kind` these options give, checked by the model (errors name the options).
    func make(_ kind: BiomechanicalMeasure.Kind) throws -> BiomechanicalMeasure {
        try BiomechanicalMeasure.make(kind: kind, value: value, fpiItems: (fpi ?? []).map { String($0.value) },
                                      gait: (gait?.values ?? []).map(\.rawValue), movement: movement, joint: joint, name: name, unit: unit,
                                      names: .commandLine)
    }
}

struct TreatmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "treatment", abstract: "Record treatments given at a draft visit.", subcommands: [Add.self, Edit.self, Strike.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a treatment (dry needling itself is logged with `knot needle add`).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Visit id.", transform: Number.id) var visit: Int64
        @Option(help: "The treatment given.") var kind: Treatment.Kind
        @Option(help: "Muscle id.") var muscle: String?
        @Option(help: "Side (required with --muscle for a paired muscle; a midline muscle is midline).") var side: Side?
        @Option(parsing: .unconditional, help: "Hold time per cycle, seconds.", transform: Measured<Seconds>.parse) var hold: Seconds?
        @Option(parsing: .unconditional, help: "Cycles (1-50).", transform: Bounded(1...50).parse) var cycles: Int?
        @Option(help: "Notes.") var notes: String?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            // The side of a treated muscle is stated, as on the front end's F7 form: left out, the
            // plan would send the patient home to self-release both sides.
            if let muscle, side == nil, MuscleCatalogue.muscle(id: muscle)?.paired ?? false {
                throw UsageError("a treatment of --muscle \(muscle) needs --side (left, right or bilateral; nothing is assumed)")
            }
        }

        func run() throws {
            let k = kind
            let t = Treatment(kind: k, muscleID: try muscle.map { try Parse.muscle($0).id }, side: side,
                              holdTime: hold, cycles: cycles, notes: notes)
            let session = try global.session()
            let saved = try session.addTreatment(visitID: visit, t)
            if output.json { try Console.printJSON(saved); return }
            let number = try session.draftSnapshot(visitID: visit).visit.treatments.count
            Console.print("Recorded treatment \(number): \(k.rawValue).")
        }
    }
}

struct NeedleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "needle", abstract: "Log dry-needling sites (consent and a precaution screen must come first).",
        subcommands: [Add.self, Remove.self, Edit.self, Strike.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a needling entry to a draft visit.",
            discussion: """
            Example: knot needle add 12 --muscle gastrocnemius-medial --side left --size 0.25x40 --brand Seirin --lot L2411 --inserted 2 --removed 2 --technique pistoning --sharps-disposed --twitches 3 --no-adverse
            Required (nothing is assumed): --technique, --twitches (0 if none),
            --adverse KIND:SEVERITY or --no-adverse,
            and --sharps-disposed or --no-sharps-disposed.
            --removed left out is 0 (the needles still in):
            signing refuses the visit until every needle is out.
            """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Visit id.", transform: Number.id) var visit: Int64
        @Option(help: "Muscle id.") var muscle: String
        @Option(help: "Side: left, right or midline.") var side: Side
        @Option(help: "Which trigger point, in your words.") var point: String?
        @Option(help: "Needle gauge x length in mm, e.g. 0.25x40 (default: the clinic's needle stock, else the last entry's).",
                transform: ArgumentForm.needleSize) var size: ArgumentForm.NeedleSize?
        @Option(help: "Needle brand (default: the clinic's needle stock, else the last entry's).") var brand: String?
        @Option(help: "Lot number (default: the clinic's needle stock, else the last entry's; an expired stock lot is refused).") var lot: String?
        @Option(parsing: .unconditional, help: "Needles inserted (1-50).", transform: Bounded(NeedlingEntry.insertedRange).parse) var inserted: Int
        @Option(parsing: .unconditional, help: "Needles removed (must equal inserted before signing) (0-50; left out: 0, the needles still in).", transform: Bounded(0...NeedlingEntry.insertedRange.upperBound).parse) var removed: Int?
        @Option(help: "Technique: static, pistoning or electrical (required).") var technique: TechniqueArgument?
        @Option(help: "Electrical stimulation settings (frequency, intensity, duration).") var estim: String?
        @Option(parsing: .unconditional, help: "Estimated depth, mm: 0 to the needle's length; over the lung fields required, 1 mm to the needle's length.", transform: Measured<DepthMillimetres>.parse) var depth: DepthMillimetres?
        @Option(parsing: .unconditional, help: "Time in situ, seconds (0-3600).", transform: Bounded(NeedlingEntry.timeInSituRange, "seconds").parse) var time: Int?
        @Option(parsing: .unconditional, help: "Local twitch responses elicited (0-100; required, 0 if none).", transform: Bounded(NeedlingEntry.twitchRange).parse) var twitches: Int?
        @Option(help: "Patient response.") var response: String?
        @Option(help: ArgumentHelp("Adverse event as kind:severity[:action] (the severity is stated, never assumed), e.g. bruising:mild or vasovagal:significant:lay flat, fluids. Kinds: \(AdverseEvent.Kind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "kind:severity:action"),
                transform: ArgumentForm.adverseEvent)
        var adverse: [AdverseEvent] = []
        @Flag(help: "No adverse event (this or --adverse is required: none is stated, never assumed).") var noAdverse = false
        @Flag(inversion: .prefixedNo, help: "Sharps disposed of, or not (one is required).") var sharpsDisposed: Bool?
        @Option(help: "When the needling was done, if written later (YYYY-MM-DDTHH:MM, on the visit's day): a late entry.", transform: DateTimeArgument.init) var at: DateTimeArgument?
        @OptionGroup var output: OutputOptions

        /// The model's field names as this command's options, so an error names what to retype.
        static let optionNames = ["depth": "--depth", "needlesInserted": "--inserted", "needlesRemoved": "--removed",
                                  "twitchResponses": "--twitches", "needle.gauge": "--size", "needle.length": "--size",
                                  "needle.brand": "--brand", "needle.lot": "--lot", "technique": "--technique",
                                  "timeInSitu": "--time", "side": "--side", "muscleID": "--muscle", "triggerPoint": "--point",
                                  "patientResponse": "--response"]

        func validate() throws {
            // Nothing is claimed for the practitioner (as the front end's F4 form): each is stated.
            var missing: [String] = []
            if technique == nil { missing.append("--technique") }
            if twitches == nil { missing.append("--twitches (0 if none)") }
            if adverse.isEmpty, !noAdverse { missing.append("--adverse KIND:SEVERITY or --no-adverse") }
            if sharpsDisposed == nil { missing.append("--sharps-disposed or --no-sharps-disposed") }
            if !missing.isEmpty {
                throw UsageError("a needling entry needs each of these stated (nothing is assumed): \(missing.joined(separator: "; "))")
            }
            if !adverse.isEmpty, noAdverse { throw UsageError("--no-adverse and --adverse contradict each other: give one") }
        }

        func run() throws {
            guard let technique, let twitches, let sharpsDisposed else {
                throw UsageError("a needling entry needs --technique, --twitches and --sharps-disposed or --no-sharps-disposed")
            }
            let session = try global.session()
            let last = try session.lastNeedle()
            // Given here, else the clinic's needle stock (knot clinic set --needle-...), else the last entry's.
            let stock = try session.needleStock()
            let (g, l): (Double, Double)
            if let size {
                (g, l) = (size.gauge, size.length)
            } else {
                guard let sizeText = stock?.size ?? last.map({ "\($0.gaugeMm)x\($0.lengthMm)" }) else { throw UsageError("--size is needed (no earlier entry to remember)") }
                do { (g, l) = try Needle.parseSize(sizeText) } catch { throw ValidationErrors([error]) }
            }
            guard let brand = brand ?? stock?.brand ?? last?.brand else { throw UsageError("--brand is needed (no earlier entry to remember)") }
            guard let lot = lot ?? stock?.lot ?? last?.lot else { throw UsageError("--lot is needed (no earlier entry to remember)") }
            let tech: NeedlingTechnique
            do { tech = try NeedlingTechnique(code: technique.rawValue, settings: estim) } catch { throw ValidationErrors([error]) }
            let entry = NeedlingEntry(
                muscleID: try Parse.muscle(muscle).id, side: side, triggerPoint: point,
                needle: Needle(brand: brand, gaugeMm: g, lengthMm: l, lot: lot), needlesInserted: inserted,
                needlesRemoved: removed ?? 0, technique: tech, depth: depth,
                timeInSitu: try Parse.measure(Seconds.self, time, option: "--time"), twitchResponses: twitches,
                patientResponse: response, adverseEvents: adverse, sharpsDisposed: sharpsDisposed,
                performedAt: try at?.date())
            do { try entry.validate() } catch {
                throw ValidationErrors(error.errors.map { e in
                    e.renamed(Self.optionNames[e.field] ?? e.field)
                })
            }
            let (saved, warnings) = try session.addNeedling(visitID: visit, entry)
            for w in warnings { Console.warn("warning: " + w) }
            if output.json { try Console.printJSON(saved); return }
            let r = try session.visitRecord(id: visit)
            // Numbered as `knot visit show` lists the visit's sites (for `needle edit`, `needle.N.` amendments).
            let number = (r.visit.needling.firstIndex { $0.id == saved.id } ?? r.visit.needling.count - 1) + 1
            // The needle as logged, brand and lot too: a remembered one (stock or last entry) is shown, never silent.
            let remembered = self.size == nil || self.brand == nil || self.lot == nil
            // The entry's id is what `needle remove` takes; its site number in the visit what `needle edit` and
            // `needle.N.` amendments take: both said, so that neither is taken for the other (another patient's entry).
            Console.print("Logged needling entry \(saved.id.map(String.init) ?? "?") (visit \(visit), site \(number)): \(saved.muscle?.name ?? saved.muscleID) \(saved.side.abbreviation), \(saved.needle.size)"
                          + " \(saved.needle.brand) lot \(saved.needle.lot)" + (remembered ? " (not all typed: from the clinic's stock or the last entry)" : "")
                          + ", \(saved.needlesInserted) in / \(saved.needlesRemoved) out"
                          + (saved.lateEntry.map { "; late entry, written \(LateEntry.describe($0.writtenAt))" } ?? "") + ".")
            if let w = r.needleCountWarning { Console.warn("!! " + w) }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record how many needles have been removed at a site in all (the total out so far).",
            discussion: """
            --removed is the TOTAL out of that site so far, not the needles taken out just now: logging in batches, \
            3 in, 2 out and then the last one is --removed 2, then --removed 3. A total lower than the one on file is \
            refused (exit 65, nothing written) unless --correction says it corrects a count recorded wrong; the \
            message then says "lowered from 2 to 1".
            Example: knot needle remove 12 --removed 3
            """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Needling entry id: the number `needle add` printed as 'needling entry N', and `visit show` as [entry N] (not the site's number in the visit).",
                  transform: Number.id) var entry: Int64
        @Option(parsing: .unconditional, help: "Needles removed at the site in all so far: the total out, not this batch (0-50, at most the needles inserted).",
                transform: Bounded(0...NeedlingEntry.insertedRange.upperBound).parse) var removed: Int
        @Flag(help: "The total corrects a count recorded wrong: it may be lower than the one on file.") var correction = false
        @OptionGroup var output: OutputOptions

        func run() throws {
            let before: Int
            do {
                before = try global.session().setNeedlesRemoved(entryID: entry, removed: removed, correcting: correction)
            } catch StorageError.invalid(let v) {
                throw ValidationErrors(v.errors.map { $0.field == "needlesRemoved" ? $0.renamed("--removed") : $0 })
            } catch let lowered as NeedleTotalLowered {
                throw ValidationErrors([ValidationError.badValue(field: "--removed", value: String(removed),
                                                                 rule: "\(lowered.rule) (a count recorded wrong is corrected with --correction)")])
            }
            let said = removed < before ? "removed lowered from \(before) to \(removed) in all (a correction)."
                : removed == before ? "\(removed) removed in all (unchanged)."
                : before == 0 ? "\(removed) removed in all." : "\(removed) removed in all (was \(before))."
            try output.report(NeedlesRemoved(entry: entry, removed: removed, previous: before), "Needling entry \(entry): " + said)
        }
    }
}

struct ConsentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent", abstract: "Record informed consent for dry needling (or strike one out).", subcommands: [Record.self, Strike.self])

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record informed consent (before the first needle): the risks explained, named one by one.",
            discussion: """
            Example: knot consent record K00001 --risks bruising,soreness,fainting,bleeding --benefits-explained
            --benefits-explained is required: the practitioner states that the benefits were explained (never assumed).
            Needling over the lung fields needs pneumothorax among the risks. A patient under 18 consents with a guardian
            (--guardian-name, --guardian-relationship) or on a mature-minor assessment (--mature-minor "reason").
            Written later: --at 2026-12-05T09:30 records it as given then, marked as a late entry.
            """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Record number or id.") var patient: String
        @Option(help: "Risks explained, comma separated (required; at least bruising, soreness, fainting).") var risks: EnumList<Consent.Risk>?
        @Flag(help: "The benefits of dry needling were explained (required: stated, never assumed).") var benefitsExplained = false
        @Flag(help: "Consent was written (signed form).") var written = false
        @Option(help: "A standing consent valid until this date (YYYY-MM-DD); default: the day it is given only (every visit that day).", transform: ArgumentForm.date) var validUntil: LocalDate?
        @Option(help: "Notes.") var notes: String?
        @Option(help: "For a patient under 18: the parent or guardian who consented.") var guardianName: String?
        @Option(help: "For a patient under 18: the guardian's relationship (mother, father, legal guardian...).") var guardianRelationship: String?
        @Option(help: "For a patient under 18 consenting alone: why the young person understands fully.") var matureMinor: String?
        @Option(help: "When consent was given, if earlier (YYYY-MM-DDTHH:MM or YYYY-MM-DD): a late entry.", transform: DateTimeArgument.init) var at: DateTimeArgument?
        @OptionGroup var output: OutputOptions

        /// A statement left out is a command typed short (exit 64, with the usage), as `finding add`
        /// and `needle add` report theirs: the risks explained, that the benefits were explained, and a
        /// guardian's name with their relationship. (The benefits were stored as explained on every
        /// consent, though nobody was asked.)
        func validate() throws {
            if risks == nil {
                throw UsageError("--risks is required: name each risk explained (\(Consent.Risk.allCases.map(\.rawValue).joined(separator: ",")))")
            }
            if !benefitsExplained {
                throw UsageError("--benefits-explained is required: state that the benefits of dry needling were explained "
                                 + "(consent is not recorded without it)")
            }
            switch (guardianName, guardianRelationship) {
            case (nil, _?): throw UsageError("--guardian-name is required with --guardian-relationship")
            case (_?, nil): throw UsageError("--guardian-relationship is required with --guardian-name")
            default: break
            }
        }

        func run() throws {
            guard let risks else { throw UsageError("--risks is required") }  // validate() said so first
            let riskSet = Set(risks.values)
            var guardian: Consent.Guardian?
            if let guardianName, let guardianRelationship { guardian = Consent.Guardian(name: guardianName, relationship: guardianRelationship) }
            let session = try global.session()  // first: it installs the clinic's zone that --at is read in
            let when = try at?.date() ?? Date()
            let c = try session.recordConsent(patientKey: patient) { pid, prid in
                Consent(patientID: pid, practitionerID: prid, recordedAt: when, risksExplained: riskSet, benefitsExplained: benefitsExplained, written: written,
                        validUntil: validUntil, notes: notes, guardian: guardian, matureMinorAssessment: matureMinor)
            }
            if output.json { try Console.printJSON(c); return }
            Console.print("Recorded consent \(c.id!) for dry needling\(c.validUntil.map { ", standing until \($0)" } ?? ", for \(LocalDate(c.recordedAt))")"
                          + "; risks explained: \(Consent.Risk.allCases.filter(c.risksExplained.contains).map(\.rawValue).joined(separator: ", "))"
                          + (c.guardian.map { "; guardian: \($0.name) (\($0.relationship))" } ?? "")
                          + (c.matureMinorAssessment != nil ? "; mature minor" : "")
                          + (c.lateEntry.map { "; late entry, given \(LateEntry.describe(c.recordedAt)), written \(LateEntry.describe($0.writtenAt))" } ?? "") + ".")
        }
    }
}

struct ScreenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screen", abstract: "Record the precaution screen before needling (or strike one out).", subcommands: [Record.self, Strike.self])

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the precaution screen: every precaution answered present or absent, those present acknowledged with a reason.",
            discussion: """
            Every precaution is answered: --present and --absent (comma separated, repeatable), or --none-present;
            and --valid-days, the days the screen stands (1-365), is stated.
            Example: knot screen record K00012 --valid-days 90 --present anticoagulant --ack 'anticoagulant=INR stable 2.3; superficial sites only, firm pressure after' --absent \(Precaution.allCases.filter { $0 != .anticoagulant }.map(\.rawValue).joined(separator: ","))
            An alert on the chart (confirmed, or proposed by a referral) cannot be answered absent: confirm it and answer it present, or dismiss it.
            Precautions: \(Precaution.allCases.map(\.rawValue).joined(separator: ", ")).
            """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Record number or id.") var patient: String
        @Option(help: "Precautions answered present, comma separated. Repeatable.") var present: [EnumList<Precaution>] = []
        @Option(help: "Precautions answered absent, comma separated. Repeatable.") var absent: [EnumList<Precaution>] = []
        @Flag(help: "Every precaution was asked and none is present (refused while an alert says otherwise).") var nonePresent = false
        @Option(help: ArgumentHelp("The reasoned acknowledgment of a present precaution, as 'precaution=reason'. Repeatable.", valueName: "precaution=reason"),
                transform: ArgumentForm.acknowledgment) var ack: [ArgumentForm.Acknowledgment] = []
        @Option(parsing: .unconditional, help: "Days the screen stands (1-365; required: stated, never assumed).", transform: Bounded(1...365).parse) var validDays: Int?
        @Option(help: "When the screen was done, if earlier (YYYY-MM-DDTHH:MM or YYYY-MM-DD): a late entry.", transform: DateTimeArgument.init) var at: DateTimeArgument?
        @OptionGroup var output: OutputOptions

        /// The days the screen stands are a statement: left out, the command is typed short (exit 64,
        /// with the usage), as a trigger point's unstated signs are. (It was 90 days unless told: a
        /// period of validity nobody stated.)
        func validate() throws {
            if validDays == nil {
                throw UsageError("--valid-days is required: the days the screen stands, 1-365 (stated, never assumed)")
            }
        }

        func run() throws {
            let presentSet = Set(EnumList.joined(present))
            let absentSet = Set(EnumList.joined(absent))
            if nonePresent, !absentSet.isEmpty {
                throw ValidationErrors([.init(field: "--none-present", value: "", rule: "already answers every precaution absent: drop --absent")])
            }
            guard let validDays else { throw UsageError("--valid-days is required") }  // validate() said so first
            let acks = Dictionary(ack.map { ($0.precaution, $0.reason) }) { _, last in last }
            let session = try global.session()  // first: it installs the clinic's zone that --at is read in
            let when = try at?.date() ?? Date()
            let answers = ScreenAnswers(present: presentSet, absent: absentSet, acknowledgments: acks, nonePresent: nonePresent)
            let s = try session.recordScreen(patientKey: patient, answers: answers, validDays: validDays, at: when)
            if output.json { try Console.printJSON(s); return }
            Console.print("Recorded precaution screen \(s.id!), valid until \(s.validUntil)" + (s.present.isEmpty ? "; no precautions present." : "; present: \(s.present.map(\.rawValue).sorted().joined(separator: ", ")).")
                          + (s.lateEntry.map { " Late entry: done \(LateEntry.describe(s.recordedAt)), written \(LateEntry.describe($0.writtenAt))." } ?? "")
                          + (s.stops.isEmpty ? "" : " STOP: needling must not go ahead."))
        }
    }
}

struct AlertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alert", abstract: "Add, confirm or dismiss patient alerts (proposed ones come from referrals).",
        subcommands: [Add.self, Confirm.self, Dismiss.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a confirmed alert to a patient.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Record number or id.") var patient: String
        @Option(help: "allergy, other, or a precaution.") var kind: PatientAlert.Kind
        @Option(help: "What everyone must see.") var text: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            let a = try global.session().addAlert(patientKey: patient, alert: PatientAlert(kind: kind, text: text))
            try output.report(a, "Added alert \(a.id!).")
        }
    }

    struct Confirm: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Confirm a proposed alert.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Alert id.", transform: Number.id) var alert: Int64
        @OptionGroup var output: OutputOptions
        func run() throws {
            try global.session().setAlert(id: alert, status: .confirmed)
            try output.report(AlertStatusChange(alert: alert, status: AlertStatus.confirmed.rawValue, reason: nil), "Alert \(alert) confirmed.")
        }
    }

    struct Dismiss: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Dismiss a proposed alert that does not apply (kept for the record, with the reason).",
            discussion: """
                The reason is required: at least \(PatientAlert.dismissReasonMinimum.words) words saying why the alert does not apply. \
                It is stored on the alert, audited, shown by `knot patient show` and carried in the clinic export. \
                A dismissed precaution no longer stops the screen answering it absent.
                Example: knot alert dismiss 7 --reason "apixaban stopped in October, GP letter on file"
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Alert id.", transform: Number.id) var alert: Int64
        @Option(help: "Why the alert does not apply (required, at least a few words; stored and audited).") var reason: String?
        @OptionGroup var output: OutputOptions

        func run() throws {
            let session = try global.session()
            try session.authorize(.reviewAlert)  // who may dismiss is said first (77), before what was typed (65)
            let text: String
            do { text = try PatientAlert.checkedDismissReason(reason) } catch {
                throw KnotCommandError("--reason: " + (error.value.isEmpty ? "" : "'\(error.value)' ") + error.rule, .badInput)
            }
            try session.setAlert(id: alert, status: .dismissed, reason: text)
            try output.report(AlertStatusChange(alert: alert, status: AlertStatus.dismissed.rawValue, reason: text), "Alert \(alert) dismissed: \(text)")
        }
    }
}

/// What `knot alert confirm|dismiss --json` prints: the alert and its new status.
struct AlertStatusChange: Encodable {
    var alert: Int64
    var status: String
    var reason: String?
}

/// What `knot needle remove --json` prints: the entry and its needles removed.
struct NeedlesRemoved: Encodable {
    var entry: Int64
    /// The total out of the site now.
    var removed: Int
    /// The total out on file before.
    var previous: Int
}
