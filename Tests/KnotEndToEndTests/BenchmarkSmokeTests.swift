import Foundation
import Testing
import ClinicTestSupport

/// `knot-bench --smoke`: the benchmark at tiny sizes, so that its code keeps building and
/// working. The figures themselves are not checked (a debug build on a busy machine says
/// nothing); that every measurement ran and printed is.
@Suite("knot-bench smoke run")
struct BenchmarkSmokeTests {
    /// The `knot-bench` binary built beside the test bundle, found as `KnotProcess` finds `knot`.
    static var benchExecutable: String? {
        if let explicit = ProcessInfo.processInfo.environment["KNOT_BENCH_BINARY"] { return explicit }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("knot-bench").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let knot = URL(fileURLWithPath: KnotProcess.executable).deletingLastPathComponent().appendingPathComponent("knot-bench").path
        return FileManager.default.isExecutableFile(atPath: knot) ? knot : nil
    }

    /// Runs `bench` with `arguments` in `environment`: its exit status, standard output and error.
    static func run(_ bench: String, _ arguments: [String], environment: [String: String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: bench)
        process.arguments = arguments
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        group.wait()
        return (process.terminationStatus, stdout, String(decoding: errData, as: UTF8.self))
    }

    @Test("knot-bench --smoke exits 0 and prints every figure")
    func smokeRun() throws {
        let bench = try #require(Self.benchExecutable, "knot-bench was not built beside the tests")
        let work = TemporaryDirectory(prefix: "knot-bench-smoke")
        let (status, stdout, stderr) = try Self.run(bench, ["--smoke", "--work", work.file("run"), "--json", work.file("figures.json")],
                                                    environment: ["HOME": work.path, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TZ": "UTC"])

        #expect(status == 0, "knot-bench --smoke failed:\n\(stderr)\n\(stdout)")
        for figure in ["Letters: 60", "knot import FOLDER --batch 500", "knot import FOLDER --batch 1",
                       // Two rounds in turn with --smoke, the ratios from their medians (xmllint: .ci/run installs it).
                       "2 rounds in turn: knot import --batch 500", "each round, knot / xmllint", "medians of the 2 rounds", "one shared birth date / spread ratio", "xmllint --stream --schema on the export", "Clinic of 200 patients", "export ", "import ",
                       "Patient search at 200 patients", "p99", "Front end", "knot patient list", "Targets:", "export peak memory", "search p99",
                       "audit verify:", "findings 0 and 0 (0 expected)", "resumed from its checkpoint", "plain read of every cell",
                       "SQLite floor", "knot import --batch 500 / SQLite floor", "least time for any import storing these rows", "import / SQLite floor", "export / plain read of every row",
                       // Its figures are mimalloc's, as knot's are (Package.swift links both).
                       "malloc from libmimalloc"] {
            #expect(stdout.contains(figure), "no '\(figure)' in:\n\(stdout)")
        }
        // Every letter was filed, none refused.
        #expect(!stdout.contains("rejected"), "\(stdout)")
        let json = try #require(FileManager.default.contents(atPath: work.file("figures.json")))
        let figures = try JSONDecoder().decode([String: Double].self, from: json)
        #expect((figures["clinic.200.export.bytes"] ?? 0) > 0)
        #expect((figures["search.p99Ms"] ?? 0) > 0)
    }
}
