import Foundation
import ClinicModel
import TerminalKit

/// One dry-needling site, everything `knot needle add` records: muscle (picker), side, needle
/// (size, brand, lot pre-filled from the last entry), needles inserted and removed, technique
/// (electrical with its settings), depth (required over the lung fields), time in situ, local
/// twitch responses, which trigger point, the patient's response, adverse events and sharps
/// disposal; the visit's needle count is shown live as it would be after saving.
///
/// Nothing that states a clinical fact is filled in for the practitioner: the side (but for a
/// midline muscle), the needles inserted and removed, the technique, the local twitch responses,
/// the adverse events (none is an answer, `n`) and whether the sharps were disposed of start
/// blank and must be keyed before the entry saves (0 twitches is an answer, typed like any
/// other count).
struct NeedlingFormState: Sendable, Hashable, Codable {
    enum Focus: Sendable, Hashable, Codable, CaseIterable {
        case muscle, side, size, brand, lot, inserted, removed, technique, settings, depth, timeInSitu, twitches,
             triggerPoint, response, adverse, sharps
    }

    var visitID: Int64
    var patientName: String
    /// Needles already in and out at this visit, before this entry.
    var visitInserted: Int
    var visitRemoved: Int
    var picker = MusclePicker()
    /// Nil until keyed (a midline muscle sets it: it has one side).
    var side: Side?
    var size = TextField(maxLength: 20)
    var brand = TextField(maxLength: 80)
    var lot = TextField(maxLength: 40)
    var inserted = TextField(maxLength: 2)
    var removed = TextField(maxLength: 2)
    /// The technique chosen, nil until keyed (electrical's settings are in `settings` until saved).
    var technique: NeedlingTechnique?
    /// Electrical stimulation settings: frequency, intensity, duration.
    var settings = TextField(maxLength: 200)
    var depth = TextField(maxLength: 5)
    var timeInSitu = TextField(maxLength: 4)
    var twitches = TextField(maxLength: 3)
    var triggerPoint = TextField(maxLength: 200)
    var response = TextField(maxLength: 2000)
    var adverse = AdverseEventList()
    /// Nil until the practitioner answers y or n.
    var sharpsDisposed: Bool?
    var focus = Focus.muscle
    /// The id of the recorded entry this form corrects (nil for a new one).
    var editing: Int64?

    init(visitID: Int64, patientName: String, progress: VisitProgress) {
        self.visitID = visitID
        self.patientName = patientName
        visitInserted = progress.needlesInserted
        visitRemoved = progress.needlesRemoved
        if let needle = progress.lastNeedle {
            size.setText(String(format: "%.2fx%g", needle.gaugeMm, needle.lengthMm))
            brand.setText(needle.brand)
            lot.setText(needle.lot)
        }
    }

    /// The visit's count as it would be with this entry (blank or invalid numbers count 0).
    var liveCount: (inserted: Int, removed: Int) {
        (visitInserted + (Int(inserted.text) ?? 0), visitRemoved + (Int(removed.text) ?? 0))
    }

    /// True when the chosen muscle lies over the lung fields (depth is then required).
    var needsDepth: Bool { picker.chosen?.overLungFields ?? false }

    var isElectrical: Bool { technique?.code == "electrical" }

    /// The needle's length in mm as typed in the size, nil while it is not a size.
    var needleLength: Double? { (try? Needle.parseSize(size.text))?.length }

    mutating func apply(_ command: Intent) -> [Effect] {
        if focus == .adverse, adverse.move(command) { return [] }
        let before = focus
        let electrical = isElectrical
        if FormFocus.navigate(command, focus: &focus, muscleField: .muscle, picker: &picker, side: &side,
                              shown: { $0 != .settings || electrical }) {
            if focus == .adverse, before != .adverse { adverse.enter(from: command) }
            return []
        }
        if case .edit(let key) = command { edit(key) }
        return []
    }

