import Foundation
import ClinicModel
import TerminalKit

/// The entry forms opened pre-filled with a recorded entry, to correct it (Enter or `e` on the
/// visit editor's recorded list). Saving sends the corrected entry with the same id; the
/// service checks the same rules as for a new one.
extension MusclePicker {
    /// A picker with `muscleID` already taken.
    init(chosenID muscleID: String?) {
        self.init()
        guard let muscleID else { return }
        if let muscle = MuscleCatalogue.muscle(id: muscleID) {
            chosen = muscle
            query.setText(muscle.name)
        } else {
            query.setText(muscleID)
        }
    }
}

extension TriggerPointFormState {
    init(visitID: Int64, patientName: String, editing f: TriggerPointFinding) {
        self.init(visitID: visitID, patientName: patientName)
        editing = f.id
        picker = MusclePicker(chosenID: f.muscleID)
        side = f.side
        activity = f.activity
        location.setText(f.location ?? "")
        tautBand = f.tautBand
        twitch = f.localTwitchResponse
        referred = f.referredPainReproduced
        tenderness.setText(f.tenderness.map { String($0.value) } ?? "")
        if let ppt = f.pressurePainThreshold {
            self.ppt.setText(EntryEditNumber.text(ppt.value.value))
            probe.setText(EntryEditNumber.text(ppt.probeSizeCm2))
        }
        causes = Set(f.likelyCauses)
        notes.setText(f.notes ?? "")
    }
}

extension NeedlingFormState {
    /// The visit's count before this entry leaves the entry's own needles out, so the live
    /// count shows the visit as it will be with the corrected numbers.
    init(visitID: Int64, patientName: String, progress: VisitProgress, editing e: NeedlingEntry) {
        self.init(visitID: visitID, patientName: patientName, progress: progress)
        editing = e.id
        visitInserted = progress.needlesInserted - e.needlesInserted
        visitRemoved = progress.needlesRemoved - e.needlesRemoved
        picker = MusclePicker(chosenID: e.muscleID)
        side = e.side
        size.setText(String(format: "%.2fx%g", e.needle.gaugeMm, e.needle.lengthMm))
        brand.setText(e.needle.brand)
        lot.setText(e.needle.lot)
        inserted.setText(String(e.needlesInserted))
        removed.setText(String(e.needlesRemoved))
        technique = e.technique
        if case .electricalStimulation(let s) = e.technique { settings.setText(s) }
        depth.setText(e.depth.map { EntryEditNumber.text($0.value) } ?? "")
        timeInSitu.setText(e.timeInSitu.map { String($0.value) } ?? "")
        twitches.setText(String(e.twitchResponses))
        triggerPoint.setText(e.triggerPoint ?? "")
        response.setText(e.patientResponse ?? "")
        adverse.rows = e.adverseEvents.map { event in
            var row = AdverseEventList.Row(kind: event.kind, severity: event.severity)
            row.action.setText(event.action ?? "")
            return row
        }
        adverse.noneStated = e.adverseEvents.isEmpty ? true : nil  // as recorded
        sharpsDisposed = e.sharpsDisposed
    }
}

extension TreatmentFormState {
    init(visitID: Int64, patientName: String, editing t: Treatment) {
        self.init(visitID: visitID, patientName: patientName)
        editing = t.id
        kind = t.kind
        picker = MusclePicker(chosenID: t.muscleID)
        side = t.side
        hold.setText(t.holdTime.map { String($0.value) } ?? "")
        cycles.setText(t.cycles.map(String.init) ?? "")
        notes.setText(t.notes ?? "")
    }
}

extension BiomechFormState {
    init(visitID: Int64, patientName: String, editing f: BiomechanicalFinding) {
        self.init(visitID: visitID, patientName: patientName)
        editing = f.id
        side = f.side
        sideChosen = true
        notes.setText(f.notes ?? "")
        if let k = Kind(rawValue: f.measure.code) { kind = k }
        let number = EntryEditNumber.text
        switch f.measure {
        case .footPostureIndex(let fpi):
            for (index, item) in fpi.items.enumerated() where fpiItems.indices.contains(index) {
                fpiItems[index].setText(String(item.value))
            }
        case .lunge(let v): value.setText(number(v.value))
        case .legLengthDifference(let v): value.setText(number(v.value))
        case .halluxDorsiflexion(let v): value.setText(number(v.value))
        case .gait(let observations): gait = Set(observations)
        case .strength(let m, let grade):
            movement.setText(m)
            value.setText(String(grade.value))
        case .jointRange(let j, let m, let degrees):
            joint.setText(j)
            movement.setText(m)
            value.setText(number(degrees.value))
        case .posture: break
        case .measure(let n, let v, let u):
            name.setText(n)
            value.setText(number(v))
            unit.setText(u)
        }
    }
}

/// A number as typed back into a field: "7", "8.5".
enum EntryEditNumber {
    static func text(_ value: Double) -> String { String(format: "%g", value) }
}
