import Foundation
import ClinicModel

/// What a rendered plan says, in order, before it is laid out as text or HTML.
///
/// Built once per audience so the terminal, the printout and the HTML page never disagree:
/// the renderers only decide how it looks.
struct PlanDocument {
    /// One line of a section: numbered (a home-program spot), labelled ("Complaint: ...") or a
    /// plain point.
    struct Entry {
        var number: Int?
        var label: String?
        var text: String
        /// A value corrected after signing (`marked`), or the footnote that says what it was (`note`).
        var amendment: Amendment?
        enum Amendment { case marked, note }
        init(number: Int? = nil, label: String? = nil, text: String, amendment: Amendment? = nil) {
            self.number = number; self.label = label; self.text = text; self.amendment = amendment
        }
    }

    /// A chart a section carries (drawn in HTML; the pain chart also as text bars).
    enum Chart { case body([BodyChartSVG.Mark]), pain(PainTrend) }

    struct Section {
        /// A stable class name for styling, e.g. "home-program".
        var id: String
        var heading: String
        var intro: String?
        var entries: [Entry]
        var numbered: Bool = false
        /// Red flags: printed so they cannot be missed.
        var urgent: Bool = false
        var chart: Chart?
    }

    var audience: PlanAudience
    var clinicName: String
    /// The letterhead under the clinic's name (address, contact, business number).
    var clinicDetails: [String] = []
    /// The logo as a data: URI (HTML only).
    var clinicLogo: String?
    var title: String
    var header: [(label: String, value: String)]
    var greeting: String?
    var opening: [String]
    var sections: [Section]
    var closing: [String]

    init(plan: FollowUpPlan, context ctx: PlanContext, audience: PlanAudience) {
        switch audience {
        case .patient: self = PlanDocument.patient(plan, ctx)
        case .referrer: self = PlanDocument.referrer(plan, ctx)
        }
        clinicDetails = ctx.clinicDetails
        clinicLogo = ctx.clinicLogo.flatMap { $0.hasPrefix("data:image/png;base64,") || $0.hasPrefix("data:image/svg+xml;base64,") ? $0 : nil }
    }

    private init(audience: PlanAudience, clinicName: String, title: String, header: [(label: String, value: String)],
                 greeting: String?, opening: [String], sections: [Section], closing: [String]) {
        self.audience = audience; self.clinicName = clinicName; self.title = title; self.header = header
        self.greeting = greeting; self.opening = opening; self.sections = sections; self.closing = closing
    }

    // MARK: - Patient

