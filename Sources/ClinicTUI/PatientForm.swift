import Foundation
import ClinicModel
import TerminalKit

/// Registering a new patient, or correcting a patient's demographics, without leaving the
/// front end: names, date of birth, sex, contact details, GP and Medicare number.
///
/// The same rules as `knot patient add|edit` apply (the service validates and audits);
/// nothing is saved before Ctrl-S, and a refusal leaves the form open with what was typed.
struct PatientFormState: Sendable, Hashable, Codable {
    enum Focus: Sendable, Hashable, Codable, CaseIterable {
        case family, given, preferred, dateOfBirth, sex, phone, email, address, generalPractitioner, medicare
    }

    /// The patient being corrected, or nil for a new one.
    var editing: Patient?
    var family = TextField(maxLength: 100)
    var given = TextField(maxLength: 100)
    var preferred = TextField(maxLength: 100)
    var dateOfBirth = TextField(maxLength: 10)
    var sex = Sex.notStated
    var phone = TextField(maxLength: 40)
    var email = TextField(maxLength: 120)
    var address = TextField(maxLength: 200)
    var generalPractitioner = TextField(maxLength: 200)
    var medicare = TextField(maxLength: 14)
    var focus = Focus.family
    /// Set when registering was refused because these patients on file may be the same
    /// person: the form shows them and asks y (register anyway) or any other key (back).
    var duplicates: [String]?

    /// A blank form for a new patient; `search` pre-fills the family name when the list's
    /// search looked like one (the practitioner searched, found nobody, and registers).
    init(search: String = "") {
        let words = search.split(separator: " ")
        if words.count == 1, words[0].allSatisfy({ $0.isLetter || $0 == "-" || $0 == "'" }) {
            family.setText(String(words[0]).capitalized)
        }
    }

    /// The form filled with the patient's details, to correct them.
    init(editing patient: Patient) {
        editing = patient
        family.setText(patient.familyName)
        given.setText(patient.givenNames)
        preferred.setText(patient.preferredName ?? "")
        dateOfBirth.setText(patient.dateOfBirth.description)
        sex = patient.sex
        phone.setText(patient.phone ?? "")
        email.setText(patient.email ?? "")
        address.setText(patient.address ?? "")
        generalPractitioner.setText(patient.generalPractitioner ?? "")
        medicare.setText(patient.identifiers.first { $0.system == .medicare }?.value ?? "")
    }

    var title: String { editing == nil ? "New patient" : "Correct details of \(editing!.displayName)" }

    mutating func apply(_ command: Intent) -> [Effect] {
        switch command {
        case .nextField, .moveDown: focus = FormFocus.next(after: focus)
        case .previousField, .moveUp: focus = FormFocus.previous(before: focus)
        case .edit(let key): edit(key)
        default: break
        }
        return []
    }

    private mutating func edit(_ key: Key) {
        switch focus {
        case .family: family.handle(key)
        case .given: given.handle(key)
        case .preferred: preferred.handle(key)
        case .dateOfBirth: dateOfBirth.handle(key)
        case .phone: phone.handle(key)
        case .email: email.handle(key)
        case .address: address.handle(key)
        case .generalPractitioner: generalPractitioner.handle(key)
        case .medicare: medicare.handle(key)
        case .sex:
            // f, m, i, n (not stated), Space or Left/Right.
            sex = FormInput.choose(Sex.allCases, current: sex, key: key, label: \.rawValue) ?? sex
        }
    }

    /// A date of birth typed as 1980-05-17 or, as clinics here write it, 17/05/1980.
    static func parseDate(_ text: String) throws(ValidationError) -> LocalDate {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == "." })
        if parts.count == 3, let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2]), parts[2].count == 4 {
            return try LocalDate(year: y, month: m, day: d, field: "date of birth")
        }
        do { return try LocalDate(parsing: trimmed, field: "date of birth") } catch {
            throw ValidationError(field: "date of birth", value: text, rule: "is not a date like 17/05/1980 or 1980-05-17")
        }
    }

    /// The patient to save (the edited one with its record number, identifiers and alerts
    /// kept), or why it cannot be saved yet.
    func patient() -> Result<Patient, FormProblem> {
        func text(_ field: TextField) -> String? { FormText.optional(field.text) }
        guard let familyName = text(family) else { return .failure(FormProblem("type the family name")) }
        guard let givenNames = text(given) else { return .failure(FormProblem("type the given names")) }
        guard text(dateOfBirth) != nil else {
            return .failure(FormProblem("type the date of birth (17/05/1980 or 1980-05-17)"))
        }
        let born: LocalDate
        do { born = try Self.parseDate(dateOfBirth.text) } catch { return .failure(FormProblem(String(describing: error))) }
        var p = editing ?? Patient(recordNumber: "", givenNames: givenNames, familyName: familyName, dateOfBirth: born)
        p.familyName = familyName
        p.givenNames = givenNames
        p.preferredName = text(preferred)
        p.dateOfBirth = born
        p.sex = sex
        p.phone = text(phone)
        p.email = text(email)
        p.address = text(address)
        p.generalPractitioner = text(generalPractitioner)
        let number = text(medicare)?.filter { !$0.isWhitespace }
        let onFile = p.identifiers.filter { $0.system == .medicare }
        p.identifiers.removeAll { $0.system == .medicare }
        if let number {
            let typed = PatientIdentifier(system: .medicare, value: number)
            // A number typed in must pass its check digit; one already on file (entered before
            // that rule) is kept as it is.
            if !onFile.contains(typed), let problem = typed.checkDigitProblem {
                return .failure(FormProblem("Medicare no. \(problem)"))
            }
            p.identifiers.append(typed)
        }
        return .success(p)
    }
}

