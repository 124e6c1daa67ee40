import Foundation
import ClinicModel
import ClinicServices
import ClinicXML

/// The import folder's letters before any is read: what checking the inbox goes through.
struct InboxFiles: Sendable {
    var folder: String
    var exists: Bool
    /// The .xml files' names, sorted.
    var names: [String]
}

/// The referral inbox's database and file work: list the folder with a dry run of each file,
/// preview one letter, import it.
extension EffectPerformer {
    func performInboxWork(_ effect: Effect) throws -> EffectResult {
        switch effect {
        case .loadInbox:
            return .inboxLoaded(checkInbox(inboxFiles(), report: { _ in }, isCancelled: { false }) ?? InboxListing(folder: importFolder, folderExists: false, entries: []))
        case .stopCheckingInbox:
            return .inboxCheckStopped
        case .previewLetter(let path):
            return .inboxPreviewed(preview(path))
        case .importLetter(let path):
            return .letterImported(session.importFile(path))
        case .fileLetter(let path, let filing, let confirmed):
            let outcome = session.importFile(path, filing: filing, confirmingDifferentPatient: confirmed)
            if let differences = outcome.chosenPatientDiffers, !confirmed {
                return .letterPatientDiffers(path: path, filing, differences: differences)
            }
            return .letterImported(outcome)
        default:
            preconditionFailure("not inbox work: \(effect)")
        }
    }

    /// `.loadInbox` as long work: the folder's files are counted at once (the screen says how
    /// many letters it checks), the dry runs are done off the input loop, reporting after each.
    func longWork(_ effect: Effect) -> LongWork? {
        guard case .loadInbox = effect else { return nil }
        let files = inboxFiles()
        return LongWork(kind: "inbox", first: .inboxProgress(InboxProgress(folder: files.folder, checked: 0, total: files.names.count))) { job in
            checkInbox(files, report: { job.report(.inboxProgress($0)) }, isCancelled: { job.isCancelled }).map { .inboxLoaded($0) }
        }
    }

    /// The import folder and its .xml files, sorted by name (nothing read yet).
    func inboxFiles() -> InboxFiles {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: importFolder, isDirectory: &isDirectory) && isDirectory.boolValue
        let names = exists ? ((try? FileManager.default.contentsOfDirectory(atPath: importFolder)) ?? []) : []
        return InboxFiles(folder: importFolder, exists: exists, names: names.filter { $0.lowercased().hasSuffix(".xml") }.sorted())
    }

    /// Each file with its dry-run verdict, reporting how many are checked after each one; nil
    /// when stopped before the last.
    func checkInbox(_ files: InboxFiles, report: (InboxProgress) -> Void, isCancelled: () -> Bool) -> InboxListing? {
        var entries: [InboxEntry] = []
        for name in files.names {
            if isCancelled() { return nil }
            let path = (files.folder as NSString).appendingPathComponent(name)
            let preview = session.previewImport(path, today: today)
            entries.append(InboxEntry(path: path, fileName: name, format: format(of: preview), status: preview.outcome.status))
            report(InboxProgress(folder: files.folder, checked: entries.count, total: files.names.count))
        }
        return InboxListing(folder: files.folder, folderExists: files.exists, entries: entries)
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
