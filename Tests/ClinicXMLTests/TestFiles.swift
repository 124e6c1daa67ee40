import Foundation

/// Where the test files are: the package's Import/ folder and this target's fixtures.
enum TestFiles {
    /// The package root (this file is Tests/ClinicXMLTests/TestFiles.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let importFolder = packageRoot.appendingPathComponent("Import")

    static func importFile(_ name: String) throws -> Data {
        try Data(contentsOf: importFolder.appendingPathComponent(name))
    }

    /// Every file in Import/ with its name, sorted.
    static func importFiles() throws -> [(name: String, data: Data)] {
        try FileManager.default.contentsOfDirectory(atPath: importFolder.path)
            .filter { $0.hasSuffix(".xml") }
            .sorted()
            .map { ($0, try importFile($0)) }
    }

    static func fixture(_ path: String) throws -> Data {
        guard let folder = Bundle.module.resourceURL else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        return try Data(contentsOf: folder.appendingPathComponent("Fixtures").appendingPathComponent(path))
    }

    /// The 1-based line of the first occurrence of `needle` in `text`.
    static func line(of needle: String, in text: String) -> Int? {
        guard let range = text.range(of: needle) else { return nil }
        return text[..<range.lowerBound].filter { $0 == "\n" }.count + 1
    }
}
