import ClinicModel
import ClinicServices
import Foundation
import SeededRandom
#if canImport(Glibc)
import Glibc
#endif

/// `pgbench`-style concurrency (issue 20): T terminals writing visits at once on one clinic.
///
/// Each terminal is its own process (`knot-bench terminal ...`), as each `knot` or front end at a
/// desk is, with its own `ClinicSession` and so its own database connection(s): on PostgreSQL its
/// own pool, on SQLite its own connection to the one file (WAL, the store's busy timeout). From
/// an agreed moment, for S seconds, each records visits as a practitioner does (open the visit,
/// one needling entry of two needles in and out, sign: three transactions), round the clinic's
/// patients (two terminals share each patient). Each writes down every visit whose signing
/// returned ("told it was recorded"), every error it was shown, and each visit's latency.
///
/// Then, in the driver, through a fresh session: every visit a terminal was told was recorded
/// must be in the database, signed, with its needling entry (else it is lost); the visits in
/// the database no terminal was told about are counted apart; and the audit chain must verify.
enum TerminalsBench {
    struct Outcome {
        var terminals = 0
        /// Visits whose signing returned, over all terminals.
        var recorded = 0
        /// Of those, not found in the database signed with their needling entry.
        var lost = 0
        /// Visits in the database that no terminal was told were recorded (a commit whose answer
        /// never arrived, or one opened before an error): not lost, but counted.
        var unreported = 0
        /// Errors the terminals were shown, in words, and how many of each.
        var errors: [String: Int] = [:]
        var errorCount: Int { errors.values.reduce(0, +) }
        /// Terminals that did not run to the end (crashed, could not open).
        var failedTerminals: [String] = []
        var seconds = 0.0
        var p50Ms = Double.nan
        var p99Ms = Double.nan
        var maxMs = Double.nan
        /// The fewest and the most visits one terminal was told were recorded (how evenly the
        /// store shares the writes out).
        var fewestPerTerminal = 0
        var mostPerTerminal = 0
        var auditEvents = 0
        var auditProblem: String?
        var visitsPerSecond: Double { Double(recorded) / max(seconds, 1e-9) }
        /// Nothing lost, nothing shown to a user, every terminal ran, the chain verifies.
        var isClean: Bool { lost == 0 && errorCount == 0 && failedTerminals.isEmpty && auditProblem == nil }

        var figures: [String: Double] {
            ["terminals": Double(terminals), "recorded": Double(recorded), "lost": Double(lost), "unreported": Double(unreported),
             "errors": Double(errorCount), "failedTerminals": Double(failedTerminals.count), "seconds": seconds,
             "visitsPerSecond": visitsPerSecond, "p50Ms": p50Ms, "p99Ms": p99Ms, "maxMs": maxMs,
             "fewestPerTerminal": Double(fewestPerTerminal), "mostPerTerminal": Double(mostPerTerminal),
             "auditEvents": Double(auditEvents), "auditIntact": auditProblem == nil ? 1 : 0].filter { $0.value.isFinite }
        }
    }

    /// What one terminal writes down (its `--result` file).
    struct TerminalResult: Codable {
        var visits: [Int64] = []
        var latenciesMs: [Double] = []
        var errors: [String] = []
        /// Errors past the first 500, counted only.
        var moreErrors = 0
        var seconds = 0.0
    }

