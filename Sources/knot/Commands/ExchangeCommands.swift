import ArgumentParser
import Foundation
import Synchronization
import ClinicModel
import ClinicServices
import FollowUpPlans

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import referral letters (Knot format, HL7 CDA, HL7 FHIR R4 XML) and clinic exports; each file all or nothing.",
        discussion: "Files or folders (every .xml in a folder). Re-importing a file is a reported no-op. A clinic export must be signed by a key this clinic trusts (or given --untrusted). Try: knot import --untrusted Import/")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Files or folders to import.", completion: .file(extensions: ["xml"])) var paths: [String]
    @Option(parsing: .unconditional, help: "Largest file accepted, in MB (1-1024).", transform: Bounded(1...1024, "MB").parse) var maxMb: Int = 64
    @Option(help: "Also validate CDA documents against this full CDA schema (XSD).", completion: .file(extensions: ["xsd"])) var schema: String?
    @Flag(help: "Check everything, write nothing.") var dryRun = false
    @Flag(help: "Refuse a CDA letter that breaks Knot's CDA profile anywhere; without it, a problem in a header element Knot can do without (never in the patient or the body) leaves that element out, with a warning each.")
    var strict = false
    @Option(help: "Letters filed per transaction, each still all or nothing (a crash loses at most the batch being written; import again to complete it). 1: one transaction per letter. 1-100000.",
            transform: Bounded(1...100_000).parse)
    var batch: Int = ClinicSession.defaultImportBatch
    @Flag(help: "Import a clinic export that is unsigned or signed by a key this clinic does not trust (see `knot clinic trust`), marked so in the audit trail. A forged signature is refused always.")
    var untrusted = false
    @OptionGroup var output: OutputOptions

    func run() throws {
        let session = try global.session()
        // Refused (77) before anything is printed when the user may not import these files.
        let listing = try session.authorizeImport(ClinicSession.importListing(paths))
        var extra: Data?
        if let schema {
            guard let d = FileManager.default.contents(atPath: schema) else { throw ServiceError.input("\(schema): cannot read the schema") }
            extra = d
        }
        var options: ImportOptions
        do { options = try ImportOptions(maxBytes: maxMb * 1024 * 1024, extraCDASchema: extra, dryRun: dryRun) } catch {
            throw KnotCommandError("--schema \(schema ?? ""): the schema does not compile: \(error)", .badInput)
        }
        options.untrusted = untrusted
        options.strict = strict
        let records = PatientCount("importing a clinic export", json: output.json)
        if records.enabled { options.recordsProgress = { records.update($0) } }
        let progress = Progress(total: listing.files.count, enabled: !output.json && isatty(2) == 1 && listing.files.count > 20)
        // Checked file by file, in order: a clinic export into an empty database brings the
        // accounts that the letters after it are then filed by. Letters are read on every core
        // and filed --batch to a transaction, each all or nothing; a failed write (disk full)
        // stops the import, the files after it reported not filed.
        let run = session.importAll(listing, options: options, batchSize: batch, progress: progress.update)
        let outcomes = run.outcomes
        let forbidden = run.forbidden
        // One line ends the progress shown: the files' bar (which draws over the count), else the count.
        if progress.enabled { progress.finish() } else { records.finish() }
        if output.json {
            try Console.printJSON(outcomes)
        } else {
            for o in outcomes {
                let label = o.status.label.uppercased()
                // A file name is one line, whatever it holds: a crafted name cannot forge report lines.
                Console.print("\(label.count < 8 ? label.padding(toLength: 8, withPad: " ", startingAt: 0) : label) \(Console.oneLine(o.file))" + (o.format.map { " [\($0)]" } ?? ""))
                let detail = Console.quotingOneLine(o.detail, names: [o.file, (o.file as NSString).lastPathComponent])
                for line in detail.split(separator: "\n") { Console.print("         \(line)") }
                for c in o.candidates { Console.print("         candidate: \(c.recordNumber) \(c.name), born \(c.dateOfBirth)") }
                for w in o.warnings { Console.print("         warning: \(w)") }
            }
            let count = { (s: ImportOutcome.Status) in outcomes.filter { $0.status == s }.count }
            Console.print("\(listing.files.count) file(s): \(count(.created)) created, \(count(.matched)) matched, \(count(.skipped)) skipped, \(count(.conflict)) conflict(s), \(count(.rejected)) rejected"
                          + (count(.notFiled) > 0 ? ", \(count(.notFiled)) not filed." : "."))
        }
        let notFiled = outcomes.filter { $0.status == .notFiled }.count
        if notFiled > 0 {
            throw KnotCommandError("disk full: the database could not be written, so the import stopped; \(notFiled) file(s) not filed"
                                   + " (nothing of them was written). Free space and run the same import again: files already filed are skipped.",
                                   .io)
        }
        if let forbidden { throw forbidden }
        // Each file's outcome is printed above; the exit code says the worst of them.
        if outcomes.contains(where: { $0.status == .rejected }) { throw KnotCommandError.silent(.badInput) }
        if outcomes.contains(where: { $0.status == .conflict }) { throw KnotCommandError.silent(.refused) }
    }
}

