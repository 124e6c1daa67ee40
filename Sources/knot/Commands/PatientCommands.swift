import ArgumentParser
import Foundation
import ClinicModel
import ClinicServices

/// Demographic options shared by `patient add` and `patient edit`.
struct PatientFields: ParsableArguments {
    @Option(help: "Given names.") var given: String?
    @Option(help: "Family name.") var family: String?
    @Option(help: "Preferred name.") var preferred: String?
    @Option(help: "Date of birth, YYYY-MM-DD.", transform: ArgumentForm.date) var dob: LocalDate?
    @Option(help: "Sex.") var sex: Sex?
    @Option(help: "Phone number.") var phone: String?
    @Option(help: "Email address.") var email: String?
    @Option(help: "Postal address.") var address: String?
    @Option(help: "General practitioner (name and practice).") var gp: String?
    @Option(name: .customLong("id"), help: ArgumentHelp("An identifier as SYSTEM:VALUE (medicare:2951234571, ihi:8003601234567894, dva:..., or an OID root); an IHI or Medicare number must pass its check digit. Repeatable.", valueName: "system:value"),
            transform: ArgumentForm.identifier)
    var identifiers: [PatientIdentifier] = []

    func apply(to p: inout Patient) throws {
        if let given { p.givenNames = given }
        if let family { p.familyName = family }
        if let preferred { p.preferredName = preferred.isEmpty ? nil : preferred }
        if let dob { p.dateOfBirth = dob }
        if let sex { p.sex = sex }
        if let phone { p.phone = phone.isEmpty ? nil : phone }
        if let email { p.email = email.isEmpty ? nil : email }
        if let address { p.address = address.isEmpty ? nil : address }
        if let gp { p.generalPractitioner = gp.isEmpty ? nil : gp }
        for i in identifiers where !p.identifiers.contains(i) { p.identifiers.append(i) }
    }
}

