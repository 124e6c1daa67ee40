import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import TerminalKit
@testable import ClinicTUI

/// Whole screens as the user meets them: keys played on an in-memory terminal, a real
/// database with the demo clinic, the screen compared with a golden file.
@Suite struct ScreenTests {
    @Test func patientListOpensOnAllPatientsWithStatusLine() throws {
        let tui = try TUIHarness("list")
        try expectGolden("patient-list", tui.screen)
        #expect(tui.lines.last?.contains("/tmp/knot-tui-tests/list.sqlite") == true)
        #expect(tui.lines.last?.contains("mchen (Mei Chen, practitioner)") == true)
        // The search field has the caret.
        #expect(tui.terminal.isCursorVisible)
        #expect(tui.terminal.cursor == ScreenPosition(row: 1, column: 9))
        // The first patient is selected: reverse video across the row.
        #expect(tui.terminal.screen[3, 2].style.isReversed)
        #expect(!tui.terminal.screen[4, 2].style.isReversed)
        try tui.press(.down)
        #expect(tui.terminal.screen[4, 2].style.isReversed)
        #expect(!tui.terminal.screen[3, 2].style.isReversed)
    }

    @Test func searchNarrowsOnEveryKeystroke() throws {
        let tui = try TUIHarness("search")
        var counts: [Int] = []
        for character in "smi" {
            try tui.type(String(character))
            guard case .patientList(let list) = tui.app.state.current else {
                Issue.record("left the patient list")
                return
            }
            counts.append(list.patients.count)
            #expect(tui.lines[1].contains("Search: " + list.search.text))
        }
        #expect(counts[0] > counts[1] && counts[1] >= counts[2] && counts[2] >= 1, "counts \(counts)")
        #expect(tui.screen.contains("Smith, Jo"))
        #expect(!tui.screen.contains("Müller, Zoë"))
        try expectGolden("search-smi", tui.screen)

        // Backspace widens again; Esc clears the search.
        try tui.press(.backspace, .backspace, .backspace)
        #expect(tui.screen.contains("Brown, Oliver"))
        try tui.type("zzzq")
        #expect(tui.screen.contains("No patient matches \"zzzq\"."))
        try tui.press(.escape)
        #expect(tui.lines[1].trimmingCharacters(in: .whitespaces) == "Search:")
        #expect(tui.app.state.isRunning, "q in the search field is a letter, not quit")
    }

    @Test func chartShowsPrecautionBannerInReverseVideo() throws {
        let tui = try TUIHarness("chart")
        try tui.type("alvarez")
        try tui.press(.enter)
        try expectGolden("chart-precaution", tui.screen)
        let row = try #require(tui.row(containing: "PRECAUTION: anticoagulant medicine"))
        for column in [0, 40, 79] {
            #expect(tui.terminal.screen[row, column].style.isReversed, "banner cell \(column) not reversed")
        }
        #expect(tui.screen.contains("Pain (NPRS now, oldest → newest)"))
    }

    @Test func chartTimelineShowsThePainTrendAndVisitsNewestFirst() throws {
        let tui = try TUIHarness("timeline")
        try tui.type("smith")
        try tui.press(.enter)
        try expectGolden("chart-timeline", tui.screen)
        guard case .chart(let chart) = tui.app.state.current else {
            Issue.record("no chart")
            return
        }
        let visits = chart.chart.visits
        #expect(visits.count > 1)
        #expect(zip(visits, visits.dropFirst()).allSatisfy { $0.startedAt >= $1.startedAt })
        let trend = PainTrend.sparkline(visits.reversed().map(\.painNow))
        #expect(tui.screen.contains(trend))
        // Down then Enter opens the second newest visit.
        try tui.press(.down, .enter)
        guard case .visit(let visit) = tui.app.state.current else {
            Issue.record("no visit")
            return
        }
        #expect(visit.record.visit.id == visits[1].id)
    }

    @Test func proposedAlertIsMarkedNotYetConfirmed() throws {
        let tui = try TUIHarness("proposed")
        try tui.type("cohen")
        try tui.press(.enter)
        let row = try #require(tui.row(containing: "PROPOSED PRECAUTION, NOT YET CONFIRMED"))
        #expect(tui.terminal.screen[row, 5].style.isReversed)
    }

