import Foundation

/// `knot-bench --postgres URL`: the same clinic work on SQLite and on PostgreSQL, side by side,
/// then the terminals phase on each (issue 20).
extension BenchDriver {
    /// Runs both; true when the terminals phase lost nothing, showed no error on PostgreSQL and
    /// left a chain that verifies on both stores.
    mutating func storesSideBySide(postgres: String, work: String) throws -> Bool {
        useOwnKeyFolder(work: work)
        let server = try BenchPostgres.describeServer(postgres)
        report.line("PostgreSQL: \(server); SQLite: WAL, synchronous=FULL, one file in \(work)")
        var made: [String] = []
        defer {
            if !options.keep { for name in made { try? BenchPostgres.dropDatabase(on: postgres, name: name) } }
        }
        func newDatabase(_ what: String) throws -> String {
            let name = "knot_bench_\(getpid())_\(what)"
            let url = try BenchPostgres.createDatabase(on: postgres, name: name)
            made.append(name)
            return url
        }

        // The same work, each store in its own child process.
        let o = options
        report.line("\nSide by side: \(o.storePatients) patients added, \(o.searchQueries) searches, \(o.storeVisits) visits recorded"
                    + " with needling and signed, \(o.storeReads) reads of each kind, then audit verify;"
                    + " one session on one thread, each call timed")
        var results: [String: PhaseResult] = [:]
        for (store, location) in [("sqlite", (work as NSString).appendingPathComponent("side-by-side.sqlite")),
                                  ("postgres", try newDatabase("store"))] {
            results[store] = try phase("store", ["--location", location, "--patients", "\(o.storePatients)",
                                                 "--visits", "\(o.storeVisits)", "--queries", "\(o.searchQueries)",
                                                 "--reads", "\(o.storeReads)", "--seed", "\(o.seed % UInt64(Int.max))"], work: work)
        }
        let sqlite = results["sqlite"]!, pg = results["postgres"]!
        report.line("")
        report.line("| step | SQLite | PostgreSQL | PostgreSQL / SQLite |")
        report.line("|---|---|---|---|")
        for (key, title) in StoreBench.steps {
            for (store, r) in [("sqlite", sqlite), ("postgres", pg)] {
                for (k, v) in r.figures where k.hasPrefix(key + ".") { report.figures["stores.\(store).\(k)"] = v }
            }
            report.line("| \(title) | \(cell(key, sqlite)) | \(cell(key, pg)) | \(ratio(key, sqlite, pg)) |")
        }
        for note in (sqlite.notes.map { "SQLite " + $0 } + pg.notes.map { "PostgreSQL " + $0 }) where note.contains("WARNING") {
            report.line("  \(note)")
        }
        // An operation not built on PostgreSQL yet: named once, in full.
        for note in pg.notes where !note.contains("WARNING") { report.line("  PostgreSQL \(note)") }

        // The terminals.
        report.line("\n\(o.terminals) terminals writing visits at once for \(Format.seconds(o.terminalSeconds)) (each its own"
                    + " `knot-bench terminal` process, its own session and connection(s)):")
        var outcomes: [String: TerminalsBench.Outcome] = [:]
        for (store, title, location) in [("sqlite", "SQLite (one file, WAL, busy timeout)", (work as NSString).appendingPathComponent("terminals.sqlite")),
                                         ("postgres", "PostgreSQL", try newDatabase("terminals"))] {
            let folder = (work as NSString).appendingPathComponent("terminals-\(store)")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let outcome = try TerminalsBench.run(location: location, terminals: o.terminals, seconds: o.terminalSeconds, work: folder,
                                                 bench: Self.selfPath, environment: ProcessInfo.processInfo.environment)
            outcomes[store] = outcome
            for (k, v) in outcome.figures { report.figures["terminals.\(store).\(k)"] = v }
            report.line("  \(title):")
            for line in TerminalsBench.describe(outcome) { report.line(line) }
        }
        let s = outcomes["sqlite"]!, p = outcomes["postgres"]!
        report.line("")
        report.line("| \(o.terminals) terminals, \(Format.seconds(o.terminalSeconds)) | SQLite | PostgreSQL | PostgreSQL / SQLite |")
        report.line("|---|---|---|---|")
        report.line("| visits told recorded | \(s.recorded) | \(p.recorded) | |")
        report.line("| throughput | \(Format.rate(s.visitsPerSecond)) visits/s | \(Format.rate(p.visitsPerSecond)) visits/s |"
                    + " \(Format.number(p.visitsPerSecond / s.visitsPerSecond))x |")
        report.line("| per visit p50 / p99 | \(Format.ms(s.p50Ms)) / \(Format.ms(s.p99Ms)) | \(Format.ms(p.p50Ms)) / \(Format.ms(p.p99Ms)) |"
                    + " \(Format.number(p.p50Ms / s.p50Ms))x / \(Format.number(p.p99Ms / s.p99Ms))x |")
        report.line("| lost / errors shown | \(s.lost) / \(s.errorCount) | \(p.lost) / \(p.errorCount) | |")
        report.line("| audit verify | \(s.auditProblem ?? "intact") | \(p.auditProblem ?? "intact") | |")
        report.target("PostgreSQL terminals: visits lost", value: Double(p.lost), unit: "", limit: 0)
        report.target("PostgreSQL terminals: errors shown", value: Double(p.errorCount + p.failedTerminals.count), unit: "", limit: 0)
        report.target("SQLite terminals: visits lost", value: Double(s.lost), unit: "", limit: 0)
        return p.isClean && s.lost == 0 && s.auditProblem == nil
    }

