import ClinicModel
import ClinicServices
import ClinicStore
import Foundation

/// Runs the whole benchmark: generates the letters and clinics, runs each measured phase in a
/// child process, runs xmllint and `knot patient list` as whole processes, prints the figures
/// against their targets.
struct BenchDriver {
    let options: BenchOptions
    var report = BenchReport()

    init(options: BenchOptions) {
        self.options = options
    }

    /// The clinic's "today" for generated records: a fixed day, so runs compare, unless the
    /// machine's clock is earlier (records may not be dated in the future).
    static var today: LocalDate {
        let fixed = (try? LocalDate(year: 2026, month: 11, day: 1)) ?? .today()
        return min(fixed, .today())
    }

    mutating func run() throws -> Int32 {
        let work = try options.workDirectory ?? Self.temporaryFolder()
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { if !options.keep && options.workDirectory == nil { try? FileManager.default.removeItem(atPath: work) } }
        report.header = Machine.describe(smoke: options.smoke)
        Output.line(report.header)
        Output.line("work folder: \(work)\n")

        if let postgres = options.postgresURL {
            let clean = try storesSideBySide(postgres: postgres, work: work)
            Output.line("\n" + report.summary)
            if let path = options.jsonPath { try JSONEncoder().encode(report.figures).write(to: URL(fileURLWithPath: path)) }
            return clean ? 0 : 1
        }
        if options.verifyOnly {
            for size in options.patientCounts {
                let db = (work as NSString).appendingPathComponent("clinic-\(size).sqlite")
                try generateClinic(size: size, db: db, work: work)
                try verifyClinic(db: db, size: size, work: work)
            }
            Output.line("\n" + report.summary)
            if let path = options.jsonPath { try JSONEncoder().encode(report.figures).write(to: URL(fileURLWithPath: path)) }
            return 0
        }
        if options.letterCount > 0 { try letters(work: work) }
        var largestDB: String?
        for size in options.patientCounts {
            largestDB = try clinic(size: size, work: work)
        }
        var size = options.patientCounts.last ?? 0
        if let large = options.largeClinic {
            largestDB = large
            size = try ClinicDatabase(path: large, create: false).read { try $0.patientCount(includeArchived: true) }
        }
        if let db = largestDB {
            try search(db: db, size: size, work: work)
            try frontEnd(db: db, size: size, work: work)
            try wholeProcess(db: db, size: size, work: work)
        }
        Output.line("\n" + report.summary)
        if let path = options.jsonPath {
            try JSONEncoder().encode(report.figures).write(to: URL(fileURLWithPath: path))
        }
        return 0
    }

    // MARK: - Letters

