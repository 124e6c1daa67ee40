/// Turns the bytes read from a terminal into `Key`s. Pure and incremental: no I/O, no clock.
///
/// Bytes may arrive split anywhere (an escape sequence or a UTF-8 character across two reads);
/// the decoder keeps the incomplete tail until the next `decode(_:)`. A lone ESC cannot be told
/// from the start of a sequence by its bytes alone, so the caller reports silence: when
/// `isWaitingForMoreBytes` is true and nothing more arrives within `escapeTimeout`, call
/// `flush()`, which turns a pending ESC into `.escape` (and ESC `[` into Alt-`[`).
/// `InputReader` does this dance for you.
///
/// Unknown or malformed escape sequences are dropped, never delivered as text. Invalid UTF-8
/// and C1 control characters are dropped too.
public struct KeyDecoder: Sendable {
    /// How long to wait after an ESC before deciding it was the Escape key (30 ms).
    public static let escapeTimeout: Duration = .milliseconds(30)

    /// Largest paste kept, in bytes; the rest of a larger paste is dropped.
    public static let maximumPasteBytes = 1 << 20

    /// Longest incomplete escape sequence kept while waiting for its end; beyond it the
    /// bytes so far are dropped.
    static let maximumSequenceLength = 256

    private var pending: [UInt8] = []
    private var pasteBytes: [UInt8]?

    /// A decoder with nothing pending.
    public init() {}

    /// True when an incomplete escape sequence or UTF-8 character is pending and the caller
    /// should wait up to `escapeTimeout` for the rest before calling `flush()`.
    public var isWaitingForMoreBytes: Bool { !pending.isEmpty && pasteBytes == nil }

    /// True between the start and end markers of a bracketed paste.
    public var isInPaste: Bool { pasteBytes != nil }

    /// Decodes as many keys as `bytes` (plus anything pending) complete.
    public mutating func decode(_ bytes: [UInt8]) -> [Key] {
        pending.append(contentsOf: bytes)
        return run(inputEnded: false)
    }

    /// Call when no byte arrived within `escapeTimeout` after `decode(_:)` left something
    /// pending: a lone ESC becomes `.escape`, ESC `[` and ESC `O` become Alt keys, and other
    /// incomplete sequences are dropped. An unfinished paste is kept (pastes can stall).
    public mutating func flush() -> [Key] {
        run(inputEnded: true)
    }

    // MARK: - Decoding loop

    private enum Step {
        case keys([Key], consumed: Int)
        case pasteStart(consumed: Int)
        case needMore
    }

    private mutating func run(inputEnded: Bool) -> [Key] {
        var keys: [Key] = []
        var start = 0
        while start < pending.count {
            if pasteBytes != nil {
                start = consumePaste(from: start, into: &keys)
                if pasteBytes != nil { break }
                continue
            }
            switch step(at: start, inputEnded: inputEnded) {
            case .keys(let decoded, let consumed):
                keys.append(contentsOf: decoded)
                start += consumed
            case .pasteStart(let consumed):
                pasteBytes = []
                start += consumed
            case .needMore:
                pending.removeFirst(start)
                return keys
            }
        }
        pending.removeFirst(min(start, pending.count))
        return keys
    }

    /// Moves paste bytes into `pasteBytes` until the end marker; returns the new start.
    private mutating func consumePaste(from start: Int, into keys: inout [Key]) -> Int {
        let marker: [UInt8] = [0x1B, 0x5B, 0x32, 0x30, 0x31, 0x7E] // ESC [ 2 0 1 ~
        var index = start
        while index < pending.count {
            if pending[index] == 0x1B {
                let available = min(marker.count, pending.count - index)
                if pending[index..<index + available].elementsEqual(marker[0..<available]) {
                    if available < marker.count { break } // maybe the marker, split: wait
                    appendPaste(pending[start..<index])
                    keys.append(.paste(Self.normalisedPaste(pasteBytes ?? [])))
                    pasteBytes = nil
                    return index + marker.count
                }
            }
            index += 1
        }
        appendPaste(pending[start..<index])
        pending.removeFirst(index)
        return 0
    }

