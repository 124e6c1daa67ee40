import Foundation
import ClinicModel
import LibXML

/// How long a CDA referral is valid and how many sessions it allows, when the letter says.
///
/// CDA has no standard element for either, so this is best effort, in this order:
/// 1. The Australian e-Referral "Referral Validity Duration" entry (NCTIS 103.16622, an
///    `IVL_TS` with a `width` such as `12 mo`, or a `high` date) gives the expiry.
/// 2. Otherwise the narrative of the reason and plan sections (and a plain-text letter) is read
///    for phrases like "valid for 12 months", "12-month referral", "valid until 31/03/2027"
///    (day/month/year, the Australian order), "expires 2027-03-31", "expiry: 31 March 2027"; and
///    for sessions "5 sessions", "up to six treatments", "Sessions: 4".
/// Anything else leaves the value nil for the clinic to set. A value the model would refuse (an
/// expiry before the referral date, more than 100 sessions) is dropped with a warning.
enum CDAReferralValidity {
    /// Expiry from an e-Referral validity duration value (`IVL_TS`), from `referralDate`.
    static func expiry(duration value: XMLElementCursor?, from referralDate: LocalDate) -> LocalDate? {
        guard let value, !value.cdaIsNull else { return nil }
        if let width = value.cdaChild("width"), let amount = width.cdaValue("value").flatMap({ Int($0) }),
           let unit = width.cdaValue("unit") {
            return CDATime.adding(amount, unit: unit, to: referralDate)
        }
        if let high = value.cdaChild("high"), let (date, _) = CDATime.date(high.cdaValue("value")) {
            return date
        }
        return nil
    }

    /// Expiry and sessions found in narrative `texts`, relative to `referralDate`.
    static func fromNarrative(_ texts: [String], referralDate: LocalDate) -> (expiresOn: LocalDate?, sessions: Int?) {
        let text = texts.joined(separator: "\n")
        // The text's letters read once, for both.
        let words = ASCIIWords(text)
        return (expiry(in: text, words: words, from: referralDate), sessions(in: text, words: words))
    }

    /// Keeps only values the referral model accepts, warning about the rest.
    static func checked(expiresOn: LocalDate?, sessions: Int?, referralDate: LocalDate, warnings: inout [String]) -> (LocalDate?, Int?) {
        var expiry = expiresOn, count = sessions
        if let e = expiry, e < referralDate {
            warnings.append("The letter's expiry \(e) is before its date \(referralDate); left for the clinic to set")
            expiry = nil
        }
        if let s = count, !(1...100).contains(s) {
            warnings.append("The letter allows \(s) sessions, outside 1 to 100; left for the clinic to set")
            count = nil
        }
        return (expiry, count)
    }

    // MARK: - Phrases

    private static let numberWords: [String: Int] = [
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
        "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty": 20, "twenty-four": 24,
    ]
    private static let number = "(\\d{1,3}|twenty-four|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty)"
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let monthName = "(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?"

    private static func value(_ word: String) -> Int? {
        Int(word) ?? numberWords[word.lowercased()]
    }

    private static let sessionPatterns = [
        "\\b\(number)\\s+(?:more\\s+|further\\s+|physio(?:therapy)?\\s+|treatment\\s+|allied\\s+health\\s+)?(?:sessions?|treatments?|visits?|consultations?|appointments?)\\b",
        "\\b(?:sessions?|visits?|treatments?)(?:\\s+(?:allowed|approved|authori[sz]ed))?\\s*[:=]\\s*\(number)\\b",
    ]

    /// The words the first session pattern counts (its `(?:sessions?|...)` group, singular).
    private static let countedWords = ["session", "treatment", "visit", "consultation", "appointment"]
    /// What the word before a counted word must end with for the first session pattern: a
    /// number word or one of the words the pattern allows between the number and the counted
    /// word ("more", "further", "physio", "physiotherapy", "treatment", "allied health").
    private static let countWordEndings = numberWords.keys.sorted() + ["more", "further", "physio", "physiotherapy", "treatment", "health"]

