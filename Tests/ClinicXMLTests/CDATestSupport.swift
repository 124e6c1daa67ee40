import Foundation
import ClinicModel
import ClinicXML
import LibXML

/// Loading the CDA fixtures in `Fixtures/cda` and reading them the way `knot import` does.
enum CDAFixtures {
    /// The exact bytes of a fixture file.
    static func data(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures/cda") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name])
        }
        return try Data(contentsOf: url)
    }

    /// Every fixture file name.
    static var names: [String] {
        let urls = Bundle.module.urls(forResourcesWithExtension: "xml", subdirectory: "Fixtures/cda") ?? []
        return urls.compactMap { $0.lastPathComponent }.sorted()
    }

    /// A fixed "today" so that fallbacks are deterministic.
    static let today: LocalDate = { try! LocalDate(year: 2026, month: 11, day: 20) }()

    static func read(_ name: String, extraSchema: XMLSchema? = nil) throws -> IncomingReferral {
        try CDAReferralReader.read(data(name), fileName: name, extraSchema: extraSchema, today: today)
    }

    /// The refusals for a fixture that must not import (fails the test when it imports).
    static func refusals(_ name: String) throws -> [ClinicXMLError] {
        do {
            _ = try CDAReferralReader.read(data(name), fileName: name, today: today)
        } catch let errors as ClinicXMLErrors {
            return errors.errors
        }
        return []
    }

    static func date(_ text: String) -> LocalDate { try! LocalDate(parsing: text) }
}
