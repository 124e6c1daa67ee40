import ClinicModel
import ClinicServices
import ClinicXML
import Foundation

/// `knot-bench phase dump-letters --dir DIR --out FILE --result FILE`: every letter under DIR
/// read by its reader (the kind told by `DocumentKind.detect`, as `knot import` does) with a fixed
/// "today", and what came out written to FILE, one line per file: the file name, then the
/// `IncomingReferral` as JSON with sorted keys, or the refusal's full text.
///
/// Not a measurement: a check that a change to the readers maps every letter exactly as before
/// (run it with both builds on the same folder and compare the two files).
enum ReadingDump {
    static func run(_ o: PhaseArguments) throws -> PhaseResult {
        let files = try ClinicSession.importFiles([try o.string("dir")]).sorted()
        let today = try LocalDate(year: 2026, month: 12, day: 6)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var out = Data()
        var refused = 0
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { throw BenchError.setup("cannot read \(file)") }
            let name = (file as NSString).lastPathComponent
            var line = name + "\t"
            do {
                let kind = try DocumentKind.detect(data, fileName: name)
                let incoming: IncomingReferral
                switch kind {
                case .knotReferral: incoming = try KnotReferralReader.read(data, fileName: name, today: today)
                case .cdaDocument: incoming = try CDAReferralReader.read(data, fileName: name, today: today)
                case .fhirReferral: incoming = try FHIRReferralReader.read(data, fileName: name, today: today)
                default:
                    line += "not a letter: \(kind)\n"
                    out += Data(line.utf8)
                    continue
                }
                line += String(decoding: try encoder.encode(incoming), as: UTF8.self)
            } catch {
                refused += 1
                line += "refused: " + "\(error)".replacingOccurrences(of: "\n", with: " | ")
            }
            out += Data((line + "\n").utf8)
        }
        try out.write(to: URL(fileURLWithPath: try o.string("out")))
        var r = PhaseResult()
        r.figures["files"] = Double(files.count)
        r.figures["refused"] = Double(refused)
        return r
    }
}