    private mutating func appendPaste(_ bytes: ArraySlice<UInt8>) {
        guard var buffer = pasteBytes else { return }
        let room = Self.maximumPasteBytes - buffer.count
        if room > 0 { buffer.append(contentsOf: bytes.prefix(room)) }
        pasteBytes = buffer
    }

    /// The pasted bytes as text, with CR LF and lone CR turned into LF.
    private static func normalisedPaste(_ bytes: [UInt8]) -> String {
        var normalised: [UInt8] = []
        normalised.reserveCapacity(bytes.count)
        var previousWasReturn = false
        for byte in bytes {
            if byte == 0x0A && previousWasReturn {
                previousWasReturn = false
                continue
            }
            previousWasReturn = byte == 0x0D
            normalised.append(byte == 0x0D ? 0x0A : byte)
        }
        return String(decoding: normalised, as: UTF8.self)
    }

    // MARK: - One key

    private func step(at start: Int, inputEnded: Bool) -> Step {
        let byte = pending[start]
        switch byte {
        case 0x1B: return escape(at: start, inputEnded: inputEnded)
        case 0x0D, 0x0A: return .keys([.enter], consumed: 1)
        case 0x09: return .keys([.tab], consumed: 1)
        case 0x7F, 0x08: return .keys([.backspace], consumed: 1)
        case 0x00: return .keys([.ctrl(" ")], consumed: 1)
        case 0x01...0x1A: return .keys([.ctrl(Character(Unicode.Scalar(byte + 0x60)))], consumed: 1)
        case 0x1C: return .keys([.ctrl("\\")], consumed: 1)
        case 0x1D: return .keys([.ctrl("]")], consumed: 1)
        case 0x1E: return .keys([.ctrl("^")], consumed: 1)
        case 0x1F: return .keys([.ctrl("_")], consumed: 1)
        default: return text(at: start, inputEnded: inputEnded)
        }
    }

    /// A run of printable characters, grouped into graphemes.
    private func text(at start: Int, inputEnded: Bool) -> Step {
        var scalars = String.UnicodeScalarView()
        var index = start
        while index < pending.count {
            let byte = pending[index]
            if byte < 0x20 || byte == 0x7F { break }
            switch Self.decodeScalar(pending, at: index) {
            case .scalar(let scalar, let length):
                if !(0x80...0x9F).contains(scalar.value) { scalars.append(scalar) }
                index += length
            case .invalid:
                index += 1
            case .incomplete:
                if inputEnded {
                    index = pending.count // drop the broken tail
                } else if index == start {
                    return .needMore
                }
                return .keys(String(scalars).map(Key.character), consumed: index - start)
            }
        }
        return .keys(String(scalars).map(Key.character), consumed: index - start)
    }

    private func escape(at start: Int, inputEnded: Bool) -> Step {
        let next = start + 1
        guard next < pending.count else {
            return inputEnded ? .keys([.escape], consumed: 1) : .needMore
        }
        let byte = pending[next]
        switch byte {
        case 0x5B: // [
            return controlSequence(at: start, inputEnded: inputEnded)
        case 0x4F: // O
            guard next + 1 < pending.count else {
                return inputEnded ? .keys([.alt("O")], consumed: 2) : .needMore
            }
            let key: Key? = switch pending[next + 1] {
            case 0x41: .up
            case 0x42: .down
            case 0x43: .right
            case 0x44: .left
            case 0x48: .home
            case 0x46: .end
            case 0x4D: .enter
            case 0x50: .function(1)
            case 0x51: .function(2)
            case 0x52: .function(3)
            case 0x53: .function(4)
            default: nil
            }
            return .keys(key.map { [$0] } ?? [], consumed: 3)
        case 0x1B:
            return .keys([.escape], consumed: 1)
        case 0x20...0x7E:
            return .keys([.alt(Character(Unicode.Scalar(byte)))], consumed: 2)
        case 0x80...0xFF:
            switch Self.decodeScalar(pending, at: next) {
            case .scalar(let scalar, let length):
                if (0x80...0x9F).contains(scalar.value) { return .keys([], consumed: 1 + length) }
                return .keys([.alt(Character(scalar))], consumed: 1 + length)
            case .invalid:
                return .keys([.escape], consumed: 1)
            case .incomplete:
                return inputEnded ? .keys([], consumed: pending.count - start) : .needMore
            }
        default:
            // ESC + a control byte (Alt-Backspace, Alt-Enter...): no key of ours; dropped so
            // that it cannot act as a stray Escape.
            return .keys([], consumed: 2)
        }
    }

