import Testing
import SeededRandom
import TerminalKit

/// The SGR parameter lists in `bytes`, e.g. [[0], [0, 1, 31]].
private func sgrParameters(in bytes: [UInt8]) -> [[Int]] {
    var result: [[Int]] = []
    var index = 0
    while index + 1 < bytes.count {
        guard bytes[index] == 0x1B, bytes[index + 1] == 0x5B else { index += 1; continue }
        var end = index + 2
        while end < bytes.count, !(0x40...0x7E).contains(bytes[end]) { end += 1 }
        if end < bytes.count, bytes[end] == 0x6D { // m
            let parameters = String(decoding: bytes[(index + 2)..<end], as: UTF8.self)
            result.append(parameters.split(separator: ";").compactMap { Int($0) })
        }
        index = end + 1
    }
    return result
}

private func patientList(selected: Int, size: TerminalSize = TerminalSize(rows: 6, columns: 24)) -> ScreenBuffer {
    var frame = ScreenBuffer(size: size)
    frame.drawBox(frame.bounds, title: "Patients")
    let names = ["Ann Ørsted", "山田 太郎", "Zoë 😀 Li", "Bob"]
    for (index, name) in names.enumerated() where index + 1 < size.rows - 1 {
        let style: Style = index == selected ? .reverse : .plain
        frame.put(name, row: index + 1, column: 1, width: size.columns - 2, alignment: .left, style: style)
    }
    return frame
}

@Suite("Renderer and in-memory terminal")
struct RendererTests {
    @Test func drawingAThenBShowsB() throws {
        let terminal = InMemoryTerminal(rows: 6, columns: 24)
        var renderer = Renderer(colorPolicy: .color)
        let first = patientList(selected: 0)
        let second = patientList(selected: 2)
        try renderer.draw(first, on: terminal)
        #expect(terminal.screenText == first.text)
        try renderer.draw(second, on: terminal)
        #expect(terminal.screenText == second.text)
        #expect(terminal.screen.cells == second.cells, "styles match too")
        #expect(terminal.unrecognizedSequences == [])
    }

