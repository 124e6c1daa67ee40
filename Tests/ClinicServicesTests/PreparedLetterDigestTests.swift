import Foundation
import Testing
@testable import ClinicServices
import ClinicXML
import ClinicTestSupport

/// A letter read for the batched import keeps the SHA-256 its reader took of its bytes instead of
/// taking it twice, and names its file without `NSString` (issue 19, session 16): the digest the
/// writer checks (a file imported twice is "already imported") must still be the file's, for a
/// letter read, refused or not a letter at all, and the name in messages the file's.
@Suite struct PreparedLetterDigestTests {
    let dir = TemporaryDirectory(prefix: "knot-prepared-digest")

    static let importFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Import")

    @Test("the SHA-256 a prepared letter carries is its file's, read or refused")
    func digestIsTheFiles() throws {
        var files: [(String, Data)] = try FileManager.default.contentsOfDirectory(atPath: Self.importFolder.path).sorted().map {
            ($0, try Data(contentsOf: Self.importFolder.appendingPathComponent($0)))
        }
        files += [
            ("plan.xml", Data("<?xml version=\"1.0\"?><plan xmlns=\"urn:knot:plan:1\"/>".utf8)),
            ("unknown-root.xml", Data("<?xml version=\"1.0\"?><letter xmlns=\"urn:example\"/>".utf8)),
            ("not-well-formed.xml", Data("<referral xmlns=\"urn:knot:referral:1\"><oops></referral>".utf8)),
            ("invalid.xml", Data("<?xml version=\"1.0\"?><referral xmlns=\"urn:knot:referral:1\" version=\"1\"/>".utf8)),
        ]
        var read = 0, refused = 0
        for (name, data) in files {
            let path = URL(fileURLWithPath: dir.path).appendingPathComponent(name).path
            try data.write(to: URL(fileURLWithPath: path))
            switch ClinicSession.prepareLetter(path, options: ImportOptions()) {
            case .read(let sha, let reading):
                #expect(sha == LetterDigest.sha256Hex(data), "\(name)")
                switch reading {
                case .letter(let incoming, _, _):
                    #expect(incoming.referral.originalSHA256 == sha, "\(name)")
                    read += 1
                case .rejected(let outcome):
                    #expect(outcome.file == path)
                    refused += 1
                }
            case .decided, .alone:
                continue
            }
        }
        #expect(read >= 10)
        #expect(refused == 4)
    }

    @Test("a file's name as NSString gives it, for paths with and without folders and slashes")
    func fileNames() {
        for path in ["/a/b/letter.xml", "letter.xml", "a/b/c", "/x", "dir/é李.xml", "a//b.xml", "/a/b/", "/", "", "a/", "//", "./x.xml"] {
            #expect(ClinicSession.fileName(of: path) == (path as NSString).lastPathComponent, "\(path)")
        }
    }
}
