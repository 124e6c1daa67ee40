import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import ClinicTestSupport

/// The storage seam (issue 20): the front end and `knot` reach the records through the use cases
/// alone, and a store's errors reach them as `StorageError`, worded as before.
@Suite("The storage seam")
struct StorageSeamTests {
    let dir = TemporaryDirectory(prefix: "knot-storage-seam")

    /// The repository's root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("neither the front end nor knot imports the store, and Package.swift gives them no store to import")
    func noStoreBeyondTheServices() throws {
        let fm = FileManager.default
        var importers: [String] = []
        for folder in ["Sources/ClinicTUI", "Sources/knot"] {
            let base = Self.root.appendingPathComponent(folder).path
            let files = try #require(fm.enumerator(atPath: base)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
            #expect(!files.isEmpty, "\(base) has no Swift files: is the root right?")
            for file in files {
                let text = try String(contentsOfFile: (base as NSString).appendingPathComponent(file), encoding: .utf8)
                if text.split(separator: "\n").contains(where: { $0.trimmingCharacters(in: .whitespaces).hasSuffix("import ClinicStore") }) {
                    importers.append("\(folder)/\(file)")
                }
            }
        }
        #expect(importers.isEmpty, "the front end and knot reach the records through ClinicServices only: \(importers)")

        let package = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        for target in [".target(name: \"ClinicTUI\"", "name: \"knot\","] {
            let start = try #require(package.range(of: target), "Package.swift declares \(target)")
            let declaration = package[start.lowerBound...].prefix { $0 != ")" }
            #expect(!declaration.contains("\"ClinicStore\""), "\(target) must not depend on ClinicStore: \(declaration)")
        }
        // The services import the store only internally: no store type in their public API.
        let services = Self.root.appendingPathComponent("Sources/ClinicServices").path
        for file in try fm.contentsOfDirectory(atPath: services) where file.hasSuffix(".swift") {
            let text = try String(contentsOfFile: (services as NSString).appendingPathComponent(file), encoding: .utf8)
            #expect(!text.split(separator: "\n").contains("import ClinicStore"), "\(file) imports ClinicStore publicly")
        }
    }

    @Test("no database at a path not to be created: StorageError.missing, worded as the store words it")
    func missingDatabase() throws {
        let path = dir.file("nowhere.sqlite")
        #expect {
            _ = try ClinicSession.open(path: path, handle: nil, create: false)
        } throws: { error in
            guard let e = error as? StorageError, case .missing(let p) = e else { return false }
            return p == path && e.description == StoreError.missing(path: path).description
        }
        #expect(!FileManager.default.fileExists(atPath: path), "nothing was created")
    }

    @Test("a store refusal inside a use case reaches the caller as a StorageError, whichever way the session was made")
    func refusalsAreMapped() throws {
        let path = dir.file("clinic.sqlite")
        let setup = ClinicSession.maintenance(database: try ClinicDatabase(path: path), actor: "setup")
        _ = try setup.addPatient(Patient(recordNumber: "K1", givenNames: "Ana", familyName: "Souza",
                                         dateOfBirth: try LocalDate(parsing: "1980-05-17")))
        _ = try setup.addPractitioner(Practitioner(handle: "mchen", name: "Mei Chen", profession: .physiotherapist,
                                                   registrationNumber: "PHY0001234567"))
        let opened = try ClinicSession.open(path: path, handle: "mchen", create: false)
        for session in [setup, opened] {
            #expect {
                _ = try session.addPatient(Patient(recordNumber: "K1", givenNames: "Bea", familyName: "Lima",
                                                   dateOfBirth: try LocalDate(parsing: "1990-01-02")), allowDuplicate: true)
            } throws: { error in
                guard let e = error as? StorageError, case .duplicate(_, let field, let value) = e else { return false }
                // The SQLite store's StoreError is StorageError itself: no store-only type to leak.
                return value == "K1" && !field.isEmpty
            }
        }
        #expect(try opened.listPatients().map(\.recordNumber) == ["K1"], "nothing was half-written")
    }
}
