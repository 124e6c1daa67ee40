import ClinicModel
import ClinicServices
import ClinicStore
import Foundation
import TerminalKit
#if canImport(ClinicTUI)
import ClinicTUI
#endif

/// Times the terminal front end on a large clinic through its public entry point,
/// `ClinicTUI.run(session:terminal:)`, on a `TimedTerminal` that plays a script of keys.
///
/// First screen: from opening the database to the first frame flushed. Keystroke to screen:
/// from handing a key to the front end to the flush of the frame that answers it, which is
/// everything the user waits for short of the terminal emulator's own painting.
enum FrontEndBench {
    /// Words typed into the patient search, letter by letter, then erased.
    static let words = ["smith", "nguyen", "obrien", "muller", "chen", "patel", "garcia", "taylor"]

    static func run(_ o: PhaseArguments) throws -> PhaseResult {
        #if canImport(ClinicTUI)
        let rounds = (try? o.int("rounds")) ?? 2
        let terminal = TimedTerminal(size: TerminalSize(rows: 24, columns: 80), script: script(rounds: rounds))
        let start = Clock.now()
        terminal.start = start
        let session = ClinicSession.maintenance(database: try ClinicDatabase(path: try o.string("db"), create: false), actor: "bench")
        try ClinicTUI.run(session: session, terminal: terminal, today: try o.date("today"), colorPolicy: .color)
        var r = PhaseResult()
        r.figures["firstScreenMs"] = terminal.firstScreenMs ?? .nan
        for kind in ["all", "type", "erase", "move"] {
            let samples = (kind == "all" ? terminal.latencies.map(\.ms) : terminal.latencies.filter { $0.kind == kind }.map(\.ms)).sorted()
            guard !samples.isEmpty else { continue }
            r.figures["\(kind).keys"] = Double(samples.count)
            r.figures["\(kind).p50Ms"] = Percentile.of(samples, 50)
            r.figures["\(kind).p99Ms"] = Percentile.of(samples, 99)
            r.figures["\(kind).maxMs"] = samples.last ?? 0
        }
        r.figures["bytesWritten"] = Double(terminal.bytesWritten)
        r.figures["unansweredKeys"] = Double(terminal.unanswered)
        return r
        #else
        var r = PhaseResult()
        r.notes.append("the front end (ClinicTUI) is not built into this knot-bench")
        return r
        #endif
    }

    /// Type each word, move down and page, erase it; `rounds` times over.
    static func script(rounds: Int) -> [(kind: String, bytes: [UInt8])] {
        let down: [UInt8] = [0x1B, 0x5B, 0x42], pageDown: [UInt8] = Array("\u{1B}[6~".utf8), pageUp: [UInt8] = Array("\u{1B}[5~".utf8)
        var keys: [(kind: String, bytes: [UInt8])] = []
        for _ in 0..<rounds {
            for word in words {
                for ch in word { keys.append(("type", Array(String(ch).utf8))) }
                keys += [("move", down), ("move", down), ("move", down), ("move", pageDown), ("move", pageUp)]
                for _ in word { keys.append(("erase", [0x7F])) }
            }
        }
        keys.append(("quit", [0x11]))  // Ctrl-Q
        return keys
    }
}

/// A terminal that hands out scripted keys one at a time and notes when each frame is flushed.
final class TimedTerminal: Terminal {
    let size: TerminalSize
    private(set) var isFullScreen = false
    private var script: [(kind: String, bytes: [UInt8])]
    private var next = 0
    private var pending: (kind: String, at: UInt64)?
    var start: UInt64 = 0
    private(set) var firstScreenMs: Double?
    private(set) var latencies: [(kind: String, ms: Double)] = []
    private(set) var bytesWritten = 0
    /// Keys after which no frame was flushed before the next key was asked for.
    private(set) var unanswered = 0

    init(size: TerminalSize, script: [(kind: String, bytes: [UInt8])]) {
        self.size = size
        self.script = script
    }

    func write(_ bytes: [UInt8]) { bytesWritten += bytes.count }

    func flush() throws(TerminalError) {
        let now = Clock.now()
        if firstScreenMs == nil, isFullScreen {
            firstScreenMs = Double(now - start) / 1e6
        }
        if let p = pending {
            latencies.append((p.kind, Double(now - p.at) / 1e6))
            pending = nil
        }
    }

    func readInput(timeout: Duration?) throws(TerminalError) -> [UInt8] {
        // The decoder's short wait after a lone Esc: nothing more is coming.
        if let timeout, timeout < .milliseconds(100) { return [] }
        if pending != nil { unanswered += 1; pending = nil }
        guard next < script.count else { throw .inputClosed }
        let key = script[next]
        next += 1
        pending = (key.kind, Clock.now())
        return key.bytes
    }

    func enterFullScreen() throws(TerminalError) { isFullScreen = true }
    func restore() { isFullScreen = false }
    func consumeResize() -> Bool { false }
}
