import ArgumentParser
import Foundation
import ClinicModel
import ClinicServices
import ClinicDemo

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create the clinic database (folder 0700, file 0600) and add the first practitioner, the clinic administrator.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Handle of the first practitioner (e.g. jsmith).") var handle: String?
    @Option(help: "Full name of the first practitioner.") var name: String?
    @Option(help: "Profession.") var profession: Profession = .physiotherapist
    @Option(help: ArgumentHelp("The clinic's time zone, an IANA name such as Australia/Sydney (default: the machine's, for a new clinic).", valueName: "zone"),
            transform: ArgumentForm.timeZone)
    var timeZone: String?
    @Option(help: ArgumentHelp("Start the new clinic from a whole-clinic export (knot export), keeping its ids and audit trail.", valueName: "export.xml"),
            completion: .file(extensions: ["xml"]))
    var from: String?
    @Flag(help: "With --from: accept an export that is unsigned or signed by a key this Knot does not trust, marked so in the audit trail.")
    var untrusted = false

    func validate() throws {
        if (handle == nil) != (name == nil) { throw UsageError("--handle and --name go together") }
    }

    func run() throws {
        let path = global.databasePath
        if let from {
            if FileManager.default.fileExists(atPath: from), !ClinicSession.isClinicExport(from) {
                throw KnotCommandError("--from \(from): not a whole-clinic export (urn:knot:records:1); referral letters are filed with `knot import`", .badInput)
            }
            var options = ImportOptions()
            options.untrusted = untrusted
            let count = PatientCount("importing \((from as NSString).lastPathComponent)", json: false)
            if count.enabled { options.recordsProgress = { count.update($0) } }
            let created = Result {
                try ClinicSession.createClinic(at: path, fromExport: from,
                                               handle: global.practitioner ?? ProcessInfo.processInfo.environment["KNOT_PRACTITIONER"], options: options)
            }
            count.finish()
            let (session, outcome) = try created.get()
            Console.print("Created the clinic database at \(path) from \(from): \(outcome.patients) patient(s), \(outcome.visits) visit(s), ids and audit trail kept.")
            if let timeZone { try session.setTimeZone(timeZone) }
            if let handle, let name {
                let p = try session.addPractitioner(Practitioner(handle: handle, name: name, profession: profession))
                Console.print("Added practitioner \(p.handle) (\(p.name)).")
            }
            return
        }
        let session = try global.session(create: true)
        let created = session.createdItsDatabase
        if let timeZone {
            try session.setTimeZone(timeZone)
        } else if created {
            // A new clinic keeps the machine's zone, so its dates no longer follow a viewer's TZ.
            try session.setTimeZone(TimeZone.current.identifier)
        }
        var first: Practitioner?
        if let handle, let name { first = Practitioner(handle: handle, name: name, profession: profession) }
        if let p = try session.setUpClinic(firstAccount: first) {
            Console.print("Added practitioner \(p.handle) (\(p.name))" + (p.isAdministrator ? ", the clinic administrator." : "."))
            if p.isAdministrator, let login = OperatingSystemUser.current {
                Console.print("\(p.handle) belongs to the operating-system user \(login): Knot refuses the handle to other logins (knot practitioner set \(p.handle) --os-user LOGIN changes it).")
            }
        }
        Console.print(!created ? "Database ready at \(path) (already there, migrated if needed)." : "Created the clinic database at \(path).")
        if timeZone != nil || created {
            Console.print("The clinic's time zone is \(ClinicTimeZone.current.identifier).")
            // A new clinic has no country yet: its number can only follow its time zone's country.
            // (Read from the zone, not the settings: the new account may not be this session's user.)
            if created, ClinicProfile.emergencyNumber(country: ClinicProfile.country(timeZone: ClinicTimeZone.current.identifier)) == nil {
                Console.print("No emergency number yet (no country set, and the time zone names none): plans will say \"call "
                              + "\(ClinicProfile.localEmergencyNumber)\" until an administrator runs knot clinic set --country CODE"
                              + " (or --emergency-number N).")
            }
        }
        if first == nil, session.user == nil {
            Console.print("No account yet: the first one is made with `knot init --handle HANDLE --name \"Full Name\"` and becomes the clinic administrator.")
        }
    }
}

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Load the demo clinic (practitioners, about 50 patients, months of visits) into an empty database.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let session = try global.session(create: true)
        let summary = try session.loadDemo(today: LocalDate.today())
        Console.print("Loaded the demo clinic into \(session.database.path): \(summary).")
        Console.print("Try: knot patient list   ·   knot patient search smi   ·   knot practitioner list")
    }
}

struct MusclesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "muscles", abstract: "Search the muscle catalogue (ids are what other commands take).")
    @Argument(help: "Part of a muscle's name or a common alias (e.g. gastroc, QL, tib ant).") var query: String = ""
    @Option(parsing: .unconditional, help: "How many to list.", transform: Number.whole) var limit: Int = 20
    @OptionGroup var output: OutputOptions

    func run() throws {
        let found = query.isEmpty ? Array(MuscleCatalogue.all.prefix(limit)) : MuscleCatalogue.search(query, limit: limit)
        if output.json { try Console.printJSON(found); return }
        Console.print(Console.table(["ID", "MUSCLE", "REGION", "PAIRED", "LUNG FIELDS"], found.map {
            [$0.id, $0.name, $0.region.displayName, $0.paired ? "yes" : "no", $0.overLungFields ? "CAUTION" : ""]
        }))
    }
}

/// Parsing helpers shared by the commands (each names the option in its error).
enum Parse {
    static func muscle(_ text: String) throws -> Muscle {
        if let m = MuscleCatalogue.muscle(id: text) { return m }
        let found = MuscleCatalogue.search(text, limit: 3)
        let hint = found.isEmpty ? "" : " (did you mean: \(found.map(\.id).joined(separator: ", "))?)"
        throw ValidationErrors([.badValue(field: "--muscle", value: text, rule: "is not a muscle id in Knot's catalogue\(hint); see `knot muscles`")])
    }
    static func measure<M: ClinicalMeasure>(_ type: M.Type, _ v: M.Value?, option: String) throws -> M? {
        guard let v else { return nil }
        do { return try M(v, field: option) } catch { throw ValidationErrors([error]) }
    }
}
