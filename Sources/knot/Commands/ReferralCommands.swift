import ArgumentParser
import Foundation
import ClinicModel
import ClinicServices

struct ReferralCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "referral", abstract: "Referrals: validity, sessions left, sections and the original letter.",
        subcommands: [List.self, Show.self, Conflicts.self, Resolve.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A patient's referrals with sessions used and left.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Record number or id.") var patient: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            let (p, list) = try global.session().referrals(patientKey: patient)
            if output.json { try Console.printJSON(list); return }
            Console.print("\(p.displayName) (\(p.recordNumber))")
            Console.print(Console.table(["ID", "DATE", "FROM", "FORMAT", "SESSIONS", "EXPIRES", "REASON"], list.map { s in
                let r = s.referral
                return [String(r.id!), r.date.description, r.referrerName, r.format.rawValue,
                        r.sessionsAllowed.map { "\(s.sessionsUsed) of \($0) used" } ?? "\(s.sessionsUsed) used",
                        r.expiresOn.map { $0 < .today() ? "\($0) EXPIRED" : $0.description } ?? "", r.reason]
            }))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A referral's details and sections; --original prints the letter exactly as received.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Referral id.", transform: Number.id) var referral: Int64
        @Flag(help: "Print the original letter, byte for byte as received.") var original = false
        @Option(help: ArgumentHelp("Save attachment N (1-based) to this file, as N=FILE. Repeatable.", valueName: "N=FILE"),
                transform: ArgumentForm.attachment) var saveAttachment: [ArgumentForm.AttachmentTarget] = []
        @OptionGroup var output: OutputOptions

        func run() throws {
            let r = try global.session().referral(id: referral)
            if original {
                guard let letter = r.originalLetter else { throw ServiceError.notFound("referral \(referral) was typed in: there is no original letter") }
                Console.writeVerbatim(letter)
                return
            }
            for target in saveAttachment {
                let n = target.number, path = target.path
                guard r.attachments.indices.contains(n - 1) else {
                    throw KnotCommandError.badValue("--save-attachment", "\(n)=\(path)", accepts: r.attachments.isEmpty
                        ? "referral \(referral) has no attachments" : "N=FILE with N from 1 to \(r.attachments.count)")
                }
                try PrivateFile.write(r.attachments[n - 1].data, to: path)
                Console.print("Saved attachment \(n) (\(r.attachments[n - 1].mediaType)) to \(path).")
            }
            if !saveAttachment.isEmpty { return }
            if output.json {
                var copy = r
                copy.originalLetter = nil
                try Console.printJSON(copy)
                return
            }
            Console.print("Referral #\(r.id!) — \(r.format.rawValue) — \(r.date)")
            Console.print("From: \(r.referrerName)" + (r.referrerOrganisation.map { ", \($0)" } ?? "") + (r.referrerProviderNumber.map { " (provider \($0))" } ?? ""))
            if let to = r.recipient { Console.print("To: \(to)") }
            if let title = r.documentTitle { Console.print("Document: \(title)" + (r.documentCode.map { " [\($0)]" } ?? "")) }
            Console.print("Valid: " + (r.expiresOn.map { "until \($0)" } ?? "no expiry given") + (r.sessionsAllowed.map { ", \($0) sessions" } ?? ""))
            Console.print("Reason: \(r.reason)")
            for s in r.sections {
                Console.print("")
                Console.print("\(s.title.uppercased())" + (s.code.map { " (\($0))" } ?? ""))
                Console.print(s.text)
                for e in s.entries { Console.print("  • " + [e.displayName, e.code.map { "[\($0)]" }, e.text].compactMap { $0 }.joined(separator: " ")) }
            }
            for (i, a) in r.attachments.enumerated() {
                Console.print("Attachment \(i + 1): \(a.mediaType), \(a.data.count) bytes (save with --save-attachment \(i + 1)=FILE)")
            }
            if let replaced = r.replacesReferralID {
                Console.print("Replaces referral #\(replaced) (an earlier version of this letter; both kept)"
                              + (r.documentVersion.map { ", this is version \($0)" } ?? ""))
            }
            if !r.letterIdentifiers.isEmpty {
                Console.print("Patient identifiers in the letter: " + r.letterIdentifiers.map { "\($0.system) \($0.value)" }.joined(separator: ", "))
            }
            for w in r.importWarnings { Console.print("warning on import: \(w)") }
            if let sha = r.originalSHA256 { Console.print("Original letter: SHA-256 \(sha) (knot referral show \(r.id!) --original)") }
        }
    }

    struct Conflicts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Letters held because their patient match was doubtful, with the patients each might be about.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let held = try global.session().referralConflicts()
            if output.json { try Console.printJSON(held); return }
            if held.isEmpty { Console.print("No letters are waiting for a person to file them."); return }
            for c in held {
                Console.print("#\(c.id) \(Console.oneLine(c.fileName)) [\(c.format)]: \(c.reason)")
                for p in c.candidates { Console.print("    candidate: \(p.recordNumber) \(p.name), born \(p.dateOfBirth)") }
            }
            Console.print("File one with: knot referral resolve ID --patient RECORD, or knot referral resolve ID --new-patient")
        }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "File a held letter (a doubtful patient match) to the patient a person chose, or as a new patient; audited.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The held letter's id (knot import and knot referral conflicts show it).", transform: Number.id) var conflict: Int64
        @Option(help: "File it for this patient (record number or id).") var patient: String?
        @Flag(help: "File it as a new patient, although someone similar is on file.") var newPatient = false
        @Flag(help: ArgumentHelp("File it for --patient although that patient is not one the letter might be about, or has another name or date of birth.",
                                 discussion: "Without it such a patient is refused (exit 1) with what differs, and nothing is filed."))
        var confirmDifferentPatient = false
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if (patient == nil) == !newPatient {
                throw UsageError("referral resolve needs exactly one of --patient RECORD or --new-patient")
            }
            if confirmDifferentPatient && patient == nil {
                throw UsageError("--confirm-different-patient goes with --patient RECORD")
            }
        }

        func run() throws {
            let filing: ReferralFiling = patient.map { .patient($0) } ?? .newPatient
            let outcome = try global.session().resolveReferralConflict(id: conflict, filing, confirmingDifferentPatient: confirmDifferentPatient)
            try output.report(outcome, (["Filed held letter #\(conflict) (\(Console.oneLine(outcome.file))): \(outcome.detail)"]
                                        + outcome.warnings.map { "  warning: \($0)" }).joined(separator: "\n"))
        }
    }
}
