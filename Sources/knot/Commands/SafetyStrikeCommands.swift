import ArgumentParser
import Foundation
import ClinicModel
import ClinicServices

/// `knot consent strike` and `knot screen strike`: a consent or precaution screen recorded in
/// error is struck out (kept, marked, with the reason) and then recorded again.
struct SafetyStrikeOptions: ParsableArguments {
    @Argument(help: "Its id, as `knot visit show` lists it under \"Consent and precaution screen\".", transform: Number.id) var id: Int64
    @Option(help: "Why it is struck out (required; kept in the audit trail).") var reason: String?
    @OptionGroup var output: OutputOptions

    func strike(_ kind: StruckSafety.Kind, _ global: GlobalOptions) throws {
        guard let reason, !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw KnotCommandError("--reason: " + (reason.map { "'\($0)' " } ?? "") + "is required to strike out a \(kind.noun) (say why; kept in the audit trail)", .badInput)
        }
        let s = try global.session().strikeSafety(kind, id: id, reason: reason)
        if output.json { try Console.printJSON(s); return }
        Console.print("Struck out \(s.kind.noun) \(s.id) (recorded \(LocalDate(s.recordedAt))): it covers no visit now; "
                      + "kept in the record's history with the reason. Record it again if needling is to go ahead.")
    }
}

extension ConsentCommand {
    struct Strike: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Strike out a consent recorded in error (kept, marked, with the reason); it then covers no visit.",
            discussion: """
            To correct a consent, strike it and record it again (there is no edit in place).
            Refused while it covers a signed visit: amend the signed visit instead.
            Example: knot consent strike 3 --reason "recorded for the wrong patient"
            """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: SafetyStrikeOptions

        func run() throws { try options.strike(.consent, global) }
    }
}

extension ScreenCommand {
    struct Strike: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Strike out a precaution screen recorded in error (kept, marked, with the reason); it then covers no visit.",
            discussion: """
            To correct a screen, strike it and record it again (there is no edit in place).
            Refused while it covers a signed visit: amend the signed visit instead.
            Example: knot screen strike 4 --reason "pregnancy answered wrongly"
            """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: SafetyStrikeOptions

        func run() throws { try options.strike(.screen, global) }
    }
}
