import Foundation
import ClinicModel
import ClinicServices
import TerminalKit

/// The clinic's settings, every one `knot clinic set` knows: the letterhead (name, address,
/// phone, email, website, business number), country, emergency number and time zone, the open
/// days, the review intervals and the default needle stock; the logo is shown as set or not,
/// with the command that changes it.
///
/// Filled from the settings as stored; only what the administrator changes is sent (a field
/// left as shown is not touched, a field emptied falls back to its default, as `--clear`
/// does), through the same use case as `knot clinic set`, all or nothing. Read-only for anyone
/// the permission table does not let change them (`ClinicAction.changeClinicSettings`).
struct SettingsFormState: Sendable, Hashable, Codable {
    enum Focus: String, Sendable, Hashable, Codable, CaseIterable {
        case name, address, phone, email, website, businessNumber, country, emergencyNumber, timeZone, openDays
        case acuteDays, chronicDays, acutePain, seriousDays, significantDays
        case needleBrand, needleSize, needleLot, needleLotExpiry
    }

    /// One field: its label, the option of `knot clinic set` it stands for, its limit and the
    /// range or form it takes.
    struct Spec: Sendable {
        var label: String
        var option: String
        var maxLength: Int
        var hint: String
        var digits = false
    }

    static func spec(_ field: Focus) -> Spec {
        switch field {
        case .name: Spec(label: "Name", option: "name", maxLength: 120, hint: "on every plan and letter")
        case .address: Spec(label: "Address", option: "address", maxLength: 300, hint: "lines separated by ;")
        case .phone: Spec(label: "Phone", option: "phone", maxLength: 40, hint: "digits, spaces, + - ( )")
        case .email: Spec(label: "Email", option: "email", maxLength: 254, hint: "e.g. reception@clinic.example")
        case .website: Spec(label: "Website", option: "website", maxLength: 200, hint: "e.g. clinic.example")
        case .businessNumber: Spec(label: "Business no", option: "business-number", maxLength: 40, hint: "ABN, NZBN, EIN, company no.")
        case .country: Spec(label: "Country", option: "country", maxLength: 2, hint: "two letters: AU, NZ, GB, US, IE...")
        case .emergencyNumber: Spec(label: "Emergency", option: "emergency-number", maxLength: 6,
                                    hint: "blank: the country's (AU 000, NZ 111, GB 999, US 911)", digits: true)
        case .timeZone: Spec(label: "Time zone", option: "time-zone", maxLength: 64, hint: "e.g. Australia/Sydney, Europe/London")
        case .openDays: Spec(label: "Open days", option: "open-days", maxLength: 40, hint: "e.g. mon-fri or mon,tue,thu,sat")
        case .acuteDays: Spec(label: "Acute", option: "acute-days", maxLength: 2, hint: "days to the review when acute: 1-90", digits: true)
        case .chronicDays: Spec(label: "Otherwise", option: "chronic-days", maxLength: 3, hint: "days to the review otherwise: 1-365", digits: true)
        case .acutePain: Spec(label: "Acute pain", option: "acute-pain-at-least", maxLength: 2,
                              hint: "NPRS at or above which a visit is acute: 1-10, 0 off", digits: true)
        case .seriousDays: Spec(label: "Serious AE", option: "serious-adverse-event-days", maxLength: 1,
                                hint: "days to the review after a serious adverse event: 1-7", digits: true)
        case .significantDays: Spec(label: "Signif. AE", option: "significant-adverse-event-days", maxLength: 2,
                                    hint: "days after a significant adverse event: 1-14", digits: true)
        case .needleBrand: Spec(label: "Brand", option: "needle-brand", maxLength: 60, hint: "taken by needle entries")
        case .needleSize: Spec(label: "Size", option: "needle-size", maxLength: 12, hint: "gauge x length mm, e.g. 0.25x40")
        case .needleLot: Spec(label: "Lot", option: "needle-lot", maxLength: 60, hint: "lot number")
        case .needleLotExpiry: Spec(label: "Lot expiry", option: "needle-lot-expiry", maxLength: 10,
                                    hint: "YYYY-MM-DD: after it the lot is refused")
        }
    }

    /// The field a service error names by its `knot clinic set` option ("--phone").
    static func field(forOption option: String) -> Focus? {
        let bare = option.hasPrefix("--") ? String(option.dropFirst(2)) : option
        return Focus.allCases.first { spec($0).option == bare }
    }

    /// True when the user may change the settings; otherwise the screen only shows them.
    var canEdit: Bool
    var values: [Focus: TextField] = [:]
    /// The values as shown when the form opened: only fields that differ are sent.
    var original: [Focus: String] = [:]
    var focus = Focus.name
    /// "not set", or the logo's type and size.
    var logo: String
    /// True when the time zone shown is the machine's (none is stored for the clinic).
    var timeZoneIsMachines: Bool
    /// True when the stored needle lot is past its expiry on the clinic's today.
    var lotExpired = false