    private mutating func letters(work: String) throws {
        let dir = (work as NSString).appendingPathComponent("letters")
        let generator = LetterGenerator(seed: options.seed, latestDate: Self.today)
        let (knot, cda) = try generator.write(count: options.letterCount, into: dir)
        let bytes = (knot + cda).reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
        report.line("Letters: \(options.letterCount) (\(knot.count) Knot referral, \(cda.count) CDA), \(Format.megabytes(bytes)) in all")

        // xmllint, validation only, one process per schema over all the files of that format.
        var xmllintSeconds: Double?, xmllintCPU: Double?
        let xmllint = Self.which("xmllint")
        if let xmllint {
            let run = try Self.xmllintLetters(xmllint, knot: knot, cda: cda, schemas: options.schemasDirectory ?? Self.packageSchemas, work: work)
            for (schema, seconds) in run.bySchema { report.figures["letters.xmllint.\(schema).seconds"] = seconds }
            xmllintSeconds = run.seconds
            xmllintCPU = run.cpuSeconds
            report.figures["letters.xmllint.seconds"] = run.seconds
            report.figures["letters.xmllint.cpuSeconds"] = run.cpuSeconds
            report.line("  xmllint --noout --schema (validation only, 2 processes): \(Format.seconds(run.seconds))")
        } else {
            report.line("  xmllint: not installed (apt-get install -y libxml2-utils); ratio not measured")
        }

        let read = try phase("read-letters", ["--dir", dir], work: work)
        report.line("  Knot readers only (parse, validate, map; no database): \(Format.seconds(read.figures["seconds"] ?? 0))"
                    + " (Knot \(Format.seconds(read.figures["knotSeconds"] ?? 0)), CDA \(Format.seconds(read.figures["cdaSeconds"] ?? 0)))")
        report.figures["letters.read.seconds"] = read.figures["seconds"]

        // knot import FOLDER as it runs: read on both cores, --batch letters to a transaction;
        // then one transaction per letter (--batch 1), as every import did before.
        var knotSeconds: [Int: Double] = [:], knotCPU: [Int: Double] = [:]
        for batch in [ClinicSession.defaultImportBatch, 1] {
            let db = (work as NSString).appendingPathComponent("letters-batch-\(batch).sqlite")
            let imported = try phase("letters", ["--dir", dir, "--db", db, "--batch", "\(batch)"], work: work)
            let seconds = imported.figures["seconds"] ?? 0
            knotSeconds[batch] = seconds
            knotCPU[batch] = imported.figures["processCPUSeconds"]
            report.figures["letters.import.batch\(batch).seconds"] = seconds
            report.figures["letters.import.batch\(batch).cpuSeconds"] = imported.figures["processCPUSeconds"]
            let statuses = imported.figures.filter { $0.key.hasPrefix("status.") }.sorted { $0.key < $1.key }
                .map { "\($0.key.dropFirst(7)) \(Int($0.value))" }.joined(separator: ", ")
            report.line("  knot import FOLDER --batch \(batch) (\(statuses)): \(Format.seconds(seconds)),"
                        + " \(Format.rate(Double(options.letterCount) / seconds)) letters/s,"
                        + " peak \(Format.megabytes(Int(imported.figures["peakBytes"] ?? 0)))")
        }
        var seconds = knotSeconds[ClinicSession.defaultImportBatch] ?? .nan
        report.figures["letters.import.seconds"] = seconds

        // The SQLite floor: the rows the --batch 200 import left, copied into the same schema in as
        // many transactions as that import committed, with its page cache and WAL checkpoint.
        let batch = ClinicSession.defaultImportBatch
        let floor = try sqliteFloor(from: (work as NSString).appendingPathComponent("letters-batch-\(batch).sqlite"),
                                    transactions: (options.letterCount + batch - 1) / batch,
                                    cacheKiB: ClinicSession.letterImportPageCacheKiB, walCheckpoint: ClinicSession.letterImportCheckpointPages,
                                    key: "letters", work: work)

        // The reference importer: lxml + sqlite3, the same schemas, one transaction per letter and batched.
        var python: [Int: Double] = [:]
        let py = options.python.hasPrefix("/") ? options.python : Self.which(options.python)
        let pythonHasLxml = py.map { (try? ChildProcess.run($0, ["-c", "import lxml.etree"]).status) == 0 } ?? false
        if let py, pythonHasLxml {
            for batch in [500, 1] {
                let (run, json) = try Self.referenceImport(py, batch: batch, files: knot + cda,
                                                           schemas: options.schemasDirectory ?? Self.packageSchemas, work: work)
                python[batch] = run.seconds
                report.figures["letters.python.batch\(batch).seconds"] = run.seconds
                report.figures["letters.python.batch\(batch).cpuSeconds"] = run.cpuSeconds
                report.line("  reference importer (Python, lxml + sqlite3) --batch \(batch): \(Format.seconds(run.seconds)) as a process"
                            + " (\(json["created"] ?? 0) created, \(json["matched"] ?? 0) matched"
                            + ((json["rejected"] as? Int ?? 0) > 0 ? ", \(json["rejected"] ?? 0) rejected)," : "),")
                            + " peak \(Format.megabytes(run.peakBytes))")
            }
        } else {
            report.line("  reference importer: not run (\(options.python) has no lxml: pip install lxml)")
        }

        // More rounds (--rounds): xmllint, Knot's batched import and the batched reference again,
        // in turn, on the same files. The machine's speed moves between runs, so with rounds the
        // ratios below are those of the medians, and each round's own ratios are listed.
        if options.rounds > 1 {
            var knotRuns = [seconds], knotCPURuns = [knotCPU[batch] ?? .nan], xmllintCPURuns = xmllintCPU.map { [$0] } ?? [], xmllintRuns = xmllintSeconds.map { [$0] } ?? [], pythonRuns = python[500].map { [$0] } ?? []
            for round in 2...options.rounds {
                if let xmllint, xmllintSeconds != nil {
                    let run = try Self.xmllintLetters(xmllint, knot: knot, cda: cda, schemas: options.schemasDirectory ?? Self.packageSchemas, work: work)
                    xmllintRuns.append(run.seconds)
                    xmllintCPURuns.append(run.cpuSeconds)
                }
                let db = (work as NSString).appendingPathComponent("letters-round-\(round).sqlite")
                let imported = try phase("letters", ["--dir", dir, "--db", db, "--batch", "\(batch)"], work: work)
                knotRuns.append(imported.figures["seconds"] ?? .nan)
                knotCPURuns.append(imported.figures["processCPUSeconds"] ?? .nan)
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
                if let py, python[500] != nil {
                    pythonRuns.append(try Self.referenceImport(py, batch: 500, files: knot + cda,
                                                               schemas: options.schemasDirectory ?? Self.packageSchemas, work: work).run.seconds)
                }
            }
            func listed(_ runs: [Double]) -> String { runs.map { Format.seconds($0) }.joined(separator: ", ") }
            func median(_ runs: [Double]) -> Double {
                let sorted = runs.sorted(), middle = sorted.count / 2
                return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
            }
            report.line("  \(options.rounds) rounds in turn: knot import --batch \(batch) \(listed(knotRuns))"
                        + (xmllintRuns.isEmpty ? "" : "; xmllint \(listed(xmllintRuns))")
                        + (pythonRuns.isEmpty ? "" : "; Python batched \(listed(pythonRuns))"))
            seconds = median(knotRuns)
            knotCPU[batch] = median(knotCPURuns)  // the floor's CPU ratio below, from the same rounds
            report.figures["letters.import.seconds"] = seconds
            report.figures["letters.rounds"] = Double(options.rounds)
            if !xmllintRuns.isEmpty {
                xmllintSeconds = median(xmllintRuns)
                xmllintCPU = median(xmllintCPURuns)
                report.figures["letters.xmllint.seconds"] = xmllintSeconds
                report.line("  each round, knot / xmllint: " + zip(knotRuns, xmllintRuns).map { Format.number($0 / $1) + "x" }.joined(separator: ", "))
            }
            if !pythonRuns.isEmpty {
                python[500] = median(pythonRuns)
                report.figures["letters.python.batch500.seconds"] = python[500]
                report.line("  each round, knot / Python batched: " + zip(knotRuns, pythonRuns).map { Format.number($0 / $1) + "x" }.joined(separator: ", "))
            }
            report.line("  medians of the \(options.rounds) rounds: knot import \(Format.seconds(seconds))"
                        + (xmllintSeconds.map { "; xmllint \(Format.seconds($0))" } ?? "")
                        + (python[500].map { "; Python batched \(Format.seconds($0))" } ?? "") + " (the ratios below are theirs)")
        }
        if let x = xmllintSeconds, x > 0 {
            let ratio = seconds / x
            report.figures["letters.ratio"] = ratio
            report.line("  ratios: knot import / xmllint \(Format.number(ratio))x; --batch 1 / xmllint \(Format.number((knotSeconds[1] ?? .nan) / x))x")
            report.target("import / xmllint ratio", value: ratio, unit: "x", limit: 1.5)
        }
        if let batched = python[500], let single = python[1] {
            report.figures["letters.pythonRatio"] = seconds / batched
            report.line("  ratios: knot import / Python batched \(Format.number(seconds / batched))x;"
                        + " knot --batch 1 / Python one per letter \(Format.number((knotSeconds[1] ?? .nan) / single))x")
            report.target("import / Python reference (batched) ratio", value: seconds / batched, unit: "x", limit: 1)
        }
        floorRatios(floor, key: "letters", knotSeconds: seconds, knotCPU: knotCPU[batch] ?? .nan,
                    xmllintSeconds: xmllintSeconds, xmllintCPU: xmllintCPU, what: "knot import --batch \(batch)")
        if let x = xmllintSeconds, x > 0, let xc = xmllintCPU, let readCPU = read.figures["seconds"] {
            letterBounds(floor: floor, readCPU: readCPU, xmllintSeconds: x, xmllintCPU: xc)
        }
        if options.matchLetters > 0 { try matching(work: work) }
    }

