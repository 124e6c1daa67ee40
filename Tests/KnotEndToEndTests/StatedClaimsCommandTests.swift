import Foundation
import Testing
import ClinicTestSupport

/// "A rule is only as good as its default": `knot finding add` (a trigger point) and `knot needle
/// add` claim nothing for the practitioner, as the front end's F3 and F4 forms do not. The side
/// (but for a midline muscle), active or latent, the taut band, the twitch and the referred pain
/// of a trigger point, the side of a measure (but gait and posture) and of a treated paired
/// muscle, and a needling entry's technique, twitch count, adverse events (or none) and sharps
/// disposal are each stated, or
/// the command exits 64 naming every one missing in one message and writes nothing.
@Suite("knot finding add / needle add: no clinical claim by default")
struct StatedClaimsCommandTests {
    let clinic = EndToEndClinic()

    func json(_ r: KnotProcess.Result) throws -> [String: Any] { try clinic.json(r) }
    func draftVisit() throws -> String { try clinic.draftVisit() }

    /// Runs knot and checks it exits 64 naming each text, with the database unchanged.
    func expectRefused(_ args: [String], naming texts: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = KnotProcess.fingerprint(clinic.db)
        let r = try clinic.knot(args)
        #expect(r.status == 64, "\(args): \(r.status) \(r.stderr)", sourceLocation: sourceLocation)
        for text in texts { #expect(r.stderr.contains(text), "\(args): '\(text)' not in \(r.stderr)", sourceLocation: sourceLocation) }
        #expect(KnotProcess.fingerprint(clinic.db) == before, "\(args) changed the database", sourceLocation: sourceLocation)
    }

    @Test("a trigger point without --taut-band/--no-taut-band is refused naming it; with nothing stated every missing one is named in one message; nothing written")
    func triggerPointClaimsRequired() throws {
        let visit = try draftVisit()
        let tp = ["finding", "add", visit, "--muscle", "gastrocnemius-medial"]
        try expectRefused(tp + ["--side", "left", "--active", "--twitch", "--no-referred"], naming: ["--taut-band or --no-taut-band"])
        let bare = try clinic.knot(tp)
        #expect(bare.status == 64)
        for option in ["--side", "--active or --latent", "--taut-band or --no-taut-band", "--twitch or --no-twitch", "--referred or --no-referred"] {
            #expect(bare.stderr.contains(option), "'\(option)' not in \(bare.stderr)")
        }
        try expectRefused(tp + ["--active", "--taut-band", "--twitch", "--referred"], naming: ["--side"])
        try expectRefused(tp + ["--side", "left", "--taut-band", "--twitch", "--referred"], naming: ["--active or --latent"])
        let shown = try clinic.knot(["visit", "show", visit])
        #expect(!shown.stdout.contains("Gastrocnemius"), "\(shown.stdout)")
    }

    @Test("a trigger point with everything stated is recorded as stated, the negatives too")
    func triggerPointAsStated() throws {
        let visit = try draftVisit()
        let f = try json(clinic.knot(["finding", "add", visit, "--muscle", "gastrocnemius-medial", "--side", "left", "--latent",
                                      "--no-taut-band", "--no-twitch", "--referred", "--json"]))
        #expect(f["side"] as? String == "left")
        #expect(f["activity"] as? String == "latent")
        #expect(f["tautBand"] as? Bool == false)
        #expect(f["localTwitchResponse"] as? Bool == false)
        #expect(f["referredPainReproduced"] as? Bool == true)
        // The visit can be signed with it (nothing else is needed of a trigger point).
        let signed = try clinic.knot(["visit", "sign", visit])
        #expect(signed.status == 0, "\(signed.stderr)")
    }

    @Test("a midline muscle (the diaphragm) needs no --side: it is midline; a left side for it is refused by the model")
    func midlineMuscleSide() throws {
        let visit = try draftVisit()
        let f = try json(clinic.knot(["finding", "add", visit, "--muscle", "diaphragm", "--active", "--taut-band", "--no-twitch",
                                      "--no-referred", "--json"]))
        #expect(f["side"] as? String == "midline")
        let before = KnotProcess.fingerprint(clinic.db)
        let left = try clinic.knot(["finding", "add", visit, "--muscle", "diaphragm", "--side", "left", "--active", "--taut-band",
                                    "--no-twitch", "--no-referred"])
        #expect(left.status != 0)
        #expect(left.stderr.contains("midline muscle"), "\(left.stderr)")
        #expect(KnotProcess.fingerprint(clinic.db) == before)
    }

    @Test("a measure (--kind lunge) takes none of a trigger point's claims: it needs none, and one given is refused naming it")
    func measureTakesNoClaims() throws {
        let visit = try draftVisit()
        let m = try json(clinic.knot(["finding", "add", visit, "--kind", "lunge", "--side", "right", "--value", "8.5", "--json"]))
        #expect((m["measure"] as? [String: Any])?["kind"] as? String == "lunge")
        try expectRefused(["finding", "add", visit, "--kind", "lunge", "--side", "right", "--value", "8.5", "--no-taut-band"],
                          naming: ["--no-taut-band", "trigger point"])
    }

    @Test("a measure taken on a side (lunge, FPI-6) without --side is refused naming it, nothing written; gait and posture are midline")
    func measureSideStated() throws {
        let visit = try draftVisit()
        try expectRefused(["finding", "add", visit, "--kind", "lunge", "--value", "8.5"], naming: ["--kind lunge needs --side"])
        try expectRefused(["finding", "add", visit, "--kind", "fpi6", "--fpi", "2,1,2,1,1,1"], naming: ["--kind fpi6 needs --side"])
        let gait = try json(clinic.knot(["finding", "add", visit, "--kind", "gait", "--gait", "over-pronation", "--json"]))
        #expect(gait["side"] as? String == "midline", "\(gait)")
        let lunge = try json(clinic.knot(["finding", "add", visit, "--kind", "lunge", "--side", "left", "--value", "8.5", "--json"]))
        #expect(lunge["side"] as? String == "left", "\(lunge)")
    }

    @Test("a treatment of a paired muscle without --side is refused naming it, nothing written; stated, the plan sends home only that side")
    func treatmentSideStated() throws {
        let visit = try draftVisit()
        try expectRefused(["treatment", "add", visit, "--kind", "ischaemic-compression", "--muscle", "soleus"],
                          naming: ["--muscle soleus needs --side"])
        let t = try json(clinic.knot(["treatment", "add", visit, "--kind", "ischaemic-compression", "--muscle", "soleus",
                                      "--side", "left", "--json"]))
        #expect(t["side"] as? String == "left", "\(t)")
        // A treatment with no muscle, or of a midline muscle, has no side to state.
        #expect(try clinic.knot(["treatment", "add", visit, "--kind", "stretching"]).status == 0)
        #expect(try clinic.knot(["treatment", "add", visit, "--kind", "pressure-release", "--muscle", "diaphragm"]).status == 0)
        try #require(try clinic.knot(["visit", "sign", visit]).status == 0)
        let plan = try clinic.knot(["plan", visit])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("Left Soleus") && !plan.stdout.contains("Right Soleus"), "\(plan.stdout)")
    }

