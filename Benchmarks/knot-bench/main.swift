import Foundation

// knot-bench: Knot's benchmarks, one run, on the same generated files.
//
//   knot-bench [--smoke] [--patients 10000,100000] [--letters 10000] [--visits 5] [--work DIR]
//              [--keep] [--knot PATH] [--schemas DIR] [--json FILE]
//   knot-bench phase NAME --result FILE ...    (one measured phase; the driver runs these)
//   knot-bench phase floor --from DB --db NEW --result FILE [--transactions N]
//                                              (the SQLite floor: DB's rows copied by SQLite alone; FloorPhase.swift)
//   knot-bench stress-writer ...               (one writer of the several-terminals test; StressWriter.swift)
//   knot-bench --postgres URL ...              (SQLite and PostgreSQL side by side; BenchDriver+Postgres.swift)
//   knot-bench terminals --location DB|URL ... (T terminals writing visits at once; TerminalsBench.swift)
//   knot-bench terminal ...                    (one of those terminals)
//
// Each measured phase runs in a child process of knot-bench itself, so that its peak memory
// (the child's maximum resident set, from wait4) belongs to that phase alone.

let arguments = Array(CommandLine.arguments.dropFirst())

let status: Int32
switch arguments.first {
case "phase":
    status = Phases.run(Array(arguments.dropFirst()))
case "stress-writer":
    status = runStressWriter(arguments: Array(arguments.dropFirst()))
case "terminal":
    status = runTerminal(arguments: Array(arguments.dropFirst()))
case "terminals":
    status = runTerminalsCommand(arguments: Array(arguments.dropFirst()))
case "-h", "--help", "help":
    Output.line(BenchOptions.usage)
    status = 0
default:
    do {
        let options = try BenchOptions(arguments)
        var driver = BenchDriver(options: options)
        status = try driver.run()
    } catch {
        FileHandle.standardError.write(Data("knot-bench: \(error)\n\n\(BenchOptions.usage)\n".utf8))
        status = 2
    }
}
exit(status)