    /// The same number of letters filed twice: every patient born on one day (a placeholder date),
    /// then spread birth dates. Matching is linear when the two take about the same time.
    private mutating func matching(work: String) throws {
        var seconds: [String: Double] = [:]
        let shared = try LocalDate(year: 1900, month: 1, day: 1)
        for (name, birth) in [("shared", Optional(shared)), ("spread", nil)] {
            let dir = (work as NSString).appendingPathComponent("match-\(name)")
            let generator = LetterGenerator(seed: options.seed &+ 1, latestDate: Self.today, sharedBirthDate: birth)
            _ = try generator.write(count: options.matchLetters, into: dir)
            let db = (work as NSString).appendingPathComponent("match-\(name).sqlite")
            let r = try phase("letters", ["--dir", dir, "--db", db], work: work)
            seconds[name] = r.figures["seconds"] ?? .nan
            report.figures["letters.match.\(name).seconds"] = seconds[name]
            if !options.keep { try? FileManager.default.removeItem(atPath: dir) }
        }
        let ratio = (seconds["shared"] ?? .nan) / (seconds["spread"] ?? .nan)
        report.figures["letters.match.ratio"] = ratio
        report.line("  \(options.matchLetters) letters all born on \(shared): \(Format.seconds(seconds["shared"] ?? .nan));"
                    + " with spread birth dates: \(Format.seconds(seconds["spread"] ?? .nan)); ratio \(Format.number(ratio))x")
        report.target("one shared birth date / spread ratio", value: ratio, unit: "x", limit: 1.2)
    }

