import Testing
@testable import TerminalKit

/// Decodes `bytes` in one read and then reports silence, as the input reader does.
private func decodeAll(_ bytes: [UInt8]) -> [Key] {
    var decoder = KeyDecoder()
    return decoder.decode(bytes) + decoder.flush()
}

private func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }

@Suite("Key decoding")
struct KeyDecoderTests {
    static let table: [(String, Key)] = [
        ("a", .character("a")), (" ", .character(" ")), ("~", .character("~")),
        ("\r", .enter), ("\n", .enter), ("\u{1B}OM", .enter), ("\t", .tab), ("\u{1B}[Z", .backTab),
        ("\u{7F}", .backspace), ("\u{08}", .backspace),
        ("\u{1B}[A", .up), ("\u{1B}[B", .down), ("\u{1B}[C", .right), ("\u{1B}[D", .left),
        ("\u{1B}OA", .up), ("\u{1B}OB", .down), ("\u{1B}OC", .right), ("\u{1B}OD", .left),
        ("\u{1B}[1;5C", .right), ("\u{1B}[1;2A", .up),
        ("\u{1B}[H", .home), ("\u{1B}OH", .home), ("\u{1B}[1~", .home), ("\u{1B}[7~", .home),
        ("\u{1B}[F", .end), ("\u{1B}OF", .end), ("\u{1B}[4~", .end), ("\u{1B}[8~", .end),
        ("\u{1B}[5~", .pageUp), ("\u{1B}[6~", .pageDown), ("\u{1B}[2~", .insert), ("\u{1B}[3~", .delete),
        ("\u{1B}OP", .function(1)), ("\u{1B}OQ", .function(2)), ("\u{1B}OR", .function(3)), ("\u{1B}OS", .function(4)),
        ("\u{1B}[11~", .function(1)), ("\u{1B}[14~", .function(4)), ("\u{1B}[[A", .function(1)), ("\u{1B}[[D", .function(4)),
        ("\u{1B}[1;2P", .function(1)), ("\u{1B}[15~", .function(5)), ("\u{1B}[21~", .function(10)), ("\u{1B}[24~", .function(12)),
        ("\u{01}", .ctrl("a")), ("\u{03}", .ctrl("c")), ("\u{17}", .ctrl("w")), ("\u{1A}", .ctrl("z")),
        ("\u{00}", .ctrl(" ")), ("\u{1C}", .ctrl("\\")),
        ("\u{1B}a", .alt("a")), ("\u{1B}B", .alt("B")), ("\u{1B}é", .alt("é")),
        ("é", .character("é")), ("中", .character("中")), ("😀", .character("😀")),
    ]

    @Test("each sequence decodes to its key", arguments: table)
    func decodesTable(sequence: String, key: Key) {
        #expect(decodeAll(bytes(sequence)) == [key], "sequence \(sequence.replacingEscapes())")
    }

    @Test func severalKeysInOneRead() {
        #expect(decodeAll(bytes("ab\u{1B}[A\r\u{1B}[3~x")) == [.character("a"), .character("b"), .up, .enter, .delete, .character("x")])
    }

    @Test func loneEscapeNeedsTheTimeout() {
        var decoder = KeyDecoder()
        #expect(decoder.decode([0x1B]) == [])
        #expect(decoder.isWaitingForMoreBytes)
        #expect(decoder.flush() == [.escape])
        #expect(!decoder.isWaitingForMoreBytes)
    }

    @Test func escapeThenLetterWithinTheTimeoutIsAlt() {
        var decoder = KeyDecoder()
        #expect(decoder.decode([0x1B]) == [])
        #expect(decoder.decode(bytes("x")) == [.alt("x")])
    }

    @Test func escapeThenSilenceThenLetterIsTwoKeys() {
        var decoder = KeyDecoder()
        #expect(decoder.decode([0x1B]) + decoder.flush() == [.escape])
        #expect(decoder.decode(bytes("x")) == [.character("x")])
    }

    @Test func doubleEscapeIsTwoEscapes() {
        #expect(decodeAll([0x1B, 0x1B]) == [.escape, .escape])
    }

    @Test func escapeBracketAloneIsAltBracket() {
        #expect(decodeAll(bytes("\u{1B}[")) == [.alt("[")])
        #expect(decodeAll(bytes("\u{1B}O")) == [.alt("O")])
    }

    @Test func sequenceSplitAcrossReads() {
        var decoder = KeyDecoder()
        #expect(decoder.decode([0x1B, 0x5B]) == [])
        #expect(decoder.isWaitingForMoreBytes)
        #expect(decoder.decode(bytes("1;5")) == [])
        #expect(decoder.decode(bytes("D")) == [.left])
    }

