/// Reads events from a terminal: resizes first, then keys, with the lone-Escape timing done.
///
/// Keeps the `KeyDecoder` between calls, so sequences split across reads decode correctly.
/// A typical front-end loop:
///
///     var reader = InputReader()
///     while running {
///         for event in try reader.nextEvents(from: terminal, timeout: .milliseconds(250)) {
///             ...update state...
///         }
///         try renderer.draw(render(state, terminal.size), on: terminal)
///     }
public struct InputReader: Sendable {
    /// The decoder state between reads.
    public private(set) var decoder = KeyDecoder()

    /// A reader with nothing pending.
    public init() {}

    /// Waits up to `timeout` (nil: forever) for input and returns what happened, possibly
    /// nothing. A pending resize is returned at once, without reading. After an ESC or a
    /// partial sequence it waits up to `KeyDecoder.escapeTimeout` more for the rest.
    /// Throws `.inputClosed` when input ended (after returning any keys still pending).
    public mutating func nextEvents(from terminal: some Terminal, timeout: Duration?) throws(TerminalError) -> [TerminalEvent] {
        if terminal.consumeResize() { return [.resized(terminal.size)] }
        var keys: [Key]
        do {
            keys = decoder.decode(try terminal.readInput(timeout: timeout))
        } catch .inputClosed {
            keys = decoder.flush()
            if keys.isEmpty { throw .inputClosed }
        }
        while decoder.isWaitingForMoreBytes {
            let more: [UInt8]
            do {
                more = try terminal.readInput(timeout: KeyDecoder.escapeTimeout)
            } catch .inputClosed {
                more = []
            }
            if more.isEmpty {
                keys += decoder.flush()
                break
            }
            keys += decoder.decode(more)
        }
        var events = keys.map(TerminalEvent.key)
        if terminal.consumeResize() { events.append(.resized(terminal.size)) }
        return events
    }
}
