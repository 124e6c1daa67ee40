import Foundation
import ClinicModel
import ClinicServices

/// Options that take structured text (`kind:severity:action`, `precaution=reason`,
/// `section:text`, `activity=score`, `field=value`): each form is read here, once, while the
/// command line is parsed (`@Option(transform: ArgumentForm.adverseEvent)`), into the model's
/// own value. Text not in its form exits 65: the parser names the option and the value, the
/// message here the form expected and what was wrong with it.
enum ArgumentForm {
    /// `text` split at the first `separator`, both sides trimmed; nil without the separator.
    static func pair(_ text: String, _ separator: Character) -> (String, String)? {
        guard let i = text.firstIndex(of: separator) else { return nil }
        return (text[..<i].trimmingCharacters(in: .whitespaces), text[text.index(after: i)...].trimmingCharacters(in: .whitespaces))
    }

    static func list<Value: RawRepresentable & CaseIterable>(_ type: Value.Type) -> String where Value.RawValue == String {
        Value.allCases.map(\.rawValue).joined(separator: ", ")
    }

    /// `--adverse kind:severity[:action]`, e.g. `bruising:mild` or `vasovagal:significant:lay flat, fluids`.
    /// The severity is stated, never assumed: a kind alone is refused (it was mild when left out,
    /// a severity nobody gave).
    static func adverseEvent(_ text: String) throws -> AdverseEvent {
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let form = "expected kind:severity[:action]"
        guard let kind = AdverseEvent.Kind(rawValue: parts[0]) else {
            throw RefusedArgument.refuse("\(form): '\(parts[0])' is not an adverse event kind (\(list(AdverseEvent.Kind.self)))")
        }
        guard parts.count > 1, !parts[1].isEmpty else {
            throw RefusedArgument.refuse("\(form): the severity of '\(kind.rawValue)' is not stated (\(list(AdverseEvent.Severity.self))), "
                                         + "e.g. \(kind.rawValue):mild")
        }
        guard let severity = AdverseEvent.Severity(rawValue: parts[1]) else {
            throw RefusedArgument.refuse("\(form): '\(parts[1])' is not a severity (\(list(AdverseEvent.Severity.self)))")
        }
        let action = parts.count > 2 && !parts[2].isEmpty ? parts[2] : nil
        return AdverseEvent(kind: kind, severity: severity, action: action)
    }

    /// An attachment to save and where: `referral show --save-attachment N=FILE`.
    struct AttachmentTarget: Sendable {
        var number: Int
        var path: String
    }

    /// `--save-attachment N=FILE`, N counted from 1 (whether the referral has it is checked once it is read).
    static func attachment(_ text: String) throws -> AttachmentTarget {
        let form = "expected N=FILE"
        guard let (number, path) = pair(text, "="), !path.isEmpty else { throw RefusedArgument.refuse("\(form)") }
        guard let n = Int(number), n > 0 else { throw RefusedArgument.refuse("\(form): '\(number)' is not an attachment number (1, 2, ...)") }
        return AttachmentTarget(number: n, path: path)
    }

    /// A precaution answered present and the practitioner's reasoned acknowledgment of it.
    struct Acknowledgment: Sendable {
        var precaution: Precaution
        var reason: String
    }

    /// `--ack precaution=reason`, e.g. `anticoagulant=INR stable 2.3; superficial sites only`.
    static func acknowledgment(_ text: String) throws -> Acknowledgment {
        let form = "expected precaution=reason"
        guard let (name, reason) = pair(text, "=") else { throw RefusedArgument.refuse("\(form): there is no '='") }
        guard let precaution = Precaution(rawValue: name) else {
            throw RefusedArgument.refuse("\(form): '\(name)' is not a precaution (\(list(Precaution.self)))")
        }
        guard !reason.isEmpty else { throw RefusedArgument.refuse("\(form): the reason after '=' is empty") }
        return Acknowledgment(precaution: precaution, reason: reason)
    }

    /// `plan --add section:text`, e.g. `activity:Walk 20 minutes every day`.
    static func planItem(_ text: String) throws -> PlanEdit {
        let form = "expected section:text"
        guard let (name, item) = pair(text, ":") else { throw RefusedArgument.refuse("\(form): there is no ':'") }
        guard let section = FollowUpPlan.Item.Section(rawValue: name) else {
            throw RefusedArgument.refuse("\(form): '\(name)' is not a section (\(list(FollowUpPlan.Item.Section.self)))")
        }
        guard !item.isEmpty else { throw RefusedArgument.refuse("\(form): the text after ':' is empty") }
        return .add(section: section, text: item)
    }

