import Foundation
import ClinicModel
internal import ClinicStore
import ClinicXML
import FollowUpPlans

/// How a plan is rendered.
public enum PlanFormat: String, Sendable, CaseIterable { case text, html, xml }

/// A change the practitioner makes to a plan before it is final.
public enum PlanEdit: Sendable {
    /// Add an item to a section.
    case add(section: FollowUpPlan.Item.Section, text: String)
    /// 1-based item number as printed.
    case remove(Int)
    /// Replace the text of item N (1-based, as printed).
    case reword(Int, String)
}

/// A rendered plan and the version it came from.
public struct RenderedPlan: Sendable {
    /// The plan as rendered (with its id when stored).
    public var plan: FollowUpPlan
    /// True when this call stored a new version.
    public var stored: Bool
    /// The plan as text, HTML or XML.
    public var output: String
    /// What the practitioner should know before giving it out (the clinic's emergency number
    /// not known, so the red flags say "your local emergency number"); never part of the plan.
    public var warnings: [String] = []
}

extension ClinicSession {
    /// The plan for a signed visit: the latest stored version, or one built by the rules; with
    /// the practitioner's edits applied; stored as a new version when `save` or `final`.
    public func plan(visitID: Int64, edits: [PlanEdit] = [], save: Bool = false, final: Bool = false, rebuild: Bool = false,
                     format: PlanFormat = .text, audience: PlanAudience = .patient, clinicName: String? = nil,
                     rules: ReviewRules? = nil, today: LocalDate = .today()) throws -> RenderedPlan {
        try authorize(.viewPlan)
        if save || final || !edits.isEmpty { try authorize(.changePlan) }
        return try database.write { tx in
            let inputs = try Self.planInputs(tx, visitID: visitID, clinicName: clinicName, rules: rules, today: today)
            let (ctx, patient, visit, practitioner, clinic) = (inputs.context, inputs.context.patient, inputs.context.visit,
                                                             inputs.context.practitioner, inputs.clinic)
            let reviewRules = inputs.rules
            let storedPlans = try tx.plans(visitID: visitID)
            var plan = (!rebuild ? storedPlans.last : nil) ?? PlanBuilder.build(ctx, rules: reviewRules)
            if !edits.isEmpty {
                if plan.status == .final && !(save || final) {
                    throw ServiceError.refused(action: "edit the plan", reasons: ["version \(plan.version) is final; add --save or --final to make a new version"])
                }
                for edit in edits {
                    switch edit {
                    case .add(let section, let text): plan.items.append(.init(section: section, text: text))
                    case .remove(let n):
                        guard plan.items.indices.contains(n - 1) else { throw ServiceError.input("the plan has no item \(n)") }
                        plan.items.remove(at: n - 1)
                    case .reword(let n, let text):
                        guard plan.items.indices.contains(n - 1) else { throw ServiceError.input("the plan has no item \(n)") }
                        plan.items[n - 1].text = text
                    }
                }
            }
            var stored = false
            if save || final {
                plan.status = final ? .final : .draft
                plan.createdAt = Date()
                plan = try tx.insertPlan(plan, actor: actor)
                stored = true
            }
            let output: String
            switch format {
            case .text: output = PlanTextRenderer.render(plan, context: ctx, audience: audience)
            case .html: output = PlanHTMLRenderer.render(plan, context: ctx, audience: audience)
            case .xml:
                let data = try PlanXMLWriter.write(plan: plan, patient: patient, visit: visit, practitioner: practitioner,
                                                   sessionsRemaining: ctx.sessionsRemaining, clinic: clinic)
                output = String(decoding: data, as: UTF8.self)
            }
            try tx.appendAudit(AuditEvent(actor: actor, action: stored ? .create : .view, entity: "plan", entityID: plan.id,
                                          patientID: patient.id, detail: "\(format.rawValue) for \(audience.rawValue)"))
            var warnings: [String] = []
            if clinic.emergencyNumber == nil {
                warnings.append("the clinic's emergency number is not set (no country, and its time zone names none), so the"
                                + " red flags say \"call \(ClinicProfile.localEmergencyNumber)\"; an administrator sets it with"
                                + " knot clinic set --country CODE (or --emergency-number N)")
            }
            return RenderedPlan(plan: plan, stored: stored, output: output, warnings: warnings)
        }
    }

