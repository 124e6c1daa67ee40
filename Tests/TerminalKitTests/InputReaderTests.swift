import Testing
import TerminalKit

@Suite("Input reader and session")
struct InputReaderTests {
    @Test func loneEscapeFromTheQueue() throws {
        let terminal = InMemoryTerminal()
        terminal.enqueue(.escape, .character("q"))
        var reader = InputReader()
        #expect(try reader.nextEvents(from: terminal, timeout: .zero) == [.key(.escape)])
        #expect(try reader.nextEvents(from: terminal, timeout: .zero) == [.key(.character("q"))])
    }

    @Test func escapeFollowedQuicklyByALetterIsAlt() throws {
        let terminal = InMemoryTerminal()
        terminal.enqueue(bytes: [0x1B])
        terminal.enqueue(text: "x")
        var reader = InputReader()
        #expect(try reader.nextEvents(from: terminal, timeout: .zero) == [.key(.alt("x"))])
    }

    @Test func sequenceSplitOverTwoReads() throws {
        let terminal = InMemoryTerminal()
        terminal.enqueue(bytes: [0x1B, 0x5B])
        terminal.enqueue(bytes: [0x42])
        var reader = InputReader()
        #expect(try reader.nextEvents(from: terminal, timeout: .zero) == [.key(.down)])
    }

    @Test func escapeBracketThenPauseIsAltBracket() throws {
        let terminal = InMemoryTerminal()
        terminal.enqueue(bytes: [0x1B, 0x5B])
        terminal.enqueuePause()
        var reader = InputReader()
        #expect(try reader.nextEvents(from: terminal, timeout: .zero) == [.key(.alt("["))])
    }

    @Test func resizeComesFirstAndOnce() throws {
        let terminal = InMemoryTerminal(rows: 10, columns: 40)
        terminal.enqueue(text: "a")
        terminal.resize(to: TerminalSize(rows: 20, columns: 100))
        var reader = InputReader()
        #expect(try reader.nextEvents(from: terminal, timeout: .zero) == [.resized(TerminalSize(rows: 20, columns: 100))])
        #expect(try reader.nextEvents(from: terminal, timeout: .zero) == [.key(.character("a"))])
    }

    @Test func endOfInputEndsTheLoop() throws {
        let terminal = InMemoryTerminal()
        terminal.enqueue(text: "ok")
        var reader = InputReader()
        var keys: [Key] = []
        do {
            while true {
                for case .key(let key) in try reader.nextEvents(from: terminal, timeout: .zero) { keys.append(key) }
            }
        } catch {
            #expect(error == .inputClosed)
        }
        #expect(keys == [.character("o"), .character("k")])
    }

    @Test func sessionEntersAndRestores() throws {
        let terminal = InMemoryTerminal(rows: 3, columns: 10)
        let sawFullScreen = try TerminalSession.withFullScreen(terminal) {
            terminal.isFullScreen && terminal.isRawMode && terminal.isAlternateScreenActive
                && !terminal.isCursorVisible && terminal.isBracketedPasteEnabled && !terminal.isAutowrapEnabled
        }
        #expect(sawFullScreen)
        #expect(!terminal.isFullScreen && !terminal.isRawMode)
        #expect(!terminal.isAlternateScreenActive)
        #expect(terminal.isCursorVisible && terminal.isAutowrapEnabled && !terminal.isBracketedPasteEnabled)
        #expect(terminal.restoreCount == 1)
        #expect(terminal.unrecognizedSequences == [])
    }

    @Test func sessionRestoresWhenTheBodyThrows() {
        struct Boom: Error {}
        let terminal = InMemoryTerminal()
        #expect(throws: Boom.self) {
            try TerminalSession.withFullScreen(terminal) { () throws -> Void in throw Boom() }
        }
        #expect(!terminal.isFullScreen)
        #expect(terminal.restoreCount == 1)
    }

    @Test func asyncSessionRestores() async throws {
        let terminal = InMemoryTerminal()
        let value = try await TerminalSession.withFullScreen(terminal) {
            await Task.yield()
            return terminal.isFullScreen
        }
        #expect(value)
        #expect(!terminal.isFullScreen && terminal.restoreCount == 1)
    }

    @Test func lastFrameStaysReadableAfterRestore() throws {
        let terminal = InMemoryTerminal(rows: 2, columns: 10)
        var renderer = Renderer(colorPolicy: .color)
        try TerminalSession.withFullScreen(terminal) {
            var frame = ScreenBuffer(size: terminal.size)
            frame.put("Goodbye", row: 0, column: 0)
            try renderer.draw(frame, on: terminal)
        }
        #expect(terminal.alternateScreen.text == "Goodbye\n")
        #expect(terminal.screenText == "\n", "the main screen is back")
    }

    @Test func enteringTwiceFails() throws {
        let terminal = InMemoryTerminal()
        try terminal.enterFullScreen()
        #expect(throws: TerminalError.alreadyInFullScreen) { try terminal.enterFullScreen() }
        terminal.restore()
        terminal.restore()
        #expect(terminal.restoreCount == 1, "restore is idempotent")
    }
}