    /// ESC [ parameters intermediates final.
    private func controlSequence(at start: Int, inputEnded: Bool) -> Step {
        let body = start + 2
        var index = body
        while index < pending.count {
            let byte = pending[index]
            switch byte {
            case 0x30...0x3F, 0x20...0x2F:
                index += 1
            case 0x40...0x7E:
                if byte == 0x5B && index == body {
                    // Linux console F1-F5: ESC [ [ A...E
                    guard index + 1 < pending.count else {
                        return inputEnded ? .keys([], consumed: pending.count - start) : .needMore
                    }
                    let letter = pending[index + 1]
                    let keys: [Key] = (0x41...0x45).contains(letter) ? [.function(Int(letter) - 0x40)] : []
                    return .keys(keys, consumed: index + 2 - start)
                }
                let consumed = index + 1 - start
                if byte == 0x7E && pending[body..<index].elementsEqual([0x32, 0x30, 0x30]) {
                    return .pasteStart(consumed: consumed) // ESC [ 2 0 0 ~
                }
                return .keys(Self.keys(parameters: Array(pending[body..<index]), final: byte), consumed: consumed)
            default:
                // A control or non-ASCII byte inside a sequence: drop what we have, keep the byte.
                return .keys([], consumed: index - start)
            }
        }
        if inputEnded {
            return index == body ? .keys([.alt("[")], consumed: 2) : .keys([], consumed: index - start)
        }
        if index - start > Self.maximumSequenceLength {
            return .keys([], consumed: index - start) // runaway parameters: drop them
        }
        return .needMore
    }

    private static func keys(parameters: [UInt8], final: UInt8) -> [Key] {
        // Private sequences (< = > ? first) and intermediates are replies or modes, not keys.
        if let first = parameters.first, (0x3C...0x3F).contains(first) { return [] }
        if parameters.contains(where: { (0x20...0x2F).contains($0) || $0 == 0x3A }) { return [] }
        let numbers = String(decoding: parameters, as: UTF8.self)
            .split(separator: ";", omittingEmptySubsequences: false)
            .map { Int($0) }
        let first = (numbers.first ?? nil) ?? 0
        switch final {
        case 0x41: return [.up]
        case 0x42: return [.down]
        case 0x43: return [.right]
        case 0x44: return [.left]
        case 0x48: return [.home]
        case 0x46: return [.end]
        case 0x5A: return [.backTab]
        case 0x50: return [.function(1)]
        case 0x51: return [.function(2)]
        case 0x52: return [.function(3)]
        case 0x53: return [.function(4)]
        case 0x7E:
            switch first {
            case 1, 7: return [.home]
            case 2: return [.insert]
            case 3: return [.delete]
            case 4, 8: return [.end]
            case 5: return [.pageUp]
            case 6: return [.pageDown]
            case 11...15: return [.function(first - 10)]
            case 17...21: return [.function(first - 11)]
            case 23, 24: return [.function(first - 12)]
            default: return []
            }
        default:
            return []
        }
    }

    // MARK: - UTF-8

    enum ScalarDecoding: Equatable {
        case scalar(Unicode.Scalar, length: Int)
        case incomplete
        case invalid
    }

    /// Decodes one UTF-8 scalar at `index` (strict: no overlongs, no surrogates).
    static func decodeScalar(_ bytes: [UInt8], at index: Int) -> ScalarDecoding {
        let lead = bytes[index]
        let length: Int
        var value: UInt32
        switch lead {
        case 0x00...0x7F: return .scalar(Unicode.Scalar(lead), length: 1)
        case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; value = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; value = UInt32(lead & 0x07)
        default: return .invalid
        }
        for offset in 1..<length {
            guard index + offset < bytes.count else { return .incomplete }
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else { return .invalid }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        let minimum: UInt32 = length == 2 ? 0x80 : (length == 3 ? 0x800 : 0x10000)
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return .invalid }
        return .scalar(scalar, length: length)
    }
}
