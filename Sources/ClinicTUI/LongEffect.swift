import ClinicServices

/// An effect that can take long on a big clinic or a big file (over about 100 ms: a search of
/// 10,000 patients, a chart with many visits, a letter's dry run, filing a letter), so it is
/// done off the input loop (`App`, `BackgroundWork`): keys are still handled and a progress
/// line says what is being done.
struct LongEffect: Sendable, Hashable {
    /// One job runs per lane. A newer search replaces the one running (the last text typed
    /// wins); any other request asked while a job of its lane runs is refused in words (the
    /// user asks again), or queued when it follows from a result rather than a key.
    enum Lane: String, Sendable, Hashable {
        case search
        case work
    }

    /// What the progress line says is being done: "Opening the chart".
    var doing: String
    /// True for a write: Esc does not stop it, because a write that has started completes or
    /// rolls back whole (one transaction). A read stops at Esc and changes nothing.
    var writes: Bool
    var lane: Lane

    static func read(_ doing: String, lane: Lane = .work) -> LongEffect {
        LongEffect(doing: doing, writes: false, lane: lane)
    }

    static func write(_ doing: String) -> LongEffect {
        LongEffect(doing: doing, writes: true, lane: .work)
    }

    /// The progress line: what is being done and what Esc does about it.
    var progressLine: String {
        if writes { return "\(doing)… (a write: it completes or rolls back whole)" }
        // A newer search replaces the one running; Esc on the list clears the search.
        return lane == .search ? "\(doing)…" : "\(doing)… Esc stops it (a read: nothing is changed)"
    }
}

extension Effect {
    /// Whether the effect can take long (then how it is shown), declared by each effect: an
    /// exhaustive switch, so a new effect cannot be added without saying which it is.
    ///
    /// Measured in the effect runner on a synthetic clinic of 10,000 patients with 5 visits each
    /// (debug build, a loaded machine): the recall list about 1 s, a 9 MB letter's dry run 12 s
    /// and its import 6.5 s, the inbox as long as its letters; a first search up to 50 ms and a
    /// chart 36 ms, both growing with the clinic and the chart's visits. A visit, a plan stored,
    /// an audit page (1,000 rows at most), a patient saved, settings: 1-8 ms.
    var runsLong: LongEffect? {
        switch self {
        // A full-text search, or the first page of all patients, on a big clinic.
        case .searchPatients: .read("Searching", lane: .search)
        // Every visit's line, alerts and outcome trend, and the newest visit in full.
        case .openChart: .read("Opening the chart")
        // Every patient's current referral and review date.
        case .loadRecall: .read("Loading the recall list")
        // Every letter's dry run (reported as it goes, see `EffectPerformer.longWork`).
        case .loadInbox: .read("Checking the inbox")
        // A dry run of one file (up to the import's size cap) with the patient matching.
        case .previewLetter: .read("Reading the letter")
        // The rules' plan over the patient's visit history and outcome measures.
        case .loadPlan: .read("Writing the plan preview")
        case .loadDemo: .write("Loading the demo clinic")
        // Reads the whole file again, then writes it in one transaction.
        case .importLetter: .write("Importing the letter")
        case .fileLetter: .write("Filing the letter")
        // One visit's, one patient's or one page's rows: quick on any size of clinic.
        case .checkFirstRun, .openVisit, .loadAudit, .saveDraft, .openDraft, .loadVisitProgress, .recordSafety,
             .addTriggerPoint, .addNeedling, .setNeedlesRemoved, .signVisit, .stopCheckingInbox, .stopWork,
             .storeFinalPlan, .savePatient, .amendVisit, .setAlertStatus, .addAlert, .reloadDraft, .overwriteDraft,
             .addBiomechanical, .addTreatment, .editTriggerPoint, .editBiomechanical, .editTreatment, .editNeedling,
             .strikeEntry, .strikeSafety, .saveFormDraft, .loadFormDraft, .discardFormDraft, .loadSettings,
             .saveSettings, .setImpression, .addOutcome:
            nil
        }
    }
}

/// How the front end answers around long work: it started, it ended, Esc stopped it, or a
/// second request came while it ran.
enum LongWorkflow {
    static func update(_ state: AppState, _ command: Intent) -> (AppState, [Effect])? {
        guard case .stopWork = command else { return nil }
        var s = state
        guard let work = s.working[.work] else { return (s, []) }
        if work.writes {
            s.message = StatusMessage(kind: .info, text: "Still \(work.doing.lowercasedFirst): a write completes or rolls back whole, so it is not stopped; it ends on its own.")
            return (s, [])
        }
        s.working[.work] = nil
        s.message = StatusMessage(kind: .info, text: "Stopped \(work.doing.lowercasedFirst): it was a read, nothing was changed.")
        return (s, [.stopWork(.work)])
    }

    /// Results about long work; `workDone` is unwrapped by `Update.update` (the result inside
    /// goes through everything an effect's result goes through).
    static func update(_ state: AppState, _ result: EffectResult) -> (AppState, [Effect])? {
        var s = state
        switch result {
        case .workStarted(let work):
            s.working[work.lane] = work
            return (s, [])
        case .workRefused(let asked, let busy):
            s.message = StatusMessage(kind: .error, text: "Not started: \(asked.doing.lowercasedFirst), because \(busy.doing.lowercasedFirst) is still going on. "
                                      + (busy.writes ? "Wait for it, then ask again." : "Wait for it or press Esc to stop it, then ask again."))
            return (s, [])
        case .workQueued(let asked, let busy):
            // After what the result itself said ("Registered …"), which stays.
            let queued = "Queued: \(asked.doing.lowercasedFirst), once \(busy.doing.lowercasedFirst) is done."
            s.message = StatusMessage(kind: s.message?.kind ?? .info, text: [s.message?.text, queued].compactMap { $0 }.joined(separator: " "))
            return (s, [])
        case .workStopped:
            return (s, [])
        default:
            return nil
        }
    }
}

extension String {
    /// "Opening the chart" → "opening the chart", for the middle of a sentence.
    var lowercasedFirst: String {
        guard let first else { return self }
        return first.lowercased() + dropFirst()
    }
}
