import Foundation
import Testing
@testable import ClinicServices

/// `knot import FOLDER` asks of every file whether it is a whole-clinic export (the records
/// namespace in its first 4 KB) before the first letter is filed: now with the system's
/// open/read and on every core. The answers must be those of one file at a time, in order, and
/// what the rule says for each kind of file.
@Suite struct ClinicExportDetectionTests {
    @Test("exports are found by their first 4 KB, in order, on every core: not past 4 KB, not an empty file, a folder or a missing file")
    func exportsFoundInOrder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("knot-export-detect-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let namespace = "urn:knot:records:1"
        var files: [String] = [], expected: [Bool] = []
        func add(_ name: String, _ text: String?, export: Bool) throws {
            let path = (folder as NSString).appendingPathComponent(name)
            if let text { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) }
            files.append(path)
            expected.append(export)
        }
        for k in 0..<700 {
            switch k % 7 {
            case 0: try add("\(k).xml", "<?xml version=\"1.0\"?><clinic xmlns=\"\(namespace)\"/>", export: true)
            case 1: try add("\(k).xml", "<referral xmlns=\"urn:knot:referral:1\"/>", export: false)
            case 2:  // the namespace ends on the 4,096th byte: found
                try add("\(k).xml", String(repeating: " ", count: 4096 - namespace.utf8.count) + namespace, export: true)
            case 3:  // one byte later: past the first 4 KB
                try add("\(k).xml", String(repeating: " ", count: 4097 - namespace.utf8.count) + namespace, export: false)
            case 4: try add("\(k).xml", "", export: false)
            case 5: try add("missing-\(k).xml", nil, export: false)
            default:
                let path = (folder as NSString).appendingPathComponent("folder-\(k).xml")
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                files.append(path)
                expected.append(false)
            }
        }
        #expect(files.map(ClinicSession.isClinicExport) == expected)
        #expect(ClinicSession.clinicExports(files) == expected)
        #expect(ClinicSession.clinicExports(Array(files.prefix(9))) == Array(expected.prefix(9)))
        // What a folder's listing found, given for some files (and for files not asked about):
        // the others are read, the answers the same, in order.
        var known: [String: Bool] = ["/no/such/listed.xml": true]
        for (i, (f, e)) in zip(files, expected).enumerated() where i % 3 == 0 { known[f] = e }
        #expect(ClinicSession.clinicExports(files, known: known) == expected)
        #expect(ClinicSession.clinicExports(files, known: [:]) == expected)
    }

    @Test("a folder's listing keeps what it found of each file for the import that follows: the same answers as reading each file")
    func listingKeepsExportFlags() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("knot-export-memo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for k in 0..<300 {
            let text = k % 100 == 7 ? "<?xml version=\"1.0\"?><clinic xmlns=\"urn:knot:records:1\"/>" : "<referral xmlns=\"urn:knot:referral:1\"/>"
            try Data(text.utf8).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(String(format: "%03d.xml", k))))
        }
        let listing = try ClinicSession.importListing([folder])
        let files = listing.files
        #expect(try ClinicSession.importFiles([folder]) == files)
        // Exports first (007, 107, 207), then the letters, as always.
        #expect(files.prefix(3).map { ($0 as NSString).lastPathComponent } == ["007.xml", "107.xml", "207.xml"])
        // The listing read every file of the folder once, and what it kept answers as the files do.
        #expect(Set(listing.exportFlags.keys) == Set(files))
        for (f, export) in listing.exportFlags { #expect(export == ClinicSession.isClinicExport(f)) }
        #expect(ClinicSession.clinicExports(files, known: listing.exportFlags) == files.map(ClinicSession.isClinicExport))
        #expect(ClinicSession.clinicExports(files) == [true, true, true] + Array(repeating: false, count: 297))
    }
}
