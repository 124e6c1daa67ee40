import ClinicModel
import ClinicServices
import ClinicDemo
import ClinicStore
import ClinicXML
import Foundation

/// What a phase measured, written as JSON to the file the driver named (`--result`).
struct PhaseResult: Codable {
    var figures: [String: Double] = [:]
    var notes: [String] = []
}

/// The measured phases, each run by the driver as `knot-bench phase NAME --result FILE ...`
/// in its own process, so that its peak memory is its own.
enum Phases {
    static func run(_ arguments: [String]) -> Int32 {
        guard let name = arguments.first else {
            FileHandle.standardError.write(Data("knot-bench phase: which phase?\n".utf8))
            return 2
        }
        do {
            let options = try PhaseArguments(Array(arguments.dropFirst()))
            var result: PhaseResult
            switch name {
            case "generate": result = try generate(options)
            case "export": result = try export(options)
            case "import": result = try importClinic(options)
            case "letters": result = try importLetters(options)
            case "read-letters": result = try readLetters(options)
            case "dump-letters": result = try ReadingDump.run(options)
            case "search": result = try SearchBench.run(options)
            case "tui": result = try FrontEndBench.run(options)
            case "verify": result = try verify(options)
            case "store": result = try StoreBench.run(options)
            case "read-export": result = try ReadExportPhase.run(options)
            case "floor": result = try FloorPhase.run(options)
            default: throw BenchError.usage("unknown phase '\(name)'")
            }
            result.figures["peakBytes"] = Double(ProcessMemory.peakBytes)
            let data = try JSONEncoder().encode(result)
            try data.write(to: URL(fileURLWithPath: try options.string("result")))
            return 0
        } catch {
            FileHandle.standardError.write(Data("knot-bench phase \(name): \(error)\n".utf8))
            return 1
        }
    }

    /// Fills a new database with a synthetic clinic (`SyntheticClinic`).
    static func generate(_ o: PhaseArguments) throws -> PhaseResult {
        let db = try ClinicDatabase(path: try o.string("db"))
        let start = Clock.now()
        let summary = try SyntheticClinic.generate(into: db, patients: try o.int("patients"),
                                                   visitsPerPatient: try o.int("visits"),
                                                   seed: UInt64(try o.int("seed")), today: try o.date("today"))
        var r = PhaseResult()
        r.figures["seconds"] = Clock.seconds(since: start)
        r.figures["patients"] = Double(summary.patients)
        r.figures["visits"] = Double(summary.visits)
        return r
    }

    /// `ClinicSession.export(to:)` of the whole clinic.
    static func export(_ o: PhaseArguments) throws -> PhaseResult {
        let session = ClinicSession.maintenance(database: try ClinicDatabase(path: try o.string("db"), create: false), actor: "bench")
        let start = Clock.now()
        let summary = try session.export(to: try o.string("file"))
        var r = PhaseResult()
        r.figures["seconds"] = Clock.seconds(since: start)
        r.figures["bytes"] = Double(summary.bytes)
        r.figures["patients"] = Double(summary.patients)
        r.figures["visits"] = Double(summary.visits)
        r.figures["auditEvents"] = Double(summary.auditEvents)
        return r
    }

    /// `ClinicSession.importFile(_:)` of an export into a new, empty database.
    static func importClinic(_ o: PhaseArguments) throws -> PhaseResult {
        let file = try o.string("file")
        let session = ClinicSession.maintenance(database: try ClinicDatabase(path: try o.string("db")), actor: "bench")
        let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        let start = Clock.now()
        let outcome = session.importFile(file, options: ImportOptions(maxBytes: max(size + 1, ImportOptions().maxBytes)))
        var r = PhaseResult()
        r.figures["seconds"] = Clock.seconds(since: start)
        r.figures["bytes"] = Double(size)
        r.figures["patients"] = Double(outcome.patients)
        r.figures["visits"] = Double(outcome.visits)
        guard outcome.status == .created else {
            throw BenchError.setup("the import was \(outcome.status.rawValue): \(outcome.detail)")
        }
        return r
    }