    private mutating func edit(_ key: Key) {
        switch focus {
        case .muscle: picker.edit(key)
        case .side: side = SideChoice.side(for: key, current: side) ?? side
        case .size: size.handle(key)
        case .brand: brand.handle(key)
        case .lot: lot.handle(key)
        case .inserted: FormInput.number(key, into: &inserted, decimal: false, signed: false)
        case .removed: FormInput.number(key, into: &removed, decimal: false, signed: false)
        case .settings: settings.handle(key)
        case .depth: FormInput.number(key, into: &depth, decimal: true, signed: false)
        case .timeInSitu: FormInput.number(key, into: &timeInSitu, decimal: false, signed: false)
        case .twitches: FormInput.number(key, into: &twitches, decimal: false, signed: false)
        case .triggerPoint: triggerPoint.handle(key)
        case .response: response.handle(key)
        case .adverse: adverse.edit(key)
        case .sharps: sharpsDisposed = YesNo.answer(key, given: sharpsDisposed)
        case .technique:
            let codes = Self.techniqueCodes
            // Nothing chosen yet: Space or Right takes the first, a letter its technique.
            guard let code = FormInput.choose(codes, current: technique?.code ?? codes[codes.count - 1], key: key, label: { $0 }) else { return }
            technique = (try? NeedlingTechnique(code: code, settings: "")) ?? technique
        }
    }

    static let techniqueCodes = ["static", "pistoning", "electrical"]

    /// The entry to save, or why it cannot be saved yet.
    func entry() -> Result<NeedlingEntry, FormProblem> {
        var picker = picker
        guard picker.take(), let muscle = picker.chosen else {
            return .failure(FormProblem("pick a muscle: type part of its name, then Tab"))
        }
        let parsed: (gauge: Double, length: Double)
        do { parsed = try Needle.parseSize(size.text) } catch { return .failure(FormProblem(String(describing: error))) }
        guard let side else { return .failure(FormProblem("choose the side: l, r, m or b")) }
        guard let insertedCount = Int(inserted.text) else {
            return .failure(FormProblem("type the number of needles inserted"))
        }
        guard let removedCount = Int(removed.text) else {
            return .failure(FormProblem("type the number of needles removed (0 while they are still in)"))
        }
        guard let technique else { return .failure(FormProblem("choose the technique: static, pistoning or electrical")) }
        guard let twitchCount = Int(twitches.text) else {
            return .failure(FormProblem("type the number of local twitch responses elicited (0 if none)"))
        }
        guard adverse.isAnswered else {
            return .failure(FormProblem("adverse events: not answered: n for none, + to add one"))
        }
        let adverseEvents: [AdverseEvent]
        switch adverse.recorded() {
        case .success(let events): adverseEvents = events
        case .failure(let problem): return .failure(problem)
        }
        guard let sharpsDisposed else {
            return .failure(FormProblem("answer whether the sharps were disposed of: y or n"))
        }
        var depthValue: DepthMillimetres?
        if !depth.text.isEmpty {
            guard let value = Double(depth.text) else { return .failure(FormProblem("depth is a number of mm, like 15")) }
            do { depthValue = try DepthMillimetres(value, field: "depth") } catch {
                return .failure(FormProblem(String(describing: error)))
            }
        }
        let needle = Needle(brand: brand.text.trimmingCharacters(in: .whitespaces), gaugeMm: parsed.gauge,
                            lengthMm: parsed.length, lot: lot.text.trimmingCharacters(in: .whitespaces))
        let entry: NeedlingEntry
        do {
            let time = timeInSitu.text.isEmpty ? nil : try Seconds(parsing: timeInSitu.text, field: "timeInSitu")
            let chosen = isElectrical ? NeedlingTechnique.electricalStimulation(
                settings: settings.text.trimmingCharacters(in: .whitespaces)) : technique
            entry = NeedlingEntry(muscleID: muscle.id, side: side, triggerPoint: FormText.optional(triggerPoint.text),
                                  needle: needle, needlesInserted: insertedCount, needlesRemoved: removedCount,
                                  technique: chosen, depth: depthValue, timeInSitu: time,
                                  twitchResponses: twitchCount, patientResponse: FormText.optional(response.text),
                                  adverseEvents: adverseEvents, sharpsDisposed: sharpsDisposed)
            try entry.validate()
        } catch {
            return .failure(FormProblem(EffectPerformer.message(for: error)))
        }
        return .success(entry)
    }
}