    /// - Parameter narrowing: skip, in text `ASCIIWords` can read (ASCII and inert letters), a
    ///   pattern that the text cannot match (see `ASCIIWords.mayCount`); false runs every
    ///   pattern (the tests' reference).
    static func sessions(in text: String, narrowing: Bool = true) -> Int? {
        sessions(in: text, words: narrowing ? ASCIIWords(text) : nil)
    }

    /// `words`: the text's letters, read once for expiry and sessions (nil: every pattern runs).
    private static func sessions(in text: String, words: ASCIIWords?) -> Int? {
        // Both patterns need one of these words: without them (in text ASCIIWords reads) neither can match.
        if let words, !countedWords.contains(where: { words.contains($0) }) { return nil }
        for (index, pattern) in sessionPatterns.enumerated() {
            // "5 sessions": a counted word right after white space that follows a number (or a
            // word allowed between them). "Sessions: 5" alone cannot match the first pattern.
            if index == 0, let words, !words.mayCount(countedWords, after: countWordEndings) { continue }
            if let groups = firstMatch(pattern, in: text), let n = value(groups[0]) { return n }
        }
        return nil
    }

    private static let durationPatterns = [
        "\\bvalid\\s+(?:for\\s+)?(?:a\\s+period\\s+of\\s+)?\(number)\\s*(day|week|month|year)s?\\b",
        "\\b\(number)[\\s-](month|year)s?\\s+referral\\b",
    ]
    private static let lead = "\\b(?:valid\\s+(?:until|till|to|through)|expires?(?:\\s+on)?|expiry(?:\\s+date)?)\\s*:?\\s*"
    private static let isoDatePattern = lead + "(\\d{4})-(\\d{2})-(\\d{2})\\b"
    private static let numericDatePattern = lead + "(\\d{1,2})[/.](\\d{1,2})[/.](\\d{4})\\b"
    private static let dayMonthPattern = lead + "(\\d{1,2})(?:st|nd|rd|th)?\\s+\(monthName),?\\s+(\\d{4})\\b"
    private static let monthDayPattern = lead + "\(monthName)\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b"

    /// Every pattern above, compiled once per process: compiling one takes longer than
    /// reading a small letter (it was 16% of reading 1,000 letters when compiled per call).
    private static let compiled = CompiledPatterns(patterns)
    /// Every pattern, in no particular order.
    static var patterns: [String] {
        sessionPatterns + durationPatterns + [isoDatePattern, numericDatePattern, dayMonthPattern, monthDayPattern]
    }

    /// - Parameter narrowing: skip, in text `ASCIIWords` can read (ASCII and inert letters), a
    ///   pattern whose words or shape the text lacks; false runs every pattern (the tests' reference).
    static func expiry(in text: String, from referralDate: LocalDate, narrowing: Bool = true) -> LocalDate? {
        expiry(in: text, words: narrowing ? ASCIIWords(text) : nil, from: referralDate)
    }

    /// `words`: the text's letters, read once for expiry and sessions (nil: every pattern runs).
    private static func expiry(in text: String, words: ASCIIWords?, from referralDate: LocalDate) -> LocalDate? {
        // Every pattern below needs "valid", "referral" or "expir" (expires, expiry); in ASCII
        // text, a pattern whose words are all absent is not run (it cannot match).
        func mayHave(_ any: String...) -> Bool { words.map { w in any.contains { w.contains($0) } } ?? true }
        if !mayHave("valid", "referral", "expir") { return nil }
        // "valid for 12 months"; "12-month referral". After "valid" and white space the first
        // pattern needs "for", "a period", a digit or a number word: not "valid until".
        let validThenCount = words.map { $0.mayFollow("valid", withOneOf: Array("0123456789aefnost".utf8)) } ?? true
        let durationNeeds = [validThenCount, mayHave("referral") && mayHave("month", "year")]
        for (pattern, needed) in zip(durationPatterns, durationNeeds) where needed {
            if let groups = firstMatch(pattern, in: text), let n = value(groups[0]) {
                return CDATime.adding(n, unit: groups[1].lowercased(), to: referralDate)
            }
        }
        // The dates all follow `lead`: "valid until", "expires", "expiry".
        if !mayHave("valid", "expir") { return nil }
        // "2027-03-31" needs four digits and a hyphen.
        let isoShape = words.map { $0.hasFourDigitsThenHyphen } ?? true
        if isoShape, let g = firstMatch(isoDatePattern, in: text) {
            return date(year: g[0], month: g[1], day: g[2])
        }
        if let g = firstMatch(numericDatePattern, in: text) {
            return date(year: g[2], month: g[1], day: g[0])
        }
        if let g = firstMatch(dayMonthPattern, in: text) {
            return date(year: g[2], month: monthNumber(g[1]), day: g[0])
        }
        if let g = firstMatch(monthDayPattern, in: text) {
            return date(year: g[2], month: monthNumber(g[0]), day: g[1])
        }
        return nil
    }