    /// `knot audit verify` as `ClinicSession.verifyAudit` runs it: first with no checkpoint (the
    /// whole chain walked), then again resuming from the checkpoint the first left; every row is
    /// re-read and compared with its seal both times. The peer, in the same process: a plain read
    /// of every cell of the same tables (`ClinicDatabase.plainScan`).
    static func verify(_ o: PhaseArguments) throws -> PhaseResult {
        let db = try ClinicDatabase(path: try o.string("db"), create: false)
        let session = ClinicSession.maintenance(database: db, actor: "bench")
        var r = PhaseResult()
        var start = Clock.now()
        let scanCPU = FloorPhase.processCPUSeconds()
        let scan = try db.plainScan()
        r.figures["scanSeconds"] = Clock.seconds(since: start)
        r.figures["scanCPUSeconds"] = FloorPhase.processCPUSeconds() - scanCPU
        r.figures["scanRows"] = Double(scan.rows)
        r.figures["scanBytes"] = Double(scan.bytes)
        start = Clock.now()
        let whole = try session.verifyAudit()
        r.figures["wholeSeconds"] = Clock.seconds(since: start)
        r.figures["wholePeakBytes"] = Double(ProcessMemory.peakBytes)
        start = Clock.now()
        let resumed = try session.verifyAudit()
        r.figures["resumedSeconds"] = Clock.seconds(since: start)
        r.figures["resumedFrom"] = Double(resumed.resumedFrom ?? 0)
        r.figures["events"] = Double(whole.eventsChecked)
        r.figures["rows"] = Double(whole.rowsChecked)
        // False alarms: a clinic only Knot wrote must verify with nothing found.
        for (name, v) in [("whole", whole), ("resumed", resumed)] {
            r.figures["\(name).findings"] = Double(v.rowFindings.count + v.moreRowFindings + v.sealProblems.count)
            r.figures["\(name).intact"] = v.isIntact ? 1 : 0
            if let problem = v.firstProblem { r.notes.append("\(name): \(problem)") }
        }
        return r
    }

    /// Imports every letter in a folder as `knot import FOLDER --batch N` does (`importAll`:
    /// read on every core, N letters to a transaction; N = 1 is one transaction per letter).
    static func importLetters(_ o: PhaseArguments) throws -> PhaseResult {
        let listing = try ClinicSession.importListing([try o.string("dir")])
        let session = ClinicSession.maintenance(database: try ClinicDatabase(path: try o.string("db")), actor: "bench")
        let batch = (try? o.int("batch")) ?? ClinicSession.defaultImportBatch
        var counts: [ImportOutcome.Status: Int] = [:]
        let start = Clock.now()
        let run = session.importAll(listing, batchSize: batch)
        let seconds = Clock.seconds(since: start)
        for outcome in run.outcomes {
            counts[outcome.status, default: 0] += 1
            if outcome.status == .rejected || outcome.status == .notFiled {
                throw BenchError.setup("\(outcome.file) was \(outcome.status.rawValue): \(outcome.detail)")
            }
        }
        var r = PhaseResult()
        r.figures["seconds"] = seconds
        r.figures["files"] = Double(listing.files.count)
        r.figures["batch"] = Double(batch)
        for (status, n) in counts { r.figures["status." + status.rawValue] = Double(n) }
        return r
    }

    /// Reads (parses, validates, maps) every letter without a database: where the time goes
    /// before anything is written.
    static func readLetters(_ o: PhaseArguments) throws -> PhaseResult {
        let files = try ClinicSession.importFiles([try o.string("dir")])
        var knotSeconds = 0.0, cdaSeconds = 0.0
        let start = Clock.now()
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { throw BenchError.setup("cannot read \(file)") }
            let t = Clock.now()
            if file.hasSuffix("-cda.xml") {
                _ = try CDAReferralReader.read(data, fileName: file)
                cdaSeconds += Clock.seconds(since: t)
            } else {
                _ = try KnotReferralReader.read(data, fileName: file)
                knotSeconds += Clock.seconds(since: t)
            }
        }
        var r = PhaseResult()
        r.figures["seconds"] = Clock.seconds(since: start)
        r.figures["knotSeconds"] = knotSeconds
        r.figures["cdaSeconds"] = cdaSeconds
        return r
    }
}

/// A phase's `--name value` options.
struct PhaseArguments {
    private var values: [String: String] = [:]

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard flag.hasPrefix("--"), let value = rest.popFirst() else { throw BenchError.usage("phase options are --name value pairs") }
            values[String(flag.dropFirst(2))] = value
        }
    }

    func string(_ name: String) throws -> String {
        guard let v = values[name] else { throw BenchError.usage("the phase needs --\(name)") }
        return v
    }

    func int(_ name: String) throws -> Int {
        guard let v = Int(try string(name)) else { throw BenchError.usage("--\(name) wants a whole number") }
        return v
    }

    func date(_ name: String) throws -> LocalDate {
        do { return try LocalDate(parsing: try string(name)) } catch { throw BenchError.usage("--\(name) wants a date (YYYY-MM-DD)") }
    }
}