    @Test func visitViewShowsFindingsAndNeedlingReadOnly() throws {
        let tui = try TUIHarness("visit")
        try tui.type("alvarez")
        try tui.press(.enter, .enter)
        try expectGolden("visit-view", tui.screen)
        #expect(!tui.screen.contains("Dry needling"))
        // Scrolling reaches the needling at the end; Esc goes back to the chart.
        try tui.press(.pageDown, .pageDown, .pageDown)
        #expect(tui.screen.contains("Dry needling (3 in, 3 out)"))
        #expect(tui.lines[tui.lines.count - 2].trimmingCharacters(in: .whitespaces).isEmpty == false, "the last page is full")
        try tui.press(.escape)
        #expect(tui.screen.contains("PRECAUTION: anticoagulant medicine"))
        try tui.press(.escape)
        #expect(tui.lines[1].contains("Search: alvarez"))
    }

    @Test func unbalancedNeedleCountIsFlaggedOnChartAndVisit() throws {
        let tui = try TUIHarness("needles") { setup in
            try setup.database.write { tx in
                let patient = try #require(try tx.searchPatients("Müller").first)
                let draft = try #require(try tx.visitSummaries(patientID: patient.id).first { $0.status == .draft })
                let entry = NeedlingEntry(muscleID: "gastrocnemius-medial", side: .left,
                                          needle: Needle(brand: "Seirin", gaugeMm: 0.25, lengthMm: 40, lot: "T1"),
                                          needlesInserted: 3, needlesRemoved: 1, technique: .staticInSitu)
                _ = try tx.insertNeedling(entry, visitID: draft.id, actor: "tester")
            }
        }
        try tui.type("muller")
        try tui.press(.enter)
        #expect(tui.screen.contains("! "), "chart row warns:\n\(tui.screen)")
        let warning = try #require(tui.lines.first { $0.contains(" out ") && $0.contains("! ") })
        #expect(warning.contains("draft"))
        try expectGolden("chart-needle-warning", tui.screen)
        // Open the draft (the newest visit) and see the count.
        try tui.press(.enter)
        #expect(tui.screen.contains("NEEDLE COUNT:"))
        #expect(tui.screen.contains("2 unaccounted for"))
    }

    @Test func helpOverlayListsTheScreensKeys() throws {
        let tui = try TUIHarness("help")
        try tui.press(.character("?"))
        try expectGolden("help-patient-list", tui.screen)
        for binding in KeyMap.bindings(for: .patientList) {
            #expect(tui.screen.contains(binding.help), "help is missing \(binding.help)")
        }
        #expect(!tui.terminal.isCursorVisible)
        try tui.press(.character("x"))
        #expect(!tui.screen.contains("Keys: Patients"))
        #expect(tui.lines[1].trimmingCharacters(in: .whitespaces) == "Search:", "the key that closes help is not typed")
    }

    @Test func firstRunOffersDemoOrEmpty() throws {
        let tui = try TUIHarness("first-run", demo: false, user: nil)
        // Nobody chosen: the status line names the system's login running the tests (never
        // $USER), shown in the golden file as "tester".
        let login = try #require(getpwuid(geteuid()).flatMap { $0.pointee.pw_name.map { String(cString: $0) } })
        #expect(tui.lines.last?.contains("· \(login) (no practitioner chosen)") == true, "\(tui.lines.last ?? "")")
        try expectGolden("first-run", Self.namingTester(tui.screen, login: login))
        try tui.press(.character("d"))
        #expect(tui.screen.contains("Demo clinic loaded:"))
        // Loaded by nobody (no account yet): the demo's accounts are how to go on.
        let again = try TUIHarness(sharing: tui, user: "mchen")
        #expect(again.screen.contains("Al-Hassan, Mohammed"))
    }