    /// Patients whose review is due by `date`, with the referral's sessions left.
    ///
    /// `date` only filters (`knot reviews --due-by`): "overdue" and "due in" always count from
    /// `today`, the clinic's date, and the referral is the one current today.
    public func reviewsDue(by date: LocalDate, today: LocalDate = .today()) throws -> [ReviewDue] {
        try authorize(.recallList)
        return try database.read { tx in
            try tx.reviewsDue(by: date).map { row in
                let referral = try tx.referralStatuses(patientID: row.patient.id).first { $0.isCurrent(on: today) }
                let days = today.days(until: row.reviewDate)
                return ReviewDue(patient: row.patient, reviewDate: row.reviewDate, visitID: row.visitID,
                                 overdueDays: max(0, -days), dueInDays: max(0, days), sessionsLeft: referral?.sessionsLeft,
                                 referralExpires: referral?.referral.expiresOn)
            }
        }
    }
}

/// One line of the recall list.
public struct ReviewDue: Sendable, Codable {
    /// The patient due for review.
    public var patient: PatientSummary
    /// The review date.
    public var reviewDate: LocalDate
    /// The visit whose plan set the date.
    public var visitID: Int64
    /// Days past the review date, counted from today (0 when due today or later).
    public var overdueDays: Int
    /// Days until the review date, counted from today (0 when due today or overdue).
    public var dueInDays: Int
    /// Sessions left on the referral, when it limits them.
    public var sessionsLeft: Int?
    /// When the referral expires, when it does.
    public var referralExpires: LocalDate?
}

/// What a plan for one signed visit is built and rendered from, read as `knot plan` reads it.
package struct PlanInputs: Sendable {
    /// The visit as amended, its patient's story, referral, practitioner and clinic.
    package var context: PlanContext
    /// The clinic's review rules (or the ones asked for).
    package var rules: ReviewRules
    /// The clinic's stored details (renamed for one document when asked).
    package var clinic: ClinicProfile
}

extension ClinicSession {
    /// Reads everything a plan for the signed visit `visitID` needs, in the caller's transaction:
    /// the visit as amended (with the corrections marked), the patient's other visits as amended,
    /// the referral it falls under with the sessions used, the clinic's details, logo, letter
    /// templates and review rules. `knot plan`, the front end and the demo clinic all build their
    /// plans from this, so a demo plan is exactly what `PlanBuilder` makes of the visit.
    package static func planInputs(_ tx: any ClinicRecordReader, visitID: Int64, clinicName: String? = nil,
                                   rules: ReviewRules? = nil, today: LocalDate) throws -> PlanInputs {
        guard let signed = try tx.visit(id: visitID) else { throw ServiceError.notFound("no visit \(visitID)") }
        // Plans and letters read the visit as amended, and say which values were corrected.
        let amended = signed.applying(try tx.amendments(visitID: visitID))
        let visit = amended.visit
        guard visit.status == .signed else {
            throw ServiceError.refused(action: "make a plan for visit \(visitID)", reasons: ["the visit is a draft: sign it first (knot visit sign \(visitID))"])
        }
        guard let patient = try tx.patient(id: visit.patientID),
              let practitioner = try tx.practitioner(id: visit.practitionerID) else { throw ServiceError.notFound("visit \(visitID) has no patient") }
        let history = try tx.visits(patientID: patient.id!).map { other in
            other.id == visitID ? visit : other.applying(try tx.amendments(visitID: other.id!)).visit
        }
        let statuses = try tx.referralStatuses(patientID: patient.id!)
        let status = visit.referralID.flatMap { rid in statuses.first { $0.referral.id == rid } }
        // The clinic's stored details, name, emergency number and open days; `clinicName`
        // renames it on this one document only.
        var clinic = try tx.clinicProfile()
        if let clinicName, !clinicName.trimmingCharacters(in: .whitespaces).isEmpty { clinic.name = clinicName }
        let reviewRules = try rules ?? Self.storedReviewRules(tx)
        var ctx = PlanContext(patient: patient, visit: visit, history: history, referral: status?.referral,
                              sessionsUsed: status?.sessionsUsed ?? 0, practitioner: practitioner, clinic: clinic, today: today,
                              corrections: amended.corrections)
        ctx.clinicLogo = try tx.clinicLogo().map { "data:\($0.type);base64,\($0.base64)" }
        ctx.templates = try Self.letterTemplates(tx)
        return PlanInputs(context: ctx, rules: reviewRules, clinic: clinic)
    }
}
