import ArgumentParser
import Foundation
import ClinicModel
import ClinicServices

struct OutcomeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcome", abstract: "Region outcome measures (LEFS, NDI, ODI, VISA-A, QuickDASH): record, strike, trend, list the items.",
        subcommands: [Add.self, Strike.self, List.self, Scales.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a completed questionnaire at a draft visit: item scores in order; the total is computed and checked.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Visit id.", transform: Number.id) var visit: Int64
        @Option(help: "The measure.") var measure: OutcomeScale
        @Option(help: ArgumentHelp("Item scores in questionnaire order, separated by commas; '-' for an item left blank (see `knot outcome scales`).",
                                   valueName: "4,3,2,...")) var items: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            let m = try OutcomeMeasure(scale: measure, parsing: items)
            let saved = try global.session().addOutcome(visitID: visit, m)
            try output.report(saved, "Recorded outcome measure \(saved.id!) at visit \(visit): \(saved.summary).")
        }
    }

    struct Strike: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Strike an outcome measure out of a draft visit (kept, marked, with the reason); it leaves the trends, plans and letters.",
            discussion: """
            N is the measure's number in `knot visit show` ("Outcome N: ..."). To correct a wrong score, strike it and
            record the measure again with `knot outcome add`. A signed visit's measures are amended, not struck.
            Example: knot outcome strike 12 1 --reason "items entered for the wrong visit"
            """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var entry: EntryStrikeOptions

        func run() throws {
            let struck = try global.session().strikeOutcome(visitID: entry.visit, number: entry.number, reason: entry.reason)
            try EntryCorrection.printStruck(struck, "outcome measure", entry.number, json: entry.output.json)
            if entry.output.json { return }
            Console.print("To correct it, record it again: knot outcome add \(entry.visit) --measure ... --items ...")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A patient's outcome measures over time, with each scale's MCID.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Record number or id.") var patient: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            let (p, trends) = try global.session().outcomeTrends(patientKey: patient)
            if output.json { try Console.printJSON(trends); return }
            Console.print("\(p.displayName) (\(p.recordNumber)) — outcome measures")
            if trends.isEmpty { Console.print("No outcome measures recorded (knot outcome add VISIT --measure lefs --items ...)."); return }
            for t in trends { Console.print(t.summary) }
            Console.print(Console.table(["MEASURE", "DATE", "VISIT", "SCORE"], trends.flatMap { t in
                t.points.map { [t.scale.name, $0.date.description, $0.visitID.map(String.init) ?? "", t.scale.format($0.score)] }
            }))
        }
    }

    struct Scales: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The measures Knot scores, with their items, ranges and MCIDs.")
        @Argument(help: "One measure (default: all).") var measure: OutcomeScale?

        func run() throws {
            let scales = measure.map { [$0] } ?? OutcomeScale.allCases
            for (n, s) in scales.enumerated() {
                if n > 0 { Console.print("") }
                Console.print("\(s.rawValue): \(s.name), \(s.itemLabels.count) items, scored \(s.isPercentage ? "0-100%" : "0-\(Int(s.maximum))"), "
                              + "\(s.higherIsBetter ? "higher is better" : "higher is worse"), MCID \(s.formatChange(s.mcid))"
                              + (s.missingAllowed > 0 ? ", at most \(s.missingAllowed) item blank" : ", every item answered"))
                for (i, label) in s.itemLabels.enumerated() {
                    let r = s.allowedScores(item: i)
                    Console.print("  \(i + 1). \(label) (\(r.lowerBound)-\(r.upperBound))")
                }
            }
        }
    }
}
