import ClinicModel

/// Rules `outcome.*`: each region outcome measure over the visits so far, in words, with the
/// scale's minimal clinically important difference (`ClinicalImportance`).
///
/// The plan item speaks to the patient; the referrer letter words the same trend clinically
/// (`clinicalSummary`), so both say whether the change is one that matters.
enum OutcomeRules {
    static func items(for ctx: PlanContext) -> [FollowUpPlan.Item] {
        ctx.outcomeTrends.filter { trend in
            // Only scales completed at this visit: an old score alone is not today's progress.
            trend.points.last?.date == ctx.visit.date
        }.map { FollowUpPlan.Item(section: .outcomes, text: patientSummary($0), rule: PlanRule.outcome($0.scale)) }
    }

    /// "Your leg function score (LEFS) went from 40/80 to 52/80 since your first visit: better by
    /// 12 points, at least the 9 points that make a difference people notice."
    static func patientSummary(_ trend: OutcomeTrend) -> String {
        let s = trend.scale
        guard let f = trend.points.first, let l = trend.points.last, let change = trend.change else {
            return "Your \(s.plainName) today: \(s.format(trend.points.last?.score ?? 0)). We will ask again at later visits to measure your progress."
        }
        let went = "Your \(s.plainName) went from \(s.format(f.score)) to \(s.format(l.score)) since \(ClinicWording.date(f.date))"
        let mcid = s.formatChange(s.mcid)
        switch change.direction {
        case .unchanged:
            return went.replacingOccurrences(of: "went from \(s.format(f.score)) to", with: "is still") + "."
        case .better:
            return change.reachesMCID
                ? "\(went): better by \(s.formatChange(change.difference)), at least the \(mcid) that make a difference people notice."
                : "\(went): better by \(s.formatChange(change.difference)), a start; \(mcid) is the change people usually notice."
        case .worse:
            return "\(went): worse by \(s.formatChange(change.difference)); we will look at why at your review."
        }
    }

    /// For a referrer: "LEFS 40/80 (1 June 2026) to 52/80 (7 July 2026) over 3 visits: 12 points
    /// better, an improvement larger than the smallest that matters (MCID 9 points)."
    static func clinicalSummary(_ trend: OutcomeTrend) -> String {
        let s = trend.scale
        guard let f = trend.points.first, let l = trend.points.last, let change = trend.change else {
            let only = trend.points.last
            return "\(s.name) \(s.format(only?.score ?? 0))" + (only.map { " (\(ClinicWording.date($0.date)))" } ?? "") + ": baseline, no earlier score to compare."
        }
        let span = "\(s.name) \(s.format(f.score)) (\(ClinicWording.date(f.date))) to \(s.format(l.score)) (\(ClinicWording.date(l.date))) over \(trend.points.count) visits"
        let mcid = "(MCID \(s.formatChange(s.mcid)))"
        let compared = switch change.size {
        case .larger: "larger than"
        case .asLarge: "as large as"
        case .smaller: "smaller than"
        }
        switch change.direction {
        case .unchanged:
            return "\(span): unchanged \(mcid)."
        case .better:
            return "\(span): \(s.formatChange(change.difference)) better, an improvement \(compared) the smallest that matters \(mcid)."
        case .worse:
            return "\(span): \(s.formatChange(change.difference)) worse, a deterioration \(compared) the smallest that matters \(mcid)."
        }
    }
}