/// A one-line progress bar on stderr for long imports.
final class Progress {
    let total: Int
    let enabled: Bool
    init(total: Int, enabled: Bool) { self.total = total; self.enabled = enabled }
    func update(_ done: Int) {
        guard enabled, total > 0 else { return }
        let width = 30
        let filled = done * width / total
        // "\r" and erase to the end of the line: a whole-clinic export's count may be there.
        FileHandle.standardError.write(Data("\r\u{1B}[K[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(done)/\(total)".utf8))
    }
    func finish() { if enabled { FileHandle.standardError.write(Data("\n".utf8)) } }
}

/// A one-line count on stderr while a whole clinic is exported or imported (minutes for
/// 100,000 patients), redrawn at most every 1,000 patients (or audit events), at each new stage
/// of an import and at the end; only on a terminal.
final class PatientCount: Sendable {
    let label: String
    let enabled: Bool
    /// The count last drawn (-1: nothing yet) and the stage it was drawn in, and the latest state.
    private let state = Mutex((shown: -1, shownStage: 0, latest: RecordsProgress.patients(0), total: Int?.none))

    /// `label` names the work ("exporting"); shown only when stderr is a terminal and the
    /// output is not JSON.
    init(_ label: String, json: Bool) {
        self.label = label
        enabled = !json && isatty(2) == 1
    }

    /// `done` patients so far, of `total` when known.
    func update(_ done: Int, of total: Int? = nil) { update(.patients(done), of: total) }

    /// Where an import stands.
    func update(_ progress: RecordsProgress, of total: Int? = nil) {
        guard enabled else { return }
        let (stage, count) = Self.stage(progress)
        let due = state.withLock { s -> Bool in
            s.latest = progress
            s.total = total
            guard s.shown < 0 || stage != s.shownStage || count - s.shown >= 1_000 || count == total else { return false }
            (s.shown, s.shownStage) = (count, stage)
            return true
        }
        if due { draw(progress, of: total) }
    }

    /// Draws the final count and ends the line, when anything was shown.
    func finish() {
        guard enabled else { return }
        let last = state.withLock { s in s.shown < 0 ? nil : (s.latest, s.total) }
        guard let (progress, total) = last else { return }
        // The whole count, without the stage still under way when the work ended.
        switch progress {
        case .finishing(let patients, let events), .auditTrail(let patients, let events):
            draw(events > 0 ? .auditTrail(patients: patients, events: events) : .patients(patients), of: total, done: true)
        case .patients: draw(progress, of: total, done: true)
        }
        FileHandle.standardError.write(Data("\n".utf8))
    }

    /// The stage's number (patients, audit trail, finishing) and its count.
    private static func stage(_ progress: RecordsProgress) -> (Int, Int) {
        switch progress {
        case .patients(let n): (0, n)
        case .auditTrail(_, let events): (1, events)
        case .finishing: (2, 0)
        }
    }

    private func draw(_ progress: RecordsProgress, of total: Int?, done: Bool = false) {
        func patients(_ n: Int) -> String {
            total.map { "\(Self.grouped(n)) of \(Self.grouped($0)) patients" } ?? "\(Self.grouped(n)) \(n == 1 ? "patient" : "patients")"
        }
        func eventCount(_ n: Int) -> String { "\(Self.grouped(n)) \(n == 1 ? "event" : "events")" }
        let text = switch progress {
        case .patients(let n): patients(n)
        case .auditTrail(let n, let events):
            done ? "\(patients(n)), audit trail: \(eventCount(events))" : "\(patients(n)); audit trail: \(eventCount(events))"
        case .finishing(let n, let events):
            (events > 0 ? "\(patients(n)), audit trail: \(eventCount(events))" : patients(n)) + "; building the indexes and writing to the disk"
        }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(label): \(text)".utf8))
    }

