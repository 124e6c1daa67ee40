import Foundation
import Testing
import ClinicTestSupport

/// Issue 16's screens in a real terminal (tmux), walked accepting every default: Enter and
/// Ctrl-S wherever they go. The settings screen saves nothing untouched; the impression and the
/// outcome measure are refused until the practitioner says them (no scale, no score, no text
/// pre-filled); what they do say is saved through the same use cases as `knot visit
/// impression` and `knot outcome add`, as `knot visit show` reads back while the front end runs.
@Suite struct AssessmentTmuxTests {
    typealias Tmux = FrontEndTmuxTests.Tmux

    func shown(_ clinic: EndToEndClinic) throws -> [String: Any] {
        let shown = try clinic.knot(["visit", "show", "1", "--json"])
        try #require(shown.status == 0, "\(shown.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        return try #require(json["visit"] as? [String: Any])
    }

    @Test(.enabled(if: FrontEndTmuxTests.tmuxPath != nil, "tmux is not installed: install it to run the front end end to end"))
    func defaultsSaveNothingUnsaidAndWhatIsSaidIsSaved() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        try clinic.addPatient("Jane", "Smith", dob: "1980-05-01", record: "K1")
        let settingsBefore = try clinic.knot(["clinic", "show", "--json"]).stdout

        let tmux = Tmux(tmux: try #require(FrontEndTmuxTests.tmuxPath))
        defer { tmux.kill() }
        let env = ["HOME=\(clinic.home.path)", "KNOT_DATABASE=\(clinic.db)", "KNOT_PRACTITIONER=amy",
                   "LANG=C.UTF-8", "TZ=UTC", "TERM=screen"]
        let command = (["env", "-i"] + env + KnotProcess.keyEnvironment.map { "\($0.key)=\($0.value)" } + [KnotProcess.executable]).map { "'" + $0 + "'" }.joined(separator: " ")
        try tmux.start(command)
        try tmux.waitFor("Smith, Jane")

        // The settings: Enter through them, Ctrl-S: nothing changed, nothing saved.
        try tmux.keys("F9")
        try tmux.waitFor("The clinic's settings: type over a value")
        try tmux.keys("Enter", "Enter", "Enter", "C-s")
        try tmux.waitFor("Not saved: nothing changed")
        try tmux.keys("Escape")
        try tmux.waitFor("Search:")
        #expect(try clinic.knot(["clinic", "show", "--json"]).stdout == settingsBefore)

        try tmux.type("smi")
        try tmux.waitFor("Search: smi")
        try tmux.keys("Enter")
        try tmux.waitFor("Chart · Smith, Jane")
        try tmux.keys("n")
        try tmux.waitFor("New visit for Smith, Jane")
        try tmux.type("Heel pain")
        try tmux.waitFor("Draft visit 1 saved as you type")

        // The impression, untouched: refused.
        try tmux.keys("F8")
        try tmux.waitFor("Clinical impression (working diagnosis) for Smith, Jane")
        try tmux.keys("Enter", "Enter", "Enter", "C-s")
        try tmux.waitFor("Not saved: impression: is required")
        try tmux.keys("Escape")
        try tmux.waitFor("Visit 1 (draft) for Smith, Jane")

        // The outcome measure, untouched: no scale; then LEFS with no scores: refused.
        try tmux.keys("F9")
        try tmux.waitFor("none chosen: l LEFS")
        try tmux.keys("Enter", "C-s")
        try tmux.waitFor("Not saved: measure: choose one first")
        try tmux.keys("l")
        try tmux.waitFor("1. usual work or school (0-4)")
        for _ in 0..<21 { try tmux.keys("Enter") }
        try tmux.keys("C-s")
        try tmux.waitFor("LEFS needs every item answered")
        try tmux.keys("Escape")
        try tmux.waitFor("Discard the typing? y/n")
        try tmux.keys("y")
        try tmux.waitFor("Cancelled: nothing saved.")
        var visit = try shown(clinic)
        #expect(visit["impression"] == nil || visit["impression"] is NSNull, "nothing said, nothing saved: \(visit)")
        #expect((visit["outcomes"] as? [Any] ?? []).isEmpty, "\(visit)")

        // What the practitioner says is saved.
        try tmux.keys("F8")
        try tmux.waitFor("Clinical impression (working diagnosis)")
        try tmux.type("Plantar heel pain")
        try tmux.keys("Tab", "i", "Tab")
        try tmux.type("M72.2")
        try tmux.keys("C-s")
        try tmux.waitFor("Impression saved: Plantar heel pain (ICD-10 M72.2).")
        try tmux.keys("F9")
        try tmux.waitFor("none chosen")
        try tmux.keys("v", "Tab")
        for score in ["8", "7", "6", "7", "8", "6", "4", "20"] {
            try tmux.type(score)
            try tmux.keys("Tab")
        }
        try tmux.waitFor("66/100 (8 of 8 answered)")
        try tmux.keys("C-s")
        try tmux.waitFor("Outcome measure saved: VISA-A 66/100.")

        // F10 then any other key: shown, not signed.
        try tmux.keys("F10")
        let summary = try tmux.waitFor("y signs · any other key cancels")
        #expect(summary.contains("Impression: Plantar heel pain (ICD-10 M72.2)"), "\(summary)")
        #expect(summary.contains("Outcome measures: 1: VISA-A 66/100"), "\(summary)")
        try tmux.keys("Enter")
        try tmux.waitFor("Not signed: the visit stays a draft.")
        try tmux.keys("C-c")

        visit = try shown(clinic)
        #expect(visit["status"] as? String == "draft")
        let impression = try #require(visit["impression"] as? [String: Any])
        #expect(impression["text"] as? String == "Plantar heel pain")
        #expect(impression["code"] as? String == "M72.2" && impression["codeSystem"] as? String == "icd-10")
        let outcomes = try #require(visit["outcomes"] as? [[String: Any]])
        #expect(outcomes.first?["scale"] as? String == "visa-a")
        #expect((outcomes.first?["items"] as? [NSNumber])?.map(\.intValue) == [8, 7, 6, 7, 8, 6, 4, 20])
    }
}
