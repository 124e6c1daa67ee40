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

    private indirect enum Node: Sendable {
        case byte(UInt8)
        case set(ByteSet)
        case wordBoundary
        case group([[Node]], capture: Int?)
        case repetition(Node, min: Int, max: Int)
    }

    private struct ByteSet: Sendable {
        var members = [Bool](repeating: false, count: 256)
        func contains(_ byte: UInt8) -> Bool { members[Int(byte)] }
        mutating func insert(_ byte: UInt8) { members[Int(byte)] = true }
        mutating func formUnion(_ other: ByteSet) { for i in 0..<256 where other.members[i] { members[i] = true } }

        static let space: ByteSet = { var s = ByteSet(); for b: UInt8 in [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20] { s.insert(b) }; return s }()
        static let digit: ByteSet = { var s = ByteSet(); for b in UInt8(ascii: "0")...UInt8(ascii: "9") { s.insert(b) }; return s }()
    }

    private let sequence: [Node]
    /// The number of capture groups.
    let groupCount: Int

    /// The pattern compiled, or nil when it uses anything outside what this reads.
    init?(_ pattern: String) {
        var parser = Parser(bytes: Array(pattern.utf8))
        guard let sequence = parser.alternatives().flatMap({ $0.count == 1 ? $0[0] : [Node.group($0, capture: nil)] }),
              parser.index == parser.bytes.count else { return nil }
        self.sequence = sequence
        self.groupCount = parser.groups
    }

    /// The capture groups of the first match in `text` (as `ASCIIWords` keeps it), lower-cased, ""
    /// for a group that took no part; nil when nothing matches.
    func firstMatch(in text: [UInt8]) -> [String]? {
        var matcher = Matcher(text: text, captures: Array(repeating: nil, count: groupCount))
        for start in 0...text.count {
            if matcher.match(sequence[...], at: start, then: { _, _ in true }) {
                return matcher.captures.map { range in
                    range.map { String(decoding: text[$0], as: UTF8.self) } ?? ""
                }
            }
        }
        return nil
    }

    private struct Matcher {
        let text: [UInt8]
        var captures: [Range<Int>?]

        func isWord(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"),
                 CDAPhrasePattern.wordLetter: true
            default: false
            }
        }

        func isBoundary(_ position: Int) -> Bool {
            let before = position > 0 && isWord(text[position - 1])
            let after = position < text.count && isWord(text[position])
            return before != after
        }

        /// Whether `nodes` match at `position` and `rest` accepts where they end (trying every
        /// way they match, in ICU's order, until `rest` accepts one).
        mutating func match(_ nodes: ArraySlice<Node>, at position: Int, then rest: (inout Matcher, Int) -> Bool) -> Bool {
            guard let node = nodes.first else { return rest(&self, position) }
            let following = nodes.dropFirst()
            switch node {
            case .byte(let byte):
                guard position < text.count, text[position] == byte else { return false }
                return match(following, at: position + 1, then: rest)
            case .set(let set):
                guard position < text.count, set.contains(text[position]) else { return false }
                return match(following, at: position + 1, then: rest)
            case .wordBoundary:
                guard isBoundary(position) else { return false }
                return match(following, at: position, then: rest)
            case .group(let alternatives, let capture):
                for alternative in alternatives {
                    let matched = match(alternative[...], at: position) { matcher, end in
                        guard let capture else { return matcher.match(following, at: end, then: rest) }
                        let saved = matcher.captures[capture]
                        matcher.captures[capture] = position..<end
                        if matcher.match(following, at: end, then: rest) { return true }
                        matcher.captures[capture] = saved
                        return false
                    }
                    if matched { return true }
                }
                return false
            case .repetition(.byte(let byte), let min, let max):
                return repeatRun(min: min, max: max, at: position, following: following, then: rest) { $0 == byte }
            case .repetition(.set(let set), let min, let max):
                return repeatRun(min: min, max: max, at: position, following: following, then: rest) { set.contains($0) }
            case .repetition(let repeated, let min, let max):
                return repeatMatch(repeated, count: 0, min: min, max: max, at: position, following: following, then: rest)
            }
        }

        /// Greedy repetition of one character: the longest run first, then one fewer at a time.
        private mutating func repeatRun(min: Int, max: Int, at position: Int, following: ArraySlice<Node>,
                                        then rest: (inout Matcher, Int) -> Bool, _ accepts: (UInt8) -> Bool) -> Bool {
            var run = 0
            while run < max, position + run < text.count, accepts(text[position + run]) { run += 1 }
            while run >= min {
                if match(following, at: position + run, then: rest) { return true }
                run -= 1
            }
            return false
        }

        /// Greedy: one more of `node` first, then (with at least `min`) what follows.
        private mutating func repeatMatch(_ node: Node, count: Int, min: Int, max: Int, at position: Int,
                                          following: ArraySlice<Node>, then rest: (inout Matcher, Int) -> Bool) -> Bool {
            if count < max {
                let more = match([node][...], at: position) { matcher, end in
                    // An empty repetition stops repeating (ICU's rule for a loop that consumes nothing).
                    guard end > position else { return false }
                    return matcher.repeatMatch(node, count: count + 1, min: min, max: max, at: end, following: following, then: rest)
                }
                if more { return true }
            }
            return count >= min && match(following, at: position, then: rest)
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
