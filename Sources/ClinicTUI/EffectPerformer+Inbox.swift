import Foundation
import ClinicModel
import ClinicServices
import ClinicXML

/// The referral inbox's database and file work: list the folder with a dry run of each file,
/// preview one letter, import it.
extension EffectPerformer {
    func performInboxWork(_ effect: Effect) throws -> Command {
        switch effect {
        case .loadInbox:
            return .inboxLoaded(inboxListing())
        case .previewLetter(let path):
            return .inboxPreviewed(preview(path))
        case .importLetter(let path):
            return .letterImported(session.importFile(path))
        case .fileLetter(let path, let filing):
            return .letterImported(session.importFile(path, filing: filing))
        default:
            preconditionFailure("not inbox work: \(effect)")
        }
    }

    /// The folder's .xml files, sorted by name, each with its dry-run verdict.
    private func inboxListing() -> InboxListing {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: importFolder, isDirectory: &isDirectory) && isDirectory.boolValue
        let names = exists ? ((try? FileManager.default.contentsOfDirectory(atPath: importFolder)) ?? []) : []
        let entries = names.filter { $0.lowercased().hasSuffix(".xml") }.sorted().map { name in
            let path = (importFolder as NSString).appendingPathComponent(name)
            let preview = session.previewImport(path, today: today)
            return InboxEntry(path: path, fileName: name, format: format(of: preview), status: preview.outcome.status)
        }
        return InboxListing(folder: importFolder, folderExists: exists, entries: entries)
    }

    /// A dry run of `path`, with the letter's patient and referrer when it is a readable letter:
    /// read by the import use case, within its size cap.
    private func preview(_ path: String) -> InboxPreview {
        let preview = session.previewImport(path, today: today)
        let outcome = preview.outcome
        return InboxPreview(path: path, fileName: (path as NSString).lastPathComponent, format: format(of: preview),
                            status: outcome.status, detail: outcome.detail, warnings: outcome.warnings,
                            proposedAlerts: outcome.proposedAlerts, letter: preview.letter.map(Self.summary(of:)), candidates: outcome.candidates)
    }

    /// The file's kind in words, told from its root element alone.
    private func format(of preview: ImportPreview) -> String {
        switch preview.kind {
        case nil: return "unreadable"
        case .knotReferral: return "Knot referral"
        case .cdaDocument: return "CDA letter"
        case .fhirReferral: return "FHIR referral"
        case .clinicRecords: return "clinic export"
        case .plan: return "plan"
        case .unknown: return "not for Knot"
        }
    }

    /// Who a referral letter is about and from.
    private static func summary(of incoming: IncomingReferral) -> LetterSummary {
        let referral = incoming.referral
        let referrer = [referral.referrerName, referral.referrerOrganisation].compactMap { $0 }.filter { !$0.isEmpty }
        return LetterSummary(patientName: incoming.patient.displayName, dateOfBirth: incoming.patient.dateOfBirth.description,
                             referrer: referrer.joined(separator: ", "), referralDate: referral.date.description,
                             reason: referral.reason)
    }
}