    private static func patient(_ plan: FollowUpPlan, _ ctx: PlanContext) -> PlanDocument {
        var header: [(label: String, value: String)] = [
            ("Patient", "\(ctx.patientFullName) (\(ctx.patient.recordNumber))"),
            ("Visit", ClinicWording.longDate(ctx.visit.date)),
            ("Practitioner", ctx.practitioner.signature),
        ]
        if let review = plan.reviewDate { header.append(("Next review", ClinicWording.longDate(review))) }
        if let phone = ctx.clinicPhone { header.append(("Clinic phone", phone)) }

        let spots = HomeProgramSpot.spots(in: plan)
        let numberByItem = Dictionary(uniqueKeysWithValues: spots.map { ($0.itemIndex, $0.number) })
        func entries(_ section: FollowUpPlan.Item.Section) -> [Entry] {
            plan.items.enumerated().filter { $0.element.section == section }.map {
                Entry(number: numberByItem[$0.offset], text: $0.element.text)
            }
        }
        var sections: [Section] = []
        let home = entries(.homeProgram)
        if !home.isEmpty {
            sections.append(Section(
                id: "home-program", heading: "Your home program",
                intro: homeIntro(plan, spots: spots),
                entries: home, numbered: true, chart: spots.isEmpty ? nil : .body(BodyChartSVG.marks(for: spots))))
        }
        let afterNeedling = entries(.afterNeedling)
        if !afterNeedling.isEmpty {
            sections.append(Section(id: "after-needling", heading: "After dry needling", entries: afterNeedling))
        }
        // Red flags straight after the needling advice they belong with, not at the end.
        let flags = entries(.redFlags)
        if !flags.isEmpty {
            sections.append(Section(id: "red-flags", heading: "Get help urgently",
                                    intro: "These are rare, but need care straight away:", entries: flags, urgent: true))
        }
        let plain: [(FollowUpPlan.Item.Section, String, String, String?)] = [
            (.biomechanics, "biomechanics", "Correcting the cause", "Your feet, legs and movement, and what we will do about them."),
            (.activity, "activity", "Activity and load", nil),
        ]
        for (section, id, heading, intro) in plain {
            let e = entries(section)
            if !e.isEmpty { sections.append(Section(id: id, heading: heading, intro: intro, entries: e)) }
        }
        let review = entries(.review)
        if !review.isEmpty { sections.append(Section(id: "review", heading: "Your review", entries: review)) }
        let other = entries(.other)
        if !other.isEmpty { sections.append(Section(id: "other", heading: "Other advice", entries: other)) }
        let trend = PainTrend(ctx)
        if !trend.points.isEmpty {
            sections.append(Section(id: "pain", heading: "Your pain so far", intro: trend.patientSummary,
                                    entries: [], chart: .pain(trend)))
        }
        let outcomes = entries(.outcomes)
        if !outcomes.isEmpty {
            sections.append(Section(id: "outcomes", heading: "Your progress", intro: "The questionnaires you filled in, scored.",
                                    entries: outcomes))
        }
        let values = templateValues(plan, ctx, sections: sections)
        return PlanDocument(
            audience: .patient, clinicName: ctx.clinicName, title: "Your follow-up plan", header: header,
            greeting: nil,
            opening: LetterTemplates.paragraphs(LetterTemplates.render("patient.opening", values, ctx)),
            sections: sections,
            closing: LetterTemplates.lines(LetterTemplates.render("patient.closing", values, ctx)))
    }

    // MARK: - Referrer

    private static func referrer(_ plan: FollowUpPlan, _ ctx: PlanContext) -> PlanDocument {
        let visit = ctx.visit
        let p = ctx.patient
        var header: [(label: String, value: String)] = [("Date", ClinicWording.date(ctx.today))]
        if let r = ctx.referral {
            header.append(("To", [r.referrerName, r.referrerOrganisation].compactMap { $0 }.joined(separator: ", ")))
        } else if let gp = p.generalPractitioner {
            header.append(("To", gp))
        }
        header.append(("Patient", "\(ctx.patientFullName), born \(ClinicWording.date(p.dateOfBirth)), record \(p.recordNumber)"))
        if let r = ctx.referral {
            header.append(("Referral", "\(ClinicWording.date(r.date)): \(shortened(r.reason))"))
        }

        var opening: [String] = []
        // A significant or serious adverse event is said first, not left for the referrer to find.
        let events = AdverseEventRules.notable(in: visit)
        if !events.isEmpty {
            let said = events.map { n in
                "\(n.event.kind.rawValue.replacingOccurrences(of: "-", with: " ")) (\(n.event.severity.rawValue)) after needling the \(ClinicWording.muscleAndSideInline(n.muscleID, n.side))"
                    + (n.event.action.map { "; action taken: \($0.trimmingCharacters(in: .whitespacesAndNewlines))" } ?? "; no action recorded")
            }
            opening.append("Please note an adverse event at this visit: " + said.joined(separator: ". ") + ".")
        }

        // The letter leads with the clinical impression when the visit records one.
        var sections: [Section] = []
        if let impression = ctx.impression, !impression.description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            sections.append(Section(id: "impression", heading: "Clinical impression", entries: [Entry(text: impression.description)]))
        }
        sections.append(Section(id: "findings", heading: "Findings", entries: findings(visit, corrections: ctx.corrections)))
        var treatmentSection = Section(id: "treatment", heading: "Treatment", entries: treatment(visit))
        let spots = HomeProgramSpot.spots(in: plan)
        if !spots.isEmpty {
            treatmentSection.chart = .body(BodyChartSVG.marks(for: spots))
        }
        sections.append(treatmentSection)
        let trend = PainTrend(ctx)
        sections.append(Section(id: "response", heading: "Response so far", intro: trend.clinicalSummary,
                                entries: outcomeEntries(plan, ctx),
                                chart: trend.points.count >= 2 ? .pain(trend) : nil))
        sections.append(Section(id: "plan", heading: "Plan", entries: planEntries(plan, spots: spots, ctx: ctx)))
        var review: [Entry] = []
        if let date = plan.reviewDate { review.append(Entry(text: "Review on \(ClinicWording.longDate(date)).")) }
        review += plan.items.filter { $0.section == .review && $0.rule != PlanRule.reviewDate }.map { Entry(text: $0.text) }
        if !review.isEmpty { sections.append(Section(id: "review", heading: "Review", entries: review)) }

