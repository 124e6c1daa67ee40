import Foundation
@testable import LibXML
import Testing

/// Schemas compile once, refuse anything external, and validation reports every issue with its line.
@Suite struct SchemaValidationTests {
    func document(_ text: String) throws -> XMLDocument {
        try XMLDocument(data: Data(text.utf8), options: ParseOptions(fileName: "visits.xml"))
    }

    @Test func validDocumentPasses() throws {
        let text = TestSchemas.visitsDocument([("v1", "2024-03-01", "7"), ("v2", "2024-03-08", "3")])
        try document(text).validate(against: TestSchemas.visits)
    }

    @Test func everyIssueIsReportedWithItsLine() throws {
        // Visit 1 starts on line 3: date on 4, pain on 5; visit 2: date on 8, pain on 9.
        let text = TestSchemas.visitsDocument([("v1", "2024-03-01", "11"), ("v2", "yesterday", "3")])
        let errors = try #require(throws: XMLErrors.self) { try document(text).validate(against: TestSchemas.visits) }
        #expect(errors.issues.allSatisfy { $0.kind == .invalid && $0.file == "visits.xml" })
        let lines = Set(errors.issues.map(\.line))
        #expect(lines == [5, 8])
        #expect(errors.issues.contains { $0.line == 5 && $0.message.contains("11") })
        #expect(errors.issues.contains { $0.line == 8 && $0.message.contains("yesterday") })
        #expect(errors.description.contains("visits.xml:8: error: "))
    }

    @Test func duplicateIDsAreCaughtOnTheTree() throws {
        let text = TestSchemas.visitsDocument([("v1", "2024-03-01", "1"), ("v1", "2024-03-02", "2")])
        let errors = try #require(throws: XMLErrors.self) { try document(text).validate(against: TestSchemas.visits) }
        #expect(errors.first.line == 7)
        #expect(errors.first.message.contains("v1"))
    }

    @Test func issuesAreCappedAndCounted() throws {
        let visits = (0..<80).map { (id: "v\($0)", date: "2024-03-01", pain: "99") }
        let errors = try #require(throws: XMLErrors.self) {
            try document(TestSchemas.visitsDocument(visits)).validate(against: TestSchemas.visits)
        }
        #expect(errors.issues.count == XMLErrors.cap)
        #expect(errors.omittedCount > 0)
        #expect(errors.description.hasSuffix("... and \(errors.omittedCount) more"))
    }

    @Test func collectorDeduplicates() {
        let collector = ErrorCollector(fileName: "a.xml", genericKind: .unsupported)
        for _ in 0..<3 {
            collector.add(XMLError(kind: .invalid, message: "same", file: "a.xml", line: 4))
        }
        collector.add(XMLError(kind: .invalid, message: "same", file: "a.xml", line: 5))
        let errors = collector.errors(fallback: XMLError(kind: .invalid, message: "none"))
        #expect(errors.issues.map(\.line) == [4, 5])
    }

    @Test func schemaLocationInTheDocumentIsIgnored() throws {
        let attributes = " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
            + " xsi:schemaLocation=\"\(TestSchemas.visitsNamespace) http://attacker.invalid/evil.xsd\""
        let text = TestSchemas.visitsDocument([("v1", "2024-03-01", "7")], rootAttributes: attributes)
        let clock = ContinuousClock()
        let elapsed = try clock.measure { try document(text).validate(against: TestSchemas.visits) }
        #expect(elapsed < .seconds(1))
    }

    @Test func wrongRootIsInvalid() throws {
        let errors = try #require(throws: XMLErrors.self) {
            try document("<visits xmlns=\"urn:other\"/>").validate(against: TestSchemas.visits)
        }
        #expect(errors.kind == .invalid)
        #expect(errors.first.line == 1)
    }

    @Test func compileErrorsHaveLines() throws {
        let broken = TestSchemas.visitsXSD.replacingOccurrences(of: "type=\"painScore\"", with: "type=\"painScoreTypo\"")
        let errors = try #require(throws: XMLErrors.self) { try XMLSchema(data: Data(broken.utf8), name: "broken.xsd") }
        #expect(errors.kind == .invalid)
        #expect(errors.first.file == "broken.xsd")
        #expect(errors.first.line == 12)
        #expect(errors.first.message.contains("painScoreTypo"))

        let malformed = try #require(throws: XMLErrors.self) {
            try XMLSchema(data: Data("<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n<xs:element>".utf8), name: "cut.xsd")
        }
        #expect(malformed.kind == .notWellFormed)
        #expect(malformed.first.line == 2)
    }

    @Test(arguments: [
        "<xs:include schemaLocation=\"file:///etc/passwd\"/>",
        "<xs:include schemaLocation=\"other.xsd\"/>",
        "<xs:import namespace=\"http://www.w3.org/XML/1998/namespace\" schemaLocation=\"http://www.w3.org/2001/xml.xsd\"/>",
        "<xs:redefine schemaLocation=\"http://attacker.invalid/evil.xsd\"/>",
    ])
    func externalSchemaPartsAreRefused(_ reference: String) throws {
        let text = """
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
              \(reference)
              <xs:element name="r" type="xs:string"/>
            </xs:schema>
            """
        let errors = try #require(throws: XMLErrors.self) { try XMLSchema(data: Data(text.utf8), name: "outside.xsd") }
        #expect(errors.issues.contains { $0.kind == .unsupported && $0.line == 2 }, "\(errors)")
        #expect(!errors.description.contains("root:x:0"))
    }

    @Test func schemaIsSharedAcrossConcurrentValidations() async throws {
        let schema = TestSchemas.visits
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<16 {
                group.addTask {
                    let pain = index.isMultiple(of: 2) ? "5" : "12"
                    let visits = (0..<50).map { (id: "v\($0)", date: "2024-03-01", pain: pain) }
                    do {
                        let document = try XMLDocument(data: Data(TestSchemas.visitsDocument(visits).utf8))
                        try document.validate(against: schema)
                        return true
                    } catch {
                        return false
                    }
                }
            }
            var outcomes: [Bool] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        #expect(results.filter { $0 }.count == 8)
        #expect(results.filter { !$0 }.count == 8)
    }
}
