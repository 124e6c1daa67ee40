import Foundation
import Testing
import ClinicTestSupport
import ClinicModel

/// The real `knot` front end in a real terminal (tmux): search, chart, a visit with consent,
/// screen and a needling entry, signed, then the database checked through `knot visit show`.
///
/// Each test runs its own tmux server (`tmux -L knot-test-<uuid>`), killed at the end, so it
/// never touches a user's sessions. Skipped when tmux is not installed (.ci/run installs it).
@Suite struct FrontEndTmuxTests {
    static let tmuxPath = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// A tmux server of its own, with one 100x30 window running a command.
    final class Tmux {
        let socket = "knot-test-\(UUID().uuidString.prefix(8))"
        let tmux: String

        init(tmux: String) { self.tmux = tmux }

        /// Runs a tmux command and returns its output.
        ///
        /// `startsServer` for the command that starts the server: the server outlives it and
        /// would inherit, and hold open for ever, the pipes and the descriptor Foundation's
        /// `Process` watches for the child's exit, so it is started through bash with every
        /// descriptor above 2 closed first.
        @discardableResult
        func run(_ args: [String], startsServer: Bool = false) throws -> (status: Int32, output: String) {
            let p = Process()
            let tmuxArguments = ["-L", socket, "-f", "/dev/null"] + args
            if startsServer {
                p.executableURL = URL(fileURLWithPath: "/bin/bash")
                p.arguments = ["-c", #"for fd in /proc/$$/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done 2>/dev/null; exec "$0" "$@""#,
                               tmux] + tmuxArguments
            } else {
                p.executableURL = URL(fileURLWithPath: tmux)
                p.arguments = tmuxArguments
            }
            p.standardInput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            guard !startsServer else {
                p.standardOutput = FileHandle.nullDevice
                try p.run()
                p.waitUntilExit()
                return (p.terminationStatus, "")
            }
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return (p.terminationStatus, String(decoding: data, as: UTF8.self))
        }

        func start(_ command: String) throws {
            let r = try run(["new-session", "-d", "-s", "knot", "-x", "100", "-y", "30", command], startsServer: true)
            try #require(r.status == 0, "tmux could not start the session")
        }

        /// Sends keys by tmux name ("Enter", "F2", "C-s").
        func keys(_ names: String...) throws { try keys(contentsOf: names) }
        func keys(contentsOf names: [String]) throws { try run(["send-keys", "-t", "knot"] + names) }

        /// Types text literally.
        func type(_ text: String) throws { try run(["send-keys", "-t", "knot", "-l", text]) }

        /// F2 on the visit editor: consent answered yes, every risk explained ticked, every
        /// precaution answered no (nothing is answered by default), Ctrl-S; returns the screen
        /// once it is recorded.
        @discardableResult
        func recordConsentAndScreenNonePresent() throws -> String {
            try keys("F2")
            try waitFor("Precaution screen: present?")
            try type("y")
            try keys("Tab")
            try type("90")                          // the days consent stands: typed, never pre-filled
            try keys("Tab")
            try type(String(repeating: "y", count: Consent.Risk.allCases.count + 1))  // each risk, then the benefits explained
            try type(String(repeating: "n", count: Precaution.allCases.count))
            try type("90")                          // the days the screen stands: typed, never pre-filled
            try keys("C-s")
            return try waitFor("Precaution screen recorded")
        }

        var screen: String { (try? run(["capture-pane", "-p", "-t", "knot"]).output) ?? "" }

        var isRunning: Bool { (try? run(["has-session", "-t", "knot"]).status) == 0 }

        /// Waits until the screen shows `text` (polling), and returns the screen.
        @discardableResult
        func waitFor(_ text: String, timeout: TimeInterval = 8, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
            let deadline = Date().addingTimeInterval(timeout)
            var last = ""
            while Date() < deadline {
                last = screen
                if last.contains(text) { return last }
                Thread.sleep(forTimeInterval: 0.05)
            }
            Issue.record("the screen never showed \"\(text)\"; it shows:\n\(last)", sourceLocation: sourceLocation)
            throw CancellationError()
        }

