import ClinicModel
import TerminalKit

/// Needles taken out after the entry was saved (needles left in situ): choose the site,
/// type how many are out now, Ctrl-S. The count on the visit screen then balances, or says how
/// many are still unaccounted for.
///
/// The count starts blank at every site: the needles counted out are the check that catches a
/// forgotten needle, so the form never balances it for the practitioner.
struct NeedlesOutFormState: Sendable, Hashable, Codable {
    /// One needling site of the visit.
    struct Site: Sendable, Hashable, Codable {
        var entryID: Int64
        var label: String
        var inserted: Int
        var removed: Int
    }

    var visitID: Int64
    var patientName: String
    var sites: [Site]
    var selection: Int
    var removed = TextField(maxLength: 2)

    /// Nil when the visit has no needling entry yet.
    init?(visitID: Int64, patientName: String, visit: Visit) {
        let sites = visit.needling.compactMap { entry -> Site? in
            guard let id = entry.id else { return nil }
            return Site(entryID: id, label: "\(entry.muscle?.name ?? entry.muscleID), \(entry.side.rawValue)",
                        inserted: entry.needlesInserted, removed: entry.needlesRemoved)
        }
        guard !sites.isEmpty else { return nil }
        self.visitID = visitID
        self.patientName = patientName
        self.sites = sites
        selection = sites.firstIndex { $0.removed != $0.inserted } ?? 0
        resetField()
    }

    private mutating func resetField() {
        removed.setText("")
    }

    mutating func apply(_ command: Intent) -> [Effect] {
        switch command {
        case .moveUp, .previousField:
            selection = max(0, selection - 1)
            resetField()
        case .moveDown, .nextField:
            selection = min(sites.count - 1, selection + 1)
            resetField()
        case .edit(let key):
            if case .paste = key { return [] }
            if case .character(let c) = key, !(c.isASCII && c.isNumber) { return [] }
            removed.handle(key)
        default:
            break
        }
        return []
    }

    /// What to save, or why it cannot be saved.
    func change() -> Result<(entryID: Int64, removed: Int), FormProblem> {
        let site = sites[selection]
        guard !removed.isEmpty else {
            return .failure(FormProblem("type how many needles are out now at \(site.label) (0 to the \(site.inserted) inserted)"))
        }
        guard let count = Int(removed.text), (0...site.inserted).contains(count) else {
            return .failure(FormProblem("needles removed is 0 to the \(site.inserted) inserted at \(site.label)"))
        }
        // The count is the total out now, as `knot needle remove` takes it: a lower one is a
        // batch counted on its own or a count recorded wrong, which the entry's correction fixes.
        if count < site.removed {
            return .failure(FormProblem("\(count) is fewer than the \(site.removed) already out at \(site.label): type the total out now "
                                        + "(a count recorded wrong is corrected on its entry: Down to the entries, Enter)"))
        }
        return .success((site.entryID, count))
    }
}

/// Draws the needles-out form.
enum NeedlesOutFormScreen {
    static func draw(_ state: NeedlesOutFormState, in body: Rect, into buffer: inout ScreenBuffer) {
        let width = body.width
        var row = body.row + 1
        buffer.put(" Needles removed for \(state.patientName)", row: row, column: 0, style: .bold, maxWidth: width, overflow: .ellipsis)
        row += 2
        for (index, site) in state.sites.enumerated() where row < body.bottom - 2 {
            let selected = index == state.selection
            let outstanding = site.inserted - site.removed
            let flag = outstanding > 0 ? "  \(outstanding) unaccounted for" : ""
            buffer.put((selected ? " > " : "   ") + "\(site.label): \(site.inserted) in, \(site.removed) out" + flag,
                       row: row, column: 0, style: outstanding > 0 ? ChartScreen.warningStyle : .plain,
                       maxWidth: width, overflow: .ellipsis)
            if selected {
                row += 1
                FormLabel.draw("out now", focused: true, row: row, column: 4, into: &buffer)
                state.removed.render(into: &buffer, row: row, column: 14, width: 3)
                if state.removed.isEmpty {
                    buffer.put("not answered: type how many are out now, 0-\(site.inserted)", row: row, column: 19,
                               style: ChartScreen.warningStyle, maxWidth: max(0, width - 20), overflow: .ellipsis)
                }
            }
            row += 1
        }
        row += 1
        buffer.put(" Up/Down site · digits out now · Ctrl-S save · Esc cancel · F1 help", row: row, column: 0, style: .dim,
                   maxWidth: width, overflow: .ellipsis)
    }
}
