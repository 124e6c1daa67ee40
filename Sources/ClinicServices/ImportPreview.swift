import Foundation
import ClinicModel
import ClinicXML
import LibXML

/// What the referral inbox shows of a file before anything is filed: the dry run of its import,
/// the document's kind, and for a referral letter who it is about and from.
public struct ImportPreview: Sendable {
    /// The dry run: what importing the file would do (nothing is written).
    public var outcome: ImportOutcome
    /// The document's kind, told from its root element; nil when the file cannot be read, is not
    /// XML, or is over the size cap (then `outcome` says so).
    public var kind: DocumentKind?
    /// The referral letter as read; nil for any other document, or one that cannot be read.
    public var letter: IncomingReferral?

    /// A preview from its parts.
    public init(outcome: ImportOutcome, kind: DocumentKind?, letter: IncomingReferral?) {
        self.outcome = outcome
        self.kind = kind
        self.letter = letter
    }
}

extension ClinicSession {
    /// Previews `path` as `importFile` would import it: the same permission check, the same size
    /// cap (a file over `options.maxBytes` is never read, and its dry run says why), the same
    /// readers. Nothing is written.
    /// - Parameter path: the file to preview.
    /// - Parameter options: the size cap and readers' options, as for `importFile` (the dry run is forced).
    /// - Parameter today: the day the letter is read on (a referral's expiry is judged by it).
    public func previewImport(_ path: String, options: ImportOptions = ImportOptions(), today: LocalDate = .today()) -> ImportPreview {
        var dryRun = options
        dryRun.dryRun = true
        let outcome = importFile(path, options: dryRun)
        let name = (path as NSString).lastPathComponent
        // Someone who may not import does not see a letter's contents either.
        guard (try? authorizeImport(of: [path])) != nil else { return ImportPreview(outcome: outcome, kind: nil, letter: nil) }
        // A whole-clinic export streams from disk whatever its size: never read whole to be named.
        if Self.isClinicExport(path) { return ImportPreview(outcome: outcome, kind: .clinicRecords, letter: nil) }
        guard case .success(let data) = LetterFile.read(path, maxBytes: options.maxBytes) else {
            return ImportPreview(outcome: outcome, kind: nil, letter: nil)
        }
        let parseOptions = ParseOptions(maxBytes: options.maxBytes, fileName: name)
        guard let kind = try? DocumentKind.detect(data, fileName: name, options: parseOptions) else {
            return ImportPreview(outcome: outcome, kind: nil, letter: nil)
        }
        let letter = (try? Self.readLetter(kind, data, parseOptions: parseOptions, options: options, today: today)) ?? nil
        return ImportPreview(outcome: outcome, kind: kind, letter: letter?.0)
    }
}
