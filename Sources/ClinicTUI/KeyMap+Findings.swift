import TerminalKit

extension KeyMap {
    /// The keys of the biomechanical finding and treatment forms.
    static func findingFormBindings(for kind: ScreenKind) -> [KeyBinding] {
        let biomech = kind == .biomechForm
        return [
            KeyBinding([], .edit(.character(" ")),
                       biomech ? "choose the kind and side (letters, Space, Left/Right); type values and notes"
                               : "choose the kind and side (letters, Space, Left/Right); type the rest",
                       label: "letters"),
            KeyBinding([], .edit(.character(" ")), biomech ? "tick or untick a gait observation" : "next kind or side",
                       label: "Space"),
            selectionHelp,
            KeyBinding([.tab, .enter], .nextField, biomech ? "next field" : "next field (takes the muscle)"),
            KeyBinding([.backTab], .previousField, "previous field"),
            KeyBinding([.down], .moveDown, biomech ? "next gait observation, else next field" : "next muscle in the list, else next field"),
            KeyBinding([.up], .moveUp, biomech ? "previous gait observation, else previous field" : "previous muscle, else previous field"),
            KeyBinding([.ctrl("s"), .function(10)], .save, "save (nothing is saved before)"),
            KeyBinding([.escape], .back, discardHelp),
            KeyBinding([.function(1)], .toggleHelp, "show or hide this help"),
            KeyBinding([.ctrl("c")], .quit, "quit Knot (an unsaved form is lost)"),
        ]
    }
}

extension KeyMap {
    /// The keys of the settings screen and of the impression and outcome-measure forms.
    static func assessmentBindings(for kind: ScreenKind) -> [KeyBinding] {
        let tail = [
            KeyBinding([.escape], .back, discardHelp),
            KeyBinding([.function(1)], .toggleHelp, "show or hide this help"),
            KeyBinding([.ctrl("c")], .quit, "quit Knot (asks again: the form is not saved)"),
        ]
        switch kind {
        case .settingsForm:
            return [
                KeyBinding([], .edit(.character(" ")), "type over a value; an emptied field goes back to its default", label: "letters"),
                KeyBinding([.tab, .enter, .down], .nextField, "next field"),
                KeyBinding([.backTab, .up], .previousField, "previous field"),
                KeyBinding([.pageUp], .pageUp, "first field"),
                KeyBinding([.pageDown], .pageDown, "last field"),
                selectionHelp,
                KeyBinding([.ctrl("s"), .function(10)], .save, "save what changed, all or nothing (clinic administrators)"),
            ] + tail
        case .outcomeForm:
            return [
                KeyBinding([], .edit(.character(" ")), "on Measure: l LEFS, n NDI, o ODI, v VISA-A, q QuickDASH (or Space)",
                           label: "letters"),
                KeyBinding([], .edit(.character("0")), "on an item: its score, in the range shown; blank if not answered",
                           label: "digits"),
                KeyBinding([.tab, .enter, .down], .nextField, "next item"),
                KeyBinding([.backTab, .up], .previousField, "previous item"),
                KeyBinding([.pageDown], .pageDown, "ten items on"),
                KeyBinding([.pageUp], .pageUp, "ten items back"),
                selectionHelp,
                KeyBinding([.ctrl("s"), .function(10)], .save, "save: the total is computed and checked (nothing is saved before)"),
            ] + tail
        default:
            return [
                KeyBinding([], .edit(.character(" ")), "type the impression and the code; letters or Space choose the system",
                           label: "letters"),
                KeyBinding([.tab, .enter, .down], .nextField, "next field"),
                KeyBinding([.backTab, .up], .previousField, "previous field"),
                selectionHelp, choiceHelp,
                KeyBinding([.ctrl("s"), .function(10)], .save, "save (an emptied impression is cleared)"),
            ] + tail
        }
    }
}
