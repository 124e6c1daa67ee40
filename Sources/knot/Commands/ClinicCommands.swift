import ArgumentParser
import Foundation
import ClinicModel
import ClinicServices

/// `knot clinic show|set`: the clinic's own settings: its time zone, its details on every plan
/// and letter, its emergency number, the days it is open and when patients come back.
struct ClinicCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clinic", abstract: "The clinic's settings: time zone, letterhead, emergency number, open days, review intervals; its signing key.",
        subcommands: [Show.self, Set.self, Key.self, Trust.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the clinic's settings.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let settings = try global.session(create: false).clinicSettings()
            try output.report(settings, ClinicCommand.describe(settings))
        }
    }

    struct Key: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show where the clinic key is kept (back it up apart from the database) and its public signing key.",
            discussion: """
            The clinic key seals the audit trail and every record: `knot audit verify` needs it, and a \
            database restored without it cannot be verified. Keep a copy of the key file apart from the \
            database backups (KNOT_KEY_FILE names another file). A login that does not find the clinic's \
            key writes nothing (exit 77): copy the key file to the path shown here, mode 0600.
            """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let info = try global.session(create: false).clinicKey()
            if output.json { try Console.printJSON(info); return }
            guard let id = info.clinicID else {
                Console.print("This database has no clinic key yet (an older Knot left it): open it once for writing to seal it.")
                return
            }
            Console.print("Clinic: \(id)")
            if let why = info.noKeyBecause {
                Console.print("Key file: none (\(why))")
                return
            }
            Console.print("Key file: \(info.keyPath ?? "?")" + (info.keyPresent ? "" : " (MISSING, or not this clinic's: every write is refused until the clinic's key file is there; copy it from the login that holds it, or restore it from its backup)"))
            if let pub = info.publicSigningKey { Console.print("Public signing key: \(pub)") }
            if let from = info.keyedFrom { Console.print("Audit chain keyed from event \(from)") }
        }
    }

    struct Trust: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Trust another clinic's signing key, so that its signed exports import (administrators; audited).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("A file holding the other clinic's public key (as `knot clinic key` prints it), or one of its export .sig files.", valueName: "FILE"),
                  completion: .file())
        var file: String

        func run() throws {
            let (key, list) = try global.session(create: false).trustClinicKey(fromFile: file)
            Console.print("Trusted signing key \(key) (listed in \(list)).")
        }
    }

    /// `knot clinic show` in words, one setting a line; unset fields say how to set them.
    static func describe(_ settings: ClinicSettingsSummary) -> String {
        let c = settings.clinic
        let unset = "(not set)"
        var lines = ["Time zone: \(settings.timeZone)"
                     + (settings.timeZoneStored ? "" : " (the machine's; none set for the clinic: knot clinic set --time-zone NAME)")]
        lines.append("Name: \(c.name)")
        lines.append("Address: " + (c.addressLines.isEmpty ? unset : c.addressLines.joined(separator: ", ")))
        lines.append("Phone: \(c.phone ?? unset)")
        lines.append("Email: \(c.email ?? unset)")
        lines.append("Website: \(c.website ?? unset)")
        lines.append("Business number: " + (c.businessNumber.map { "\(c.businessNumberLabel) \($0)" } ?? unset))
        lines.append("Country: \(c.country ?? unset)")
        if let number = c.emergencyNumber {
            lines.append("Emergency number: \(number)" + (c.countryFromTimeZone.map { " (\($0)'s, from the time zone; set --country to be sure)" } ?? ""))
        } else {
            lines.append("Emergency number: (not set: plans say \"\(ClinicProfile.localEmergencyNumber)\"; knot clinic set --country CODE or --emergency-number N)")
        }
        lines.append("Open days: " + (c.openWeekdays == ClinicProfile.everyDay ? "every day" : ClinicProfile.weekdaysText(c.openWeekdays)))
        let r = settings.reviewRules
        lines.append("Review: acute \(r.acuteDays) days, otherwise \(r.chronicDays) days; acute from pain "
                     + (r.acutePainAtLeast.map { "\($0)/10" } ?? "(off)")
                     + "; after a serious adverse event \(r.seriousAdverseEventDays) day\(r.seriousAdverseEventDays == 1 ? "" : "s")"
                     + ", after a significant one \(r.significantAdverseEventDays) days")
        if let n = settings.needleStock {
            lines.append("Needle stock: " + [n.brand, n.size, n.lot.map { "lot \($0)" }].compactMap { $0 }.joined(separator: " ")
                         + (n.lotExpiry.map { ", lot expires \($0)" + (n.isExpired(on: .today()) ? " (expired: refused at needling)" : "") } ?? ""))
        } else {
            lines.append("Needle stock: (not set)")
        }
        lines.append("Logo: \(settings.logo ?? unset)")
        return lines.joined(separator: "\n")
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change the clinic's settings (administrators; audited; all or nothing).",
            discussion: """
            knot clinic set --name 'Harbour Physio' --phone '(02) 9555 0100' --address $'1 Quay St\\nSydney NSW 2000'
            knot clinic set --country NZ                      emergency number 111 unless --emergency-number is given
            knot clinic set --open-days mon-fri,sat           reviews move to the next open day
            knot clinic set --acute-days 5 --chronic-days 21
            knot clinic set --needle-brand Seirin --needle-size 0.25x40 --needle-lot L2411 --needle-lot-expiry 2027-03-31
            knot clinic set --clear website --clear review-rules
            """)
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The clinic's time zone, an IANA name (e.g. Australia/Sydney, Pacific/Auckland, Europe/London, UTC).", valueName: "zone"))
        var timeZone: String?
        @Option(help: "The clinic's name, at the head of every plan and letter.") var name: String?
        @Option(help: "Postal address (new lines separate its lines).") var address: String?
        @Option(help: "Phone number patients call (printed in every plan's 'call the clinic').") var phone: String?
        @Option(help: "Email address.") var email: String?
        @Option(help: "Web address.") var website: String?
        @Option(help: "Business number (ABN, NZBN, EIN, company number).") var businessNumber: String?
        @Option(help: "Two-letter country code (AU, NZ, GB, US, IE...): chooses the emergency number unless one is set.") var country: String?
        @Option(help: "Emergency number in every plan's red flags (000, 111, 999, 911, 112...).") var emergencyNumber: String?
        @Option(help: ArgumentHelp("Days the clinic is open, e.g. mon-fri or mon,tue,thu,sat: reviews never fall on another day.", valueName: "days"))
        var openDays: String?
        @Option(parsing: .unconditional, help: "Days to the review when a visit is acute.", transform: Number.whole) var acuteDays: Int?
        @Option(parsing: .unconditional, help: "Days to the review otherwise.", transform: Number.whole) var chronicDays: Int?
        @Option(parsing: .unconditional, help: "Pain (NPRS) at or above which a visit is acute; 0 turns it off.", transform: Number.whole) var acutePainAtLeast: Int?
        @Option(parsing: .unconditional, help: "Days to the review after a serious adverse event.", transform: Number.whole) var seriousAdverseEventDays: Int?
        @Option(parsing: .unconditional, help: "Days to the review after a significant adverse event.", transform: Number.whole) var significantAdverseEventDays: Int?
        @Option(help: "Default needle brand for knot needle add.") var needleBrand: String?
        @Option(help: "Default needle size, gauge x length in mm (e.g. 0.25x40).") var needleSize: String?
        @Option(help: "Default needle lot.") var needleLot: String?
        @Option(help: "The default lot's expiry date (YYYY-MM-DD): after it the lot is refused at needling.") var needleLotExpiry: String?
        @Option(help: ArgumentHelp("A PNG or SVG logo for the HTML letterhead (at most 100 KB; an SVG with scripts, event handlers or outside references is refused).", valueName: "file"))
        var logo: String?
        @Option(help: ArgumentHelp("Remove a setting so it falls back to its default: \(ClinicSettingsChange.clearable.joined(separator: ", ")).", valueName: "field"))
        var clear: [String] = []

        var change: ClinicSettingsChange {
            var c = ClinicSettingsChange()
            c.name = name; c.address = address?.replacingOccurrences(of: "\\n", with: "\n"); c.phone = phone; c.email = email
            c.website = website; c.businessNumber = businessNumber; c.country = country; c.emergencyNumber = emergencyNumber
            c.openDays = openDays; c.acuteDays = acuteDays; c.chronicDays = chronicDays; c.acutePainAtLeast = acutePainAtLeast
            c.seriousAdverseEventDays = seriousAdverseEventDays; c.significantAdverseEventDays = significantAdverseEventDays
            c.needleBrand = needleBrand; c.needleSize = needleSize; c.needleLot = needleLot; c.needleLotExpiry = needleLotExpiry
            c.logo = logoData
            c.clear = Swift.Set(clear)
            return c
        }

        /// The logo file's bytes (read once; a missing file is refused in validate()).
        var logoData: Data? { logo.flatMap { FileManager.default.contents(atPath: $0) } }

        func validate() throws {
            if let logo {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: logo, isDirectory: &isDirectory), !isDirectory.boolValue else {
                    throw UsageError("--logo: '\(logo)': no such file")
                }
                let size = (try? FileManager.default.attributesOfItem(atPath: logo)[.size] as? Int) ?? 0
                if size > 1_048_576 { throw UsageError("--logo: '\(logo)' is \(size) bytes; a logo may be at most 100 KB") }
            }
            guard timeZone != nil || !change.isEmpty else {
                throw UsageError("nothing to set: give --time-zone, --name, --address, --phone, --email, --website, --business-number, --country, --emergency-number, --open-days, a review option, a --needle- option or --clear")
            }
            if let timeZone {
                do { _ = try ClinicTimeZone.named(timeZone, field: "--time-zone") } catch { throw UsageError(error.description) }
            }
        }

        func run() throws {
            let session = try global.session(create: false)
            // The details first: a broken one refuses the whole command before the zone changes
            // (the zone itself was checked in validate()).
            var settings: ClinicSettingsSummary?
            if !change.isEmpty { settings = try session.changeClinicSettings(change) }
            if let timeZone {
                let zone = try session.setTimeZone(timeZone)
                Console.print("The clinic's time zone is now \(zone.identifier).")
            }
            if settings != nil {
                Console.print("Changed the clinic's settings:")
                Console.print(ClinicCommand.describe(try session.clinicSettings()))
            }
        }
    }
}
