/// A case-insensitive regular expression of the small kind `CDAReferralValidity` writes, matched
/// on the letters `CDAReferralValidity.ASCIIWords` keeps (ASCII lower-cased, one element per
/// character), with the first match and its capture groups exactly as `NSRegularExpression`
/// (ICU) finds them on the text itself.
///
/// Why: ICU was a fifth of reading a CDA letter's narrative, most of it converting the text to
/// UTF-16 for each pattern; the letters' phrases are a few hundred ASCII characters.
///
/// What it reads: literals, `\b`, `\s`, `\d`, escaped punctuation, classes of those and ASCII
/// ranges (`[\s-]`, `[/.]`, `[a-z]`), groups (`(...)` capturing, `(?:...)`), alternation and the
/// greedy quantifiers `?`, `*`, `+`, `{m}`, `{m,n}`. It backtracks as ICU does (leftmost start;
/// alternatives in order; greedy repetition giving back one at a time), so the first match and
/// its groups are ICU's. A pattern with anything else is not compiled (`init` returns nil) and
/// the caller uses `NSRegularExpression`.
///
/// The text is ASCII lower-cased, so a literal or class matches case-insensitively as ICU does on
/// ASCII. `ASCIIWords` stands for every other letter it accepts by `wordLetter` (a letter ICU's
/// `\w` holds and no pattern character matches) or `otherLetter` (× and ÷: neither a word
/// character nor white space): ICU's `\s` is Unicode White_Space, which in ASCII is tab, line
/// feed, vertical tab, form feed, carriage return and space; its `\d` (decimal digits) in ASCII
/// is 0-9; its `\b` lies between a word character (letters, digits, `_`) and anything else, or
/// the text's ends.
struct CDAPhrasePattern: Sendable {
    /// The element `ASCIIWords` keeps for a letter beyond ASCII that ICU's `\w` holds.
    static let wordLetter: UInt8 = 0x80
    /// The element `ASCIIWords` keeps for × and ÷ (Latin-1 symbols: not `\w`, not `\s`).
    static let otherLetter: UInt8 = 0x81

    /// Patterns compiled once, looked up by their text.
    struct Table: Sendable {
        private let table: [String: CDAPhrasePattern]
        init(_ patterns: [String]) {
            var table: [String: CDAPhrasePattern] = [:]
            for pattern in patterns { table[pattern] = CDAPhrasePattern(pattern) }
            self.table = table
        }
        subscript(pattern: String) -> CDAPhrasePattern? { table[pattern] }
    }

    /// The pattern as read, before it is compiled to `Instruction`s.
    private indirect enum Node {
        case byte(UInt8)
        case set(ByteSet)
        case wordBoundary
        case group([[Node]], capture: Int?)
        case repetition(Node, min: Int, max: Int)
    }

    /// 256 bits, one per byte; a value (no allocation to read or copy).
    private struct ByteSet: Sendable {
        private var words = SIMD4<UInt64>(repeating: 0)
        func contains(_ byte: UInt8) -> Bool { words[Int(byte >> 6)] & (1 << UInt64(byte & 63)) != 0 }
        mutating func insert(_ byte: UInt8) { words[Int(byte >> 6)] |= 1 << UInt64(byte & 63) }
        mutating func formUnion(_ other: ByteSet) { words |= other.words }
        var isFull: Bool { words == SIMD4(repeating: UInt64.max) }

        static let all = ByteSet(words: SIMD4(repeating: UInt64.max))
        static let space: ByteSet = { var s = ByteSet(); for b: UInt8 in [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20] { s.insert(b) }; return s }()
        static let digit: ByteSet = { var s = ByteSet(); for b in UInt8(ascii: "0")...UInt8(ascii: "9") { s.insert(b) }; return s }()
        init() {}
        private init(words: SIMD4<UInt64>) { self.words = words }
    }