        // The clinic's wording (or Knot's) for the greeting, opening and signature; the adverse
        // event stays straight after the opening whatever the template says.
        let values = templateValues(plan, ctx, sections: sections)
        let greeting = LetterTemplates.paragraphs(LetterTemplates.render("referrer.greeting", values, ctx)).joined(separator: " ")
        opening = LetterTemplates.paragraphs(LetterTemplates.render("referrer.opening", values, ctx)) + opening
        return PlanDocument(
            audience: .referrer, clinicName: ctx.clinicName, title: "Report to referrer", header: header,
            greeting: greeting.isEmpty ? nil : greeting, opening: opening, sections: sections,
            closing: LetterTemplates.lines(LetterTemplates.render("referrer.closing", values, ctx)))
    }

    /// What a template may fill in: plain strings, numbers, lists and flags only (no code).
    /// A value that is not recorded is left out, so `{{#name}}...{{/name}}` tests for it.
    private static func templateValues(_ plan: FollowUpPlan, _ ctx: PlanContext, sections: [Section]) -> [String: Any] {
        var clinic: [String: Any] = ["name": ctx.clinicName, "emergencyNumber": ctx.emergencyNumber]
        if let phone = ctx.clinicPhone { clinic["phone"] = phone }
        var practitioner: [String: Any] = [
            "name": ctx.practitioner.name, "profession": ClinicWording.profession(ctx.practitioner.profession),
        ]
        // "Alex Smith, Physiotherapist, AHPRA registration PHY0001234567", and its parts.
        practitioner["signature"] = ctx.practitioner.signature
        if let reg = ctx.practitioner.registrationNumber, !reg.isEmpty { practitioner["registration"] = reg }
        if let body = ctx.practitioner.registrationBody, !body.isEmpty, ctx.practitioner.registrationNumber != nil {
            practitioner["registrationBody"] = body
        }
        if let provider = ctx.practitioner.providerNumber, !provider.isEmpty { practitioner["providerNumber"] = provider }
        var patient: [String: Any] = [
            "fullName": ctx.patientFullName, "firstName": ctx.patientFirstName, "givenNames": ctx.patient.givenNames,
            "familyName": ctx.patient.familyName, "recordNumber": ctx.patient.recordNumber,
        ]
        if let gp = ctx.patient.generalPractitioner { patient["generalPractitioner"] = gp }
        // A letter that named no referrer is greeted as "Doctor", never by the placeholder.
        let named = ctx.referral.flatMap { $0.referrerIsNamed ? $0.referrerName : nil }
        let recipientName = named ?? ctx.patient.generalPractitioner
        var values: [String: Any] = [
            "clinic": clinic, "practitioner": practitioner, "patient": patient,
            "visit": ["date": ClinicWording.longDate(ctx.visit.date)] as [String: Any],
            "today": ClinicWording.date(ctx.today),
            "recipient": ["salutation": recipientName.flatMap { LetterGreeting.salutation(for: $0) } ?? "Doctor"] as [String: Any],
            "sections": sections.map { section -> [String: Any] in
                ["id": section.id, "heading": section.heading,
                 "entries": section.entries.map { e -> [String: Any] in
                     var entry: [String: Any] = ["text": e.text]
                     if let label = e.label { entry["label"] = label }
                     return entry
                 }]
            },
        ]
        if let date = plan.reviewDate { values["review"] = ["date": ClinicWording.longDate(date)] as [String: Any] }
        if let r = ctx.referral {
            var referral: [String: Any] = ["referrer": r.referrerName, "date": ClinicWording.date(r.date)]
            if let org = r.referrerOrganisation { referral["organisation"] = org }
            if ctx.sessionsUsed > 0 { referral["sessionsUsed"] = ctx.sessionsUsed }
            if let allowed = r.sessionsAllowed { referral["sessionsAllowed"] = allowed }
            if let left = ctx.sessionsRemaining { referral["sessionsLeft"] = left }
            values["referral"] = referral
        }
        return values
    }

    /// The home program's introduction: self-release, and the exercises or advice given at the visit.
    private static func homeIntro(_ plan: FollowUpPlan, spots: [HomeProgramSpot]) -> String {
        let selfManagement = plan.items.contains { $0.section == .homeProgram && SelfManagementRules.rules.contains($0.rule) }
        if spots.isEmpty {
            return selfManagement ? "What to do at home, as we went through at your visit." : "Self-release of the trigger points we treated."
        }
        return "Self-release of the trigger points we treated" + (selfManagement ? ", and what else to do at home." : ".")
            + " The numbers match the marks on the body chart."
    }

    /// The first line of a referral's reason, cut at 200 characters.
    private static func shortened(_ reason: String) -> String {
        let line = reason.split(whereSeparator: \.isNewline).first.map(String.init)?
            .trimmingCharacters(in: .whitespaces) ?? ""
        return line.count > 200 ? String(line.prefix(199)) + "…" : line
    }

    private static func findings(_ visit: Visit, corrections: [AmendedVisit.Correction]) -> [Entry] {
        var entries = findings(visit, marking: corrections)
        // The footnote: every value corrected after signing, with the signed one and the date.
        for c in corrections {
            entries.append(Entry(label: "Amended after signing",
                                 text: "\(c.field.label): \(c.value.isEmpty ? "–" : c.value)" + AmendedVisit.mark(c), amendment: .note))
        }
        return entries
    }

    private static func findings(_ visit: Visit, marking corrections: [AmendedVisit.Correction]) -> [Entry] {
        var entries: [Entry] = []
        func mark(_ attribute: String) -> String {
            corrections.first { $0.field.entry == nil && $0.field.attribute == attribute }.map(AmendedVisit.mark) ?? ""
        }
        if let c = visit.complaint?.trimmingCharacters(in: .whitespacesAndNewlines), !c.isEmpty {
            entries.append(Entry(label: "Complaint", text: c))
        }
        let pain = [("now", visit.pain.now), ("best", visit.pain.best), ("worst", visit.pain.worst)]
            .compactMap { name, score in score.map { "\(name) \($0.value)/10" + mark("pain.\(name)") } }
        let painAmended = ["pain.now", "pain.best", "pain.worst"].contains { !mark($0).isEmpty }
        if !pain.isEmpty { entries.append(Entry(label: "Pain (NPRS)", text: pain.joined(separator: ", "), amendment: painAmended ? .marked : nil)) }
        if !visit.psfs.isEmpty {
            entries.append(Entry(label: "PSFS", text: visit.psfs.map { "\($0.activity) \($0.score.value)/10" }.joined(separator: "; ")))
        }
        for finding in visit.triggerPoints {
            var signs = [finding.activity == .active ? "active" : "latent"]
            if finding.tautBand { signs.append("taut band") }
            if finding.localTwitchResponse { signs.append("local twitch response") }
            if finding.referredPainReproduced { signs.append("referred pain reproduced") }
            if let t = finding.tenderness { signs.append("tenderness \(t.value)/10") }
            if let ppt = finding.pressurePainThreshold {
                signs.append("PPT \(ClinicWording.number(ppt.value.value)) kg/cm² (\(ClinicWording.number(ppt.probeSizeCm2)) cm² probe)")
            }
            var text = ClinicWording.muscleAndSide(finding.muscleID, finding.side)
            if let loc = finding.location { text += " (\(loc))" }
            text += ": " + signs.joined(separator: ", ")
            entries.append(Entry(label: "Trigger point", text: text))
        }
        let causes = Array(Set(visit.triggerPoints.flatMap(\.likelyCauses)))
            .sorted { LikelyCause.allCases.firstIndex(of: $0)! < LikelyCause.allCases.firstIndex(of: $1)! }
        if !causes.isEmpty || visit.likelyCauseNotes != nil {
            var text = causes.map { $0.rawValue.replacingOccurrences(of: "-", with: " ") }.joined(separator: ", ")
            if let notes = visit.likelyCauseNotes?.trimmingCharacters(in: .whitespacesAndNewlines), !notes.isEmpty {
                text += text.isEmpty ? notes : "; \(notes)"
            }
            if !text.isEmpty { entries.append(Entry(label: "Likely causes", text: text)) }
        }
        let measures = visit.biomechanics.map { b in
            var text = b.measure.summary
            if let side = ClinicWording.sideWord(b.side) { text += ", \(side)" }
            if let notes = b.notes?.trimmingCharacters(in: .whitespacesAndNewlines), !notes.isEmpty { text += " (\(notes))" }
            return text
        }
        if !measures.isEmpty { entries.append(Entry(label: "Biomechanics", text: measures.joined(separator: "; "))) }
        if entries.isEmpty { entries.append(Entry(text: "No findings recorded.")) }
        return entries
    }

    private static func treatment(_ visit: Visit) -> [Entry] {
        var entries: [Entry] = []
        for n in visit.needling {
            var parts = ["\(n.needlesInserted) needle\(n.needlesInserted == 1 ? "" : "s") \(n.needle.size)"]
            switch n.technique {
            case .staticInSitu: parts.append("static" + (n.timeInSitu.map { " \($0.value) s in situ" } ?? ""))
            case .pistoning: parts.append("pistoning")
            case .electricalStimulation(let settings): parts.append("electrical stimulation (\(settings))")
            }
            if let d = n.depth { parts.append("depth \(ClinicWording.number(d.value)) mm") }
            if n.twitchResponses > 0 {
                parts.append("\(n.twitchResponses) local twitch response\(n.twitchResponses == 1 ? "" : "s")")
            }
            if let r = n.patientResponse?.trimmingCharacters(in: .whitespacesAndNewlines), !r.isEmpty { parts.append(r) }
            entries.append(Entry(label: "Dry needling",
                                 text: ClinicWording.muscleAndSide(n.muscleID, n.side) + ": " + parts.joined(separator: ", ")))
        }
        if !visit.needling.isEmpty {
            let events = visit.needling.flatMap { n in
                n.adverseEvents.map { e in
                    "\(e.kind.rawValue.replacingOccurrences(of: "-", with: " ")) (\(e.severity.rawValue), \(ClinicWording.muscleAndSideInline(n.muscleID, n.side)))"
                        + (e.action.map { ": \($0)" } ?? "")
                }
            }
            entries.append(Entry(label: "Adverse events", text: events.isEmpty ? "none" : events.joined(separator: "; ")))
        }
        for t in visit.treatments {
            var text = kindName(t.kind)
            if let m = t.muscleID { text += ", " + ClinicWording.muscleAndSideInline(m, t.side) }
            if let h = t.holdTime {
                text += ", \(h.value) s" + (t.cycles.map { " x \($0)" } ?? "")
            } else if let c = t.cycles {
                text += ", \(c) cycle\(c == 1 ? "" : "s")"
            }
            if let notes = t.notes?.trimmingCharacters(in: .whitespacesAndNewlines), !notes.isEmpty { text += " (\(notes))" }
            entries.append(Entry(label: "Treatment", text: text))
        }
        if entries.isEmpty { entries.append(Entry(text: "No treatment recorded.")) }
        return entries
    }

    private static func kindName(_ kind: Treatment.Kind) -> String {
        switch kind {
        case .ischaemicCompression: "Ischaemic compression"
        case .pressureRelease: "Trigger point pressure release"
        case .stretching: "Stretching"
        case .massageBallInstruction: "Home program taught (massage ball or thumb)"
        case .dryNeedling: "Dry needling"
        case .exercise: "Exercise"
        case .education: "Education"
        case .other: "Other"
        }
    }

    /// The plan's outcome items worded for a referrer: a rule's item from the trend it was built
    /// from (with the MCID), an item the practitioner wrote as written.
    private static func outcomeEntries(_ plan: FollowUpPlan, _ ctx: PlanContext) -> [Entry] {
        let trends = ctx.outcomeTrends
        return plan.items.filter { $0.section == .outcomes }.map { item in
            if let trend = trends.first(where: { PlanRule.outcome($0.scale) == item.rule }) {
                return Entry(text: OutcomeRules.clinicalSummary(trend))
            }
            return Entry(text: item.text)
        }
    }

    private static func planEntries(_ plan: FollowUpPlan, spots: [HomeProgramSpot], ctx: PlanContext) -> [Entry] {
        var entries: [Entry] = []
        if !spots.isEmpty {
            let list = spots.map { "\($0.number) \(ClinicWording.muscleAndSideInline($0.muscleID, $0.side))" }
            entries.append(Entry(label: "Home program",
                                 text: "self-release with a massage ball or thumb on the spot, holds from under 15 s building towards 30-90 s, for: " + list.joined(separator: "; ") + "."))
        }
        let handAddedHome = plan.items.filter {
            $0.section == .homeProgram && $0.muscleID == nil && !SelfManagementRules.rules.contains($0.rule)
        }
        if plan.items.contains(where: { SelfManagementRules.rules.contains($0.rule) }) {
            entries.append(Entry(label: "Self-management",
                                 text: "the exercises and advice given at the visit are written into the patient's home program."))
        }
        entries += handAddedHome.map { Entry(label: "Home program", text: $0.text) }
        let withheld = plan.items.filter { $0.rule == PlanRule.adverseEventNoSelfRelease }
        if !withheld.isEmpty {
            let sites = withheld.compactMap { item in item.muscleID.map { ClinicWording.muscleAndSideInline($0, item.side) } }
            entries.append(Entry(label: "Adverse event",
                                 text: "no self-release at the " + ClinicWording.list(sites) + " until reviewed; the patient was told what happened, what to watch for and when to call \(ctx.emergencyNumber)"
                                    + (plan.reviewDate.map { "; review brought forward to \(ClinicWording.longDate($0))." } ?? ".")))
        }
        if plan.items.contains(where: { $0.section == .afterNeedling }) {
            entries.append(Entry(label: "After needling", text: "advice on expected soreness (24-48 h), bruising and when to call."))
        }
        let flags = plan.items.filter { $0.section == .redFlags }
        if !flags.isEmpty {
            var named: [String] = []
            if flags.contains(where: { $0.rule == PlanRule.redFlagInfection }) { named.append("infection at a needle site") }
            if flags.contains(where: { $0.rule == PlanRule.redFlagPneumothorax }) {
                named.append("pneumothorax (needling over the lung fields)")
            }
            let watched = flags.filter { $0.rule == PlanRule.adverseEventWatchFor }.count
            if watched > 0 { named.append(watched == 1 ? "the warning signs after today's adverse event" : "the warning signs after today's adverse events") }
            let others = flags.count - named.count
            if others > 0 { named.append(others == 1 ? "1 other" : "\(others) others") }
            entries.append(Entry(label: "Red flags", text: "explained, with urgent care for " + ClinicWording.list(named) + "."))
        }
        for item in plan.items where item.section == .biomechanics { entries.append(Entry(label: "Biomechanics", text: item.text)) }
        for item in plan.items where item.section == .activity { entries.append(Entry(label: "Activity", text: item.text)) }
        for item in plan.items where item.section == .other { entries.append(Entry(label: "Other", text: item.text)) }
        if entries.isEmpty { entries.append(Entry(text: "No further plan recorded.")) }
        return entries
    }
}
