import Foundation
import ClinicModel
internal import ClinicStore
import ClinicXML
import FollowUpPlans

/// The clinic's changed templates in a clinic export: written in the header, taken by a clinic
/// made from the export (`knot init --from`, or `knot import` into an empty database) with who
/// changed them and when, so exporting that clinic again gives the same bytes.
extension ClinicSession {
    /// The changed templates as the export's header carries them (sorted by the writer).
    static func exportedTemplates(_ tx: any ClinicRecordReader) throws -> [RecordsExportHeader.Template] {
        try tx.letterTemplates().values.map {
            RecordsExportHeader.Template(name: $0.name, body: $0.body, changedAt: $0.changedAt, changedBy: $0.changedBy)
        }
    }

    /// Takes the export's templates into a new clinic, each checked as `knot template edit`
    /// checks it: one that does not parse refuses the whole import (naming its line), so no
    /// letter is ever half made from it. A template this Knot does not know (from a newer Knot)
    /// is left out with a warning. Into a clinic already running, its own wording is kept and
    /// the import says so. Returns the warnings.
    static func restoreTemplates(_ templates: [RecordsExportHeader.Template], into tx: any ClinicRecords,
                                 newClinic: Bool) throws -> [String] {
        guard !templates.isEmpty else { return [] }
        guard newClinic else {
            return ["the export's \(templates.count) changed template(s) were not taken: this clinic keeps its own wording (knot template)"]
        }
        var warnings: [String] = []
        for t in templates.sorted(by: { $0.name < $1.name }) {
            guard LetterTemplates.named(t.name) != nil else {
                warnings.append("template \(t.name) is not one this Knot knows: left out (Knot's wording applies)")
                continue
            }
            do { try LetterTemplates.check(t.name, t.body) } catch {
                throw LetterTemplateRefused(description: "the export's template \(error.template), line \(error.line), column \(error.column): \(error.rule)\n"
                                            + "  \(error.line) | \(error.lineText)\nNothing was imported.")
            }
            // Who changed it and when, as exported (a new clinic keeps the exported audit trail).
            try tx.setLetterTemplate(name: t.name, body: t.body, actor: t.changedBy, at: t.changedAt)
        }
        return warnings
    }
}