    @Test func screenAsText() throws {
        let terminal = InMemoryTerminal(rows: 6, columns: 24)
        var renderer = Renderer(colorPolicy: .color)
        try renderer.draw(patientList(selected: 1), on: terminal)
        #expect(terminal.screenText == """
            ┌ Patients ────────────┐
            │Ann Ørsted            │
            │山田 太郎             │
            │Zoë 😀 Li             │
            │Bob                   │
            └──────────────────────┘
            """)
    }

    @Test func oneChangedCellCostsFewerBytesThanAFullRedraw() {
        var frame = patientList(selected: 0)
        var renderer = Renderer(colorPolicy: .color)
        let full = renderer.render(frame)
        frame.put("B", row: 4, column: 1, style: .bold)
        let diff = renderer.render(frame)
        #expect(!diff.isEmpty)
        #expect(diff.count * 5 < full.count, "diff \(diff.count) bytes, full \(full.count) bytes")

        var fresh = Renderer(colorPolicy: .color)
        #expect(fresh.render(frame).count > diff.count)
    }

    @Test func anUnchangedFrameWritesNothing() {
        let frame = patientList(selected: 0)
        var renderer = Renderer(colorPolicy: .color)
        _ = renderer.render(frame)
        #expect(renderer.render(frame) == [])
    }

    @Test func outputIsDeterministic() {
        var first = Renderer(colorPolicy: .color)
        var second = Renderer(colorPolicy: .color)
        #expect(first.render(patientList(selected: 0)) == second.render(patientList(selected: 0)))
        #expect(first.render(patientList(selected: 3)) == second.render(patientList(selected: 3)))
    }

    @Test func resizeTriggersAFullRedraw() throws {
        let terminal = InMemoryTerminal(rows: 6, columns: 24)
        var renderer = Renderer(colorPolicy: .color)
        try renderer.draw(patientList(selected: 0), on: terminal)

        terminal.resize(to: TerminalSize(rows: 8, columns: 30))
        #expect(terminal.consumeResize())
        #expect(!terminal.consumeResize(), "reported once")
        terminal.clearOutputLog()
        let bigger = patientList(selected: 0, size: terminal.size)
        try renderer.draw(bigger, on: terminal)
        #expect(terminal.outputTranscript.contains("␛[2J"), "size change means full redraw")
        #expect(terminal.screenText == bigger.text)
    }

    @Test func invalidateForcesAFullRedraw() {
        let frame = patientList(selected: 0)
        var renderer = Renderer(colorPolicy: .color)
        let full = renderer.render(frame)
        renderer.invalidate()
        #expect(renderer.render(frame) == full)
    }

    @Test func fullRedrawRepairsAScreenSomethingElseWroteOn() throws {
        let terminal = InMemoryTerminal(rows: 6, columns: 24)
        var renderer = Renderer(colorPolicy: .color)
        let frame = patientList(selected: 0)
        try renderer.draw(frame, on: terminal)
        terminal.write("\u{1B}[3;3Hgarbage")
        try terminal.flush()
        renderer.invalidate()
        try renderer.draw(frame, on: terminal)
        #expect(terminal.screenText == frame.text)
    }

    @Test func noColorDropsColoursButKeepsAttributes() {
        var frame = ScreenBuffer(rows: 2, columns: 10)
        frame.put("alert", row: 0, column: 0, style: Style.bold.withForeground(.red).withBackground(.brightYellow))
        frame.put("sel", row: 1, column: 0, style: Style.reverse.withForeground(.blue))

        var plain = Renderer(colorPolicy: .noColor)
        let codes = sgrParameters(in: plain.render(frame)).flatMap { $0 }
        #expect(!codes.contains(where: { (30...49).contains($0) || (90...107).contains($0) }))
        #expect(codes.contains(1))
        #expect(codes.contains(7))

        var coloured = Renderer(colorPolicy: .color)
        let colourCodes = sgrParameters(in: coloured.render(frame)).flatMap { $0 }
        #expect(colourCodes.contains(31))
        #expect(colourCodes.contains(103))
        #expect(colourCodes.contains(34))
    }

    @Test func noColorEnvironmentValue() {
        #expect(ColorPolicy.forNoColorValue(nil) == .color)
        #expect(ColorPolicy.forNoColorValue("") == .color)
        #expect(ColorPolicy.forNoColorValue("1") == .noColor)
    }

    @Test func colourOnlyChangeUnderNoColorShowsSameScreen() throws {
        let terminal = InMemoryTerminal(rows: 1, columns: 5)
        var renderer = Renderer(colorPolicy: .noColor)
        var frame = ScreenBuffer(rows: 1, columns: 5)
        frame.put("ab", row: 0, column: 0, style: Style.plain.withForeground(.green))
        try renderer.draw(frame, on: terminal)
        #expect(terminal.screen[0, 0].style == .plain)
        #expect(terminal.screenText == "ab")
    }

    @Test func wideCharactersReplacedByNarrowAndBack() throws {
        let terminal = InMemoryTerminal(rows: 1, columns: 8)
        var renderer = Renderer(colorPolicy: .color)
        var frame = ScreenBuffer(rows: 1, columns: 8)
        frame.put("中文x", row: 0, column: 0)
        try renderer.draw(frame, on: terminal)
        frame.fill(frame.bounds)
        frame.put("abc😀", row: 0, column: 0)
        try renderer.draw(frame, on: terminal)
        #expect(terminal.screenText == "abc😀")
        frame.put("字", row: 0, column: 1)
        try renderer.draw(frame, on: terminal)
        #expect(terminal.screenText == "a字😀")
        #expect(terminal.screen.cells == frame.cells)
    }

    @Test func multiScalarGraphemesDoNotShiftTheLine() throws {
        let terminal = InMemoryTerminal(rows: 1, columns: 12)
        var renderer = Renderer(colorPolicy: .color)
        var frame = ScreenBuffer(rows: 1, columns: 12)
        frame.put("e\u{301}x👨‍👩‍👧y❤️z", row: 0, column: 0)
        try renderer.draw(frame, on: terminal)
        #expect(terminal.screen.cells == frame.cells)
        #expect(terminal.screenText == "e\u{301}x👨‍👩‍👧y❤️z")
    }

    @Test func cursorIsShownWhereTheFrameAsks() throws {
        let terminal = InMemoryTerminal(rows: 3, columns: 10)
        var renderer = Renderer(colorPolicy: .color)
        var frame = ScreenBuffer(rows: 3, columns: 10)
        frame.put("Name: Ann", row: 1, column: 0)
        frame.cursor = ScreenPosition(row: 1, column: 9)
        try renderer.draw(frame, on: terminal)
        #expect(terminal.isCursorVisible)
        #expect(terminal.cursor == ScreenPosition(row: 1, column: 9))

        frame.cursor = nil
        try renderer.draw(frame, on: terminal)
        #expect(!terminal.isCursorVisible)
    }

    @Test func randomFramesAlwaysReachTheScreen() throws {
        var generator = SplitMix64(state: 2024)
        let terminal = InMemoryTerminal(rows: 5, columns: 13)
        var renderer = Renderer(colorPolicy: .color)
        let pieces = ["Ann", "山田", "😀", "e\u{301}", "─┼─", "👍🏽", "x", "Zoë", "中文字"]
        let styles: [Style] = [.plain, .bold, .reverse, .dim, .underline, Style.plain.withForeground(.cyan)]
        var frame = ScreenBuffer(rows: 5, columns: 13)
        for step in 0..<300 {
            if generator.next() % 7 == 0 { frame = ScreenBuffer(rows: 5, columns: 13) }
            for _ in 0..<Int(generator.next() % 4) {
                frame.put(pieces[Int(generator.next() % UInt64(pieces.count))],
                          row: Int(generator.next() % 5), column: Int(generator.next() % 14) - 1,
                          style: styles[Int(generator.next() % UInt64(styles.count))])
            }
            frame.cursor = generator.next() % 2 == 0 ? nil : ScreenPosition(row: Int(generator.next() % 5), column: 3)
            try renderer.draw(frame, on: terminal)
            #expect(terminal.screen.cells == frame.cells, "step \(step)")
            if terminal.screen.cells != frame.cells { break }
        }
        #expect(terminal.unrecognizedSequences == [])
    }

    @Test func outputReachesTheScreenOnlyOnFlush() throws {
        let terminal = InMemoryTerminal(rows: 2, columns: 10)
        var renderer = Renderer(colorPolicy: .color)
        var frame = ScreenBuffer(rows: 2, columns: 10)
        frame.put("hello", row: 0, column: 0)
        terminal.write(renderer.render(frame))
        #expect(terminal.screenText == "\n")
        try terminal.flush()
        #expect(terminal.screenText == "hello\n")
    }
}