    /// One cell: p50 / p99 per call and calls per second; audit verify as its time.
    private func cell(_ key: String, _ r: PhaseResult) -> String {
        if let note = r.notes.first(where: { $0.hasPrefix(key + ":") }), !note.contains("WARNING") { return "not built on PostgreSQL yet" }
        let f = r.figures
        if key == "verify" {
            guard let s = f["verify.seconds"] else { return "n/a" }
            return "\(Format.seconds(s)), \(Int(f["verify.events"] ?? 0)) events, \(f["verify.intact"] == 1 ? "intact" : "NOT intact")"
        }
        guard let p50 = f["\(key).p50Ms"] else { return "n/a" }
        return "p50 \(Format.ms(p50)), p99 \(Format.ms(f["\(key).p99Ms"])); \(Format.rate(f["\(key).perSecond"] ?? .nan))/s"
    }

    /// PostgreSQL's time over SQLite's (p50 and p99; for verify, the whole time).
    private func ratio(_ key: String, _ sqlite: PhaseResult, _ pg: PhaseResult) -> String {
        if key == "verify" {
            guard let a = sqlite.figures["verify.seconds"], let b = pg.figures["verify.seconds"] else { return "—" }
            return "\(Format.number(b / a))x"
        }
        guard let a50 = sqlite.figures["\(key).p50Ms"], let b50 = pg.figures["\(key).p50Ms"],
              let a99 = sqlite.figures["\(key).p99Ms"], let b99 = pg.figures["\(key).p99Ms"] else { return "—" }
        return "p50 \(Format.number(b50 / a50))x, p99 \(Format.number(b99 / a99))x"
    }

    /// Clinic key files of the bench's throwaway clinics go under the work folder, not the user's
    /// configuration (the children inherit it).
    func useOwnKeyFolder(work: String) {
        let folder = (work as NSString).appendingPathComponent("config")
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        setenv("XDG_CONFIG_HOME", folder, 1)
    }
}

/// `knot-bench terminals --location DB|URL [--terminals N] [--seconds S] [--json FILE] [--work DIR]`:
/// the concurrency phase alone on one store, on an empty location. Exit 1 unless clean.
func runTerminalsCommand(arguments: [String]) -> Int32 {
    do {
        let o = try PhaseArguments(arguments)
        let location = try o.string("location")
        let terminals = (try? o.int("terminals")) ?? 16
        let seconds = (try? o.string("seconds")).flatMap(Double.init) ?? 10
        let work = try (try? o.string("work")) ?? BenchDriver.temporaryFolder()
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let folder = (work as NSString).appendingPathComponent("config")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if ProcessInfo.processInfo.environment["XDG_CONFIG_HOME"] == nil { setenv("XDG_CONFIG_HOME", folder, 1) }
        Output.line(Machine.describe(smoke: false))
        Output.line("\(terminals) terminals writing visits at once for \(Format.seconds(seconds)) on \(location):")
        let outcome = try TerminalsBench.run(location: location, terminals: terminals, seconds: seconds, work: work,
                                             bench: BenchDriver.selfPath, environment: ProcessInfo.processInfo.environment)
        for line in TerminalsBench.describe(outcome) { Output.line(line) }
        if let json = try? o.string("json") {
            try JSONEncoder().encode(outcome.figures).write(to: URL(fileURLWithPath: json))
        }
        Output.line(outcome.isClean ? "clean: nothing lost, no error shown, the audit chain verifies"
                                    : "NOT clean: see above")
        return outcome.isClean ? 0 : 1
    } catch {
        FileHandle.standardError.write(Data("knot-bench terminals: \(error)\n".utf8))
        return 1
    }
}