        /// Ends the session, then the server. The session first: the server inherits the signal
        /// mask of the test's thread, which may block SIGTERM, and `kill-server` is the server
        /// sending SIGTERM to itself (held pending for ever, the server and its knot left running);
        /// ending the session hangs up knot's terminal, and a server with no session exits.
        func kill() {
            _ = try? run(["kill-session", "-t", "knot"])
            _ = try? run(["kill-server"])
        }

        /// The process id of the pane's command (knot, once `env` has executed it).
        var panePID: pid_t? { (try? run(["display-message", "-p", "-t", "knot", "#{pane_pid}"]).output).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) } }
    }

    @Test(.enabled(if: tmuxPath != nil, "tmux is not installed: install it to run the front end end to end (.ci/run does)"))
    func visitRecordedAndSignedAtTheTerminal() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        try clinic.addPatient("Jane", "Smith", dob: "1980-05-01", record: "K1")

        let tmux = Tmux(tmux: try #require(Self.tmuxPath))
        defer { tmux.kill() }
        let env = ["HOME=\(clinic.home.path)", "KNOT_DATABASE=\(clinic.db)", "KNOT_PRACTITIONER=amy",
                   "LANG=C.UTF-8", "TZ=UTC", "TERM=screen"]
        let command = (["env", "-i"] + env + KnotProcess.keyEnvironment.map { "\($0.key)=\($0.value)" } + [KnotProcess.executable]).map { "'" + $0 + "'" }.joined(separator: " ")
        try tmux.start(command)

        try tmux.waitFor("Smith, Jane")
        #expect(tmux.screen.contains("amy (Amy Physio, practitioner)"), "the status line names who is working")
        try tmux.type("smi")
        try tmux.waitFor("Search: smi")
        try tmux.keys("Enter")
        try tmux.waitFor("Chart · Smith, Jane")
        try tmux.keys("n")
        try tmux.waitFor("New visit for Smith, Jane")
        try tmux.type("Calf pain")
        var screen = try tmux.waitFor("Draft visit 1 saved as you type")
        #expect(screen.contains("no consent covers this visit"))

        screen = try tmux.recordConsentAndScreenNonePresent()
        #expect(screen.contains("consent until"))

        try tmux.keys("F4")
        try tmux.waitFor("Needling for Smith, Jane")
        try tmux.type("soleus")
        try tmux.keys("Tab", "l", "Tab")            // the side is keyed, never pre-filled
        try tmux.type("0.25x40")
        try tmux.keys("Tab")
        try tmux.type("Seirin")
        try tmux.keys("Tab")
        try tmux.type("A123")
        try tmux.keys("Tab", "C-u")
        try tmux.type("2")
        try tmux.waitFor("NEEDLE COUNT: 2 in, 0 out")
        try tmux.keys("Tab", "C-u")
        try tmux.type("2")
        try tmux.waitFor("Needle count for the visit: 2 in, 2 out (balanced)")
        try tmux.keys("Tab", "p")                   // the technique, keyed
        try tmux.keys("Tab", "Tab", "Tab")
        try tmux.type("0")                          // the twitches, keyed (0 is an answer)
        try tmux.keys("Tab", "Tab", "Tab", "n")     // no adverse event: keyed, never assumed
        try tmux.keys("Tab", "y")                   // the sharps disposal, keyed
        try tmux.keys("C-s")
        screen = try tmux.waitFor("Needling entry saved: Soleus, left, 2 in, 2 out.")
        #expect(screen.contains("Needles: 2 in, 2 out"))

        try tmux.keys("F6")
        try tmux.waitFor("Biomechanical finding for Smith, Jane")
        try tmux.keys("l", "Tab")
        try tmux.type("9")
        try tmux.keys("Tab", "l")                   // the side, keyed (never chosen for the practitioner)
        try tmux.keys("C-s")
        try tmux.waitFor("Biomechanical finding saved: Lunge 9 cm, left.")

        try tmux.keys("F10")
        try tmux.waitFor("y signs · any other key cancels")
        try tmux.keys("y")
        screen = try tmux.waitFor("Visit 1 signed.")
        #expect(screen.contains("Chart · Smith, Jane"))

        // The signed note is amended, never edited: pain now was left out, and is added.
        try tmux.keys("Enter")
        try tmux.waitFor("Lunge 9 cm (left)")
        try tmux.keys("m")
        try tmux.waitFor("Amend visit")
        try tmux.keys("Tab", "Tab")
        try tmux.type("4")
        try tmux.keys("Tab", "Tab", "Tab", "Tab", "Tab", "Tab")  // past likely causes, impression, impression code
        try tmux.type("Pain score given at the end of the visit")
        try tmux.keys("C-s")
        try tmux.waitFor("the signed original is kept")
        try tmux.keys("Escape")
        try tmux.waitFor("Chart · Smith, Jane")
        try tmux.keys("q")
        let deadline = Date().addingTimeInterval(5)
        while tmux.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!tmux.isRunning, "q on the chart quits knot")

        let shown = try clinic.knot(["visit", "show", "1", "--json"])
        try #require(shown.status == 0, "\(shown.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        let visit = try #require(json["visit"] as? [String: Any])
        #expect(visit["status"] as? String == "signed")
        #expect(visit["complaint"] as? String == "Calf pain")
        let needling = try #require(visit["needling"] as? [[String: Any]])
        #expect(needling.count == 1)
        #expect(needling.first?["muscleID"] as? String == "soleus")
        #expect((needling.first?["needlesInserted"] as? NSNumber)?.intValue == 2)
        #expect((needling.first?["needlesRemoved"] as? NSNumber)?.intValue == 2)
        let biomechanics = try #require(visit["biomechanics"] as? [[String: Any]])
        #expect(biomechanics.count == 1)
        #expect(biomechanics.first?["side"] as? String == "left")
        #expect((visit["pain"] as? [String: Any])?["now"] == nil, "the signed note keeps what was signed")
        let amendments = try #require(json["amendments"] as? [[String: Any]])
        #expect(amendments.count == 1)
        #expect(amendments.first?["reason"] as? String == "Pain score given at the end of the visit")
        let change = try #require((amendments.first?["changes"] as? [[String: Any]])?.first)
        #expect(change["field"] as? String == "pain.now")
        #expect(change["after"] as? String == "4")
    }

    /// Whether signal `number` is blocked in process `pid` (`SigBlk` of /proc/PID/status).
    static func blocks(_ pid: pid_t, _ number: Int32) -> Bool? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigBlk:") }),
              let mask = UInt64(line.dropFirst("SigBlk:".count).trimmingCharacters(in: .whitespaces), radix: 16) else { return nil }
        return mask & (1 << UInt64(number - 1)) != 0
    }

    @Test("knot started with SIGHUP and SIGTERM blocked (a mask inherited from its launcher) still ends on a hangup",
          .enabled(if: tmuxPath != nil && FileManager.default.fileExists(atPath: "/proc/self/status"), "needs tmux and /proc"))
    func hangupEndsTheFrontEndWhateverMaskItInherited() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        try clinic.addPatient("Jane", "Smith", dob: "1980-05-01", record: "K1")
        let tmux = Tmux(tmux: try #require(Self.tmuxPath))
        defer { tmux.kill() }
        let env = ["HOME=\(clinic.home.path)", "KNOT_DATABASE=\(clinic.db)", "KNOT_PRACTITIONER=amy", "LANG=C.UTF-8", "TZ=UTC", "TERM=screen"]
        let command = (["env", "-i"] + env + KnotProcess.keyEnvironment.map { "\($0.key)=\($0.value)" } + [KnotProcess.executable]).map { "'" + $0 + "'" }.joined(separator: " ")
        // The server (and so knot) starts with SIGHUP and SIGTERM blocked, as from a launcher's worker thread.
        var blocked = sigset_t(), previous = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGHUP)
        sigaddset(&blocked, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try tmux.start(command)
        try tmux.waitFor("Smith, Jane")
        let pid = try #require(tmux.panePID, "the pane's process id")
        let server = try #require(pid_t(try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8).split(separator: " ")[3]))
        try #require(Self.blocks(server, SIGHUP) == true, "the premise: the server, knot's parent, was started with SIGHUP blocked")

        #expect(Glibc.kill(pid, SIGHUP) == 0)
        let deadline = Date().addingTimeInterval(5)
        while Glibc.kill(pid, 0) == 0, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(Glibc.kill(pid, 0) != 0, "knot still runs 5 s after SIGHUP: the signal was held blocked")
    }
}