struct PatientCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patient", abstract: "Register, edit, find and show patients.",
        subcommands: [Add.self, Edit.self, List.self, Search.self, Show.self, Archive.self, Merge.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a patient.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var fields: PatientFields
        @Option(help: "Clinic record number (default: the next K00000 number).") var record: String?
        @Flag(help: "Register even though a patient on file has the same date of birth and a similar name (a different person).")
        var allowDuplicate = false
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if fields.given == nil || fields.family == nil || fields.dob == nil {
                throw UsageError("patient add needs --given, --family and --dob")
            }
        }

        func run() throws {
            var p = Patient(recordNumber: record ?? "", givenNames: "", familyName: "", dateOfBirth: try LocalDate(year: 2000, month: 1, day: 1))
            try fields.apply(to: &p)
            let session = try global.session()
            let saved = try session.addPatient(p, allowDuplicate: allowDuplicate)
            try output.report(saved, "Registered \(saved.displayName) as \(saved.recordNumber) (id \(saved.id!)).")
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a patient's demographics (identifiers are added).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Record number or id.") var patient: String
        @OptionGroup var fields: PatientFields
        @Option(help: "New clinic record number.") var record: String?
        @OptionGroup var output: OutputOptions

        func run() throws {
            let session = try global.session()
            let saved = try session.editPatient(key: patient) { p in
                try fields.apply(to: &p)
                if let record { p.recordNumber = record }
            }
            try output.report(saved, "Updated \(saved.displayName) (\(saved.recordNumber)).")
        }
    }

    struct Archive: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Archive a patient: hidden from lists, never deleted, kept in exports and audit.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Record number or id.") var patient: String
        @Flag(help: "Bring an archived patient back into lists.") var restore = false
        @OptionGroup var output: OutputOptions

        func run() throws {
            let saved = try global.session().editPatient(key: patient) { $0.archived = !restore }
            try output.report(saved, "\(saved.displayName) (\(saved.recordNumber)) is \(saved.archived ? "archived" : "back in the lists").")
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Join two records of one person: everything of OTHER moves to KEEP; OTHER is archived as merged, never deleted.",
            discussion: """
            Visits (signed ones too), referrals, alerts, consents, screens, identifiers and unsaved details forms move to KEEP \
            in one audited transaction. Refused when the two hold different identifiers of one system (two Medicare numbers).
            """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The record to keep (record number or id).") var keep: String
        @Argument(help: "The duplicate record to merge into it (record number or id).") var other: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            let summary = try global.session().mergePatients(keepKey: keep, otherKey: other)
            if output.json { try Console.printJSON(summary); return }
            let moved = summary.moved.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key.replacingOccurrences(of: "_", with: " "))" }
            Console.print("Merged \(summary.merged.recordNumber) into \(summary.kept.recordNumber) (\(summary.kept.displayName)): "
                          + (moved.isEmpty ? "nothing to move" : "moved " + moved.joined(separator: ", ")) + ".")
            Console.print("\(summary.merged.recordNumber) is archived and marked merged into \(summary.kept.recordNumber); nothing was deleted.")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List patients by name.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Include archived patients.") var archived = false
        @Option(parsing: .unconditional, help: "At most this many.", transform: Number.whole) var limit: Int = 500
        @OptionGroup var output: OutputOptions

        func run() throws {
            let list = try global.session().listPatients(includeArchived: archived, limit: limit)
            try PatientCommand.printSummaries(list, json: output.json)
        }
    }

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Find patients by the first letters of names, record number, phone or date of birth.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "What to look for, e.g. 'smi jo', K00042, 0412 345, 17/05/1980.") var query: [String]
        @Flag(help: "Include archived patients.") var archived = false
        @Option(parsing: .unconditional, help: "At most this many.", transform: Number.whole) var limit: Int = 50
        @OptionGroup var output: OutputOptions

        func run() throws {
            let list = try global.session().searchPatients(query.joined(separator: " "), includeArchived: archived, limit: limit)
            try PatientCommand.printSummaries(list, json: output.json)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a patient's chart: alerts, referrals with sessions left, visits.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Record number or id.") var patient: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            let chart = try global.session().chart(key: patient)
            if output.json { try Console.printJSON(chart); return }
            let p = chart.patient
            Console.print("\(p.displayName)  \(p.recordNumber)  born \(p.dateOfBirth) (\(chart.age))  \(p.sex.rawValue)")
            if let into = chart.mergedInto {
                Console.print("MERGED into \(into.recordNumber) (\(into.displayName)): this record is archived; see knot patient show \(into.recordNumber)")
            }
            if let u = chart.untrustedImport { Console.print("!! " + u.describe(time: Console.dateTime)) }
            if let phone = p.phone { Console.print("Phone: \(phone)") }
            if let email = p.email { Console.print("Email: \(email)") }
            if let gp = p.generalPractitioner { Console.print("GP: \(gp)") }
            for i in p.identifiers {
                let known = ["medicare", "ihi", "dva", "clinic"].contains(i.system.rawValue)
                Console.print("\(known ? i.system.rawValue.uppercased() : "ID (\(i.system.rawValue))"): \(i.value)")
            }
            let active = p.alerts.filter { $0.status != .dismissed }
            if !active.isEmpty {
                Console.print("")
                Console.print("ALERTS")
                for a in active {
                    let mark = a.status == .proposed
                        ? "PROPOSED (knot alert confirm \(a.id!), or knot alert dismiss \(a.id!) --reason \"...\")" : "confirmed"
                    Console.print("  ! \(a.text) [\(a.kind)] \(mark), from \(a.source)")
                }
            }
            if let screen = chart.currentScreen {
                Console.print("")
                Console.print("PRECAUTION SCREEN in force today (done \(Console.dateTime(screen.recordedAt)), until \(screen.validUntil))")
                if screen.present.isEmpty {
                    Console.print("  no precautions present")
                } else {
                    for (precaution, reason) in screen.presentWithReasons {
                        Console.print("  ! " + (precaution.isStop ? precaution.displayName.uppercased() + " (stop: no needling)" : precaution.displayName)
                                      + (reason.isEmpty ? "" : ": " + reason.split(whereSeparator: \.isNewline).joined(separator: " ")))
                    }
                }
            }
            let dismissed = p.alerts.filter { $0.status == .dismissed }
            if !dismissed.isEmpty {
                Console.print("")
                Console.print("DISMISSED ALERTS (kept for the record)")
                for a in dismissed {
                    Console.print("  - \(a.text) [\(a.kind)] from \(a.source): dismissed, "
                                  + (a.dismissReason.map { "reason: \($0)" } ?? "no reason recorded"))
                }
            }
            if !chart.referrals.isEmpty {
                Console.print("")
                Console.print("REFERRALS")
                for r in chart.referrals {
                    let ref = r.referral
                    var line = "  #\(ref.id!) \(ref.date) from \(ref.referrerName)"
                    if let o = ref.referrerOrganisation { line += ", \(o)" }
                    if let left = r.sessionsLeft { line += " — \(left) of \(ref.referralSessions) sessions left" }
                    if let e = ref.expiresOn { line += e < .today() ? " — EXPIRED \(e)" : " — valid to \(e)" }
                    Console.print(line)
                    Console.print("     " + ref.reason.split(separator: "\n").joined(separator: " ").prefix(100))
                }
            }
            Console.print("")
            if chart.clinicalNotesHidden {
                Console.print("(clinical notes are not shown to reception)")
            } else if chart.visits.isEmpty {
                Console.print("No visits yet (knot visit new \(p.recordNumber) ...).")
            } else {
                Console.print("VISITS")
                Console.print(Console.table(["ID", "DATE", "STATUS", "PAIN", "NEEDLES", "COMPLAINT"], chart.visits.map { v in
                    [String(v.id), Console.dateTime(v.startedAt), v.status.rawValue + (v.amendments > 0 ? " +\(v.amendments) amended" : ""),
                     v.painNow.map { "\($0)/10" } ?? "",
                     v.needlesInserted == 0 ? "" : v.needlesInserted == v.needlesRemoved ? "\(v.needlesInserted)" : "\(v.needlesInserted) in/\(v.needlesRemoved) out !",
                     v.complaint ?? ""]
                }))
            }
        }
    }

    static func printSummaries(_ list: [PatientSummary], json: Bool) throws {
        if json { try Console.printJSON(list); return }
        if list.isEmpty { Console.print("No patients found."); return }
        Console.print(Console.table(["RECORD", "NAME", "BORN", "PHONE", "ALERTS"], list.map {
            [$0.recordNumber, $0.displayName + ($0.archived ? " (archived)" : ""), $0.dateOfBirth.description, $0.phone ?? "",
             $0.alertCount > 0 ? "! \($0.alertCount)" : ""]
        }))
    }
}

extension Referral {
    var referralSessions: Int { sessionsAllowed ?? 0 }
}