    // MARK: - Export and import

    @discardableResult
    private mutating func generateClinic(size: Int, db: String, work: String) throws -> Int {
        let gen = try phase("generate", ["--db", db, "--patients", "\(size)", "--visits", "\(options.visitsPerPatient)",
                                         "--seed", "\(options.seed)", "--today", "\(Self.today)"], work: work)
        let visits = Int(gen.figures["visits"] ?? 0)
        report.line("\nClinic of \(size) patients, \(visits) visits (generated in \(Format.seconds(gen.figures["seconds"] ?? 0)),"
                    + " database \(Format.megabytes(Self.fileSize(db) + Self.fileSize(db + "-wal"))))")
        return visits
    }

    /// `knot audit verify` (whole, then resumed from its checkpoint) against two peers on the same
    /// file: a plain read of every cell in the same process, and `sqlite3 DB 'PRAGMA integrity_check'`.
    private mutating func verifyClinic(db: String, size: Int, work: String) throws {
        let key = "clinic.\(size).verify"
        let r = try phase("verify", ["--db", db], work: work)
        let f = r.figures
        for (k, v) in f { report.figures["\(key).\(k)"] = v }
        let whole = f["wholeSeconds"] ?? 0
        let scan = f["scanSeconds"] ?? 0
        report.line("  audit verify: \(Int(f["rows"] ?? 0)) rows, \(Int(f["events"] ?? 0)) events: whole \(Format.seconds(whole)),"
                    + " resumed from its checkpoint \(Format.seconds(f["resumedSeconds"] ?? 0)), peak \(Format.megabytes(Int(f["peakBytes"] ?? 0)));"
                    + " findings \(Int(f["whole.findings"] ?? -1)) and \(Int(f["resumed.findings"] ?? -1)) (0 expected)")
        for note in r.notes { report.line("    WARNING: \(note)") }
        report.line("  peer, same process: plain read of every cell of the same \(Int(f["scanRows"] ?? 0)) rows \(Format.seconds(scan))"
                    + (scan > 0 ? " (verify / scan \(String(format: "%.1f", whole / scan))x)" : ""))
        if let sqlite3 = Self.which("sqlite3") {
            let out = try ChildProcess.run(sqlite3, [db, "PRAGMA integrity_check"], stdout: (work as NSString).appendingPathComponent("integrity.txt"),
                                           stderr: (work as NSString).appendingPathComponent("integrity.err"))
            report.figures["\(key).integrityCheckSeconds"] = out.seconds
            report.figures["\(key).integrityCheckPeakBytes"] = Double(out.peakBytes)
            report.line("  peer: sqlite3 PRAGMA integrity_check \(Format.seconds(out.seconds)), peak \(Format.megabytes(out.peakBytes))"
                        + (out.seconds > 0 ? " (verify / integrity_check \(String(format: "%.1f", whole / out.seconds))x)" : ""))
        }
    }

