import Foundation

/// What one benchmark run measures, and where: sizes, seed, work folder, tools.
///
/// Sizes are flags so that the same code runs the full benchmark and the smoke run that
/// `swift test` uses to keep it building and working.
struct BenchOptions: Sendable {
    /// Clinic sizes to export, re-import and search (the largest is used for search and the
    /// front end).
    var patientCounts = [10_000, 100_000]
    /// Visits per synthetic patient.
    var visitsPerPatient = 5
    /// Referral letters to import (half Knot's format, half CDA).
    var letterCount = 10_000
    /// Letters filed twice for the matching figure: all born on one day, then spread birth dates.
    var matchLetters = 4_000
    /// Rounds of the letters against their peers, in turn (`--rounds`); the ratios are the medians'.
    var rounds = 1
    /// The Python that runs Benchmarks/reference_import.py (skipped where it has no lxml).
    var python = "python3"
    /// Search queries timed per run.
    var searchQueries = 2_000
    /// Times `knot patient list` is run as a whole process.
    var processRuns = 10
    var seed: UInt64 = 0x4B4E_4F54_4245_4E43  // "KNOTBENC"
    /// Work folder for databases, letters and exports (a fresh temporary one by default).
    var workDirectory: String?
    /// Keep the work folder afterwards.
    var keep = false
    /// The `knot` executable for the whole-process run (default: beside knot-bench).
    var knotExecutable: String?
    /// The folder holding Knot's XSD files (default: the package's Schemas/).
    var schemasDirectory: String?
    /// An existing clinic database to search and browse instead of the largest generated one
    /// (so a large clinic generated once can be reused).
    var largeClinic: String?
    /// Also write the figures as JSON here.
    var jsonPath: String?
    /// Tiny sizes, for the test suite.
    var smoke = false
    /// Only generate each clinic and time `audit verify` on it (no letters, export, search...).
    var verifyOnly = false
    /// A PostgreSQL server (`--postgres URL`, else `KNOT_BENCH_POSTGRES`): the run is then the
    /// stores side by side and the terminals phase on both (the other phases are SQLite's).
    var postgresURL: String?
    /// Patients added, visits recorded and chart reads in the side-by-side run.
    var storePatients = 2_000
    var storeVisits = 400
    var storeReads = 200
    /// Terminals writing visits at once, and for how long.
    var terminals = 16
    var terminalSeconds = 10.0