/// Draws the needling form: the title, the live needle count and any alarming adverse event
/// stay put at the top; the fields scroll when they are taller than the screen.
enum NeedlingFormScreen {
    static let labelWidth = 12

    static func draw(_ state: NeedlingFormState, in body: Rect, into buffer: inout ScreenBuffer) {
        let width = body.width
        var row = body.row
        buffer.put((state.editing == nil ? " " : " Correcting: ") + "Needling for \(state.patientName)", row: row, column: 0, style: .bold, maxWidth: width, overflow: .ellipsis)
        row += 1
        let count = state.liveCount
        if let warning = VisitProgress.countWarning(inserted: count.inserted, removed: count.removed) {
            banner(warning, row: row, width: width, into: &buffer)
        } else {
            buffer.put(" Needle count for the visit: \(count.inserted) in, \(count.removed) out (balanced)", row: row, column: 0,
                       maxWidth: width, overflow: .ellipsis)
        }
        row += 1
        let alarming = state.adverse.alarming
        if !alarming.isEmpty {
            let events = alarming.map(\.summary).joined(separator: ", ")
            banner("ADVERSE EVENT: \(events): act now, record the action taken", row: row, width: width, into: &buffer)
        }
        row += 1
        let sheet = self.sheet(state, width: width)
        let room = max(1, body.bottom - row - 2)
        let area = Rect(row: row, column: body.column, height: min(room, sheet.used), width: width)
        sheet.draw(in: area, into: &buffer)
        buffer.put(" Tab next · Up/Down move · letters, Space, y/n choose · Ctrl-S save · Esc cancel",
                   row: area.bottom + 1, column: 0, style: .dim, maxWidth: width, overflow: .ellipsis)
    }

    private static func banner(_ text: String, row: Int, width: Int, into buffer: inout ScreenBuffer) {
        buffer.fill(Rect(row: row, column: 0, height: 1, width: width), style: ChartScreen.bannerStyle)
        buffer.put(" " + text, row: row, column: 0, style: ChartScreen.bannerStyle, maxWidth: width, overflow: .ellipsis)
    }

    /// A count's hint, saying it is not answered while the field is blank (a count is never
    /// filled in for the practitioner: 0 is typed like any other).
    private static func unanswered(_ field: TextField, _ hint: String) -> String {
        field.isEmpty ? "not answered: " + hint : hint
    }

    private static func hintStyle(_ field: TextField) -> Style {
        field.isEmpty ? ChartScreen.warningStyle : .dim
    }