    /// Sets up the clinic at `location` (an empty place), runs `terminals` terminal processes of
    /// `bench` for `seconds`, and checks what they were told against the database.
    static func run(location: String, terminals: Int, seconds: Double, work: String, bench: String,
                    environment: [String: String]) throws -> Outcome {
        let session = try StoreBench.setUpClinic(at: location)
        let patientCount = max(1, terminals / 2)
        var rng = SplitMix64(seed: 20)
        var keys: [String] = []
        for i in 0..<patientCount {
            let p = try session.addPatient(StoreBench.person(i, &rng), allowDuplicate: true)
            try StoreBench.consentAndScreen(session, patientKey: p.recordNumber)
            keys.append(p.recordNumber)
        }
        // Every terminal starts at the same moment, once all have had time to open the clinic.
        let startAt = Date().timeIntervalSince1970 + 2 + 0.25 * Double(terminals)
        var children: [(pid: pid_t, result: String, log: String)] = []
        for t in 0..<terminals {
            let result = (work as NSString).appendingPathComponent("terminal-\(t).json")
            let log = (work as NSString).appendingPathComponent("terminal-\(t).log")
            try? FileManager.default.removeItem(atPath: result)
            let pid = try ChildProcess.spawn(bench, ["terminal", "--location", location, "--patient", keys[t % keys.count],
                                                     "--start-at", String(startAt), "--seconds", String(seconds), "--result", result],
                                             stdout: log, stderr: log, environment: environment)
            children.append((pid, result, log))
        }
        var outcome = Outcome()
        outcome.terminals = terminals
        var latencies: [Double] = []
        var told: [Int64] = []
        var perTerminal: [Int] = []
        for (t, child) in children.enumerated() {
            let run = try ChildProcess.wait(child.pid, executable: bench, since: Clock.now())
            guard let data = FileManager.default.contents(atPath: child.result),
                  let r = try? JSONDecoder().decode(TerminalResult.self, from: data) else {
                let said = ((try? String(contentsOfFile: child.log, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                outcome.failedTerminals.append("terminal \(t) (status \(run.status)): \(said.suffix(300))")
                continue
            }
            told += r.visits
            perTerminal.append(r.visits.count)
            latencies += r.latenciesMs
            for e in r.errors { outcome.errors[e, default: 0] += 1 }
            if r.moreErrors > 0 { outcome.errors["(more errors, not kept)", default: 0] += r.moreErrors }
            outcome.seconds = max(outcome.seconds, r.seconds)
        }
        outcome.recorded = told.count
        outcome.fewestPerTerminal = perTerminal.min() ?? 0
        outcome.mostPerTerminal = perTerminal.max() ?? 0
        latencies.sort()
        outcome.p50Ms = Percentile.of(latencies, 50)
        outcome.p99Ms = Percentile.of(latencies, 99)
        outcome.maxMs = latencies.last ?? .nan

        // The check, through a fresh session: every visit told recorded is there, signed, with its needles.
        let checker = try ClinicSession.open(path: location, handle: StoreBench.handle, create: false, environment: environment)
        let stored: [Int64: Visit] = try checker.database.read { tx in
            var all: [Int64: Visit] = [:]
            for key in keys {
                guard let p = try tx.patient(key: key) else { continue }
                for v in try tx.visits(patientID: p.id!) { all[v.id!] = v }
            }
            return all
        }
        for id in told {
            guard let v = stored[id], v.status == .signed, v.needling.count == 1, v.needling.first?.needlesRemoved == 2 else {
                outcome.lost += 1
                continue
            }
        }
        outcome.unreported = Set(stored.keys).subtracting(told).count
        let verification = try checker.verifyAudit()
        outcome.auditEvents = verification.eventsChecked
        outcome.auditProblem = verification.firstProblem.map { "\($0)" }
        return outcome
    }

    /// The lines that say what happened, for the report.
    static func describe(_ o: Outcome) -> [String] {
        var lines = ["    \(o.recorded) visits told recorded in \(Format.seconds(o.seconds)) by \(o.terminals) terminals:"
                     + " \(Format.rate(o.visitsPerSecond)) visits/s; per visit p50 \(Format.ms(o.p50Ms)), p99 \(Format.ms(o.p99Ms)),"
                     + " max \(Format.ms(o.maxMs)); one terminal \(o.fewestPerTerminal) to \(o.mostPerTerminal) visits",
                     "    lost \(o.lost); in the database but never told recorded \(o.unreported); errors shown \(o.errorCount);"
                     + " audit verify over \(o.auditEvents) events: \(o.auditProblem ?? "intact")"]
        for (e, n) in o.errors.sorted(by: { $0.value > $1.value }).prefix(5) { lines.append("      \(n) x \(e)") }
        for f in o.failedTerminals.prefix(5) { lines.append("      \(f)") }
        return lines
    }
}

/// `knot-bench terminal --location LOC --patient KEY --start-at UNIXTIME --seconds S --result FILE`:
/// one terminal of the concurrency phase. Opens the clinic as the bench's practitioner, waits for
/// the agreed moment, then records visits on its patient until S seconds have passed. Every
/// error is written down and the terminal goes on (as a practitioner would try again); its
/// exit status is 0 when it could run at all.
func runTerminal(arguments: [String]) -> Int32 {
    do {
        let o = try PhaseArguments(arguments)
        let location = try o.string("location")
        let patient = try o.string("patient")
        guard let startAt = Double(try o.string("start-at")), let seconds = Double(try o.string("seconds")) else {
            throw BenchError.usage("--start-at and --seconds want numbers")
        }
        let session = try ClinicSession.open(path: location, handle: StoreBench.handle, create: false)
        let wait = startAt - Date().timeIntervalSince1970
        if wait > 0 { usleep(useconds_t(wait * 1e6)) }
        var r = TerminalsBench.TerminalResult()
        let start = Clock.now()
        var n = 0
        while Clock.seconds(since: start) < seconds {
            let t = Clock.now()
            do {
                let id = try StoreBench.recordVisit(session, patientKey: patient, note: "terminal visit \(n)")
                r.latenciesMs.append(Clock.seconds(since: t) * 1000)
                r.visits.append(id)
            } catch {
                if r.errors.count < 500 { r.errors.append(String(describing: error)) } else { r.moreErrors += 1 }
            }
            n += 1
        }
        r.seconds = Clock.seconds(since: start)
        try JSONEncoder().encode(r).write(to: URL(fileURLWithPath: try o.string("result")))
        return 0
    } catch {
        FileHandle.standardError.write(Data("knot-bench terminal: \(error)\n".utf8))
        return 1
    }
}
