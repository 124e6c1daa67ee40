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