    static let usage = """
    usage: knot-bench [--smoke] [--patients N[,N...]] [--visits N] [--letters N] [--queries N]
                      [--process-runs N] [--seed N] [--work DIR] [--keep] [--knot PATH]
                      [--schemas DIR] [--json FILE] [--large-clinic DB] [--match-letters N]
                      [--python PATH] [--rounds N] [--verify-only]
           knot-bench --postgres URL [--store-patients N] [--store-visits N] [--queries N]
                      [--terminals N] [--seconds S] [--smoke] [--keep] [--json FILE]
           knot-bench terminals --location DB|URL [--terminals N] [--seconds S] [--json FILE]
           knot-bench phase NAME --result FILE [phase options]
      --smoke        tiny sizes (60 letters, 200 patients) to check the benchmark works
      --patients     clinic sizes for export/import (default 10000,100000; search and the
                     front end use the largest)
      --large-clinic an existing clinic database for search, the front end and `knot patient
                     list` (instead of the largest generated clinic)
      --letters 0    skips the letters benchmark
      --match-letters N  letters filed with one shared birth date, then spread (default 4000;
                     0 skips)
      --python       the Python for the lxml + sqlite3 reference importer (default python3)
      --rounds N     xmllint, Knot's batched import and the batched reference N times in
                     turn on the same letters; the letters' ratios are the medians' (default 1;
                     2 with --smoke)
      --verify-only  only generate each clinic and time `knot audit verify` on it
      --postgres URL the stores side by side: the same clinic work on a new SQLite file and a
                     new database on this server (its role may create databases; also
                     KNOT_BENCH_POSTGRES), then --terminals processes writing visits at once
                     for --seconds on each (default 16 for 10 s); only these phases run
      terminals      the concurrency phase alone, on an empty location (a new SQLite path or
                     an empty PostgreSQL database); exit 1 when a visit is lost, an error
                     was shown or the audit chain does not verify
    """

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let v = rest.popFirst() else { throw BenchError.usage("\(flag) needs a value") }
            return v
        }
        func int(_ flag: String) throws -> Int {
            let text = try value(flag)
            guard let n = Int(text), n >= 0 else { throw BenchError.usage("\(flag) wants a whole number, not '\(text)'") }
            return n
        }
        var sawPatients = false, sawLetters = false, sawQueries = false, sawRuns = false, sawMatch = false
        var sawStorePatients = false, sawStoreVisits = false, sawTerminals = false, sawSeconds = false, sawRounds = false
        while let flag = rest.popFirst() {
            switch flag {
            case "--smoke": smoke = true
            case "--verify-only": verifyOnly = true
            case "--patients":
                let text = try value(flag)
                patientCounts = try text.split(separator: ",").map {
                    guard let n = Int($0), n > 0 else { throw BenchError.usage("--patients wants sizes like 10000,100000") }
                    return n
                }
                sawPatients = true
            case "--visits": visitsPerPatient = try int(flag)
            case "--letters": letterCount = try int(flag); sawLetters = true
            case "--match-letters": matchLetters = try int(flag); sawMatch = true
            case "--python": python = try value(flag)
            case "--rounds": rounds = max(1, try int(flag)); sawRounds = true
            case "--queries": searchQueries = max(1, try int(flag)); sawQueries = true
            case "--process-runs": processRuns = max(1, try int(flag)); sawRuns = true
            case "--seed": seed = UInt64(try int(flag))
            case "--work": workDirectory = try value(flag)
            case "--keep": keep = true
            case "--knot": knotExecutable = try value(flag)
            case "--schemas": schemasDirectory = try value(flag)
            case "--json": jsonPath = try value(flag)
            case "--large-clinic": largeClinic = try value(flag)
            case "--postgres": postgresURL = try value(flag)
            case "--store-patients": storePatients = max(1, try int(flag)); sawStorePatients = true
            case "--store-visits": storeVisits = max(1, try int(flag)); sawStoreVisits = true
            case "--terminals": terminals = max(1, try int(flag)); sawTerminals = true
            case "--seconds":
                let text = try value(flag)
                guard let s = Double(text), s > 0 else { throw BenchError.usage("--seconds wants a number of seconds, not '\(text)'") }
                terminalSeconds = s
                sawSeconds = true
            default: throw BenchError.usage("unknown option '\(flag)'")
            }
        }
        if smoke {
            if !sawPatients { patientCounts = [100, 200] }
            if !sawLetters { letterCount = 60 }
            if !sawMatch { matchLetters = 40 }
            if !sawRounds { rounds = 2 }
            if !sawQueries { searchQueries = 50 }
            if !sawRuns { processRuns = 2 }
            visitsPerPatient = min(visitsPerPatient, 2)
            if !sawStorePatients { storePatients = 100 }
            if !sawStoreVisits { storeVisits = 20 }
            if !sawTerminals { terminals = 4 }
            if !sawSeconds { terminalSeconds = 2 }
            storeReads = 20
        }
        if postgresURL == nil, let url = ProcessInfo.processInfo.environment["KNOT_BENCH_POSTGRES"], !url.isEmpty { postgresURL = url }
        if patientCounts.isEmpty { throw BenchError.usage("--patients needs at least one size") }
    }
}

/// Why a benchmark run stopped.
enum BenchError: Error, CustomStringConvertible {
    case usage(String)
    /// A phase (child process) failed; its exit status and what it said.
    case phaseFailed(phase: String, status: Int32, detail: String)
    case setup(String)

    var description: String {
        switch self {
        case .usage(let why): "usage: \(why)"
        case .phaseFailed(let phase, let status, let detail): "phase \(phase) failed (status \(status)): \(detail)"
        case .setup(let why): why
        }
    }
}