    /// 12345 as "12,345" (Foundation's number format, fixed to one locale so logs compare).
    static func grouped(_ n: Int) -> String { n.formatted(.number.locale(Locale(identifier: "en_US"))) }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export clinic records as validated XML (urn:knot:records:1), streamed, file mode 0600.")
    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "The file to write (must not exist).", completion: .file(extensions: ["xml"])) var output: String
    @Option(help: "Only this patient (record number or id).") var patient: String?
    @Option(help: "Only patients changed or seen since this date (YYYY-MM-DD).", transform: ArgumentForm.date) var since: LocalDate?
    @Flag(help: "Leave the audit trail out.") var noAudit = false
    @OptionGroup var format: OutputOptions

    func run() throws {
        let count = PatientCount("exporting", json: format.json)
        let s = try global.session().export(to: output, patientKey: patient, since: since,
                                            includeAudit: !noAudit, progress: count.enabled ? { count.update($0, of: $1) } : nil)
        count.finish()
        if format.json { try Console.printJSON(s); return }
        for w in s.warnings { Console.warn("warning: \(w)") }
        Console.print("Exported \(s.patients) patient(s), \(s.visits) visit(s), \(s.practitioners) practitioner(s), \(s.auditEvents) audit event(s) to \(s.file) (\(s.bytes) bytes, validated).")
    }
}

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "The follow-up plan for a signed visit: preview, adjust, save, render.",
        discussion: """
        knot plan 12                                  preview the plan built from the record (text)
        knot plan 12 --remove 3 --add 'activity:Walk 20 min daily' --final   adjust and store as final
        knot plan 12 --format html --output plan.html --for referrer
        Sections for --add: \(FollowUpPlan.Item.Section.allCases.map(\.rawValue).joined(separator: ", ")).
        """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Visit id.", transform: Number.id) var visit: Int64
    @Option(help: "The plan's format.") var format: PlanFormat = .text
    @Option(name: .shortAndLong, help: "Write to this file (0600) instead of the terminal.") var output: String?
    @Option(name: .customLong("for"), help: "Who the plan is written for.") var audience: PlanAudience = .patient
    @Option(help: ArgumentHelp("Add an item as 'section:text'; sections: \(ArgumentForm.list(FollowUpPlan.Item.Section.self)).", valueName: "section:text"),
            transform: ArgumentForm.planItem) var add: [PlanEdit] = []
    @Option(help: "Remove item N (as numbered in the preview).", transform: Number.positive) var remove: [Int] = []
    @Option(help: ArgumentHelp("Reword item N as 'N=text'.", valueName: "N=text"), transform: ArgumentForm.planReword) var reword: [PlanEdit] = []
    @Flag(help: "Store as a draft version.") var save = false
    @Flag(name: .customLong("final"), help: "Store as the final version (part of the record and the export).") var isFinal = false
    @Flag(help: "Start again from the rules instead of the latest stored version.") var rebuild = false
    @Flag(help: "List the plan's items numbered (the numbers --remove and --reword take).") var items = false
    @Option(help: "Clinic name printed on this plan only (the clinic's own name is set once with knot clinic set --name).")
    var clinic: String?

    func run() throws {
        let f = format, who = audience
        var edits = add + reword
        for n in remove.sorted(by: >) { edits.append(.remove(n)) }
        let rendered = try global.session().plan(visitID: visit, edits: edits, save: save, final: isFinal, rebuild: rebuild,
                                                 format: f, audience: who, clinicName: clinic ?? ProcessInfo.processInfo.environment["KNOT_CLINIC_NAME"])
        if items {
            Console.print("Plan version \(rendered.plan.version) (\(rendered.plan.status.rawValue))" + (rendered.plan.reviewDate.map { ", review \($0)" } ?? ""))
            for (i, item) in rendered.plan.items.enumerated() {
                Console.print("\(String(i + 1).padding(toLength: 3, withPad: " ", startingAt: 0)) [\(item.section.rawValue)] \(item.text)")
            }
        } else if let output {
            if FileManager.default.fileExists(atPath: output) {
                throw FileWriteError(path: output, reason: "a file is already there; choose a new name", cannotCreate: true)
            }
            try PrivateFile.write(Data(rendered.output.utf8), to: output, replacing: false)
            Console.print("Wrote the \(who.rawValue) plan (\(f.rawValue), version \(rendered.plan.version) \(rendered.plan.status.rawValue)) to \(output).")
        } else {
            Console.print(rendered.output)
        }
        for warning in rendered.warnings { Console.warn("warning: \(warning)") }
        if rendered.stored { Console.warn("Stored plan version \(rendered.plan.version) (\(rendered.plan.status.rawValue)).") }
    }
}