    private mutating func clinic(size: Int, work: String) throws -> String {
        let db = (work as NSString).appendingPathComponent("clinic-\(size).sqlite")
        let key = "clinic.\(size)"
        let visits = try generateClinic(size: size, db: db, work: work)
        try verifyClinic(db: db, size: size, work: work)

        let file = (work as NSString).appendingPathComponent("export-\(size).xml")
        let ex = try phase("export", ["--db", db, "--file", file], work: work)
        let bytes = Int(ex.figures["bytes"] ?? 0)
        let records = (ex.figures["patients"] ?? 0) + (ex.figures["visits"] ?? 0)
        line(operation: "export", key: key, result: ex, bytes: bytes, records: records)

        let target = (work as NSString).appendingPathComponent("reimport-\(size).sqlite")
        let im = try phase("import", ["--db", target, "--file", file], work: work)
        line(operation: "import", key: key, result: im, bytes: bytes, records: records)
        // The SQLite floor: the rows of the clinic just imported, copied into the same schema in one
        // transaction (the import's own is one), with the import's page cache and journal (into an
        // empty clinic, the rollback journal: ClinicDatabase.withRollbackJournal).
        let floor = try sqliteFloor(from: target, transactions: 1, cacheKiB: ClinicSession.importPageCacheKiB, walCheckpoint: nil,
                                    journal: "truncate", key: key, work: work)
        if let xmllint = Self.which("xmllint") {
            let schema = ((options.schemasDirectory ?? Self.packageSchemas) as NSString).appendingPathComponent("knot-records-1.xsd")
            let x = try ChildProcess.run(xmllint, ["--noout", "--stream", "--schema", schema, file],
                                         stderr: (work as NSString).appendingPathComponent("xmllint-records.log"))
            if x.status == 0 {
                report.figures["\(key).xmllint.seconds"] = x.seconds
                report.figures["\(key).xmllint.cpuSeconds"] = x.cpuSeconds
                let exportRatio = (ex.figures["seconds"] ?? .nan) / x.seconds, importRatio = (im.figures["seconds"] ?? .nan) / x.seconds
                report.line("  xmllint --stream --schema on the export: \(Format.seconds(x.seconds)), peak \(Format.megabytes(x.peakBytes));"
                            + " export / xmllint \(Format.number(exportRatio))x, import / xmllint \(Format.number(importRatio))x")
                // CPU time (user + system) of each process: on a shared machine the wall time waits for a core.
                let exportCPU = ex.figures["processCPUSeconds"] ?? .nan, importCPU = im.figures["processCPUSeconds"] ?? .nan
                report.line("  CPU time (user + system): export \(Format.seconds(exportCPU)), import \(Format.seconds(importCPU)),"
                            + " xmllint \(Format.seconds(x.cpuSeconds)); export / xmllint \(Format.number(exportCPU / x.cpuSeconds))x,"
                            + " import / xmllint \(Format.number(importCPU / x.cpuSeconds))x")
                floorRatios(floor, key: key, knotSeconds: im.figures["seconds"] ?? .nan, knotCPU: importCPU,
                            xmllintSeconds: x.seconds, xmllintCPU: x.cpuSeconds, what: "import")
                plainReadRatios(key: key, exportSeconds: ex.figures["seconds"] ?? .nan, exportCPU: exportCPU)
                report.target("export / xmllint --stream at \(size) patients", value: exportRatio, unit: "x", limit: 3)
                report.target("import / xmllint --stream at \(size) patients", value: importRatio, unit: "x", limit: 3)
            } else {
                report.line("  xmllint --stream --schema on the export failed (status \(x.status)); see xmllint-records.log")
            }
        }
        if Int(im.figures["patients"] ?? -1) != size || Int(im.figures["visits"] ?? -1) != visits {
            report.line("  WARNING: the re-import holds \(Int(im.figures["patients"] ?? 0)) patients and \(Int(im.figures["visits"] ?? 0)) visits")
        }
        if !options.keep { try? FileManager.default.removeItem(atPath: file) }
        for suffix in ["", "-wal", "-shm"] where !options.keep { try? FileManager.default.removeItem(atPath: target + suffix) }
        return db
    }

    private mutating func line(operation: String, key: String, result: PhaseResult, bytes: Int, records: Double) {
        let seconds = result.figures["seconds"] ?? 0
        let peak = Int(result.figures["peakBytes"] ?? 0)
        report.figures["\(key).\(operation).seconds"] = seconds
        report.figures["\(key).\(operation).peakBytes"] = Double(peak)
        report.figures["\(key).\(operation).bytes"] = Double(bytes)
        report.line("  \(operation) \(Format.megabytes(bytes)): \(Format.seconds(seconds)), \(Format.rate(Double(bytes) / 1e6 / seconds)) MB/s,"
                    + " \(Format.rate(records / seconds)) records/s (patients + visits), peak \(Format.megabytes(peak))")
        report.target("\(operation) peak memory at \(key.dropFirst(7)) patients", value: Double(peak) / 1e6, unit: " MB", limit: 150)
    }

    // MARK: - The SQLite floor and the plain read

