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
            Trigger point:  knot finding add 12 --muscle gastrocnemius-medial --side left --active --twitch --referred --tenderness 7
            FPI-6:          knot finding add 12 --kind fpi6 --side left --fpi 1,1,2,1,1,2
            Lunge (cm):     knot finding add 12 --kind lunge --side right --value 8.5
            Also: leg-length (mm, --side = longer leg), hallux-dorsiflexion (degrees), gait (--gait codes), strength (--movement, --value 0-5),
            joint-range (--joint, --movement, --value degrees), posture (--notes), measure (--name, --value, --unit).
            """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Visit id.") var visit: Int64
        @Option(help: "Finding kind: trigger-point (default with --muscle), fpi6, lunge, leg-length, hallux-dorsiflexion, gait, strength, joint-range, posture, measure.") var kind: String?
        @Option(help: "Muscle id from the catalogue (see `knot muscles`).") var muscle: String?
        @Option(help: "Side: left, right, midline, bilateral.") var side: String = "midline"
        @Flag(help: "An active trigger point (reproduces the complaint); latent otherwise.") var active = false
        @Flag(inversion: .prefixedNo, help: "A palpable taut band.") var tautBand = true
        @Flag(help: "Local twitch response on palpation.") var twitch = false
        @Flag(help: "Referred pain reproduced.") var referred = false
        @Option(help: "Tenderness on pressure, NPRS 0-10.") var tenderness: Int?
        @Option(help: "Pressure pain threshold, kg/cm².") var ppt: Double?
        @Option(help: "Algometer probe size, cm².") var probe: Double = 1.0
        @Option(help: "Named location (e.g. TrP1 mid-belly).") var location: String?
        @Option(help: "Likely causes, comma separated: \(LikelyCause.allCases.map(\.rawValue).joined(separator: ", ")).") var causes: String?
        @Option(help: "FPI-6 item scores, six comma-separated values -2..+2.") var fpi: String?
        @Option(help: "The measured value (cm, mm, degrees, grade, or any unit).") var value: Double?
        @Option(help: "Gait observations, comma separated: \(GaitObservation.allCases.map(\.rawValue).joined(separator: ", ")).") var gait: String?
        @Option(help: "Movement (strength, joint range).") var movement: String?
        @Option(help: "Joint (joint range).") var joint: String?
        @Option(help: "Measure name (free-form measure).") var name: String?
        @Option(help: "Unit (free-form measure).") var unit: String?
        @Option(help: "Notes.") var notes: String?

        func run() throws {
            let session = try global.session()
            let side = try Parse.side(self.side)
            let kind = self.kind ?? (muscle != nil ? "trigger-point" : "")
            if kind == "trigger-point" {
                guard let muscle else { throw UsageError("a trigger point needs --muscle") }
                let m = try Parse.muscle(muscle)
                let causes = try (self.causes ?? "").split(separator: ",").map { c in
                    guard let cause = LikelyCause(rawValue: c.trimmingCharacters(in: .whitespaces)) else {
                        throw ValidationErrors([.init(field: "--causes", value: String(c), rule: "is not a likely cause")])
                    }
                    return cause
                }
                let f = TriggerPointFinding(
                    muscleID: m.id, side: side, location: location, activity: active ? .active : .latent, tautBand: tautBand,
                    localTwitchResponse: twitch, referredPainReproduced: referred,
                    tenderness: try Parse.nprs(tenderness, option: "--tenderness"),
                    pressurePainThreshold: try Parse.measure(KilogramsPerSquareCentimetre.self, ppt, option: "--ppt").map {
                        PressurePainThreshold(value: $0, probeSizeCm2: probe)
                    }, likelyCauses: causes, notes: notes)
                _ = try session.addTriggerPoint(visitID: visit, f)
                let number = try session.draftSnapshot(visitID: visit).visit.triggerPoints.count
                Console.print("Recorded finding \(number) (trigger point): \(m.name) \(side.abbreviation), \(f.activity.rawValue).")
                return
            }
            guard let measureKind = BiomechanicalMeasure.Kind(rawValue: kind) else {
                throw UsageError("--kind must be trigger-point, fpi6, lunge, leg-length, hallux-dorsiflexion, gait, strength, joint-range, posture or measure")
            }
            if measureKind == .fpi6, fpi == nil { throw UsageError("--kind fpi6 needs --fpi with six item scores") }
            if let what = measureKind.valueMeaning(unit: unit), value == nil { throw UsageError("--kind \(kind) needs --value (\(what))") }
            let measure = try BiomechanicalMeasure.make(
                kind: measureKind, value: value, fpiItems: (fpi ?? "").split(separator: ",").map(String.init),
                gait: (gait ?? "").split(separator: ",").map(String.init), movement: movement, joint: joint, name: name, unit: unit,
                names: .commandLine)
            _ = try session.addBiomechanical(visitID: visit, BiomechanicalFinding(measure: measure, side: side, notes: notes))
            // Numbered as `knot visit show` lists findings (trigger points, then these), for `finding edit`.
            let recorded = try session.draftSnapshot(visitID: visit).visit
            Console.print("Recorded finding \(recorded.triggerPoints.count + recorded.biomechanics.count): \(measure.summary) \(side.abbreviation).")
        }
    }
}

struct TreatmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "treatment", abstract: "Record treatments given at a draft visit.", subcommands: [Add.self, Edit.self, Strike.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a treatment (dry needling itself is logged with `knot needle add`).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Visit id.") var visit: Int64
        @Option(help: "Kind: \(Treatment.Kind.allCases.map(\.rawValue).joined(separator: ", ")).") var kind: String
        @Option(help: "Muscle id.") var muscle: String?
        @Option(help: "Side.") var side: String?
        @Option(help: "Hold time per cycle, seconds.") var hold: Int?
        @Option(help: "Cycles.") var cycles: Int?
        @Option(help: "Notes.") var notes: String?

        func run() throws {
            guard let k = Treatment.Kind(rawValue: kind) else {
                throw ValidationErrors([.init(field: "--kind", value: kind, rule: "is not one of \(Treatment.Kind.allCases.map(\.rawValue).joined(separator: ", "))")])
            }
            let t = Treatment(kind: k, muscleID: try muscle.map { try Parse.muscle($0).id }, side: try side.map { try Parse.side($0) },
                              holdTime: try Parse.measure(Seconds.self, hold, option: "--hold"), cycles: cycles, notes: notes)
            let session = try global.session()
            _ = try session.addTreatment(visitID: visit, t)
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
            discussion: "Example: knot needle add 12 --muscle gastrocnemius-medial --side left --size 0.25x40 --brand Seirin --lot L2411 --inserted 2 --removed 2 --technique pistoning --twitches 3")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Visit id.") var visit: Int64
        @Option(help: "Muscle id.") var muscle: String
        @Option(help: "Side: left, right or midline.") var side: String
        @Option(help: "Which trigger point, in your words.") var point: String?
        @Option(help: "Needle gauge x length in mm, e.g. 0.25x40 (default: the clinic's needle stock, else the last entry's).") var size: String?
        @Option(help: "Needle brand (default: the clinic's needle stock, else the last entry's).") var brand: String?
        @Option(help: "Lot number (default: the clinic's needle stock, else the last entry's; an expired stock lot is refused).") var lot: String?
        @Option(help: "Needles inserted (1-50).") var inserted: Int
        @Option(help: "Needles removed (must equal inserted before signing).") var removed: Int?
        @Option(help: "Technique: static, pistoning, electrical.") var technique: String = "pistoning"
        @Option(help: "Electrical stimulation settings (frequency, intensity, duration).") var estim: String?
        @Option(help: "Estimated depth, mm: 0 to the needle's length; over the lung fields required, 1 mm to the needle's length.") var depth: Double?
        @Option(help: "Time in situ, seconds (0-3600).") var time: Int?
        @Option(help: "Local twitch responses elicited (0-100).") var twitches: Int = 0
        @Option(help: "Patient response.") var response: String?
        @Option(help: ArgumentHelp("Adverse event as kind[:severity[:action]], e.g. bruising or vasovagal:significant:lay flat, fluids. Kinds: \(AdverseEvent.Kind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "kind:severity:action"))
        var adverse: [String] = []
        @Flag(inversion: .prefixedNo, help: "Sharps disposed of.") var sharpsDisposed = true
        @Option(help: "When the needling was done, if written later (YYYY-MM-DDTHH:MM, on the visit's day): a late entry.") var at: String?
        @OptionGroup var output: OutputOptions

        /// The model's field names as this command's options, so an error names what to retype.
        static let optionNames = ["depth": "--depth", "needlesInserted": "--inserted", "needlesRemoved": "--removed",
                                  "twitchResponses": "--twitches", "needle.gauge": "--size", "needle.length": "--size",
                                  "needle.brand": "--brand", "needle.lot": "--lot", "technique": "--technique",
                                  "timeInSitu": "--time", "side": "--side", "muscleID": "--muscle", "triggerPoint": "--point",
                                  "patientResponse": "--response"]

        func run() throws {
            let session = try global.session()
            let last = try session.lastNeedle()
            // Given here, else the clinic's needle stock (knot clinic set --needle-...), else the last entry's.
            let stock = try session.needleStock()
            guard let sizeText = size ?? stock?.size ?? last.map({ "\($0.gaugeMm)x\($0.lengthMm)" }) else { throw UsageError("--size is needed (no earlier entry to remember)") }
            let (g, l): (Double, Double)
            do { (g, l) = try Needle.parseSize(sizeText) } catch { throw ValidationErrors([error]) }
            guard let brand = brand ?? stock?.brand ?? last?.brand else { throw UsageError("--brand is needed (no earlier entry to remember)") }
            guard let lot = lot ?? stock?.lot ?? last?.lot else { throw UsageError("--lot is needed (no earlier entry to remember)") }
            let tech: NeedlingTechnique
            do { tech = try NeedlingTechnique(code: technique, settings: estim) } catch { throw ValidationErrors([error]) }
            let events = try adverse.map { text -> AdverseEvent in
                let parts = text.split(separator: ":", maxSplits: 2).map(String.init)
                guard let k = AdverseEvent.Kind(rawValue: parts[0]) else {
                    throw ValidationErrors([.init(field: "--adverse", value: parts[0], rule: "is not an adverse event kind")])
                }
                let sev = parts.count > 1 ? AdverseEvent.Severity(rawValue: parts[1]) : .mild
                guard let sev else { throw ValidationErrors([.init(field: "--adverse", value: parts[1], rule: "severity is mild, significant or serious")]) }
                return AdverseEvent(kind: k, severity: sev, action: parts.count > 2 ? parts[2] : nil)
            }
            let entry = NeedlingEntry(
                muscleID: try Parse.muscle(muscle).id, side: try Parse.side(side), triggerPoint: point,
                needle: Needle(brand: brand, gaugeMm: g, lengthMm: l, lot: lot), needlesInserted: inserted,
                needlesRemoved: removed ?? 0, technique: tech, depth: try Parse.measure(DepthMillimetres.self, depth, option: "--depth"),
                timeInSitu: try Parse.measure(Seconds.self, time, option: "--time"), twitchResponses: twitches,
                patientResponse: response, adverseEvents: events, sharpsDisposed: sharpsDisposed,
                performedAt: try at.map(VisitCommand.parseDateTime))
            do { try entry.validate() } catch {
                throw ValidationErrors(error.errors.map { e in
                    ClinicModel.ValidationError(field: Self.optionNames[e.field] ?? e.field, value: e.value, rule: e.rule)
                })
            }
            let (saved, warnings) = try session.addNeedling(visitID: visit, entry)
            for w in warnings { Console.warn("warning: " + w) }
            if output.json { try Console.printJSON(saved); return }
            let r = try session.visitRecord(id: visit)
            // Numbered as `knot visit show` lists the visit's sites (for `needle edit`, `needle.N.` amendments).
            let number = (r.visit.needling.firstIndex { $0.id == saved.id } ?? r.visit.needling.count - 1) + 1
            Console.print("Logged needling entry \(number): \(saved.muscle?.name ?? saved.muscleID) \(saved.side.abbreviation), \(saved.needle.size), \(saved.needlesInserted) in / \(saved.needlesRemoved) out"
                          + (saved.lateEntry.map { "; late entry, written \(LateEntry.describe($0.writtenAt))" } ?? "") + ".")
            if let w = r.needleCountWarning { Console.warn("!! " + w) }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record how many needles were removed at a site.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Needling entry id.") var entry: Int64
        @Option(help: "Needles removed.") var removed: Int

        func run() throws {
            try global.session().setNeedlesRemoved(entryID: entry, removed: removed)
            Console.print("Needling entry \(entry): \(removed) removed.")
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
            Example: knot consent record K00001 --risks bruising,soreness,fainting,bleeding
            Needling over the lung fields needs pneumothorax among the risks. A patient under 18 consents with a guardian
            (--guardian-name, --guardian-relationship) or on a mature-minor assessment (--mature-minor "reason").
            Written later: --at 2026-12-05T09:30 records it as given then, marked as a late entry.
            """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Record number or id.") var patient: String
        @Option(help: "Risks explained, comma separated (required; at least bruising, soreness, fainting): \(Consent.Risk.allCases.map(\.rawValue).joined(separator: ", ")).") var risks: String?
        @Flag(help: "Consent was written (signed form).") var written = false
        @Option(help: "A standing consent valid until this date (YYYY-MM-DD); default: that day only.") var validUntil: String?
        @Option(help: "Notes.") var notes: String?
        @Option(help: "For a patient under 18: the parent or guardian who consented.") var guardianName: String?
        @Option(help: "For a patient under 18: the guardian's relationship (mother, father, legal guardian...).") var guardianRelationship: String?
        @Option(help: "For a patient under 18 consenting alone: why the young person understands fully.") var matureMinor: String?
        @Option(help: "When consent was given, if earlier (YYYY-MM-DDTHH:MM or YYYY-MM-DD): a late entry.") var at: String?

        func run() throws {
            guard let risks else {
                throw ValidationErrors([.init(field: "--risks", value: "",
                                              rule: "is required: name each risk explained (\(Consent.Risk.allCases.map(\.rawValue).joined(separator: ",")))")])
            }
            let riskSet = Set(try risks.split(separator: ",").map { r in
                guard let risk = Consent.Risk(rawValue: r.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationErrors([.init(field: "--risks", value: String(r), rule: "is not a risk (\(Consent.Risk.allCases.map(\.rawValue).joined(separator: ", ")))")])
                }
                return risk
            })
            let guardian: Consent.Guardian?
            switch (guardianName, guardianRelationship) {
            case let (name?, relationship?): guardian = Consent.Guardian(name: name, relationship: relationship)
            case (nil, nil): guardian = nil
            case (nil, _?): throw ValidationErrors([.init(field: "--guardian-name", value: "", rule: "is required with --guardian-relationship")])
            case (_?, nil): throw ValidationErrors([.init(field: "--guardian-relationship", value: "", rule: "is required with --guardian-name")])
            }
            let until = try validUntil.map { try Parse.date($0, option: "--valid-until") }
            let when = try at.map(VisitCommand.parseDateTime) ?? Date()
            let c = try global.session().recordConsent(patientKey: patient) { pid, prid in
                Consent(patientID: pid, practitionerID: prid, recordedAt: when, risksExplained: riskSet, written: written,
                        validUntil: until, notes: notes, guardian: guardian, matureMinorAssessment: matureMinor)
            }
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
            Every precaution is answered: --present and --absent (comma separated, repeatable), or --none-present.
            Example: knot screen record K00012 --present anticoagulant --ack 'anticoagulant=INR stable 2.3; superficial sites only, firm pressure after' --absent \(Precaution.allCases.filter { $0 != .anticoagulant }.map(\.rawValue).joined(separator: ","))
            An alert on the chart (confirmed, or proposed by a referral) cannot be answered absent: confirm it and answer it present, or dismiss it.
            Precautions: \(Precaution.allCases.map(\.rawValue).joined(separator: ", ")).
            """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Record number or id.") var patient: String
        @Option(help: "Precautions answered present, comma separated. Repeatable.") var present: [String] = []
        @Option(help: "Precautions answered absent, comma separated. Repeatable.") var absent: [String] = []
        @Flag(help: "Every precaution was asked and none is present (refused while an alert says otherwise).") var nonePresent = false
        @Option(help: ArgumentHelp("The reasoned acknowledgment of a present precaution, as 'precaution=reason'. Repeatable.", valueName: "precaution=reason")) var ack: [String] = []
        @Option(help: "Days the screen stands.") var validDays: Int = 90
        @Option(help: "When the screen was done, if earlier (YYYY-MM-DDTHH:MM or YYYY-MM-DD): a late entry.") var at: String?

        func run() throws {
            func precaution(_ s: String, option: String) throws -> Precaution {
                guard let p = Precaution(rawValue: s.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationErrors([.init(field: option, value: s, rule: "is not a precaution (\(Precaution.allCases.map(\.rawValue).joined(separator: ", ")))")])
                }
                return p
            }
            func list(_ values: [String], option: String) throws -> Set<Precaution> {
                Set(try values.flatMap { $0.split(separator: ",") }.map { try precaution(String($0), option: option) })
            }
            let presentSet = try list(present, option: "--present")
            let absentSet = try list(absent, option: "--absent")
            if nonePresent, !absentSet.isEmpty {
                throw ValidationErrors([.init(field: "--none-present", value: "", rule: "already answers every precaution absent: drop --absent")])
            }
            var acks: [Precaution: String] = [:]
            for a in ack {
                let parts = a.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { throw ValidationErrors([.init(field: "--ack", value: a, rule: "is not 'precaution=reason'")]) }
                acks[try precaution(String(parts[0]), option: "--ack")] = String(parts[1])
            }
            guard (1...365).contains(validDays) else { throw ValidationErrors([.init(field: "--valid-days", value: "\(validDays)", rule: "must be 1 to 365")]) }
            let when = try at.map(VisitCommand.parseDateTime) ?? Date()
            let answers = ScreenAnswers(present: presentSet, absent: absentSet, acknowledgments: acks, nonePresent: nonePresent)
            let s = try global.session().recordScreen(patientKey: patient, answers: answers, validDays: validDays, at: when)
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
        @Option(help: "allergy, other, or a precaution: \(Precaution.allCases.map(\.rawValue).joined(separator: ", ")).") var kind: String
        @Option(help: "What everyone must see.") var text: String

        func run() throws {
            let k: PatientAlert.Kind
            do { k = try PatientAlert.Kind(parsing: kind) } catch { throw ValidationErrors([error]) }
            let a = try global.session().addAlert(patientKey: patient, alert: PatientAlert(kind: k, text: text))
            Console.print("Added alert \(a.id!).")
        }
    }

    struct Confirm: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Confirm a proposed alert.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Alert id.") var alert: Int64
        func run() throws { try global.session().setAlert(id: alert, status: .confirmed); Console.print("Alert \(alert) confirmed.") }
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
        @Argument(help: "Alert id.") var alert: Int64
        @Option(help: "Why the alert does not apply (required, at least a few words; stored and audited).") var reason: String?

        func run() throws {
            let session = try global.session()
            try session.authorize(.reviewAlert)  // who may dismiss is said first (77), before what was typed (65)
            let text: String
            do { text = try PatientAlert.checkedDismissReason(reason) } catch {
                throw KnotCommandError("--reason: " + (error.value.isEmpty ? "" : "'\(error.value)' ") + error.rule, code: 65)
            }
            try session.setAlert(id: alert, status: .dismissed, reason: text)
            Console.print("Alert \(alert) dismissed: \(text)")
        }
    }
}
