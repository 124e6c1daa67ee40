import Testing
import ClinicModel

/// The one reading of the patient search box that both stores render into their queries: what
/// a practitioner types (names, record numbers, phone numbers in groups, dates of birth in the
/// forms people write them) becomes typed terms, and nothing typed becomes query syntax.
@Suite struct PatientSearchTermTests {
    typealias T = PatientSearchTerm

    @Test("names are folded words, split where the indexes split them, in the order typed")
    func names() {
        #expect(T.terms(in: "smi jo") == [.word("smi"), .word("jo")])
        #expect(T.terms(in: "MÜLLER Zoë") == [.word("muller"), .word("zoe")])
        #expect(T.terms(in: "o'brien") == [.word("o"), .word("brien")])
        #expect(T.terms(in: "Al-Hassan, Mohammed") == [.word("al"), .word("hassan"), .word("mohammed")])
        #expect(T.terms(in: "王 芳") == [.word("王"), .word("芳")])
        #expect(T.terms(in: "Siobhán\tÁlvarez\nJosé") == [.word("siobhan"), .word("alvarez"), .word("jose")])
    }

    @Test("a record number is a word, whatever its case")
    func recordNumbers() {
        #expect(T.terms(in: "K00004") == [.word("k00004")])
        #expect(T.terms(in: "k00004 smith") == [.word("k00004"), .word("smith")])
        #expect(T.terms(in: "K-00004") == [.word("k"), .word("00004")])  // a word with letters: every part a word
    }

    @Test("digits typed in groups, with or without punctuation, are one run of digits", arguments: [
        ("0412345678", "0412345678"), ("0412 345 678", "0412345678"), ("0412-345-678", "0412345678"), ("0412 345", "0412345"),
        ("(03) 9876 5432", "0398765432"), ("03 9876 5432", "0398765432"), ("+61 3 9123 4567", "61391234567"), ("0412.345.678", "0412345678"),
        ("0412,345,678", "0412345678"), ("4", "4"),
    ])
    func phoneGroups(typed: String, digits: String) {
        #expect(T.terms(in: typed) == [.digits(digits)])
    }

    @Test("a date typed day first, with slashes or dots, is its day, month and year, padded", arguments: [
        ("17/05/1980", "17", "05", "1980"), ("17/5/1980", "17", "05", "1980"), ("7/5/1980", "07", "05", "1980"),
        ("17.05.1980", "17", "05", "1980"), ("7.5.1980", "07", "05", "1980"), ("17/05.1980", "17", "05", "1980"),
        ("31/02/1980", "31", "02", "1980"),  // read by shape, not the calendar: it finds nobody
    ])
    func dayFirstDates(typed: String, day: String, month: String, year: String) {
        #expect(T.terms(in: typed) == [.dayMonthYear(day: day, month: month, year: year)])
    }

    @Test("a date typed year first is its year, month and day, padded", arguments: [
        ("1980-05-17", "1980", "05", "17"), ("1980-5-17", "1980", "05", "17"), ("1980-5-7", "1980", "05", "07"),
        ("1980-13-45", "1980", "13", "45"),
    ])
    func yearFirstDates(typed: String, year: String, month: String, day: String) {
        #expect(T.terms(in: typed) == [.yearMonthDay(year: year, month: month, day: day)])
    }

    @Test("shapes that are not a date are read as digits or words", arguments: [
        ("17/05/80", [T.digits("170580")]), ("1980/05/17", [.digits("19800517")]), ("17-05-1980", [.digits("17051980")]),
        ("123/05/1980", [.digits("123051980")]), ("1980-05-17-", [.digits("19800517")]), ("80-05-17", [.digits("800517")]),
        ("1980-005-17", [.digits("198000517")]), ("12/ab/2000", [.word("12"), .word("ab"), .word("2000")]),
        ("17//1980", [.digits("171980")]),
    ])
    func notDates(typed: String, terms: [PatientSearchTerm]) {
        #expect(T.terms(in: typed) == terms)
    }

    @Test("mixed input: names, a date and a phone together; a date or a name ends a run of digits")
    func mixed() {
        #expect(T.terms(in: "jo 17/05/1980") == [.word("jo"), .dayMonthYear(day: "17", month: "05", year: "1980")])
        #expect(T.terms(in: "smith 0412 345 678 jo") == [.word("smith"), .digits("0412345678"), .word("jo")])
        #expect(T.terms(in: "0412 17/05/1980 345") == [.digits("0412"), .dayMonthYear(day: "17", month: "05", year: "1980"), .digits("345")])
        #expect(T.terms(in: "0412 1980-05-17") == [.digits("0412"), .yearMonthDay(year: "1980", month: "05", day: "17")])
        #expect(T.terms(in: "Jo Smith, K00001, 1980-05-17, (03) 9876 5432") == [
            .word("jo"), .word("smith"), .word("k00001"), .yearMonthDay(year: "1980", month: "05", day: "17"), .digits("0398765432"),
        ])
        #expect(T.terms(in: "x2 45") == [.word("x2"), .digits("45")])
    }

    @Test("nothing searchable typed is no terms (the stores then list patients by name)", arguments: [
        "", " ", "\t\n", ",,,", "//", "...", "--", "-", "*", "\"", "'", "(", ")", "+", "&|!:", "😀", "\u{0}",
    ])
    func nothingSearchable(typed: String) {
        #expect(T.terms(in: typed).isEmpty)
    }

    @Test("query syntax of either store typed into the box is only ever words and digits", arguments: [
        "\"\"", "smith\"", "jo*", "NEAR(smith jo)", "-smith", "smith -jo", "jo OR smith", "NOT smith", "^smith", "names:smith",
        "phone:0412", "{names}: jo", "''; DROP TABLE patient; --", "1-\"-3", "2026-\"01-01", "smith\u{0}jo", "jo & !smith | x:*",
        "'smi':* & 'jo'", "a\\b", "½", "x²", "a\u{200D}b", String(repeating: "a ", count: 300),
    ])
    func hostileInput(typed: String) {
        let allowed: (Unicode.Scalar) -> Bool = { $0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == " " }
        for term in T.terms(in: typed) {
            switch term {
            case .word(let w): #expect(w.unicodeScalars.allSatisfy(allowed), "\(typed.debugDescription) → \(w.debugDescription)")
            case .digits(let d): #expect(!d.isEmpty && d.allSatisfy(\.isASCII) && d.allSatisfy(\.isNumber))
            case .dayMonthYear, .yearMonthDay: Issue.record("\(typed.debugDescription) read as a date")
            }
        }
        #expect(T.terms(in: "jo OR smith") == [.word("jo"), .word("or"), .word("smith")])
        #expect(T.terms(in: "''; DROP TABLE patient; --") == [.word("drop"), .word("table"), .word("patient")])
        #expect(T.terms(in: "a\u{200D}b") == [.word("a"), .word("b")])
    }

    @Test("a combining accent typed alone is a word of its own; typed after a space it belongs to the space")
    func combiningAccents() {
        #expect(T.terms(in: "\u{301}") == [.word("\u{301}")])
        #expect(T.terms(in: "0412 \u{301}345") == [.digits("0412345")])
        #expect(T.terms(in: "0412\u{301} 345") == [.word("0412"), .digits("345")])
        #expect(T.terms(in: "Jose\u{301}") == [.word("jose")])
    }
}