/// Draws the patient form.
enum PatientFormScreen {
    static func draw(_ state: PatientFormState, in body: Rect, into buffer: inout ScreenBuffer) {
        let width = body.width
        let labelWidth = 16
        var row = body.row + 1
        buffer.put(" " + state.title, row: row, column: 0, style: .bold, maxWidth: width, overflow: .ellipsis)
        row += 2
        let fields: [(String, TextField, PatientFormState.Focus, String)] = [
            ("Family name", state.family, .family, "required"),
            ("Given names", state.given, .given, "required"),
            ("Preferred name", state.preferred, .preferred, ""),
            ("Date of birth", state.dateOfBirth, .dateOfBirth, "17/05/1980 or 1980-05-17"),
        ]
        let fieldWidth = max(10, min(40, width - labelWidth - 28))
        for (label, field, focus, hint) in fields {
            line(label, field, focus, hint, state: state, row: row, labelWidth: labelWidth, fieldWidth: fieldWidth, width: width,
                 into: &buffer)
            row += 1
        }
        FormLabel.draw("Sex", focused: state.focus == .sex, row: row, into: &buffer)
        FormChoice.draw(Sex.allCases.map(\.rawValue), chosen: state.sex.rawValue, focused: state.focus == .sex,
                        row: row, column: labelWidth, into: &buffer)
        row += 1
        let more: [(String, TextField, PatientFormState.Focus, String)] = [
            ("Phone", state.phone, .phone, ""),
            ("Email", state.email, .email, ""),
            ("Address", state.address, .address, ""),
            ("GP", state.generalPractitioner, .generalPractitioner, "name and practice"),
            ("Medicare no.", state.medicare, .medicare, "10 or 11 digits"),
        ]
        for (label, field, focus, hint) in more {
            line(label, field, focus, hint, state: state, row: row, labelWidth: labelWidth, fieldWidth: fieldWidth, width: width,
                 into: &buffer)
            row += 1
        }
        row += 1
        if let duplicates = state.duplicates {
            buffer.put(" Not registered yet: \(duplicates.count == 1 ? "this patient" : "these patients") on file may be the same person",
                       row: row, column: 0, style: .bold, maxWidth: width, overflow: .ellipsis)
            row += 1
            for line in duplicates {
                buffer.put("   " + line, row: row, column: 0, maxWidth: width, overflow: .ellipsis)
                row += 1
            }
            buffer.put(" y register anyway (a different person) · any other key: back to the form, nothing saved", row: row, column: 0,
                       style: .bold, maxWidth: width, overflow: .ellipsis)
            return
        }
        let record = state.editing.map { "record \($0.recordNumber) kept" } ?? "the next record number is given"
        buffer.put(" Tab next · Ctrl-S save (\(record)) · Esc cancel · F1 help", row: row, column: 0, style: .dim,
                   maxWidth: width, overflow: .ellipsis)
    }

    private static func line(_ label: String, _ field: TextField, _ focus: PatientFormState.Focus, _ hint: String,
                             state: PatientFormState, row: Int, labelWidth: Int, fieldWidth: Int, width: Int,
                             into buffer: inout ScreenBuffer) {
        FormLabel.draw(label, focused: state.focus == focus, row: row, into: &buffer)
        field.render(into: &buffer, row: row, column: labelWidth, width: fieldWidth, showsCursor: state.focus == focus)
        if !hint.isEmpty {
            buffer.put(hint, row: row, column: labelWidth + fieldWidth + 2, style: .dim,
                       maxWidth: max(0, width - labelWidth - fieldWidth - 3), overflow: .ellipsis)
        }
    }
}