    @Test func utf8SplitAcrossReads() {
        let chinese = bytes("中")      // E4 B8 AD
        let emoji = bytes("😀")        // F0 9F 98 80
        var decoder = KeyDecoder()
        #expect(decoder.decode([chinese[0]]) == [])
        #expect(decoder.isWaitingForMoreBytes)
        #expect(decoder.decode([chinese[1]]) == [])
        #expect(decoder.decode([chinese[2], emoji[0], emoji[1]]) == [.character("中")])
        #expect(decoder.decode([emoji[2], emoji[3]] + bytes("!")) == [.character("😀"), .character("!")])
    }

    @Test func incompleteUTF8IsDroppedAfterTheTimeout() {
        var decoder = KeyDecoder()
        #expect(decoder.decode([0xE4, 0xB8]) == [])
        #expect(decoder.flush() == [])
        #expect(decoder.decode(bytes("a")) == [.character("a")])
    }

    @Test func decomposedAccentIsOneCharacter() {
        #expect(decodeAll(bytes("e\u{301}")) == [.character("e\u{301}")])
    }

    @Test func unknownSequencesAreNeverText() {
        #expect(decodeAll(bytes("\u{1B}[99~x")) == [.character("x")])
        #expect(decodeAll(bytes("\u{1B}[?1;2c")) == [])       // device attributes reply
        #expect(decodeAll(bytes("\u{1B}[<0;3;4M")) == [])     // mouse report
        #expect(decodeAll(bytes("\u{1B}Ox")) == [])
        #expect(decodeAll(bytes("\u{1B}[2 q")) == [])         // intermediate byte
        #expect(decodeAll(bytes("\u{1B}[201~")) == [])        // paste end without a start
        #expect(decodeAll(bytes("\u{1B}[" + String(repeating: "1", count: 40) + "A")) == [.up])
        #expect(decodeAll(bytes("\u{1B}[12")) == [])          // cut off by the timeout
    }

    @Test func malformedSequenceKeepsTheInterruptingByte() {
        #expect(decodeAll(bytes("\u{1B}[1\u{03}")) == [.ctrl("c")])
    }

    @Test func altWithControlByteIsDropped() {
        // Alt-Backspace must not act as a stray Escape.
        #expect(decodeAll([0x1B, 0x7F]) == [])
    }

    @Test func invalidUTF8AndC1ControlsAreDropped() {
        #expect(decodeAll([0xFF, 0x80, 0x61, 0xC0, 0xAF]) == [.character("a")])
        #expect(decodeAll([0xC2, 0x9B] + bytes("2J")) == [.character("2"), .character("J")])
        #expect(decodeAll([0xED, 0xA0, 0x80]) == [])           // UTF-16 surrogate
    }

    @Test func bracketedPaste() {
        let keys = decodeAll(bytes("\u{1B}[200~hello\r\nworld\rend\u{1B}[201~x"))
        #expect(keys == [.paste("hello\nworld\nend"), .character("x")])
    }

    @Test func pasteKeepsEscapesAsTextNotKeys() {
        let keys = decodeAll(bytes("\u{1B}[200~a\u{1B}[2Jb\u{1B}[A\u{1B}[201~"))
        #expect(keys == [.paste("a\u{1B}[2Jb\u{1B}[A")])
    }

    @Test func pasteSplitAcrossReadsIncludingTheEndMarker() {
        var decoder = KeyDecoder()
        #expect(decoder.decode(bytes("\u{1B}[200~中")) == [])
        #expect(decoder.isInPaste)
        #expect(decoder.flush() == [], "silence does not end a paste")
        #expect(decoder.decode(bytes("文\u{1B}[20")) == [])
        #expect(decoder.decode(bytes("1~")) == [.paste("中文")])
        #expect(!decoder.isInPaste)
    }

    @Test("every key's bytes decode back to the key", arguments: [
        Key.character("q"), .character("ß"), .enter, .tab, .backTab, .backspace, .escape,
        .up, .down, .left, .right, .home, .end, .pageUp, .pageDown, .insert, .delete,
        .function(1), .function(4), .function(5), .function(9), .function(11), .function(12),
        .ctrl("a"), .ctrl("s"), .ctrl("_"), .alt("x"), .paste("two\nlines"),
    ])
    func roundTrip(key: Key) {
        #expect(!key.inputBytes.isEmpty)
        #expect(decodeAll(key.inputBytes) == [key])
    }

    @Test func keyNamesForHelpText() {
        #expect(Key.ctrl("s").description == "Ctrl-S")
        #expect(Key.function(2).description == "F2")
        #expect(Key.escape.description == "Esc")
        #expect(Key.character(" ").description == "Space")
    }
}
