import ArgumentParser
import Foundation
import ClinicModel
import ClinicServices

struct PractitionerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "practitioner", abstract: "Add, edit, list, deactivate and reactivate accounts (practitioners and reception users).",
        discussion: "Adding, editing, deactivating and reactivating accounts is a clinic administrator's work; the first account, made by `knot init`, is one.",
        subcommands: [Add.self, Edit.self, List.self, Deactivate.self, Reactivate.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a practitioner or a reception user.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Short unique handle, used with --practitioner (letters, digits, . - _).") var handle: String
        @Option(help: "Full name.") var name: String
        @Option(help: "Profession: \(Profession.allCases.map(\.rawValue).joined(separator: ", ")).") var profession: String = "physiotherapist"
        @Option(help: "Registration number (e.g. AHPRA PHY0001234567).") var registration: String?
        @Option(help: "Role: practitioner (clinical work, every chart) or reception (demographics, referral letters, the recall list).") var role: String = "practitioner"
        @Option(help: "Dry-needling course on file.") var trainingCourse: String?
        @Option(help: "Dry-needling training hours.") var trainingHours: Int?
        @Option(help: "Dry-needling training completed on (YYYY-MM-DD).") var trainingDate: String?
        @Flag(help: "Make the account a clinic administrator too (accounts, settings, restore, retention, clinic exports).") var administrator = false
        @Option(name: .customLong("os-user"), help: "The operating-system login this account belongs to: Knot then refuses the handle to anyone else (exit 77).") var osUser: String?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard Profession(rawValue: profession) != nil else { throw UsageError("--profession '\(profession)' is not one of: \(Profession.allCases.map(\.rawValue).joined(separator: ", "))") }
            guard Role(rawValue: role) != nil else { throw UsageError("--role must be practitioner or reception") }
            let t = [trainingCourse != nil, trainingHours != nil, trainingDate != nil]
            if t.contains(true) && t.contains(false) { throw UsageError("--training-course, --training-hours and --training-date go together") }
        }

        func run() throws {
            let session = try global.session()
            var training: DryNeedlingTraining?
            if let c = trainingCourse, let h = trainingHours, let d = trainingDate {
                training = DryNeedlingTraining(course: c, hours: h, completedOn: try Parse.date(d, option: "--training-date"))
            }
            let p = try session.addPractitioner(Practitioner(handle: handle, name: name, profession: Profession(rawValue: profession)!,
                                                             registrationNumber: registration, role: Role(rawValue: role)!,
                                                             dryNeedlingTraining: training, isAdministrator: administrator),
                                                osUser: osUser)
            if output.json { try Console.printJSON(p); return }
            Console.print("Added \(p.role.rawValue) \(p.handle) (\(p.name))\(p.isAdministrator ? ", clinic administrator" : ""), id \(p.id!)"
                          + (osUser.map { ", for the operating-system user \($0)" } ?? "") + ".")
            if let w = NeedlingSafety.trainingWarning(for: p), p.role == .practitioner { Console.warn("note: " + w) }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a practitioner's details, the login the account belongs to, or put dry-needling training on file.", aliases: ["set"])
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The practitioner's handle.") var handle: String
        @Option(help: "Full name.") var name: String?
        @Option(help: "Profession.") var profession: String?
        @Option(help: "Registration number.") var registration: String?
        @Option(help: "Dry-needling course on file.") var trainingCourse: String?
        @Option(help: "Dry-needling training hours.") var trainingHours: Int?
        @Option(help: "Dry-needling training completed on (YYYY-MM-DD).") var trainingDate: String?
        @Flag(inversion: .prefixedNo, help: "Make the account a clinic administrator, or no longer one.") var administrator: Bool?
        @Option(name: .customLong("os-user"), help: "Bind the account to this operating-system login: Knot then refuses the handle to anyone else (exit 77).") var osUser: String?
        @Flag(name: .customLong("clear-os-user"), help: "Unbind the account from its operating-system login (anyone may then claim it).") var clearOSUser = false

        func validate() throws {
            let t = [trainingCourse != nil, trainingHours != nil, trainingDate != nil]
            if t.contains(true) && t.contains(false) { throw UsageError("--training-course, --training-hours and --training-date go together") }
            if osUser != nil && clearOSUser { throw UsageError("--os-user and --clear-os-user do not go together") }
            if let profession, Profession(rawValue: profession) == nil { throw UsageError("--profession '\(profession)' is not one of: \(Profession.allCases.map(\.rawValue).joined(separator: ", "))") }
        }

        func run() throws {
            let session = try global.session()
            let detailsChanged = name != nil || profession != nil || registration != nil || administrator != nil || trainingCourse != nil
            if osUser != nil || clearOSUser {
                try session.bindOSUser(handle: handle, osUser: osUser)
                Console.print(osUser.map { "\(handle) now belongs to the operating-system user \($0)." }
                              ?? "\(handle) is no longer bound to an operating-system user: anyone who can run knot on this file may work as it.")
                if !detailsChanged { return }
            }
            let p = try session.editPractitioner(handle: handle) { p in
                if let name { p.name = name }
                if let profession { p.profession = Profession(rawValue: profession)! }
                if let registration { p.registrationNumber = registration }
                if let administrator { p.isAdministrator = administrator }
                if let c = trainingCourse, let h = trainingHours, let d = trainingDate {
                    p.dryNeedlingTraining = DryNeedlingTraining(course: c, hours: h, completedOn: try Parse.date(d, option: "--training-date"))
                }
            }
            Console.print("Updated \(p.handle) (\(p.name))" + (p.dryNeedlingTraining.map { "; dry-needling training on file: \($0.course), \($0.hours) h, \($0.completedOn)" } ?? "") + ".")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List practitioners and reception users.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let session = try global.session()
            let all = try session.practitioners()
            if output.json { try Console.printJSON(all); return }
            let logins = try session.osUsers()
            Console.print(Console.table(["HANDLE", "NAME", "PROFESSION", "ROLE", "REGISTRATION", "DN TRAINING", "OS USER"], all.map {
                [$0.handle + ($0.isActive ? "" : " (deactivated)"), $0.name, $0.profession.rawValue,
                 $0.role.rawValue + ($0.isAdministrator ? ", administrator" : ""), $0.registrationNumber ?? "",
                 $0.dryNeedlingTraining.map { "\($0.hours) h, \($0.completedOn)" } ?? "none on file",
                 logins[$0.handle] ?? "(any)"]
            }))
        }
    }

    struct Deactivate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deactivate an account: kept for the record (its visits name it), refused at login.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account's handle.") var handle: String

        func run() throws {
            let p = try global.session().setAccountActive(handle: handle, false)
            Console.print("Deactivated \(p.handle) (\(p.name)); `knot practitioner reactivate \(p.handle)` brings the account back.")
        }
    }

    struct Reactivate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reactivate a deactivated account.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account's handle.") var handle: String

        func run() throws {
            let p = try global.session().setAccountActive(handle: handle, true)
            Console.print("Reactivated \(p.handle) (\(p.name)).")
        }
    }
}
