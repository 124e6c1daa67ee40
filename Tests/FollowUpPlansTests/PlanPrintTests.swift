import Foundation
import Testing
import ClinicModel
import FollowUpPlans

/// The HTML plan and letter as they come off a printer: printed by headless Chromium to PDF on A4
/// and on US Letter, turned into page images with pdftoppm, and checked as images: the page is the
/// paper's size, every page carries something, and nothing runs into the right-hand margin (a
/// body chart or a long line cut off at the paper's edge).
///
/// Needs `chromium` and `pdftoppm` (Debian: `apt-get install chromium poppler-utils`); skipped
/// without them. `KNOT_PRINT_KEEP=DIR` keeps the PNG pages there to look at.
@Suite("Printing the HTML plan and letter on A4 and US Letter", .enabled(if: PrintCheck.available))
struct PlanPrintTests {
    typealias F = PlanFixtures

    static let clinic = ClinicProfile(
        name: "Harbour Physio & Podiatry", address: "Level 2, 10 Quay St\nSydney NSW 2000", phone: "(02) 9555 0100",
        email: "hello@harbourphysio.example", website: "harbourphysio.example", businessNumber: "12 345 678 901", country: "AU")

    @Test("the page fits the paper, every page has content, the right margin stays clear",
          arguments: [PlanAudience.patient, .referrer], [PrintCheck.Paper.a4, .letter])
    func printsCleanly(_ audience: PlanAudience, _ paper: PrintCheck.Paper) throws {
        let ctx = PlanContext(patient: F.patient, visit: F.fullVisit, history: F.earlierVisits + [F.fullVisit], referral: F.referral,
                              sessionsUsed: 3, practitioner: F.practitioner, clinic: Self.clinic, today: F.date("2026-07-07"))
        let html = PlanHTMLRenderer.render(PlanBuilder.build(ctx), context: ctx, audience: audience)
        let pages = try PrintCheck.print(html, paper: paper, name: "\(audience.rawValue)-\(paper.rawValue)")
        try #require(!pages.isEmpty)
        #expect(pages.count <= 4, "\(pages.count) pages")
        for (n, page) in pages.enumerated() {
            // 50 dpi: A4 is 413 × 585 pixels, Letter 425 × 550.
            #expect(abs(page.width - paper.pixels.width) <= 2 && abs(page.height - paper.pixels.height) <= 2,
                    "page \(n + 1) is \(page.width) × \(page.height), not \(paper.rawValue)")
            #expect(page.inkFraction(x: 0..<page.width, y: 0..<page.height) > 0.001, "page \(n + 1) is blank")
            // The outer 8 mm (16 px) on the right: paper only.
            let strip = (page.width - 16)..<page.width
            #expect(page.inkFraction(x: strip, y: 0..<page.height) == 0, "page \(n + 1) prints into the right margin")
        }
    }

    @Test("the letter with an adverse event and outcome trends prints cleanly", arguments: [PrintCheck.Paper.a4, .letter])
    func theAdverseEventAndOutcomesLetterPrintsCleanly(_ paper: PrintCheck.Paper) throws {
        let ctx = LetterGoldenTests.adverseAndOutcomesContext
        let html = PlanHTMLRenderer.render(PlanBuilder.build(ctx), context: ctx, audience: .referrer)
        let pages = try PrintCheck.print(html, paper: paper, name: "letter-adverse-outcomes-\(paper.rawValue)")
        try #require(!pages.isEmpty)
        #expect(pages.count <= 3, "\(pages.count) pages")
        for (n, page) in pages.enumerated() {
            #expect(abs(page.width - paper.pixels.width) <= 2 && abs(page.height - paper.pixels.height) <= 2)
            #expect(page.inkFraction(x: 0..<page.width, y: 0..<page.height) > 0.001, "page \(n + 1) is blank")
            #expect(page.inkFraction(x: (page.width - 16)..<page.width, y: 0..<page.height) == 0, "page \(n + 1) prints into the right margin")
        }
    }
}

enum PrintCheck {
    enum Paper: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case a4 = "A4", letter = "Letter"
        var css: String { self == .a4 ? "A4" : "letter" }
        var pixels: (width: Int, height: Int) { self == .a4 ? (413, 585) : (425, 550) }
        var testDescription: String { rawValue }
    }

    /// A page image: RGB rows from a binary PPM.
    struct Page {
        var width: Int, height: Int
        var rgb: [UInt8]
        /// The share of pixels in the rectangle that are not near-white.
        func inkFraction(x: Range<Int>, y: Range<Int>) -> Double {
            var ink = 0
            for row in y {
                for col in x {
                    let i = (row * width + col) * 3
                    if min(rgb[i], rgb[i + 1], rgb[i + 2]) < 235 { ink += 1 }
                }
            }
            return Double(ink) / Double(max(1, x.count * y.count))
        }
    }

    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let pdftoppm = ["/usr/bin/pdftoppm"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var available: Bool { chromium != nil && pdftoppm != nil }

    /// Prints `html` on `paper` (the page's own CSS leaves the size to the printer, as a browser's
    /// print dialog does; here the paper is chosen with one added `@page` rule) and returns its pages.
    static func print(_ html: String, paper: Paper, name: String) throws -> [Page] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("knot-print-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = html.replacingOccurrences(of: "</head>", with: "<style>@page { size: \(paper.css); }</style></head>")
        let htmlFile = dir.appendingPathComponent("\(name).html")
        try Data(page.utf8).write(to: htmlFile)
        let pdf = dir.appendingPathComponent("\(name).pdf")
        try run(chromium!, ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--user-data-dir=\(dir.path)/profile",
                            "--print-to-pdf=\(pdf.path)", htmlFile.absoluteString])
        try run(pdftoppm!, ["-r", "50", pdf.path, dir.appendingPathComponent("page").path])
        if let keep = ProcessInfo.processInfo.environment["KNOT_PRINT_KEEP"] {
            try run(pdftoppm!, ["-r", "60", "-png", pdf.path, (keep as NSString).appendingPathComponent(name)])
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("page") && $0.hasSuffix(".ppm") }.sorted()
        return try files.map { try ppm(Data(contentsOf: dir.appendingPathComponent($0))) }
    }

    static func run(_ tool: String, _ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(tool) exited \(p.terminationStatus)"]) }
    }

    /// A binary PPM (P6, maxval 255).
    static func ppm(_ data: Data) throws -> Page {
        let bytes = [UInt8](data)
        var fields: [String] = []
        var i = 0
        while fields.count < 4 {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
            var field = ""
            while i < bytes.count, !(bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09) {
                field.append(Character(UnicodeScalar(bytes[i]))); i += 1
            }
            fields.append(field)
        }
        i += 1
        guard fields[0] == "P6", let w = Int(fields[1]), let h = Int(fields[2]), bytes.count - i >= w * h * 3 else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return Page(width: w, height: h, rgb: Array(bytes[i..<(i + w * h * 3)]))
    }
}