    /// Runs `phase floor` on the database Knot just wrote and prints what it cost.
    private mutating func sqliteFloor(from source: String, transactions: Int, cacheKiB: Int, walCheckpoint: Int?,
                                      journal: String? = nil, key: String, work: String) throws -> PhaseResult {
        let copy = (work as NSString).appendingPathComponent("\(key)-floor.sqlite")
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: copy + suffix) }  // a kept earlier run's
        var arguments = ["--from", source, "--db", copy, "--transactions", "\(transactions)", "--cache-kib", "\(cacheKiB)"]
        if let walCheckpoint { arguments += ["--wal-checkpoint", "\(walCheckpoint)"] }
        if let journal { arguments += ["--journal", journal] }
        let r = try phase("floor", arguments, work: work)
        if !options.keep { for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: copy + suffix) } }
        let f = r.figures
        for name in ["seconds", "cpuSeconds", "rows", "bytes", "transactions", "processCPUSeconds", "peakBytes"] {
            report.figures["\(key).floor.\(name)"] = f[name]
        }
        report.line("  SQLite floor (the same \(Int(f["rows"] ?? 0)) rows copied into an empty database of the same schema, INSERT ... SELECT,"
                    + " \(Int(f["transactions"] ?? 0)) transaction\((f["transactions"] ?? 0) == 1 ? "" : "s"); nothing parsed, validated or sealed):"
                    + " \(Format.seconds(f["seconds"] ?? .nan)) wall, \(Format.seconds(f["cpuSeconds"] ?? .nan)) CPU,"
                    + " \(Format.megabytes(Int(f["bytes"] ?? 0))) written")
        return r
    }

    /// Knot / floor and floor / xmllint, in wall and CPU time.
    private mutating func floorRatios(_ floor: PhaseResult, key: String, knotSeconds: Double, knotCPU: Double,
                                      xmllintSeconds: Double?, xmllintCPU: Double?, what: String) {
        let floorSeconds = floor.figures["seconds"] ?? .nan, floorCPU = floor.figures["cpuSeconds"] ?? .nan
        report.figures["\(key).floorRatio"] = knotSeconds / floorSeconds
        report.figures["\(key).floorCPURatio"] = knotCPU / floorCPU
        var text = "  ratios: \(what) / SQLite floor \(Format.number(knotSeconds / floorSeconds))x wall,"
            + " \(Format.number(knotCPU / floorCPU))x CPU"
        if let x = xmllintSeconds, x > 0, let xc = xmllintCPU, xc > 0 {
            report.figures["\(key).floorXmllintRatio"] = floorSeconds / x
            report.figures["\(key).floorXmllintCPURatio"] = floorCPU / xc
            text += "; SQLite floor / xmllint \(Format.number(floorSeconds / x))x wall, \(Format.number(floorCPU / xc))x CPU"
                + " (SQLite alone, storing the rows)"
        }
        report.line(text)
    }

    /// The least time any import of these letters can take, from this run's peers. SQLite lets one
    /// connection write at a time, so one writer stores the rows, and no faster than the floor copies
    /// them (`phase floor`: key order, nothing parsed, bound or sealed); and the reading and the
    /// storing share the machine's cores. Reading is counted at the cost of Knot's readers (the
    /// read-letters phase, one thread: its wall time is its CPU time), and again at xmllint's own
    /// cost (the same libxml2 validation with nothing mapped, which no reader that validates beats).
    /// When the second is above the letters target, no import that stores these rows meets it.
    private mutating func letterBounds(floor: PhaseResult, readCPU: Double, xmllintSeconds x: Double, xmllintCPU: Double) {
        let cores = Double(max(1, ProcessInfo.processInfo.activeProcessorCount))
        let floorWall = floor.figures["seconds"] ?? .nan, floorCPU = floor.figures["cpuSeconds"] ?? .nan
        let withReaders = max(floorWall, (readCPU + floorCPU) / cores)
        let readingFree = max(floorWall, (xmllintCPU + floorCPU) / cores)
        report.figures["letters.bound.seconds"] = withReaders
        report.figures["letters.bound.xmllintRatio"] = withReaders / x
        report.figures["letters.boundReadingAsXmllint.seconds"] = readingFree
        report.figures["letters.boundReadingAsXmllint.xmllintRatio"] = readingFree / x
        report.line("  least time for any import storing these rows (one SQLite writer, no faster than the floor;"
                    + " reading and storing sharing \(Int(cores)) cores): \(Format.seconds(withReaders)) with Knot's readers"
                    + " (\(Format.number(withReaders / x))x xmllint), \(Format.seconds(readingFree)) even reading at xmllint's own cost"
                    + " (\(Format.number(readingFree / x))x xmllint)")
    }

    /// The export's peer: a plain read of every row of the same clinic, in process (`phase
    /// verify`'s `ClinicDatabase.plainScan`, run on the same database before the export).
    private mutating func plainReadRatios(key: String, exportSeconds: Double, exportCPU: Double) {
        guard let scan = report.figures["\(key).verify.scanSeconds"], scan > 0 else { return }
        let scanCPU = report.figures["\(key).verify.scanCPUSeconds"] ?? .nan
        report.figures["\(key).plainReadRatio"] = exportSeconds / scan
        report.figures["\(key).plainReadCPURatio"] = exportCPU / scanCPU
        report.line("  export / plain read of every row of the same clinic (in process, \(Format.seconds(scan)) wall,"
                    + " \(Format.seconds(scanCPU)) CPU): \(Format.number(exportSeconds / scan))x wall, \(Format.number(exportCPU / scanCPU))x CPU")
    }

    // MARK: - Search, front end, whole process

    private mutating func search(db: String, size: Int, work: String) throws {
        let r = try phase("search", ["--db", db, "--queries", "\(options.searchQueries)"], work: work)
        let f = r.figures
        report.line("\nPatient search at \(size) patients, \(Int(f["queries"] ?? 0)) queries (mean \(Format.rate(f["meanHits"] ?? 0)) hits):"
                    + " p50 \(Format.ms(f["p50Ms"])), p99 \(Format.ms(f["p99Ms"])), max \(Format.ms(f["maxMs"])), first (cold) \(Format.ms(f["coldMs"]))")
        let kinds = f.keys.filter { $0.hasPrefix("kind.") && $0.hasSuffix(".p99Ms") }.sorted()
        report.line("  p50/p99 by kind: " + kinds.map { k in
            let name = k.dropFirst(5).dropLast(6)
            return "\(name) \(Format.ms(f["kind.\(name).p50Ms"]))/\(Format.ms(f[k]))"
        }.joined(separator: ", "))
        report.line("  CPU time of the search per query: p50 \(Format.ms(f["cpuP50Ms"])), p99 \(Format.ms(f["cpuP99Ms"]))"
                    + " (the wall time's tail beyond it is waiting for a core)")
        for (k, v) in f { report.figures["search.\(k)"] = v }
        report.target("search p99", value: f["p99Ms"] ?? .nan, unit: " ms", limit: 5)
    }

    private mutating func frontEnd(db: String, size: Int, work: String) throws {
        let r = try phase("tui", ["--db", db, "--today", "\(Self.today)", "--rounds", options.smoke ? "1" : "3"], work: work)
        if let note = r.notes.first {
            report.line("\nFront end: not measured: \(note)")
            return
        }
        let f = r.figures
        for (k, v) in f { report.figures["tui.\(k)"] = v }
        report.line("\nFront end at \(size) patients (80x24, ClinicTUI.run on a timed in-memory terminal):")
        report.line("  first screen \(Format.ms(f["firstScreenMs"])) (database opened to first frame flushed)")
        report.line("  keystroke to screen over \(Int(f["all.keys"] ?? 0)) keys: p50 \(Format.ms(f["all.p50Ms"])), p99 \(Format.ms(f["all.p99Ms"])),"
                    + " max \(Format.ms(f["all.maxMs"])); typing p99 \(Format.ms(f["type.p99Ms"])), erasing p99 \(Format.ms(f["erase.p99Ms"])),"
                    + " moving p99 \(Format.ms(f["move.p99Ms"])); unanswered keys \(Int(f["unansweredKeys"] ?? 0))")
        report.target("first screen", value: f["firstScreenMs"] ?? .nan, unit: " ms", limit: 200)
        report.target("keystroke to screen p99", value: f["all.p99Ms"] ?? .nan, unit: " ms", limit: 16)
    }

    private mutating func wholeProcess(db: String, size: Int, work: String) throws {
        let knot = options.knotExecutable ?? ((Self.selfPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("knot")
        guard FileManager.default.isExecutableFile(atPath: knot) else {
            report.line("\n`knot patient list`: not measured: no knot executable at \(knot) (build it, or pass --knot)")
            return
        }
        var times: [Double] = []
        var peak = 0
        let out = (work as NSString).appendingPathComponent("patient-list.txt")
        for _ in 0..<options.processRuns {
            // As the synthetic clinic's first practitioner (the demo's mchen): Knot has no anonymous use.
            let o = try ChildProcess.run(knot, ["patient", "list", "--database", db, "--practitioner", "mchen"], stdout: out,
                                         stderr: (work as NSString).appendingPathComponent("patient-list.err"))
            guard o.status == 0 else { throw BenchError.phaseFailed(phase: "knot patient list", status: o.status, detail: "see patient-list.err") }
            times.append(o.seconds * 1000)
            peak = max(peak, o.peakBytes)
        }
        times.sort()
        let lines = ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").split(separator: "\n").count
        report.figures["process.patientList.p50Ms"] = Percentile.of(times, 50)
        report.figures["process.patientList.maxMs"] = times.last
        report.figures["process.patientList.peakBytes"] = Double(peak)
        report.line("\n`knot patient list` at \(size) patients as a whole process (\(times.count) runs, \(lines) lines out):"
                    + " median \(Format.ms(Percentile.of(times, 50))), slowest \(Format.ms(times.last)), peak \(Format.megabytes(peak))")
    }

    // MARK: - Helpers

    /// Runs `knot-bench phase NAME` in a child process and reads its result.
    /// `xmllint --noout --schema` over the letters, one process per schema (Knot's referral, the
    /// CDA profile): the seconds of each and in all, and their CPU time.
    static func xmllintLetters(_ xmllint: String, knot: [String], cda: [String], schemas: String,
                               work: String) throws -> (seconds: Double, cpuSeconds: Double, bySchema: [(String, Double)]) {
        var total = 0.0, cpu = 0.0, bySchema: [(String, Double)] = []
        for (files, schema) in [(knot, "knot-referral-1.xsd"), (cda, "knot-cda-profile-1.xsd")] where !files.isEmpty {
            let out = try ChildProcess.run(xmllint, ["--noout", "--schema", (schemas as NSString).appendingPathComponent(schema)] + files,
                                           stderr: (work as NSString).appendingPathComponent("xmllint-\(schema).log"))
            guard out.status == 0 else {
                throw BenchError.phaseFailed(phase: "xmllint \(schema)", status: out.status, detail: "see xmllint-\(schema).log in the work folder")
            }
            bySchema.append((schema, out.seconds))
            total += out.seconds
            cpu += out.cpuSeconds
        }
        return (total, cpu, bySchema)
    }

    /// `Benchmarks/reference_import.py --batch N` on `files` into a new database: the process's
    /// figures and its JSON summary.
    static func referenceImport(_ python: String, batch: Int, files: [String], schemas: String,
                                work: String) throws -> (run: ChildProcess.Outcome, json: [String: Any]) {
        let script = ((packageSchemas as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent("Benchmarks/reference_import.py")
        let db = (work as NSString).appendingPathComponent("reference-batch-\(batch).sqlite")
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        let out = (work as NSString).appendingPathComponent("reference-batch-\(batch).json")
        let run = try ChildProcess.run(python, [script, "--schemas", schemas, "--db", db, "--batch", "\(batch)"] + files,
                                       stdout: out, stderr: (work as NSString).appendingPathComponent("reference.log"))
        guard run.status == 0, let data = FileManager.default.contents(atPath: out),
              let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw BenchError.phaseFailed(phase: "reference_import.py", status: run.status, detail: "see reference.log in the work folder")
        }
        return (run, json)
    }

    func phase(_ name: String, _ arguments: [String], work: String) throws -> PhaseResult {
        let result = (work as NSString).appendingPathComponent("phase-\(name).json")
        let log = (work as NSString).appendingPathComponent("phase-\(name).log")
        let out = try ChildProcess.run(Self.selfPath, ["phase", name, "--result", result] + arguments, stdout: log, stderr: log)
        guard out.status == 0, let data = FileManager.default.contents(atPath: result) else {
            let detail = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw BenchError.phaseFailed(phase: name, status: out.status, detail: detail.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        try? FileManager.default.removeItem(atPath: result)
        var r = try JSONDecoder().decode(PhaseResult.self, from: data)
        r.figures["processPeakBytes"] = Double(out.peakBytes)
        r.figures["processSeconds"] = out.seconds
        r.figures["processCPUSeconds"] = out.cpuSeconds
        // The kernel's figure for the child covers the whole process; prefer it when larger.
        r.figures["peakBytes"] = max(r.figures["peakBytes"] ?? 0, Double(out.peakBytes))
        return r
    }

    static var selfPath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The package's Schemas/ folder, found from this source file's place in the package.
    static var packageSchemas: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Schemas").path
    }

    static func which(_ tool: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func fileSize(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    static func temporaryFolder() throws -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("knot-bench-\(getpid())")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
