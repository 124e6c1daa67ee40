import ClinicXML
import Foundation

/// `knot-bench phase read-export --file EXPORT --result R`: a clinic export read as the
/// export's own check reads what it writes (`RecordsImportReader`: byte screens, libxml2 with
/// the schema, every rule of the decoder; no digests), alone in one thread. Not a use case: the
/// part of `knot export`'s CPU its check thread takes, measured beside `xmllint --stream --schema`.
enum ReadExportPhase {
    static func run(_ o: PhaseArguments) throws -> PhaseResult {
        let file = try o.string("file")
        let start = Clock.now()
        let reader = try RecordsImportReader(contentsOfFile: file, fileName: nil)
        reader.computesDigests = false
        var records = 0
        while try reader.next() != nil { records += 1 }
        var r = PhaseResult()
        r.figures["seconds"] = Clock.seconds(since: start)
        r.figures["records"] = Double(records)
        return r
    }
}
