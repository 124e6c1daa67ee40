import Foundation
import Testing
import ClinicModel
import ClinicServices
import TerminalKit
import ClinicTestSupport
@testable import ClinicTUI

/// A clinic that takes no writes (its key not found, or its keyed point erased outside Knot):
/// the front end says so on its first screen, refuses a save with the same reason, and stays up.
@Suite struct SealRefusalTUITests {
    @Test("keyed_from erased outside Knot: the first screen says nothing can be saved and why; F2's save is refused, the front end stays up")
    func saysSoOnTheFirstScreen() throws {
        let tui = try TUIHarness("seal-refusal", rows: 24, columns: 100, prepare: { setup in
            _ = try SQLiteProbe.python("""
                import sqlite3, sys
                c = sqlite3.connect(sys.argv[1], isolation_level=None)
                c.execute("UPDATE clinic_identity SET keyed_from = NULL")
                c.close()
                """, [setup.database.path])
        })
        let reason = try #require(tui.session.writesRefusedBecause)
        #expect(reason.contains("erased outside Knot"))
        #expect(tui.app.state.message?.kind == .error && tui.app.state.message?.text == "Nothing can be saved: \(reason).", "\(tui.screen)")
        #expect(tui.screen.contains("Nothing can be saved: its keyed-chain point (clinic_identity.keyed_from) was erased outside Knot"), "\(tui.screen)")
        #expect(tui.screen.contains("Smith") || tui.app.state.current.kind == .patientList, "reads still work")

        try tui.press(.function(2))
        try tui.type("Lee")
        try tui.press(.tab)
        try tui.type("Ann")
        try tui.press(.tab, .tab)
        try tui.type("1970-01-01")
        try tui.press(.ctrl("s"))
        #expect(tui.app.state.isRunning)
        #expect(tui.app.state.message?.text.contains("takes no writes") == true, "\(tui.screen)")
    }
}
