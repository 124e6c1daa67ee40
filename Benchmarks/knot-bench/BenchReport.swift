import Foundation

/// The figures of one run: lines to print, targets met or missed, and every number for JSON.
struct BenchReport {
    var header = ""
    var figures: [String: Double] = [:]
    private var lines: [String] = []
    private var targets: [String] = []

    /// Prints a line now (a long run shows progress) and keeps it for the summary.
    mutating func line(_ text: String) {
        Output.line(text)
        lines.append(text)
    }

    /// Notes a figure against its upper limit.
    mutating func target(_ name: String, value: Double, unit: String, limit: Double) {
        let met = value <= limit
        let verdict = met ? "met" : "MISSED by \(Format.number(value - limit))\(unit) (\(Format.number(value / limit))x the target)"
        let text = "  target \(name) <= \(Format.number(limit))\(unit): \(Format.number(value))\(unit), \(verdict)"
        Output.line(text)
        targets.append(text)
    }

    var summary: String {
        (["Targets:"] + targets).joined(separator: "\n")
    }
}

/// Number formats for the report.
enum Format {
    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "n/a" }
        if abs(v) >= 100 { return String(format: "%.0f", v) }
        if abs(v) >= 10 { return String(format: "%.1f", v) }
        return String(format: "%.2f", v)
    }
    static func seconds(_ v: Double) -> String { "\(number(v)) s" }
    static func ms(_ v: Double?) -> String { "\(number(v ?? .nan)) ms" }
    static func rate(_ v: Double) -> String { number(v) }
    static func megabytes(_ bytes: Int) -> String { "\(number(Double(bytes) / 1e6)) MB" }
}

/// The machine the figures come from.
enum Machine {
    static func describe(smoke: Bool) -> String {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
        let memory = ProcessInfo.processInfo.physicalMemory
        #if DEBUG
        let build = "debug build (figures not representative)"
        #else
        let build = "release build"
        #endif
        return "knot-bench\(smoke ? " --smoke" : ""): \(build); \(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores,"
            + " \(Format.number(Double(memory) / 1e9)) GB; malloc from \(mallocLibrary)"
    }

    /// The library whose `malloc` this process calls (Package.swift links mimalloc into knot and
    /// knot-bench): a figure taken with another allocator is not comparable.
    static var mallocLibrary: String {
        // /proc files report a size of 0: read to the end rather than by the size.
        guard let symbol = dlsym(nil, "malloc"),
              let maps = FileHandle(forReadingAtPath: "/proc/self/maps").map({ String(decoding: $0.readDataToEndOfFile(), as: UTF8.self) })
        else { return "unknown" }
        let address = UInt(bitPattern: symbol)
        for line in maps.split(separator: "\n") {
            // start-end perms offset device inode path
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6 else { continue }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16),
                  start <= address, address < end else { continue }
            return (String(fields[5]) as NSString).lastPathComponent
        }
        return "unknown"
    }
}

/// Standard output, unbuffered, so a long run shows its progress line by line.
enum Output {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
