import Foundation
import Testing

/// Every INSERT the store makes names its columns, so that a column added by a migration (or
/// two columns swapped in a table rebuild) cannot shift values into the wrong column unnoticed.
/// The migrations are frozen and left out: this is about the SQL the application runs.
@Suite("the store's INSERTs name their columns")
struct InsertColumnListTests {
    static let storeSources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/ClinicStore")

    /// The INSERT statements in `text` with no column list after the table name, as
    /// "INSERT INTO table VALUES" (the table as written: a name or a Swift interpolation).
    static func positionalInserts(in text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        func isSpace(_ i: Int) -> Bool { i < scalars.count && CharacterSet.whitespacesAndNewlines.contains(scalars[i]) }
        func skipSpaces(_ i: inout Int) { while isSpace(i) { i += 1 } }
        func word(at i: Int, _ w: String) -> Bool {
            let letters = Array(w.unicodeScalars)
            guard i + letters.count <= scalars.count else { return false }
            return zip(scalars[i..<(i + letters.count)], letters).allSatisfy { String($0).uppercased() == String($1) }
                && (i + letters.count == scalars.count || !CharacterSet.alphanumerics.contains(scalars[i + letters.count]))
        }
        var found: [String] = []
        var i = 0
        while i < scalars.count {
            guard word(at: i, "INSERT"), i == 0 || !CharacterSet.alphanumerics.contains(scalars[i - 1]) else { i += 1; continue }
            let start = i
            i += 6
            skipSpaces(&i)
            if word(at: i, "OR") {  // INSERT OR IGNORE / REPLACE INTO
                i += 2; skipSpaces(&i)
                while i < scalars.count, CharacterSet.letters.contains(scalars[i]) { i += 1 }
                skipSpaces(&i)
            }
            guard word(at: i, "INTO") else { continue }  // "BEFORE INSERT ON", "AFTER INSERT OR UPDATE": not a statement
            i += 4
            skipSpaces(&i)
            // The table: an identifier (perhaps quoted), or a Swift interpolation `\(...)`.
            if i + 1 < scalars.count, scalars[i] == "\\", scalars[i + 1] == "(" {
                i += 1
                var depth = 0
                repeat {
                    if scalars[i] == "(" { depth += 1 } else if scalars[i] == ")" { depth -= 1 }
                    i += 1
                } while i < scalars.count && depth > 0
            } else {
                while i < scalars.count, CharacterSet.alphanumerics.contains(scalars[i]) || "_\".`".unicodeScalars.contains(scalars[i]) {
                    i += 1
                }
            }
            let table = String(String.UnicodeScalarView(scalars[start..<i]))
            skipSpaces(&i)
            if i >= scalars.count || scalars[i] != "(" { found.append(table) }
        }
        return found
    }

    @Test("the scan finds an INSERT without a column list, and passes one with it")
    func theScanCatchesAPositionalInsert() {
        #expect(Self.positionalInserts(in: #"try db.execute(sql: "INSERT INTO patient VALUES (?, ?, ?)")"#) == ["INSERT INTO patient"])
        #expect(Self.positionalInserts(in: "INSERT OR REPLACE INTO row_seal\n  SELECT * FROM old_seal") == ["INSERT OR REPLACE INTO row_seal"])
        #expect(Self.positionalInserts(in: #"UPDATE x; INSERT INTO \(Self.table(kind)) VALUES (1)"#) == [#"INSERT INTO \(Self.table(kind))"#])
        #expect(Self.positionalInserts(in: "INSERT INTO patient (id, record_number)\n VALUES (?, ?)").isEmpty)
        #expect(Self.positionalInserts(in: "INSERT INTO patient_fts(rowid, names) VALUES (NEW.id, NEW.names)").isEmpty)
        #expect(Self.positionalInserts(in: #"INSERT INTO \(table.quotedDatabaseIdentifier) (tbl) VALUES (?)"#).isEmpty)
        #expect(Self.positionalInserts(in: "CREATE TRIGGER t BEFORE INSERT ON visit; AFTER INSERT OR UPDATE ON x").isEmpty)
    }

    @Test("no INSERT in the store's application code (outside the frozen migrations) relies on column order")
    func everyInsertNamesItsColumns() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.storeSources.path)
            .filter { $0.hasSuffix(".swift") && !$0.hasPrefix("Migration") }.sorted()
        #expect(files.count > 20, "\(Self.storeSources.path) holds the store's sources: is the path right?")
        var inserts = 0
        for file in files {
            let text = try String(contentsOf: Self.storeSources.appendingPathComponent(file), encoding: .utf8)
            inserts += text.components(separatedBy: "INSERT").count - 1
            for statement in Self.positionalInserts(in: text) {
                Issue.record("\(file): \(statement) gives no column list; name the columns")
            }
        }
        #expect(inserts > 20, "the store's INSERTs were found (\(inserts))")
    }
}