    /// One step of the compiled pattern: a backtracking machine, as ICU's (`split` tries its
    /// first target, and its second when that fails).
    private enum Instruction: Sendable {
        case byte(UInt8)
        case set(ByteSet)
        case wordBoundary
        case split(Int, Int)
        case jump(Int)
        /// Records the position in capture slot n (group n / 2's start or end).
        case save(Int)
        case match
    }

    private let program: [Instruction]
    /// The bytes a match can start with (every byte when it may start with anything or nothing).
    private let firstBytes: ByteSet
    /// The number of capture groups.
    let groupCount: Int

    /// The pattern compiled, or nil when it uses anything outside what this reads.
    init?(_ pattern: String) {
        var parser = Parser(bytes: Array(pattern.utf8))
        guard let alternatives = parser.alternatives(), parser.index == parser.bytes.count else { return nil }
        var program: [Instruction] = []
        guard Self.emit(.group(alternatives, capture: nil), into: &program) else { return nil }
        program.append(.match)
        self.program = program
        self.firstBytes = Self.firstBytes(from: 0, in: program, seen: [])
        self.groupCount = parser.groups
    }

    /// Appends the instructions of `node`; false for a repetition without bound of something
    /// other than one character (it could repeat nothing, which ICU treats apart).
    private static func emit(_ node: Node, into program: inout [Instruction]) -> Bool {
        switch node {
        case .byte(let byte): program.append(.byte(byte))
        case .set(let set): program.append(.set(set))
        case .wordBoundary: program.append(.wordBoundary)
        case .group(let alternatives, let capture):
            if let capture { program.append(.save(2 * capture)) }
            var jumps: [Int] = []
            for (i, alternative) in alternatives.enumerated() {
                var split: Int?
                if i < alternatives.count - 1 {
                    split = program.count
                    program.append(.split(program.count + 1, -1))
                }
                for part in alternative { guard emit(part, into: &program) else { return false } }
                if let split {
                    jumps.append(program.count)
                    program.append(.jump(-1))
                    program[split] = .split(split + 1, program.count)
                }
            }
            for jump in jumps { program[jump] = .jump(program.count) }
            if let capture { program.append(.save(2 * capture + 1)) }
        case .repetition(let repeated, let min, let max):
            for _ in 0..<min { guard emit(repeated, into: &program) else { return false } }
            if max == Int.max {
                switch repeated {
                case .byte, .set: break
                default: return false
                }
                let loop = program.count
                program.append(.split(loop + 1, -1))
                guard emit(repeated, into: &program) else { return false }
                program.append(.jump(loop))
                program[loop] = .split(loop + 1, program.count)
            } else if max > min {
                // x{0,k}: each further x is optional, and leaving one out leaves out the rest.
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(program.count)
                    program.append(.split(program.count + 1, -1))
                    guard emit(repeated, into: &program) else { return false }
                }
                for split in splits { program[split] = .split(split + 1, program.count) }
            }
        }
        return true
    }

    /// What the instructions from `pc` can match first (every byte if they can match nothing).
    private static func firstBytes(from pc: Int, in program: [Instruction], seen: Set<Int>) -> ByteSet {
        guard !seen.contains(pc) else { return ByteSet() }
        switch program[pc] {
        case .byte(let byte): var set = ByteSet(); set.insert(byte); return set
        case .set(let set): return set
        case .wordBoundary, .save: return firstBytes(from: pc + 1, in: program, seen: seen.union([pc]))
        case .jump(let target): return firstBytes(from: target, in: program, seen: seen.union([pc]))
        case .split(let a, let b):
            var set = firstBytes(from: a, in: program, seen: seen.union([pc]))
            set.formUnion(firstBytes(from: b, in: program, seen: seen.union([pc])))
            return set
        case .match: return .all
        }
    }

    /// The capture groups of the first match in `text` (as `ASCIIWords` keeps it), lower-cased, ""
    /// for a group that took no part; nil when nothing matches.
    func firstMatch(in text: [UInt8]) -> [String]? {
        var machine = Machine(text: text, slots: Array(repeating: -1, count: 2 * groupCount))
        let anywhere = firstBytes.isFull
        for start in 0...text.count {
            if !anywhere, start == text.count || !firstBytes.contains(text[start]) { continue }
            if machine.run(program, from: start) {
                return (0..<groupCount).map { group in
                    let (from, to) = (machine.slots[2 * group], machine.slots[2 * group + 1])
                    return from >= 0 && to >= from ? String(decoding: text[from..<to], as: UTF8.self) : ""
                }
            }
        }
        return nil
    }

    private struct Machine {
        let text: [UInt8]
        var slots: [Int]
        /// What to try when a step fails: another branch, or a capture slot to set back.
        private enum Pending { case branch(pc: Int, position: Int), restore(slot: Int, value: Int) }
        private var pending: [Pending] = []

        init(text: [UInt8], slots: [Int]) {
            self.text = text
            self.slots = slots
        }

        func isWord(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"),
                 CDAPhrasePattern.wordLetter: true
            default: false
            }
        }

        /// Whether the program matches at `start` (slots then hold the groups).
        mutating func run(_ program: [Instruction], from start: Int) -> Bool {
            pending.removeAll(keepingCapacity: true)
            for i in slots.indices { slots[i] = -1 }
            var pc = 0, position = start
            while true {
                var ok = true
                switch program[pc] {
                case .byte(let byte):
                    if position < text.count, text[position] == byte { pc += 1; position += 1 } else { ok = false }
                case .set(let set):
                    if position < text.count, set.contains(text[position]) { pc += 1; position += 1 } else { ok = false }
                case .wordBoundary:
                    let before = position > 0 && isWord(text[position - 1])
                    let after = position < text.count && isWord(text[position])
                    if before != after { pc += 1 } else { ok = false }
                case .split(let first, let second):
                    pending.append(.branch(pc: second, position: position))
                    pc = first
                case .jump(let target):
                    pc = target
                case .save(let slot):
                    pending.append(.restore(slot: slot, value: slots[slot]))
                    slots[slot] = position
                    pc += 1
                case .match:
                    return true
                }
                if ok { continue }
                // Back to the last branch not taken, setting back the slots saved since.
                var resumed = false
                while let last = pending.popLast() {
                    switch last {
                    case .restore(let slot, let value):
                        slots[slot] = value
                    case .branch(let branchPC, let branchPosition):
                        pc = branchPC
                        position = branchPosition
                        resumed = true
                    }
                    if resumed { break }
                }
                if !resumed { return false }
            }
        }
    }

    // MARK: - Reading the pattern

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        var groups = 0

        /// `a|b|c` up to a `)` or the end.
        mutating func alternatives() -> [[Node]]? {
            var result: [[Node]] = []
            while true {
                guard let sequence = sequence() else { return nil }
                result.append(sequence)
                guard index < bytes.count, bytes[index] == UInt8(ascii: "|") else { return result }
                index += 1
            }
        }

        mutating func sequence() -> [Node]? {
            var nodes: [Node] = []
            while index < bytes.count, bytes[index] != UInt8(ascii: "|"), bytes[index] != UInt8(ascii: ")") {
                guard var atom = atom() else { return nil }
                if let (min, max) = quantifier() {
                    if case .wordBoundary = atom { return nil }
                    atom = .repetition(atom, min: min, max: max)
                }
                nodes.append(atom)
            }
            return nodes
        }

        mutating func atom() -> Node? {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "("):
                var capture: Int?
                if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "?") {
                    guard bytes[index + 1] == UInt8(ascii: ":") else { return nil }
                    index += 2
                } else {
                    capture = groups
                    groups += 1
                }
                guard let alternatives = alternatives(), index < bytes.count, bytes[index] == UInt8(ascii: ")") else { return nil }
                index += 1
                return .group(alternatives, capture: capture)
            case UInt8(ascii: "["):
                return set()
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return nil }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "b"): return .wordBoundary
                case UInt8(ascii: "s"): return .set(.space)
                case UInt8(ascii: "d"): return .set(.digit)
                default: return Self.isPunctuation(escaped) ? .byte(escaped) : nil
                }
            default:
                return Self.isLiteral(byte) ? .byte(Self.lowered(byte)) : nil
            }
        }

        /// A class: members, ranges of letters or digits, `\s`, `\d`, escaped punctuation; no negation.
        mutating func set() -> Node? {
            var set = ByteSet()
            guard index < bytes.count, bytes[index] != UInt8(ascii: "^") else { return nil }
            while index < bytes.count, bytes[index] != UInt8(ascii: "]") {
                var member = bytes[index]
                index += 1
                if member == UInt8(ascii: "\\") {
                    guard index < bytes.count else { return nil }
                    let escaped = bytes[index]
                    index += 1
                    switch escaped {
                    case UInt8(ascii: "s"): set.formUnion(.space); continue
                    case UInt8(ascii: "d"): set.formUnion(.digit); continue
                    default:
                        guard Self.isPunctuation(escaped) else { return nil }
                        member = escaped
                    }
                } else if !Self.isLiteral(member) && member != UInt8(ascii: ".") {
                    // `[`, `&`, `^` and the like mean more inside a class in ICU: not read here.
                    return nil
                }
                // A range `x-y` between two letters or two digits (a `-` first or last is itself).
                if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "-"), bytes[index + 1] != UInt8(ascii: "]") {
                    let last = bytes[index + 1]
                    index += 2
                    let letters = (UInt8(ascii: "a")...UInt8(ascii: "z"))
                    let digits = (UInt8(ascii: "0")...UInt8(ascii: "9"))
                    guard member <= last, (letters.contains(member) && letters.contains(last))
                            || (digits.contains(member) && digits.contains(last)) else { return nil }
                    for b in member...last { set.insert(b) }
                } else {
                    set.insert(Self.lowered(member))
                }
            }
            guard index < bytes.count else { return nil }
            index += 1
            return .set(set)
        }

        mutating func quantifier() -> (Int, Int)? {
            guard index < bytes.count else { return nil }
            let bounds: (Int, Int)
            switch bytes[index] {
            case UInt8(ascii: "?"): bounds = (0, 1); index += 1
            case UInt8(ascii: "*"): bounds = (0, Int.max); index += 1
            case UInt8(ascii: "+"): bounds = (1, Int.max); index += 1
            case UInt8(ascii: "{"):
                guard let close = bytes[index...].firstIndex(of: UInt8(ascii: "}")) else { return nil }
                let parts = String(decoding: bytes[(index + 1)..<close], as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
                guard let low = parts.first.flatMap({ Int($0) }), parts.count <= 2 else { return nil }
                let high = parts.count == 2 ? Int(parts[1]) : low
                guard let high, high >= low else { return nil }
                bounds = (low, high)
                index = close + 1
            default:
                return nil
            }
            // A lazy or possessive quantifier is not read: the pattern then fails to compile.
            if index < bytes.count, bytes[index] == UInt8(ascii: "?") || bytes[index] == UInt8(ascii: "+") {
                index = bytes.count + 1
            }
            return bounds
        }

        /// Letters, digits and the punctuation that stands for itself unescaped.
        static func isLiteral(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "="), UInt8(ascii: ","), UInt8(ascii: "/"),
                 UInt8(ascii: ";"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "_"):
                true
            default: false
            }
        }

        /// Punctuation that, escaped, stands for itself.
        static func isPunctuation(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "("), UInt8(ascii: ")"),
                 UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "?"), UInt8(ascii: "*"),
                 UInt8(ascii: "+"), UInt8(ascii: "|"), UInt8(ascii: "\\"), UInt8(ascii: "="), UInt8(ascii: ","):
                true
            default: false
            }
        }

        static func lowered(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }
    }
}