    @Test("needle add without --technique, --twitches and --sharps-disposed/--no-sharps-disposed is refused naming each; nothing written")
    func needleClaimsRequired() throws {
        let visit = try draftVisit()
        try #require(clinic.knot(["consent", "record", "K1", "--risks", "bruising,soreness,fainting", "--benefits-explained"]).status == 0)
        try #require(clinic.knot(["screen", "record", "K1", "--valid-days", "90", "--none-present"]).status == 0)
        let needle = ["needle", "add", visit, "--muscle", "gastrocnemius-medial", "--side", "left", "--size", "0.25x40",
                      "--brand", "Seirin", "--lot", "L1", "--inserted", "1", "--removed", "1"]
        try expectRefused(needle, naming: ["--technique", "--twitches (0 if none)", "--adverse KIND:SEVERITY or --no-adverse",
                                           "--sharps-disposed or --no-sharps-disposed"])
        try expectRefused(needle + ["--technique", "static", "--twitches", "0"], naming: ["--sharps-disposed or --no-sharps-disposed"])
        try expectRefused(needle + ["--sharps-disposed", "--twitches", "0"], naming: ["--technique"])
        // No twitch count is stated for the practitioner: 0 is an answer, typed like any other.
        try expectRefused(needle + ["--technique", "static", "--sharps-disposed", "--no-adverse"], naming: ["--twitches (0 if none)"])
        // Nor "no adverse event": --no-adverse says it, or --adverse names one; both contradict.
        try expectRefused(needle + ["--technique", "static", "--sharps-disposed", "--twitches", "0"], naming: ["--adverse KIND:SEVERITY or --no-adverse"])
        try expectRefused(needle + ["--technique", "static", "--sharps-disposed", "--twitches", "0", "--no-adverse", "--adverse", "bruising:mild"],
                          naming: ["--no-adverse and --adverse contradict"])
        let help = try clinic.knot(["needle", "add", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Required (nothing is assumed): --technique, --twitches (0 if none)"), "\(help.stdout)")
        #expect(help.stdout.contains("--sharps-disposed or --no-sharps-disposed"), "\(help.stdout)")
        #expect(help.stdout.contains("--removed left out is 0"), "\(help.stdout)")
    }

    @Test("needle add with everything stated is logged as stated; --removed left out is 0, so signing refuses until the needle is out")
    func needleAsStated() throws {
        let visit = try draftVisit()
        try #require(clinic.knot(["consent", "record", "K1", "--risks", "bruising,soreness,fainting", "--benefits-explained"]).status == 0)
        try #require(clinic.knot(["screen", "record", "K1", "--valid-days", "90", "--none-present"]).status == 0)
        let n = try json(clinic.knot(["needle", "add", visit, "--muscle", "gastrocnemius-medial", "--side", "left", "--size", "0.25x40",
                                      "--brand", "Seirin", "--lot", "L1", "--inserted", "1", "--technique", "static",
                                      "--twitches", "2", "--no-adverse", "--no-sharps-disposed", "--json"]))
        #expect(n["sharpsDisposed"] as? Bool == false)
        #expect(n["twitchResponses"] as? Int == 2, "\(n)")
        #expect((n["adverseEvents"] as? [Any])?.isEmpty ?? true, "\(n)")
        #expect(n["needlesRemoved"] as? Int == 0)
        #expect((n["technique"] as? [String: Any])?["kind"] as? String == "static", "\(n)")
        let unsigned = try clinic.knot(["visit", "sign", visit])
        #expect(unsigned.status != 0, "\(unsigned.stderr)")
    }

    @Test("finding add --help says what a trigger point requires")
    func findingHelp() throws {
        try clinic.setUp()
        let help = try clinic.knot(["finding", "add", "--help"])
        #expect(help.status == 0)
        for text in ["assumes nothing; each of these is required", "--active or --latent, --taut-band or --no-taut-band",
                     "--twitch or --no-twitch, --referred or --no-referred"] {
            #expect(help.stdout.contains(text), "'\(text)' not in \(help.stdout)")
        }
    }
}
