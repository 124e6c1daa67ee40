import Foundation
import ClinicModel
import TerminalKit

/// One dry-needling site: muscle (picker), side, needle (size, brand, lot pre-filled from the
/// last entry), needles inserted and removed, technique, depth (required over the lung
/// fields), with the visit's needle count shown live as it would be after saving.
struct NeedlingFormState: Sendable, Hashable {
    enum Focus: Sendable, Hashable, CaseIterable { case muscle, side, size, brand, lot, inserted, removed, technique, depth }

    var visitID: Int64
    var patientName: String
    /// Needles already in and out at this visit, before this entry.
    var visitInserted: Int
    var visitRemoved: Int
    var picker = MusclePicker()
    var side = Side.left
    var size = TextField(maxLength: 20)
    var brand = TextField(maxLength: 80)
    var lot = TextField(maxLength: 40)
    var inserted = TextField(text: "1", maxLength: 2)
    var removed = TextField(text: "1", maxLength: 2)
    var technique = NeedlingTechnique.pistoning
    var depth = TextField(maxLength: 5)
    var focus = Focus.muscle

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

    mutating func apply(_ command: Command) -> [Effect] {
        switch command {
        case .moveUp where focus == .muscle && picker.chosen == nil: picker.moveHighlight(by: -1)
        case .moveDown where focus == .muscle && picker.chosen == nil: picker.moveHighlight(by: 1)
        case .nextField, .moveDown:
            if focus == .muscle, !picker.take() { return [] }
            if focus == .muscle { side = SideChoice.suited(side, to: picker.chosen) }
            focus = Focus.allCases[min(Focus.allCases.count - 1, Focus.allCases.firstIndex(of: focus)! + 1)]
        case .previousField, .moveUp:
            focus = Focus.allCases[max(0, Focus.allCases.firstIndex(of: focus)! - 1)]
        case .edit(let key):
            edit(key)
        default:
            break
        }
        return []
    }

    private mutating func edit(_ key: Key) {
        switch focus {
        case .muscle: picker.edit(key)
        case .side: side = SideChoice.side(for: key, current: side) ?? side
        case .size: size.handle(key)
        case .brand: brand.handle(key)
        case .lot: lot.handle(key)
        case .inserted: Self.number(key, into: &inserted, decimal: false)
        case .removed: Self.number(key, into: &removed, decimal: false)
        case .depth: Self.number(key, into: &depth, decimal: true)
        case .technique:
            switch key {
            case .character("s"), .character("S"): technique = .staticInSitu
            case .character("p"), .character("P"): technique = .pistoning
            case .character(" "): technique = technique == .pistoning ? .staticInSitu : .pistoning
            default: break
            }
        }
    }

    /// Digits (and one decimal point for `decimal`) only; editing keys as usual.
    private static func number(_ key: Key, into field: inout TextField, decimal: Bool) {
        if case .paste = key { return }
        if case .character(let c) = key {
            let allowed = (c.isASCII && c.isNumber) || (decimal && c == "." && !field.text.contains("."))
            guard allowed else { return }
        }
        field.handle(key)
    }

    /// The entry to save, or why it cannot be saved yet.
    func entry() -> Result<NeedlingEntry, FormProblem> {
        var picker = picker
        guard picker.take(), let muscle = picker.chosen else {
            return .failure(FormProblem("pick a muscle: type part of its name, then Tab"))
        }
        let parsed: (gauge: Double, length: Double)
        do { parsed = try Needle.parseSize(size.text) } catch { return .failure(FormProblem(String(describing: error))) }
        guard let insertedCount = Int(inserted.text), let removedCount = Int(removed.text) else {
            return .failure(FormProblem("type the number of needles inserted and removed"))
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
        let entry = NeedlingEntry(muscleID: muscle.id, side: side, needle: needle, needlesInserted: insertedCount,
                                  needlesRemoved: removedCount, technique: technique, depth: depthValue)
        do { try entry.validate() } catch { return .failure(FormProblem(EffectPerformer.message(for: error))) }
        return .success(entry)
    }
}

/// Draws the needling form.
enum NeedlingFormScreen {
    static func draw(_ state: NeedlingFormState, in body: Rect, into buffer: inout ScreenBuffer) {
        let width = body.width
        let labelWidth = 12
        var row = body.row
        buffer.put(" Needling for \(state.patientName)", row: row, column: 0, style: .bold, maxWidth: width, overflow: .ellipsis)
        row += 1
        let count = state.liveCount
        if let warning = VisitProgress.countWarning(inserted: count.inserted, removed: count.removed) {
            buffer.fill(Rect(row: row, column: 0, height: 1, width: width), style: ChartScreen.bannerStyle)
            buffer.put(" " + warning, row: row, column: 0, style: ChartScreen.bannerStyle, maxWidth: width, overflow: .ellipsis)
        } else {
            buffer.put(" Needle count for the visit: \(count.inserted) in, \(count.removed) out (balanced)", row: row, column: 0,
                       maxWidth: width, overflow: .ellipsis)
        }
        row += 2
        buffer.put(" Muscle", row: row, column: 0, style: .bold)
        row += state.picker.draw(row: row, column: labelWidth, width: width - labelWidth - 1, focused: state.focus == .muscle,
                                 into: &buffer)
        buffer.put(" Side", row: row, column: 0, style: .bold)
        FormChoice.draw(Side.allCases.map(\.rawValue), chosen: state.side.rawValue,
                        focused: state.focus == .side, row: row, column: labelWidth, into: &buffer)
        row += 1
        let fields: [(String, TextField, NeedlingFormState.Focus, Int, String)] = [
            ("Needle", state.size, .size, 10, "gauge x length mm, e.g. 0.25x40"),
            ("Brand", state.brand, .brand, 20, ""),
            ("Lot", state.lot, .lot, 20, ""),
            ("Inserted", state.inserted, .inserted, 3, "needles"),
            ("Removed", state.removed, .removed, 3, "needles"),
        ]
        for (label, field, focus, fieldWidth, hint) in fields {
            buffer.put(" " + label, row: row, column: 0, style: .bold)
            field.render(into: &buffer, row: row, column: labelWidth, width: fieldWidth, showsCursor: state.focus == focus)
            if !hint.isEmpty {
                buffer.put(hint, row: row, column: labelWidth + fieldWidth + 2, style: .dim, maxWidth: width - labelWidth - fieldWidth - 3)
            }
            row += 1
        }
        buffer.put(" Technique", row: row, column: 0, style: .bold)
        FormChoice.draw(["static", "pistoning"], chosen: state.technique.code, focused: state.focus == .technique,
                        row: row, column: labelWidth, into: &buffer)
        row += 1
        buffer.put(" Depth", row: row, column: 0, style: .bold)
        state.depth.render(into: &buffer, row: row, column: labelWidth, width: 6, showsCursor: state.focus == .depth)
        if state.needsDepth {
            buffer.put("mm  required: over the lung fields (pneumothorax risk)", row: row, column: labelWidth + 8,
                       style: ChartScreen.warningStyle, maxWidth: width - labelWidth - 9, overflow: .ellipsis)
        } else {
            buffer.put("mm  optional", row: row, column: labelWidth + 8, style: .dim)
        }
        row += 2
        buffer.put(" Tab next · Up/Down choose · Ctrl-S save · Esc cancel · F1 help", row: row, column: 0, style: .dim,
                   maxWidth: width, overflow: .ellipsis)
    }
}