    init(_ settings: ClinicSettingsSummary, canEdit: Bool, today: LocalDate) {
        self.canEdit = canEdit
        let c = settings.clinic
        let r = settings.reviewRules
        let n = settings.needleStock
        let shown: [Focus: String] = [
            .name: c.name, .address: c.addressLines.joined(separator: "; "), .phone: c.phone ?? "", .email: c.email ?? "",
            .website: c.website ?? "", .businessNumber: c.businessNumber ?? "", .country: c.country ?? "",
            .emergencyNumber: c.emergencyNumber ?? "", .timeZone: settings.timeZone,
            .openDays: ClinicProfile.weekdaysText(c.openWeekdays),
            .acuteDays: String(r.acuteDays), .chronicDays: String(r.chronicDays), .acutePain: String(r.acutePainAtLeast ?? 0),
            .seriousDays: String(r.seriousAdverseEventDays), .significantDays: String(r.significantAdverseEventDays),
            .needleBrand: n?.brand ?? "", .needleSize: n?.size ?? "", .needleLot: n?.lot ?? "",
            .needleLotExpiry: n?.lotExpiry?.description ?? "",
        ]
        for field in Focus.allCases {
            values[field] = TextField(text: shown[field] ?? "", maxLength: Self.spec(field).maxLength)
            original[field] = shown[field] ?? ""
        }
        logo = settings.logo ?? "not set"
        timeZoneIsMachines = !settings.timeZoneStored
        lotExpired = n?.isExpired(on: today) ?? false
        if canEdit { values[focus]?.selectAll() }
    }

    func text(_ field: Focus) -> String { values[field]?.text ?? "" }

    /// True when the field shows something other than what is stored.
    func changed(_ field: Focus) -> Bool {
        text(field).trimmingCharacters(in: .whitespaces) != (original[field] ?? "").trimmingCharacters(in: .whitespaces)
    }

    mutating func apply(_ command: Intent) -> [Effect] {
        switch command {
        case .nextField, .moveDown: focus = FormFocus.next(after: focus)
        case .previousField, .moveUp: focus = FormFocus.previous(before: focus)
        case .pageDown: focus = Focus.allCases.last ?? focus
        case .pageUp: focus = Focus.allCases.first ?? focus
        case .edit(let key):
            guard canEdit, var field = values[focus] else { return [] }
            if Self.spec(focus).digits { FormInput.number(key, into: &field, decimal: false, signed: false) } else { field.handle(key) }
            values[focus] = field
        default:
            break
        }
        return []
    }

    /// What to save: the change for `knot clinic set`'s use case and the time zone when it
    /// changed; or why not (a field named by its label).
    func change() -> Result<(ClinicSettingsChange, timeZone: String?), FormProblem> {
        var c = ClinicSettingsChange()
        func value(_ field: Focus) -> String? {
            guard changed(field) else { return nil }
            let t = text(field).trimmingCharacters(in: .whitespaces)
            if t.isEmpty { c.clear.insert(Self.spec(field).option) }
            return t.isEmpty ? nil : t
        }
        c.name = value(.name)
        c.address = value(.address).map { text in
            text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: "\n")
        }
        c.phone = value(.phone); c.email = value(.email); c.website = value(.website)
        c.businessNumber = value(.businessNumber); c.country = value(.country); c.emergencyNumber = value(.emergencyNumber)
        c.openDays = value(.openDays)
        c.needleBrand = value(.needleBrand); c.needleSize = value(.needleSize); c.needleLot = value(.needleLot)
        c.needleLotExpiry = value(.needleLotExpiry)
        let numbers: [(Focus, WritableKeyPath<ClinicSettingsChange, Int?>)] = [
            (.acuteDays, \.acuteDays), (.chronicDays, \.chronicDays), (.acutePain, \.acutePainAtLeast),
            (.seriousDays, \.seriousAdverseEventDays), (.significantDays, \.significantAdverseEventDays),
        ]
        for (field, path) in numbers where changed(field) {
            let spec = Self.spec(field)
            guard let number = Int(text(field).trimmingCharacters(in: .whitespaces)) else {
                return .failure(FormProblem("\(spec.label): '\(text(field))' is not a whole number (\(spec.hint))"))
            }
            c[keyPath: path] = number
        }
        c.clear.subtract(numbers.map { Self.spec($0.0).option })
        var zone: String?
        if changed(.timeZone) {
            let typed = text(.timeZone).trimmingCharacters(in: .whitespaces)
            do { zone = try ClinicTimeZone.named(typed, field: "Time zone").identifier } catch {
                return .failure(FormProblem(error.description))
            }
        }
        guard !c.isEmpty || zone != nil else { return .failure(FormProblem("nothing changed: type over a value, then Ctrl-S")) }
        return .success((c, zone))
    }

    /// A service error in the form's words: each `--option` named by its field's label.
    static func labelled(_ message: String) -> String {
        var text = message
        for field in Focus.allCases.sorted(by: { spec($0).option.count > spec($1).option.count }) {
            text = text.replacingOccurrences(of: "--" + spec(field).option, with: spec(field).label)
        }
        return text
    }
}