struct ReviewsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reviews", abstract: "The recall list: patients whose review is due or overdue.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "List reviews due on or before this date (YYYY-MM-DD, default today); overdue and due-in still count from today.", transform: ArgumentForm.date) var dueBy: LocalDate?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let session = try global.session()
        let today = LocalDate.today()
        let date = dueBy ?? today
        let list = try session.reviewsDue(by: date, today: today)
        if output.json { try Console.printJSON(list); return }
        if list.isEmpty { Console.print("No reviews due by \(date)."); return }
        // --due-by only chooses who is listed; overdue and due-in count from today.
        Console.print(Console.table(["REVIEW", "DUE", "RECORD", "NAME", "PHONE", "SESSIONS LEFT", "REFERRAL EXPIRES"], list.map {
            [$0.reviewDate.description, $0.overdueDays > 0 ? "\($0.overdueDays) d overdue" : $0.dueInDays > 0 ? "in \($0.dueInDays) d" : "today",
             $0.patient.recordNumber, $0.patient.displayName,
             $0.patient.phone ?? "", $0.sessionsLeft.map(String.init) ?? "", $0.referralExpires?.description ?? ""]
        }))
    }
}

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "backup", abstract: "A consistent copy of the database (SQLite online backup, safe while others write), 0600.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The backup file to create (must not exist).", completion: .file()) var file: String
    func run() throws {
        try global.session(create: false).backup(to: file)
        Console.print("Backed up to \(file).")
    }
}

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restore", abstract: "Replace the database with a backup after checking it; the old one is kept aside.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The backup file.", completion: .file()) var file: String
    func run() throws {
        // Over a database that exists, only a clinic administrator of that database may restore.
        let aside: String
        if FileManager.default.fileExists(atPath: global.databasePath) {
            aside = try global.session(create: false).restore(backup: file, notice: global.openingNotice)
        } else {
            aside = try ClinicSession.restore(backup: file, over: global.databasePath, actor: OperatingSystemUser.current ?? "unknown",
                                              notice: global.openingNotice)
        }
        Console.print("Restored \(global.databasePath) from \(file)." + (aside.isEmpty ? "" : " The previous database is kept at \(aside)."))
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Integrity check, foreign keys and the audit chain.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    func run() throws {
        let r = try global.session(create: false).check()
        if output.json { try Console.printJSON(r) } else {
            Console.print("Database \(r.path): migrations \(r.migrations.joined(separator: ", "))")
            // What the store checked: SQLite's own checks, or PostgreSQL's catalogue (rules not validated, triggers off, indexes invalid).
            let checks = r.path.hasPrefix("postgres") ? "constraints, triggers, indexes" : "integrity_check, foreign_key_check"
            Console.print(r.integrityProblems.isEmpty ? "Integrity: ok (\(checks))" : "Integrity: PROBLEMS\n" + r.integrityProblems.map { "  - \($0)" }.joined(separator: "\n"))
            // The headline says what failed: the trail itself, the check (no usable key), or only records.
            let failed = switch r.auditFailure {
            case "records": "Audit trail: intact, \(r.auditEvents) event(s); RECORDS CHANGED outside Knot"
            case "unchecked": "Audit trail: NOT VERIFIED (its hash chain holds, but no keyed seal could be checked)"
            default: "Audit trail: BROKEN"
            }
            Console.print(r.auditProblem.map { "\(failed) — \($0)" } ?? "Audit trail: intact, \(r.auditEvents) event(s), head \(r.auditHeadHash)")
            for finding in r.tamperEvidence where finding != r.auditProblem { Console.print("  - \(finding)") }
            switch r.timeZone.map({ TimeZone(identifier: $0) }) {
            case .some(.some(let zone)): Console.print("Time zone: \(zone.identifier) (dates and times are shown in it)")
            case .some(.none): Console.print("Time zone: '\(r.timeZone ?? "")' is not a time zone; the machine's (\(TimeZone.current.identifier)) is used: knot clinic set --time-zone NAME")
            case .none: Console.print("Time zone: none set for the clinic; the machine's (\(TimeZone.current.identifier)) is used: knot clinic set --time-zone NAME")
            }
            for warning in r.accountWarnings { Console.print("Warning: " + warning) }
            if let oldest = r.unsavedForms.first {
                Console.print("Unsaved forms kept in the front end: \(r.unsavedForms.count) (oldest \(Console.dateTime(oldest.savedAt)), "
                              + "\(oldest.form) on \(oldest.slot) by \(oldest.practitioner)); they wait for their practitioner to save or discard them")
            }
        }
        if !r.ok { throw KnotCommandError.silent(.findings) }
    }
}

struct RetentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retention", abstract: "Records retention.", subcommands: [Report.self])
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Records past the retention period (adults 7 years after last contact, minors until 25); nothing is deleted.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            let items = try global.session().retentionReport()
            if output.json { try Console.printJSON(items); return }
            if items.isEmpty { Console.print("No records are past the retention period."); return }
            Console.print(Console.table(["RECORD", "NAME", "LAST CONTACT", "RETAIN UNTIL", "RULE"], items.map {
                [$0.patient.recordNumber, $0.patient.displayName, $0.lastContact?.description ?? "never seen", $0.retainUntil.description, $0.rule]
            }, maxWidth: 60))
        }
    }
}