    /// `screen` with the login in its status line shown as "tester", the line kept as wide.
    static func namingTester(_ screen: String, login: String) -> String {
        screen.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let from = "· \(login) (no practitioner chosen)", to = "· tester (no practitioner chosen)"
            guard line.contains(from), let help = line.range(of: "? help") else { return String(line) }
            var left = String(line[..<help.lowerBound]).replacingOccurrences(of: from, with: to)
            let width = line[..<help.lowerBound].count
            while left.count > width, left.hasSuffix("  ") { left.removeLast() }
            while left.count < width { left += " " }
            return left + line[help.lowerBound...]
        }.joined(separator: "\n")
    }

    @Test func firstRunCanStartEmpty() throws {
        let tui = try TUIHarness("first-run-empty", demo: false, user: nil)
        try tui.press(.character("e"))
        #expect(tui.screen.contains("Empty clinic"))
        #expect(tui.screen.contains("No patients yet."))
        // Nobody has an account yet: the way to make the first is named.
        #expect(tui.screen.contains("knot init --handle"))
        #expect(try tui.session.hasNoPatients())
    }

    @Test func resizeRedrawsAtTheNewSize() throws {
        let tui = try TUIHarness("resize", rows: 30, columns: 100)
        try tui.type("alvarez")
        try tui.press(.enter)
        try expectGolden("resize-100x30", tui.screen)
        try tui.resize(rows: 24, columns: 80)
        try expectGolden("resize-80x24", tui.screen)
        #expect(tui.lines.count == 24)
        #expect(tui.lines.allSatisfy { displayWidth(of: $0) <= 80 })
    }

    @Test func narrowScreenLaysOutAccentedAndWideNames() throws {
        let tui = try TUIHarness("narrow", rows: 16, columns: 60, demo: false, user: "amy") { setup in
            _ = try setup.addPractitioner(Practitioner(handle: "amy", name: "Amy Nguyen", profession: .physiotherapist))
            let people: [(String, String)] = [
                ("芳", "王"), ("Zoë", "Müller"), ("Thị Minh Khai", "Nguyễn"), ("Søren Kierkegaard", "Ørsted-Ødegård"),
                ("太郎", "山田"), ("Siobhán", "O'Brien"), ("José", "Álvarez"),
            ]
            for (given, family) in people {
                _ = try setup.addPatient(Patient(recordNumber: "", givenNames: given, familyName: family,
                                                 dateOfBirth: try LocalDate(year: 1980, month: 5, day: 17)), today: fixedToday)
            }
        }
        try expectGolden("narrow-60", tui.screen)
        for line in tui.lines {
            #expect(displayWidth(of: line) <= 60, "too wide: \(line)")
        }
        // The born column lines up whatever the width of the name.
        let bornColumns = tui.lines.filter { $0.contains("1980-05-17") }.map { line in
            displayWidth(of: String(line[..<line.range(of: "1980-05-17")!.lowerBound]))
        }
        #expect(bornColumns.count == 7 && Set(bornColumns).count == 1, "\(bornColumns)")
    }

    @Test func recordTextCannotActOnTheTerminal() throws {
        let tui = try TUIHarness("hostile", demo: false, user: "pat") { setup in
            let author = try setup.addPractitioner(Practitioner(handle: "pat", name: "Pat Lee", profession: .physiotherapist))
            let alert = PatientAlert(kind: .precaution(.anticoagulant), text: "Warfarin\n\u{202E}gnissecca", status: .confirmed)
            let patient = try setup.addPatient(Patient(recordNumber: "", givenNames: "Ann", familyName: "Lee",
                                                       dateOfBirth: try LocalDate(year: 1970, month: 1, day: 1), alerts: [alert]),
                                               today: fixedToday)
            try setup.database.write { tx in
                _ = try tx.insertVisit(Visit(patientID: patient.id!, practitionerID: author.id!, startedAt: fixedNow,
                                             complaint: "Neck\n\tstiff \u{2066}x\u{2069}"), actor: "tester")
            }
        }
        try tui.type("lee")
        try tui.press(.enter)
        #expect(tui.screen.contains("PRECAUTION: anticoagulant medicine: Warfarin"))
        #expect(tui.screen.contains("Neck stiff \u{FFFD}x\u{FFFD}"), "line breaks flattened, isolates replaced:\n\(tui.screen)")
        let bidi: Set<Unicode.Scalar> = ["\u{202E}", "\u{2066}", "\u{2069}"]
        #expect(!tui.terminal.outputTranscript.unicodeScalars.contains(where: bidi.contains))
        #expect(tui.terminal.unrecognizedSequences.isEmpty)
    }

    @Test func receptionSeesNoClinicalNotes() throws {
        let tui = try TUIHarness("reception", user: "reception")
        try tui.type("alvarez")
        try tui.press(.enter)
        #expect(tui.screen.contains("Clinical notes hidden"))
        #expect(tui.screen.contains("PRECAUTION: anticoagulant medicine"))
        #expect(!tui.screen.contains("NPRS"))
        try tui.press(.enter)
        guard case .chart = tui.app.state.current else {
            Issue.record("Enter opened something for reception")
            return
        }
    }

    @Test func recallListShowsReviewsDueAndOpensCharts() throws {
        let tui = try TUIHarness("recall")
        try tui.press(.ctrl("r"))
        #expect(tui.screen.contains("Reviews due by 2026-11-20"))
        try expectGolden("recall", tui.screen)
        guard case .recall(let recall) = tui.app.state.current, let first = recall.entries.first else {
            Issue.record("no recall entries in the demo clinic")
            return
        }
        try tui.press(.enter)
        #expect(tui.screen.contains(first.patient.displayName))
        #expect(tui.screen.contains("Visits ("))
    }

    @Test func auditLogListsWhoViewedTheChart() throws {
        let tui = try TUIHarness("audit")
        try tui.type("alvarez")
        try tui.press(.enter, .character("a"))
        #expect(tui.screen.contains("Audit trail for Álvarez, José"))
        #expect(tui.screen.contains("mchen      view"), "the chart view just now is logged:\n\(tui.screen)")
        // The views just now carry the real clock's time: times are masked for the golden.
        let masked = tui.screen.replacingOccurrences(of: #"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?"#,
                                                     with: "YYYY-MM-DD hh:mm", options: .regularExpression)
        try expectGolden("audit-log", masked)
        #expect(!tui.screen.contains("tester     create  patient"))
        try tui.press(.pageDown, .pageDown)
        #expect(tui.screen.contains("tester     create  patient"), "the oldest event, at the end:\n\(tui.screen)")
        try tui.press(.escape)
        #expect(tui.screen.contains("PRECAUTION"))
    }

    @Test func runQuitsWithQAndRestoresTheTerminal() throws {
        let path = "/tmp/knot-tui-tests/run.sqlite"
        try FileManager.default.createDirectory(atPath: "/tmp/knot-tui-tests", withIntermediateDirectories: true)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let session = try ClinicSession.open(path: path, handle: nil, environment: ["USER": "tester"])
        let terminal = InMemoryTerminal()
        terminal.enqueue(.character("e"), .character("?"), .character("?"), .ctrl("c"), .character("x"))
        try ClinicTUI.run(session: session, terminal: terminal, today: fixedToday)
        #expect(terminal.hasQueuedInput, "keys after Ctrl-C were not read")
        #expect(!terminal.isFullScreen)
        #expect(terminal.restoreCount == 1)
        #expect(terminal.alternateScreen.text.contains("No patients yet."))
        #expect(terminal.unrecognizedSequences.isEmpty)
    }

    @Test func noColorKeepsReverseVideoButDropsColours() throws {
        let path = "/tmp/knot-tui-tests/nocolor.sqlite"
        try FileManager.default.createDirectory(atPath: "/tmp/knot-tui-tests", withIntermediateDirectories: true)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        try demoTemplate.backup(to: path)
        let setup = try ClinicSession.open(path: path, handle: "mchen", environment: ["USER": "tester"])
        let terminal = InMemoryTerminal()
        terminal.enqueue(keys: "alvarez".map { Key.character($0) } + [.enter, .character("q")])
        try ClinicTUI.run(session: setup, terminal: terminal, today: fixedToday, colorPolicy: .noColor)
        let transcript = terminal.outputTranscript
        #expect(!transcript.contains(";31m") && !transcript.contains("[31m"), "a colour code was written")
        let screen = terminal.alternateScreen
        let row = try #require(screen.lines.firstIndex { $0.contains("PRECAUTION: anticoagulant") })
        #expect(screen[row, 10].style.isReversed)
    }
}