    /// The fields, top to bottom, on a sheet as tall as they need.
    static func sheet(_ state: NeedlingFormState, width: Int) -> FormSheet {
        var sheet = FormSheet(width: width)
        var row = 0
        func label(_ text: String, _ field: NeedlingFormState.Focus, rows: Int = 1) {
            FormLabel.draw(text, focused: state.focus == field, row: row, into: &sheet.buffer)
            if state.focus == field { sheet.focus(row..<(row + rows)) }
        }
        func text(_ name: String, _ value: TextField, _ field: NeedlingFormState.Focus, width fieldWidth: Int, hint: String,
                  hintStyle: Style = .dim) {
            label(name, field)
            value.render(into: &sheet.buffer, row: row, column: labelWidth, width: fieldWidth, showsCursor: state.focus == field)
            if !hint.isEmpty {
                sheet.buffer.put(hint, row: row, column: labelWidth + fieldWidth + 2, style: hintStyle,
                                 maxWidth: max(0, width - labelWidth - fieldWidth - 3), overflow: .ellipsis)
            }
            row += 1
        }

        let pickerRows = state.picker.draw(row: row, column: labelWidth, width: width - labelWidth - 1,
                                           focused: state.focus == .muscle, into: &sheet.buffer)
        label("Muscle", .muscle, rows: pickerRows)
        row += pickerRows
        label("Side", .side)
        FormChoice.draw(Side.allCases.map(\.rawValue), chosen: state.side?.rawValue ?? "",
                        focused: state.focus == .side, row: row, column: labelWidth, into: &sheet.buffer)
        if state.side == nil { FormChoice.drawNotChosen("type l, r, m or b", after: Side.allCases.map(\.rawValue), row: row, column: labelWidth, width: width, into: &sheet.buffer) }
        row += 1
        text("Needle", state.size, .size, width: 10, hint: "gauge x length mm, 0.12-0.40 x 7-125, e.g. 0.25x40")
        text("Brand", state.brand, .brand, width: 20, hint: "")
        text("Lot", state.lot, .lot, width: 20, hint: "")
        text("Inserted", state.inserted, .inserted, width: 3, hint: unanswered(state.inserted, "needles, 1-50"),
             hintStyle: hintStyle(state.inserted))
        text("Removed", state.removed, .removed, width: 3, hint: unanswered(state.removed, "needles, 0 to those inserted (0 while still in)"),
             hintStyle: hintStyle(state.removed))
        label("Technique", .technique)
        FormChoice.draw(NeedlingFormState.techniqueCodes, chosen: state.technique?.code ?? "",
                        focused: state.focus == .technique, row: row, column: labelWidth, into: &sheet.buffer)
        if state.technique == nil { FormChoice.drawNotChosen("type s, p or e", after: NeedlingFormState.techniqueCodes, row: row, column: labelWidth, width: width, into: &sheet.buffer) }
        row += 1
        if state.isElectrical {
            text("Settings", state.settings, .settings, width: 30, hint: "frequency, intensity, duration")
        }
        let range = NeedlingEntry.depthRangeText(overLung: state.needsDepth, needleLength: state.needleLength)
        if state.needsDepth {
            text("Depth", state.depth, .depth, width: 6, hint: "mm  required, lung fields: \(range)",
                 hintStyle: ChartScreen.warningStyle)
        } else {
            text("Depth", state.depth, .depth, width: 6, hint: "mm  optional, \(range)")
        }
        text("In situ", state.timeInSitu, .timeInSitu, width: 6, hint: "seconds, optional, 0-3600")
        text("Twitches", state.twitches, .twitches, width: 3, hint: unanswered(state.twitches, "local twitch responses, 0-100 (0 if none)"),
             hintStyle: hintStyle(state.twitches))
        text("Trigger pt", state.triggerPoint, .triggerPoint, width: 30, hint: "which one, optional")
        text("Response", state.response, .response, width: min(50, width - labelWidth - 2), hint: "")
        let adverseRows = state.adverse.draw(top: row, column: labelWidth, width: width, focused: state.focus == .adverse,
                                             into: &sheet.buffer)
        label("Adverse", .adverse, rows: adverseRows)
        row += adverseRows
        label("Sharps", .sharps)
        YesNo.draw(given: state.sharpsDisposed, focused: state.focus == .sharps, row: row, column: labelWidth, into: &sheet.buffer)
        sheet.buffer.put(state.sharpsDisposed == nil ? "disposed of in the sharps container? type y or n" : "disposed of in the sharps container",
                         row: row, column: labelWidth + 12, style: state.sharpsDisposed == nil ? ChartScreen.warningStyle : .dim,
                         maxWidth: max(0, width - labelWidth - 13))
        row += 1
        sheet.used = row
        return sheet
    }
}
