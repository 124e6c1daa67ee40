import Foundation
import Testing
import ClinicTestSupport

/// The forms as a practitioner meets them in a real terminal (tmux): typing over a pre-filled
/// pain score and over a remembered lot and needle count replaces them, "1" then "0" saves 10
/// (never the interim 1), Esc on a filled form asks first, and F10 shows a summary and signs
/// only on y. The database is checked through `knot visit show` while the front end runs.
@Suite struct FormsTmuxTests {
    typealias Tmux = FrontEndTmuxTests.Tmux

    /// The draft's header and needling as the database holds them now.
    func shown(_ clinic: EndToEndClinic) throws -> [String: Any] {
        let shown = try clinic.knot(["visit", "show", "1", "--json"])
        try #require(shown.status == 0, "\(shown.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        return try #require(json["visit"] as? [String: Any])
    }

    func painNow(_ clinic: EndToEndClinic) throws -> Int? {
        ((try shown(clinic)["pain"] as? [String: Any])?["now"] as? NSNumber)?.intValue
    }

    /// Waits until the saved pain score is `expected` (saves follow the typing closely).
    func waitForPain(_ expected: Int?, in clinic: EndToEndClinic, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let deadline = Date().addingTimeInterval(8)
        var last: Int?
        while Date() < deadline {
            last = try painNow(clinic)
            if last == expected { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("pain now is \(last.map(String.init) ?? "none"), not \(expected.map(String.init) ?? "none")",
                     sourceLocation: sourceLocation)
        throw CancellationError()
    }

    @Test(.enabled(if: FrontEndTmuxTests.tmuxPath != nil, "tmux is not installed: install it to run the front end end to end"))
    func typingOverPrefilledValuesEscapeAsksAndSigningShowsASummary() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        try clinic.addPatient("Jane", "Smith", dob: "1980-05-01", record: "K1")

        let tmux = Tmux(tmux: try #require(FrontEndTmuxTests.tmuxPath))
        defer { tmux.kill() }
        let env = ["HOME=\(clinic.home.path)", "KNOT_DATABASE=\(clinic.db)", "KNOT_PRACTITIONER=amy",
                   "LANG=C.UTF-8", "TZ=UTC", "TERM=screen"]
        let command = (["env", "-i"] + env + KnotProcess.keyEnvironment.map { "\($0.key)=\($0.value)" } + [KnotProcess.executable]).map { "'" + $0 + "'" }.joined(separator: " ")
        try tmux.start(command)

        try tmux.waitFor("Smith, Jane")
        try tmux.type("smi")
        try tmux.waitFor("Search: smi")
        try tmux.keys("Enter")
        try tmux.waitFor("Chart · Smith, Jane")
        try tmux.keys("n")
        try tmux.waitFor("New visit for Smith, Jane")
        try tmux.type("Calf pain")
        try tmux.waitFor("Draft visit 1 saved as you type")

        // Pain 6, then 8 typed over it: the pre-filled 6 is selected, so it is replaced.
        try tmux.keys("Tab")
        try tmux.type("6")
        try waitForPain(6, in: clinic)
        try tmux.keys("BTab", "Tab")
        try tmux.type("8")
        try waitForPain(8, in: clinic)

        // "1" then "0": the interim 1 is never saved, 10 is.
        try tmux.keys("BTab", "Tab")
        try tmux.type("1")
        try tmux.waitFor("not saved yet: Tab saves it")
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try painNow(clinic) == 8, "the interim 1 is not saved")
        try tmux.type("0")
        try waitForPain(10, in: clinic)

        try tmux.recordConsentAndScreenNonePresent()

        try tmux.keys("F4")
        try tmux.waitFor("Needling for Smith, Jane")
        try tmux.type("soleus")
        try tmux.keys("Tab", "l", "Tab")            // the side is keyed, never pre-filled
        try tmux.type("0.25x40")
        try tmux.keys("Tab")
        try tmux.type("Seirin")
        try tmux.keys("Tab")
        try tmux.type("L2411")
        try tmux.keys("Tab")
        try tmux.type("1")                          // inserted, keyed
        try tmux.keys("Tab")
        try tmux.type("1")                          // removed, keyed
        try tmux.keys("Tab", "p")                   // the technique, keyed
        try tmux.keys("Tab", "Tab", "Tab")
        try tmux.type("0")                          // the twitches, keyed (0 is an answer)
        try tmux.keys("Tab", "Tab", "Tab", "n")     // no adverse event: keyed, never assumed
        try tmux.keys("Tab", "y")                   // the sharps disposal, keyed
        try tmux.keys("C-s")
        try tmux.waitFor("Needling entry saved: Soleus, left, 1 in, 1 out.")

        // The next entry remembers the needle; typing the lot and counts again replaces them.
        try tmux.keys("F4")
        try tmux.waitFor("Needling for Smith, Jane")
        try tmux.type("soleus")
        try tmux.keys("Tab", "r", "Tab", "Tab", "Tab")
        try tmux.type("L2411")
        try tmux.keys("Tab")
        try tmux.type("2")
        try tmux.waitFor("NEEDLE COUNT: 3 in, 1 out")
        try tmux.keys("Tab")
        try tmux.type("2")
        try tmux.waitFor("Needle count for the visit: 3 in, 3 out (balanced)")
        try tmux.keys("Tab", "p")                   // the technique, keyed
        try tmux.keys("Tab", "Tab", "Tab")
        try tmux.type("0")                          // the twitches, keyed (0 is an answer)
        try tmux.keys("Tab", "Tab", "Tab", "n")     // no adverse event: keyed, never assumed
        try tmux.keys("Tab", "y")                   // the sharps disposal, keyed
        try tmux.keys("C-s")
        try tmux.waitFor("Needling entry saved: Soleus, right, 2 in, 2 out.")

        // Esc on a filled form asks; y discards.
        try tmux.keys("F3")
        try tmux.waitFor("Trigger point for Smith, Jane")
        try tmux.type("gastroc")
        try tmux.keys("Escape")
        try tmux.waitFor("Discard the typing? y/n")
        try tmux.keys("n")
        try tmux.waitFor("Kept: go on typing.")
        try tmux.keys("Escape")
        try tmux.waitFor("Discard the typing? y/n")
        try tmux.keys("y")
        try tmux.waitFor("Cancelled: nothing saved.")

        // F10 shows what will be signed and asks once.
        try tmux.keys("F10")
        let summary = try tmux.waitFor("y signs · any other key cancels")
        #expect(summary.contains("Sign visit 1 for Smith, Jane?"))
        #expect(summary.contains("Pain now: 10 (NPRS 0-10)"), "\(summary)")
        #expect(summary.contains("Needles: 3 in, 3 out (balanced)"))
        #expect(summary.contains("Needling sites: 2: Soleus left, Soleus right"))
        #expect(summary.contains("Trigger points: none"))
        #expect(try shown(clinic)["status"] as? String == "draft", "nothing signed before y")
        try tmux.keys("y")
        try tmux.waitFor("Visit 1 signed.")
        try tmux.keys("q")

        let visit = try shown(clinic)
        #expect(visit["status"] as? String == "signed")
        #expect(((visit["pain"] as? [String: Any])?["now"] as? NSNumber)?.intValue == 10)
        #expect((visit["triggerPoints"] as? [Any] ?? []).isEmpty, "the discarded form saved nothing")
        let needling = try #require(visit["needling"] as? [[String: Any]])
        #expect(needling.count == 2)
        let second = try #require(needling.last)
        #expect((second["needle"] as? [String: Any])?["lot"] as? String == "L2411", "not L2411L2411")
        #expect((second["needlesInserted"] as? NSNumber)?.intValue == 2, "not 12")
        #expect((second["needlesRemoved"] as? NSNumber)?.intValue == 2)
    }
}