extension SettingsFormState: TextFieldForm {
    var focusedText: TextField? {
        get { values[focus] }
        set { if let newValue { values[focus] = newValue } }
    }
}

/// Draws the settings form, in sections, scrolled to the focused field when it does not fit.
enum SettingsFormScreen {
    static let labelWidth = 13

    static func draw(_ state: SettingsFormState, in body: Rect, into buffer: inout ScreenBuffer) {
        let width = body.width
        var row = body.row
        buffer.put(state.canEdit ? " The clinic's settings: type over a value; empty a field for its default"
                                 : " The clinic's settings (read only: a clinic administrator changes them)",
                   row: row, column: 0, style: .bold, maxWidth: width, overflow: .ellipsis)
        row += 1
        let sheet = self.sheet(state, width: width)
        let room = max(1, body.bottom - row - 1)
        let area = Rect(row: row, column: body.column, height: min(room, sheet.used), width: width)
        sheet.draw(in: area, into: &buffer)
        if !state.canEdit { buffer.cursor = nil }
        let keys = state.canEdit ? " Tab/Down next · PgUp/PgDn first/last · Ctrl-S save · Esc cancel · F1 help"
                                 : " Tab/Down next · Esc back · F1 help"
        buffer.put(keys, row: body.bottom - 1, column: 0, style: .dim, maxWidth: width, overflow: .ellipsis)
    }

    /// The sections and fields on a sheet as tall as they need.
    static func sheet(_ state: SettingsFormState, width: Int) -> FormSheet {
        var sheet = FormSheet(width: width)
        var row = 0
        func heading(_ text: String) {
            row += 1
            sheet.buffer.put(" " + text, row: row, column: 0, style: Style.plain.bolded(), maxWidth: width, overflow: .ellipsis)
            row += 1
        }
        func field(_ field: SettingsFormState.Focus, width fieldWidth: Int, note: String? = nil) {
            let spec = SettingsFormState.spec(field)
            let focused = state.focus == field
            FormLabel.draw(spec.label, focused: focused, row: row, into: &sheet.buffer)
            // The last field brings the logo line under it into view.
            if focused { sheet.focus(row..<(row + (field == SettingsFormState.Focus.allCases.last ? 3 : 1))) }
            let value = state.values[field] ?? TextField()
            value.render(into: &sheet.buffer, row: row, column: labelWidth, width: fieldWidth, showsCursor: focused && state.canEdit)
            let hint = note ?? spec.hint
            let mark = state.changed(field) ? "* " : ""
            sheet.buffer.put(mark + hint, row: row, column: labelWidth + fieldWidth + 2, style: state.changed(field) ? .bold : .dim,
                             maxWidth: max(0, width - labelWidth - fieldWidth - 3), overflow: .ellipsis)
            row += 1
        }
        let wide = max(10, min(40, width - labelWidth - 30))
        sheet.buffer.put(" Letterhead", row: row, column: 0, style: Style.plain.bolded(), maxWidth: width, overflow: .ellipsis)
        row += 1
        field(.name, width: wide)
        field(.address, width: wide)
        field(.phone, width: 20)
        field(.email, width: wide)
        field(.website, width: wide)
        field(.businessNumber, width: 20)
        heading("Where the clinic is")
        field(.country, width: 3)
        field(.emergencyNumber, width: 7)
        field(.timeZone, width: 22, note: state.timeZoneIsMachines && !state.changed(.timeZone)
              ? "the machine's: none set for the clinic" : nil)
        field(.openDays, width: 28, note: "reviews never fall on another day (mon-fri, mon,tue,thu)")
        heading("Reviews (days)")
        field(.acuteDays, width: 3)
        field(.chronicDays, width: 4)
        field(.acutePain, width: 3)
        field(.seriousDays, width: 3)
        field(.significantDays, width: 3)
        heading("Default needle stock")
        field(.needleBrand, width: 20)
        field(.needleSize, width: 12)
        field(.needleLot, width: 20)
        field(.needleLotExpiry, width: 11, note: state.lotExpired && !state.changed(.needleLotExpiry)
              ? "EXPIRED: needle entries refuse this lot" : nil)
        row += 1
        FormLabel.draw("Logo", focused: false, row: row, into: &sheet.buffer)
        sheet.buffer.put(state.logo + " · changed with knot clinic set --logo FILE (PNG or SVG)", row: row, column: labelWidth,
                         style: .dim, maxWidth: max(0, width - labelWidth - 1), overflow: .ellipsis)
        row += 1
        sheet.used = row
        return sheet
    }
}
