import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// The chart shows what the precaution screen in force found, with the practitioner's reasons,
/// in the alerts' reverse video; a stop (unable to consent) first and in capitals.
@Suite struct ChartScreenFindingsTests {
    func chart(_ name: String, present: Set<Precaution>, reasons: [Precaution: String], validDays: Int = 30) throws -> TUIHarness {
        let tui = try TUIHarness(name, user: "mchen") { setup in
            let patient = try #require(try setup.searchPatients("cohen").first { $0.displayName.hasPrefix("Cohen, Daniel") })
            try setup.database.write { tx in
                let author = try #require(try tx.practitioner(handle: "mchen"))
                _ = try tx.insertScreen(PrecautionScreen(patientID: patient.id, practitionerID: author.id!, recordedAt: fixedNow,
                                                         present: present, acknowledgments: reasons,
                                                         validUntil: fixedToday.adding(days: validDays)), actor: "tester")
            }
        }
        try tui.type("cohen")
        try tui.press(.enter)
        #expect(tui.app.state.current.kind == .chart, "\(tui.screen)")
        return tui
    }

    @Test func aStopAndAPrecautionShowWithTheirReasons() throws {
        let tui = try chart("chart-screen-findings", present: [.needlePhobia, .inabilityToConsent],
                            reasons: [.needlePhobia: "fainted at blood tests", .inabilityToConsent: "acute delirium today"])
        let row = try #require(tui.row(containing: "SCREEN 2026-11-20"), "\(tui.screen)")
        // The banner wraps onto a second line at most: read the two as one text.
        let banner = (tui.lines[row] + " " + tui.lines[row + 1]).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(banner.contains("UNABLE TO CONSENT (stop: no needling): acute delirium today; needle phobia: fainted at blood tests"), "\(banner)")
    }

    @Test func aScreenWithNothingPresentAddsNoBanner() throws {
        let tui = try chart("chart-screen-none", present: [], reasons: [:])
        #expect(tui.row(containing: "SCREEN 2026-11-20") == nil, "\(tui.screen)")
    }
}
