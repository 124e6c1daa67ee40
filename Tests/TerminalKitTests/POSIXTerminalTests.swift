#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TerminalKit

/// A pseudo-terminal pair: `controller` is the side a terminal emulator holds, `device` the
/// side the program sees as its terminal.
private final class PseudoTerminal {
    let controller: Int32
    let device: Int32

    init?() {
        // posix_openpt and friends are not in the Glibc module map: look them up at run time.
        typealias DescriptorFunction = @convention(c) (Int32) -> Int32
        typealias NameFunction = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
        guard let library = dlopen(nil, RTLD_NOW),
              let openSymbol = dlsym(library, "posix_openpt"), let grantSymbol = dlsym(library, "grantpt"),
              let unlockSymbol = dlsym(library, "unlockpt"), let nameSymbol = dlsym(library, "ptsname")
        else { return nil }
        let posixOpenpt = unsafeBitCast(openSymbol, to: DescriptorFunction.self)
        let grantpt = unsafeBitCast(grantSymbol, to: DescriptorFunction.self)
        let unlockpt = unsafeBitCast(unlockSymbol, to: DescriptorFunction.self)
        let ptsname = unsafeBitCast(nameSymbol, to: NameFunction.self)
        let controller = posixOpenpt(O_RDWR | O_NOCTTY)
        guard controller >= 0 else { return nil }
        guard grantpt(controller) == 0, unlockpt(controller) == 0, let name = ptsname(controller) else {
            close(controller)
            return nil
        }
        let device = open(name, O_RDWR | O_NOCTTY)
        guard device >= 0 else { close(controller); return nil }
        self.controller = controller
        self.device = device
    }

    deinit {
        close(device)
        close(controller)
    }

    /// What the program wrote to its terminal so far (waits up to 200 ms for the first byte).
    func written() -> String {
        var bytes: [UInt8] = []
        var descriptor = pollfd(fd: controller, events: Int16(POLLIN), revents: 0)
        var wait: Int32 = 200
        while poll(&descriptor, 1, wait) > 0 {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = buffer.withUnsafeMutableBytes { read(controller, $0.baseAddress!, $0.count) }
            if count <= 0 { break }
            bytes += buffer[0..<count]
            wait = 20
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Types bytes as the user would.
    func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(controller, $0.baseAddress!, $0.count) }
    }

    func localModes() -> tcflag_t {
        var modes = termios()
        _ = tcgetattr(device, &modes)
        return modes.c_lflag
    }
}

private let pseudoTerminalsAvailable: Bool = PseudoTerminal() != nil

@Suite("POSIX terminal", .serialized)
struct POSIXTerminalTests {
    @Test func refusesAPipeWithAClearError() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        #expect(throws: TerminalError.notATerminal(stream: "input (file descriptor \(ends[0]))")) {
            _ = try POSIXTerminal(inputDescriptor: ends[0], outputDescriptor: ends[1])
        }
        let error = TerminalError.notATerminal(stream: "standard input")
        #expect(error.description == "standard input is not a terminal; the full-screen interface needs an interactive terminal")
    }

    @Test func refusesDevNullAsOutput() throws {
        guard let terminal = PseudoTerminal() else { return }
        let null = open("/dev/null", O_WRONLY)
        defer { close(null) }
        #expect(throws: TerminalError.notATerminal(stream: "output (file descriptor \(null))")) {
            _ = try POSIXTerminal(inputDescriptor: terminal.device, outputDescriptor: null)
        }
    }

    @Test(.enabled(if: pseudoTerminalsAvailable))
    func rawModeIsEnteredAndRestored() throws {
        let pty = try #require(PseudoTerminal())
        let before = pty.localModes()
        #expect(before & tcflag_t(ECHO) != 0)
        let terminal = try POSIXTerminal(inputDescriptor: pty.device, outputDescriptor: pty.device)

        try terminal.enterFullScreen()
        #expect(terminal.isFullScreen)
        #expect(pty.localModes() & tcflag_t(ECHO | ICANON | ISIG) == 0)
        let entered = pty.written()
        #expect(entered.contains("\u{1B}[?1049h") && entered.contains("\u{1B}[?25l") && entered.contains("\u{1B}[?2004h"))

        let second = try POSIXTerminal(inputDescriptor: pty.device, outputDescriptor: pty.device)
        #expect(throws: TerminalError.alreadyInFullScreen) { try second.enterFullScreen() }

        terminal.restore()
        #expect(!terminal.isFullScreen)
        #expect(pty.localModes() == before)
        let left = pty.written()
        #expect(left.contains("\u{1B}[?1049l") && left.contains("\u{1B}[?25h"))
        terminal.restore() // idempotent
    }

    @Test(.enabled(if: pseudoTerminalsAvailable))
    func keysAndFramesThroughARealTerminal() throws {
        let pty = try #require(PseudoTerminal())
        let terminal = try POSIXTerminal(inputDescriptor: pty.device, outputDescriptor: pty.device)
        try TerminalSession.withFullScreen(terminal) {
            _ = pty.written()
            pty.type("\u{03}\u{1B}[Ah")
            var reader = InputReader()
            var keys: [Key] = []
            for _ in 0..<5 where keys.count < 3 {
                for case .key(let key) in try reader.nextEvents(from: terminal, timeout: .milliseconds(200)) {
                    keys.append(key)
                }
            }
            #expect(keys == [.ctrl("c"), .up, .character("h")], "Ctrl-C is a key in raw mode")

            var renderer = Renderer(colorPolicy: .noColor)
            var frame = ScreenBuffer(size: TerminalSize(rows: 2, columns: 10))
            frame.put("hi", row: 0, column: 0)
            try renderer.draw(frame, on: terminal)
            #expect(pty.written().contains("hi"))
        }
        #expect(!terminal.isFullScreen)
    }

    @Test(.enabled(if: pseudoTerminalsAvailable))
    func readTimesOutWithNothing() throws {
        let pty = try #require(PseudoTerminal())
        let terminal = try POSIXTerminal(inputDescriptor: pty.device, outputDescriptor: pty.device)
        #expect(try terminal.readInput(timeout: .milliseconds(10)) == [])
        #expect(!terminal.consumeResize())
        #expect(terminal.size.rows > 0 && terminal.size.columns > 0)
    }
}
