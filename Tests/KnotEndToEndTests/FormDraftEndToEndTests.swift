import Foundation
import Testing
import ClinicTestSupport

/// Typed work survives the process: a needling entry half typed in the real front end, then
/// the process killed (SIGKILL, no chance to save) or its terminal closed (SIGHUP); the next
/// `knot` on the same file puts the form back when the draft visit is opened.
@Suite struct FormDraftEndToEndTests {
    typealias Tmux = FrontEndTmuxTests.Tmux

    static func command(_ clinic: EndToEndClinic) -> String {
        let env = ["HOME=\(clinic.home.path)", "KNOT_DATABASE=\(clinic.db)", "KNOT_PRACTITIONER=amy",
                   "LANG=C.UTF-8", "TZ=UTC", "TERM=screen"]
        return (["env", "-i"] + env + KnotProcess.keyEnvironment.map { "\($0.key)=\($0.value)" } + [KnotProcess.executable]).map { "'" + $0 + "'" }.joined(separator: " ")
    }

    /// Starts a visit for Jane, records consent and screen, and types part of a needling
    /// entry (soleus, the needle, 3 inserted) without saving it.
    static func typeHalfANeedlingEntry(_ tmux: Tmux) throws {
        try tmux.waitFor("Smith, Jane")
        try tmux.type("smi")
        try tmux.waitFor("Search: smi")
        try tmux.keys("Enter")
        try tmux.waitFor("Chart · Smith, Jane")
        try tmux.keys("n")
        try tmux.waitFor("New visit for Smith, Jane")
        try tmux.type("Calf pain")
        try tmux.waitFor("Draft visit 1 saved as you type")
        try tmux.recordConsentAndScreenNonePresent()
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
        try tmux.type("3")
        try tmux.waitFor("NEEDLE COUNT: 3 in, 0 out")
    }

    /// A new `knot` on the same file: Jane's chart, Enter on the draft visit; the form is back.
    static func comeBack(_ clinic: EndToEndClinic) throws {
        let tmux = Tmux(tmux: try #require(FrontEndTmuxTests.tmuxPath))
        defer { tmux.kill() }
        try tmux.start(command(clinic))
        try tmux.waitFor("Smith, Jane")
        try tmux.type("smi")
        try tmux.waitFor("Search: smi")
        try tmux.keys("Enter")
        try tmux.waitFor("Chart · Smith, Jane")
        try tmux.keys("Enter")
        let screen = try tmux.waitFor("Restored the needling entry you were typing")
        #expect(screen.contains("Needling for Smith, Jane"))
        #expect(screen.contains("Soleus"))
        #expect(screen.contains("NEEDLE COUNT: 3 in, 0 out"))
        try tmux.keys("Tab", "C-u")
        try tmux.type("3")
        try tmux.waitFor("Needle count for the visit: 3 in, 3 out (balanced)")
        try tmux.keys("Tab", "p")                   // the technique, keyed
        try tmux.keys("Tab", "Tab", "Tab")
        try tmux.type("0")                          // the twitches, keyed (0 is an answer)
        try tmux.keys("Tab", "Tab", "Tab", "n")     // no adverse event: keyed, never assumed
        try tmux.keys("Tab", "y")                   // the sharps disposal, keyed
        try tmux.keys("C-s")
        try tmux.waitFor("Needling entry saved: Soleus, left, 3 in, 3 out.")

        let shown = try clinic.knot(["visit", "show", "1", "--json"])
        try #require(shown.status == 0, "\(shown.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        let needling = try #require((json["visit"] as? [String: Any])?["needling"] as? [[String: Any]])
        #expect(needling.count == 1)
        #expect((needling.first?["needlesInserted"] as? NSNumber)?.intValue == 3)
    }

    @Test(.enabled(if: FrontEndTmuxTests.tmuxPath != nil, "tmux is not installed"))
    func aNeedlingEntryTypedBeforeSIGKILLIsBack() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        try clinic.addPatient("Jane", "Smith", dob: "1980-05-01", record: "K1")
        let tmux = Tmux(tmux: try #require(FrontEndTmuxTests.tmuxPath))
        defer { tmux.kill() }
        try tmux.start(Self.command(clinic))
        try Self.typeHalfANeedlingEntry(tmux)
        let pid = try #require(Int32(tmux.run(["display-message", "-p", "-t", "knot", "#{pane_pid}"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, SIGKILL) == 0)
        tmux.kill()

        // `knot check` reminds the clinic of the kept form: where and whose, never what was typed.
        let check = try clinic.knot(["check"])
        #expect(check.status == 0, "a kept form is not a problem: \(check.stderr)")
        #expect(check.stdout.contains("Unsaved forms kept in the front end: 1"))
        #expect(check.stdout.contains("needling on visit:1 by amy"))
        #expect(!check.stdout.contains("A123") && !check.stdout.contains("Seirin"))
        try Self.comeBack(clinic)
        let after = try clinic.knot(["check", "--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: Any])
        #expect((report["unsavedForms"] as? [Any])?.isEmpty == true, "saved: nothing is kept any more")
    }

    @Test(.enabled(if: FrontEndTmuxTests.tmuxPath != nil, "tmux is not installed"))
    func aNeedlingEntryTypedBeforeTheTerminalClosedIsBack() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        try clinic.addPatient("Jane", "Smith", dob: "1980-05-01", record: "K1")
        let tmux = Tmux(tmux: try #require(FrontEndTmuxTests.tmuxPath))
        try tmux.start(Self.command(clinic))
        try Self.typeHalfANeedlingEntry(tmux)
        tmux.kill()  // the terminal goes away: knot gets SIGHUP
        Thread.sleep(forTimeInterval: 0.5)
        try Self.comeBack(clinic)
    }
}