    private static func monthNumber(_ name: String) -> String {
        String((months.firstIndex(of: String(name.lowercased().prefix(3))) ?? -1) + 1)
    }

    private static func date(year: String, month: String, day: String) -> LocalDate? {
        guard let y = Int(year), let m = Int(month), let d = Int(day) else { return nil }
        return try? LocalDate(year: y, month: m, day: d)
    }

    /// True when `text` is ASCII (or holds beyond it only `ASCIIWords.isInert` letters) and holds
    /// none of `words` (lower-case ASCII) in any case: then no pattern that needs one of them
    /// matches, and the regular expressions (each a conversion of the text for ICU) are not run.
    /// False for any other text (not decided here).
    static func asciiText(_ text: String, lacksAllOf words: [String]) -> Bool {
        guard let lowered = ASCIIWords(text) else { return false }
        return !words.contains { lowered.contains($0) }
    }

    /// Text lower-cased where it is ASCII, to ask which words it holds; nil when it holds a
    /// character a case-insensitive pattern could match as ASCII or as white space or a digit.
    /// Letters that cannot (`isInert`: accented Latin, Vietnamese, CJK, as in patients' names) are
    /// kept as one byte, 0x80, that no ASCII word, digit or space equals.
    struct ASCIIWords {
        private let lowered: [UInt8]

        init?(_ text: String) {
            var lowered: [UInt8] = []
            lowered.reserveCapacity(text.utf8.count)
            for byte in text.utf8 {
                if byte >= 0x80 {
                    guard let folded = Self.folding(text) else { return nil }
                    self = folded
                    return
                }
                lowered.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
            }
            self.lowered = lowered
        }

        private init(lowered: [UInt8]) { self.lowered = lowered }

        /// The same for text with letters beyond ASCII: each inert one becomes 0x80; nil at any other.
        private static func folding(_ text: String) -> ASCIIWords? {
            var lowered: [UInt8] = []
            lowered.reserveCapacity(text.utf8.count)
            for scalar in text.unicodeScalars {
                if scalar.isASCII {
                    let byte = UInt8(scalar.value)
                    lowered.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
                } else if isInert(scalar) {
                    lowered.append(0x80)
                } else {
                    return nil
                }
            }
            return ASCIIWords(lowered: lowered)
        }

        /// A letter no case-insensitive ASCII pattern can match, in whole or in part, and that is
        /// neither white space nor a digit: Latin-1 letters but ß (U+00DF, folds to "ss"); Latin
        /// Extended-A but İ, ı (U+0130, U+0131: dotted and dotless i), ŉ (U+0149, folds to "ʼn")
        /// and ſ (U+017F, folds to "s"); Latin Extended Additional but U+1E96-U+1E9F (folds
        /// to two characters, ẞ to "ss"); CJK ideographs U+4E00-U+9FFF. None of them case-folds
        /// to or from an ASCII letter.
        static func isInert(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.value {
            case 0xDF, 0x130, 0x131, 0x149, 0x17F, 0x1E96...0x1E9F: false
            case 0xC0...0xFF, 0x100...0x17F, 0x1E00...0x1EFF, 0x4E00...0x9FFF: true
            default: false
            }
        }