    /// `plan --reword N=text`: item N (as numbered by `plan --items`) in new words.
    static func planReword(_ text: String) throws -> PlanEdit {
        let form = "expected N=text"
        guard let (number, words) = pair(text, "=") else { throw RefusedArgument.refuse("\(form): there is no '='") }
        guard let n = Int(number), n > 0 else { throw RefusedArgument.refuse("\(form): '\(number)' is not an item number (1, 2, ...)") }
        return .reword(n, words)
    }

    /// `visit new --psfs activity=score`, the score PSFS 0-10.
    static func psfs(_ text: String) throws -> PSFSItem {
        let form = "expected activity=score"
        guard let (activity, score) = pair(text, "="), !activity.isEmpty else {
            throw RefusedArgument.refuse("\(form) with a score \(Measured<PSFSScore>.rangeText)")
        }
        return PSFSItem(activity: activity, score: try Measured<PSFSScore>.parse(score))
    }

    /// `visit amend --set field=value` (a blank value clears an optional field).
    static func change(_ text: String) throws -> Amendment.Change {
        guard let (field, _) = pair(text, "="), !field.isEmpty else { throw RefusedArgument.refuse("expected field=value") }
        // The value is kept as typed (only the field name is trimmed): the model reads it.
        return Amendment.Change(field: field, before: "", after: String(text[text.index(after: text.firstIndex(of: "=")!)...]))
    }

    /// A day typed as YYYY-MM-DD (`--dob`, `--from`, `--valid-until`...): a day that does not exist
    /// (1978-02-30) or another form exits 65 naming the option.
    static func date(_ text: String) throws -> LocalDate {
        do { return try LocalDate(parsing: text, field: "") } catch { throw RefusedArgument.refuse(error.rule) }
    }

    /// A needle's gauge and length in mm, as `--size 0.25x40` gives them.
    struct NeedleSize: Sendable {
        var gauge: Double
        var length: Double
    }

    /// `--size GAUGExLENGTH` in mm (`0.25x40`), each within the needle's range.
    static func needleSize(_ text: String) throws -> NeedleSize {
        let size: (gauge: Double, length: Double)
        do { size = try Needle.parseSize(text) } catch { throw RefusedArgument.refuse(error.rule) }
        guard Needle.gaugeRange.contains(size.gauge) else {
            throw RefusedArgument.refuse("gauge \(size.gauge) is out of range: needle gauge is \(Needle.gaugeRange.lowerBound) to \(Needle.gaugeRange.upperBound) mm")
        }
        guard Needle.lengthRange.contains(size.length) else {
            throw RefusedArgument.refuse("length \(size.length) is out of range: needle length is \(Needle.lengthRange.lowerBound) to \(Needle.lengthRange.upperBound) mm")
        }
        return NeedleSize(gauge: size.gauge, length: size.length)
    }

    /// An impression's code with its system, as `--code snomed-ct:24026003` gives it (blank: no code).
    struct ImpressionCode: Sendable {
        var coded: (system: ClinicalImpression.CodeSystem, code: String)?
    }

    /// `visit impression --code SYSTEM:CODE`.
    static func impressionCode(_ text: String) throws -> ImpressionCode {
        do { return ImpressionCode(coded: try ClinicalImpression.parseCode(text, field: "")) } catch { throw RefusedArgument.refuse(error.rule) }
    }

    /// `patient add|edit --id SYSTEM:VALUE` (`medicare:2951234571`, `ihi:...`, or an OID root); the
    /// value's own form (a Medicare number's digits, an IHI's or Medicare number's check digit) is
    /// the model's entry rule, checked with the patient.
    static func identifier(_ text: String) throws -> PatientIdentifier {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex, text.index(after: colon) != text.endIndex else {
            throw RefusedArgument.refuse("expected SYSTEM:VALUE (e.g. medicare:2951234571)")
        }
        return PatientIdentifier(system: .init(rawValue: String(text[..<colon])), value: String(text[text.index(after: colon)...]))
    }

    /// `init --time-zone`: an IANA zone name the system knows (`Australia/Sydney`, `UTC`), as typed.
    static func timeZone(_ text: String) throws -> String {
        do { _ = try ClinicTimeZone.named(text) } catch { throw RefusedArgument.refuse(error.rule) }
        return text
    }

    /// `--fpi`: the six FPI-6 item scores in order, comma separated, each -2 to +2.
    static func fpiItems(_ text: String) throws -> [FPIItemScore] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard items.count == 6 else { throw RefusedArgument.refuse("expected six comma-separated item scores (-2 to +2), not \(items.count)") }
        return try items.enumerated().map { i, item in
            do { return try FPIItemScore(parsing: item, field: "") } catch {
                throw RefusedArgument.refuse("item \(i + 1) '\(item)' \((error as? ValidationError)?.rule ?? "is not a score")")
            }
        }
    }
}
