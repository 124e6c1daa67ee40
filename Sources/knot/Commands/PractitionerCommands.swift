import ArgumentParser
import Foundation
import ClinicModel
import ClinicServices

struct PractitionerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "practitioner", abstract: "Add, edit, list, show, deactivate and reactivate accounts (practitioners and reception users).",
        discussion: """
        Adding, editing, deactivating and reactivating accounts is a clinic administrator's work; the first account, made by `knot init`, is one.
        A practitioner's registration (--registration-body AHPRA|HCPC|NPI|another body's name, --registration-number N) signs every letter and plan: "Name, Profession, BODY registration NUMBER". AHPRA numbers are three letters and ten digits (PHY0001234567), HCPC two letters and digits (PH123456), an NPI ten digits with its check digit (1234567893).
        """,
        subcommands: [Add.self, Edit.self, List.self, Show.self, Deactivate.self, Reactivate.self])

    /// The registration options of `add` and `edit` (`--registration` is the number's older name).
    struct RegistrationOptions: ParsableArguments {
        @Option(help: "The register the practitioner is on: AHPRA, HCPC, NPI (their formats are checked), or another body's name.")
        var registrationBody: String?
        @Option(help: "Registration number on that register (e.g. AHPRA PHY0001234567); with set, \"\" removes the registration.")
        var registrationNumber: String?
        @Option(name: .customLong("registration"), help: ArgumentHelp("The registration number (older name of --registration-number).", visibility: .hidden))
        var legacyNumber: String?
        @Option(help: "A Medicare or insurer provider number, where the clinic's country uses one; with set, \"\" removes it.")
        var providerNumber: String?

        func validate() throws {
            if registrationNumber != nil && legacyNumber != nil {
                throw UsageError("--registration is the older name of --registration-number: give one of them")
            }
        }

        var number: String? { registrationNumber ?? legacyNumber }

        /// Whether any registration option was given.
        var given: Bool { number != nil || registrationBody != nil || providerNumber != nil }

        /// Applies what was given: a new number keeps the body on file unless the number is
        /// removed; an empty text removes the value.
        func apply(to p: inout Practitioner) {
            if let number {
                p.registrationNumber = number
                if number.trimmingCharacters(in: .whitespaces).isEmpty { p.registrationBody = nil }
            }
            if let registrationBody { p.registrationBody = registrationBody }
            if let providerNumber { p.providerNumber = providerNumber }
        }
    }

    /// "AHPRA PHY0001234567", the number alone when no body is on file, or "".
    static func registration(_ p: Practitioner) -> String {
        [p.registrationBody, p.registrationNumber].compactMap { $0 }.joined(separator: " ")
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a practitioner or a reception user.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Short unique handle, used with --practitioner (letters, digits, . - _).") var handle: String
        @Option(help: "Full name.") var name: String
        @Option(help: "Profession.") var profession: Profession = .physiotherapist
        @OptionGroup var registration: RegistrationOptions
        @Option(help: "Role: practitioner (clinical work, every chart) or reception (demographics, referral letters, the recall list).") var role: Role = .practitioner
        @Option(help: "Dry-needling course on file.") var trainingCourse: String?
        @Option(parsing: .unconditional, help: "Dry-needling training hours (1-2000).", transform: Bounded(1...2000).parse) var trainingHours: Int?
        @Option(help: "Dry-needling training completed on (YYYY-MM-DD).", transform: ArgumentForm.date) var trainingDate: LocalDate?
        @Flag(help: "Make the account a clinic administrator too (accounts, settings, restore, retention, clinic exports).") var administrator = false
        @Option(name: .customLong("os-user"), help: "The operating-system login this account belongs to: Knot then refuses the handle to anyone else (exit 77).") var osUser: String?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            let t = [trainingCourse != nil, trainingHours != nil, trainingDate != nil]
            if t.contains(true) && t.contains(false) { throw UsageError("--training-course, --training-hours and --training-date go together") }
        }

        func run() throws {
            let session = try global.session()
            var training: DryNeedlingTraining?
            if let c = trainingCourse, let h = trainingHours, let d = trainingDate {
                training = DryNeedlingTraining(course: c, hours: h, completedOn: d)
            }
            var account = Practitioner(handle: handle, name: name, profession: profession,
                                       role: role, dryNeedlingTraining: training, isAdministrator: administrator)
            registration.apply(to: &account)
            let p = try session.addPractitioner(account, osUser: osUser)
            if output.json { try Console.printJSON(p); return }
            Console.print("Added \(p.role.rawValue) \(p.handle) (\(p.name))\(p.isAdministrator ? ", clinic administrator" : ""), id \(p.id!)"
                          + (osUser.map { ", for the operating-system user \($0)" } ?? "") + ".")
            if let w = NeedlingSafety.trainingWarning(for: p), p.role == .practitioner { Console.warn("note: " + w) }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a practitioner's details (registration, provider number), the login the account belongs to, or put dry-needling training on file.",
            aliases: ["set"])
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The practitioner's handle.") var handle: String
        @Option(help: "Full name.") var name: String?
        @Option(help: "Profession.") var profession: Profession?
        @OptionGroup var registration: RegistrationOptions
        @Option(help: "Dry-needling course on file.") var trainingCourse: String?
        @Option(parsing: .unconditional, help: "Dry-needling training hours (1-2000).", transform: Bounded(1...2000).parse) var trainingHours: Int?
        @Option(help: "Dry-needling training completed on (YYYY-MM-DD).", transform: ArgumentForm.date) var trainingDate: LocalDate?
        @Flag(inversion: .prefixedNo, help: "Make the account a clinic administrator, or no longer one.") var administrator: Bool?
        @Option(name: .customLong("os-user"), help: "Bind the account to this operating-system login: Knot then refuses the handle to anyone else (exit 77).") var osUser: String?
        @Flag(name: .customLong("clear-os-user"), help: "Unbind the account from its operating-system login (anyone may then claim it).") var clearOSUser = false
        @OptionGroup var output: OutputOptions

        func validate() throws {
            let t = [trainingCourse != nil, trainingHours != nil, trainingDate != nil]
            if t.contains(true) && t.contains(false) { throw UsageError("--training-course, --training-hours and --training-date go together") }
            if osUser != nil && clearOSUser { throw UsageError("--os-user and --clear-os-user do not go together") }
        }

        func run() throws {
            let session = try global.session()
            let detailsChanged = name != nil || profession != nil || registration.given || administrator != nil || trainingCourse != nil
            if osUser != nil || clearOSUser {
                try session.bindOSUser(handle: handle, osUser: osUser)
                if !output.json {
                    Console.print(osUser.map { "\(handle) now belongs to the operating-system user \($0)." }
                                  ?? "\(handle) is no longer bound to an operating-system user: anyone who can run knot on this file may work as it.")
                }
                if !detailsChanged {
                    if output.json { try Console.printJSON(try session.practitioner(handle: handle)) }
                    return
                }
            }
            let p = try session.editPractitioner(handle: handle) { p in
                if let name { p.name = name }
                if let profession { p.profession = profession }
                registration.apply(to: &p)
                if let administrator { p.isAdministrator = administrator }
                if let c = trainingCourse, let h = trainingHours, let d = trainingDate {
                    p.dryNeedlingTraining = DryNeedlingTraining(course: c, hours: h, completedOn: d)
                }
            }
            if output.json { try Console.printJSON(p); return }
            var said = ["Updated \(p.handle) (\(p.name))"]
            if let wording = p.registrationWording { said.append(wording) }
            if let provider = p.providerNumber { said.append("provider number \(provider)") }
            if let t = p.dryNeedlingTraining { said.append("dry-needling training on file: \(t.course), \(t.hours) h, \(t.completedOn)") }
            Console.print(said.joined(separator: "; ") + ".")
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
            let rows = all.map { p -> [String] in
                let handle: String = p.handle + (p.isActive ? "" : " (deactivated)")
                let role: String = p.role.rawValue + (p.isAdministrator ? ", administrator" : "")
                let training: String = p.dryNeedlingTraining.map { "\($0.hours) h, \($0.completedOn)" } ?? "none on file"
                return [handle, p.name, p.profession.rawValue, role, PractitionerCommand.registration(p), p.providerNumber ?? "", training,
                        logins[p.handle] ?? "(any)"]
            }
            Console.print(Console.table(["HANDLE", "NAME", "PROFESSION", "ROLE", "REGISTRATION", "PROVIDER NO.", "DN TRAINING", "OS USER"], rows))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one account: role, registration, provider number, dry-needling training.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account's handle.") var handle: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            let p = try global.session().practitioner(handle: handle)
            if output.json { try Console.printJSON(p); return }
            let handle: String = p.handle + (p.isActive ? "" : " (deactivated)")
            let role: String = p.role.rawValue + (p.isAdministrator ? ", clinic administrator" : "")
            let registration: String = p.registrationNumber == nil ? "none on file" : PractitionerCommand.registration(p)
            let training: String = p.dryNeedlingTraining.map { "\($0.course), \($0.hours) h, \($0.completedOn)" } ?? "none on file"
            var lines: [String] = ["Handle: \(handle)", "Name: \(p.name)", "Profession: \(p.profession.rawValue)", "Role: \(role)",
                                   "Registration: \(registration)", "Provider number: \(p.providerNumber ?? "none on file")",
                                   "Dry-needling training: \(training)"]
            if p.role == .practitioner { lines.append("Letters and plans sign: \(p.signature)") }
            Console.print(lines.joined(separator: "\n"))
        }
    }

    struct Deactivate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deactivate an account: kept for the record (its visits name it), refused at login.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account's handle.") var handle: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            let p = try global.session().setAccountActive(handle: handle, false)
            try output.report(p, "Deactivated \(p.handle) (\(p.name)); `knot practitioner reactivate \(p.handle)` brings the account back.")
        }
    }

    struct Reactivate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reactivate a deactivated account.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account's handle.") var handle: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            let p = try global.session().setAccountActive(handle: handle, true)
            try output.report(p, "Reactivated \(p.handle) (\(p.name)).")
        }
    }
}