        /// Whether `word` (lower-case ASCII) occurs.
        func contains(_ word: String) -> Bool {
            var word = word
            return word.withUTF8 { w in
                guard let first = w.first else { return true }
                guard w.count <= lowered.count else { return false }
                return lowered.withUnsafeBufferPointer { text in
                    var i = 0
                    let last = text.count - w.count
                    while i <= last {
                        if text[i] == first, UnsafeBufferPointer(rebasing: text[i..<(i + w.count)]).elementsEqual(w) { return true }
                        i += 1
                    }
                    return false
                }
            }
        }

        /// Where `w` (lower-case ASCII, not empty) starts, each place.
        private func occurrences(_ w: [UInt8]) -> [Int] {
            guard let first = w.first, w.count <= lowered.count else { return [] }
            var found: [Int] = []
            var i = 0
            let last = lowered.count - w.count
            while i <= last {
                if lowered[i] == first, lowered[i..<(i + w.count)].elementsEqual(w) { found.append(i) }
                i += 1
            }
            return found
        }

        /// Any control or space: a superset of what a pattern's `\s` matches in ASCII text, so a
        /// run of these contains every run of `\s`, and what borders it is never one of them.
        private static func isSpaceLike(_ byte: UInt8) -> Bool { byte <= 0x20 || byte == 0x7F }

        /// Whether some occurrence of one of `counted` (lower-case) comes right after white space
        /// that follows a word ending in a digit or in one of `endings`: what the first session
        /// pattern needs (`\b number \s+ (filler \s+)? counted`). False means that pattern
        /// cannot match; true decides nothing.
        func mayCount(_ counted: [String], after endings: [String]) -> Bool {
            let endingBytes = endings.map { Array($0.utf8) }
            for word in counted {
                for start in occurrences(Array(word.utf8)) {
                    var j = start - 1
                    while j >= 0, Self.isSpaceLike(lowered[j]) { j -= 1 }
                    guard j >= 0, j < start - 1 else { continue }
                    let byte = lowered[j]
                    if byte >= 0x30 && byte <= 0x39 { return true }
                    for ending in endingBytes where ending.count <= j + 1 {
                        if lowered[(j + 1 - ending.count)...j].elementsEqual(ending) { return true }
                    }
                }
            }
            return false
        }

        /// Whether some occurrence of `word` is followed by white space and then one of `next`:
        /// false means no `word\s+` followed by those can match.
        func mayFollow(_ word: String, withOneOf next: [UInt8]) -> Bool {
            let w = Array(word.utf8)
            for start in occurrences(w) {
                var k = start + w.count
                while k < lowered.count, Self.isSpaceLike(lowered[k]) { k += 1 }
                if k > start + w.count, k < lowered.count, next.contains(lowered[k]) { return true }
            }
            return false
        }

        /// Whether four digits are followed by a hyphen somewhere (an ISO date's start).
        var hasFourDigitsThenHyphen: Bool {
            var digits = 0
            for byte in lowered {
                if byte == UInt8(ascii: "-"), digits >= 4 { return true }
                digits = byte >= 0x30 && byte <= 0x39 ? digits + 1 : 0
            }
            return false
        }
    }

    /// The capture groups of the first case-insensitive match of `pattern`, nil when none.
    private static func firstMatch(_ pattern: String, in text: String) -> [String]? {
        guard let regex = compiled.regex(pattern) ?? (try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive])) else {
            return nil
        }
        let range = NSRange(text.startIndex..., in: text)
        guard let match = regex.firstMatch(in: text, range: range) else { return nil }
        return (1..<match.numberOfRanges).map { index in
            Range(match.range(at: index), in: text).map { String(text[$0]) } ?? ""
        }
    }
}

/// Case-insensitive regular expressions compiled once and shared.
///
/// `@unchecked Sendable`: an `NSRegularExpression` is immutable once made and documented as
/// safe to use from several threads; the dictionary is never changed after `init`.
private struct CompiledPatterns: @unchecked Sendable {
    private let table: [String: NSRegularExpression]

    init(_ patterns: [String]) {
        var table: [String: NSRegularExpression] = [:]
        for pattern in patterns {
            table[pattern] = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        }
        self.table = table
    }

    func regex(_ pattern: String) -> NSRegularExpression? { table[pattern] }
}
