import ClinicModel

/// The pain trend (`PainTrend`, ClinicModel) in the words of a plan and a letter.
///
/// Practitioners and referrers watch the trend rather than one score; a change of about 2 NPRS
/// points (the minimal clinically important difference, `ClinicalImportance`) is one patients
/// notice, so the words say whether the first-to-latest change reaches it.
extension PainTrend {
    /// The trend over the context's visits so far (signed visits and this one).
    public init(_ ctx: PlanContext) { self.init(visits: ctx.visitsSoFar) }

    /// For a referrer: "NPRS 7 (1 June 2026) to 4 (7 July 2026) over 3 visits: down 3 points,
    /// beyond the 2-point minimal clinically important difference."
    var clinicalSummary: String {
        guard let f = first, let l = latest else { return "No pain scores recorded." }
        guard let change, points.count >= 2 else {
            return "NPRS \(f.nprs)/10 on \(ClinicWording.date(f.date)); no earlier score to compare."
        }
        let span = "NPRS \(f.nprs) (\(ClinicWording.date(f.date))) to \(l.nprs) (\(ClinicWording.date(l.date))) over \(points.count) visits"
        let amount = abs(change) == 1 ? "1 point" : "\(abs(change)) points"
        switch direction {
        case .better?, .worse?:
            let way = change < 0 ? "down" : "up"
            let mcid = reachesMCID
                ? "reaching the \(Self.mcid)-point minimal clinically important difference"
                : "within the \(Self.mcid)-point minimal clinically important difference"
            return "\(span): \(way) \(amount), \(mcid)."
        default:
            return "\(span): unchanged."
        }
    }

    /// For a patient: "Down 3 points since your first visit: a change people notice."
    var patientSummary: String {
        guard latest != nil else { return "No pain scores recorded yet." }
        guard let change else { return "This is your first pain score: we will track it at each visit." }
        let amount = abs(change) == 1 ? "1 point" : "\(abs(change)) points"
        switch direction {
        case .better?:
            return reachesMCID
                ? "Down \(amount) since your first visit: a change people really notice."
                : "Down \(amount) since your first visit."
        case .worse?:
            return "Up \(amount) since your first visit: we will look at why at your review."
        default:
            return "About the same as at your first visit."
        }
    }
}
