import TerminalKit

/// The key tables of the amendment form, the alerts list and the new-alert form.
extension KeyMap {
    static func extraBindings(for kind: ScreenKind) -> [KeyBinding] {
        let help = KeyBinding(helpKeys, .toggleHelp, "show or hide this help")
        let formHelp = KeyBinding([.function(1)], .toggleHelp, "show or hide this help")
        let formQuit = KeyBinding([.ctrl("c")], .quit, "quit Knot (asks again: the form is not saved)")
        switch kind {
        case .amendForm:
            return [
                KeyBinding([], .edit(.character(" ")), "type the new value (blank leaves the field as it is)", label: "letters"),
                KeyBinding([.tab, .enter, .down], .nextField, "next field"),
                KeyBinding([.backTab, .up], .previousField, "previous field"),
                KeyBinding([.pageDown], .pageDown, "next entry to correct (the note, trigger points, findings, treatments, needling)"),
                KeyBinding([.pageUp], .pageUp, "previous entry to correct"),
                KeyBinding([.ctrl("y")], .edit(.ctrl("y")), "copy the current text into the new value, to correct it"),
                selectionHelp,
                KeyBinding([.ctrl("s"), .function(10)], .save, "save the amendment (the reason is required)"),
                KeyBinding([.escape], .back, discardHelp),
                formHelp, formQuit,
            ]
        case .alerts:
            return [
                KeyBinding([.up, .character("k")], .moveUp, "previous alert"),
                KeyBinding([.down, .character("j")], .moveDown, "next alert"),
                KeyBinding([.character("c")], .confirmAlert, "confirm a proposed alert (or reinstate a dismissed one)"),
                KeyBinding([.character("d")], .dismissAlert, "dismiss the alert: asks why (kept with the reason)"),
                KeyBinding([], .edit(.enter), "after d: type the reason, Enter dismisses, Esc keeps the alert", label: "reason"),
                KeyBinding([.character("n")], .newAlert, "new alert: allergy, precaution or other"),
                KeyBinding([.escape], .back, "back to the chart"),
                help,
                KeyBinding([.character("q"), .ctrl("c")], .quit, "quit Knot"),
            ]
        case .alertForm:
            return [
                KeyBinding([], .edit(.character(" ")), "type the alert's text", label: "letters"),
                KeyBinding([.up], .moveUp, "previous kind"),
                KeyBinding([.down], .moveDown, "next kind, else next field"),
                KeyBinding([.tab, .enter], .nextField, "next field"),
                KeyBinding([.backTab], .previousField, "previous field"),
                KeyBinding([.ctrl("s"), .function(10)], .save, "save: the alert is added as active"),
                KeyBinding([.escape], .back, "cancel: back to the alerts, nothing saved"),
                formHelp, formQuit,
            ]
        default:
            return []
        }
    }

    /// Screens whose text fields take typing (letters, pasting, moving in the field); on the
    /// alerts list, the reason for a dismissal.
    static func takesText(_ kind: ScreenKind) -> Bool {
        kind == .amendForm || kind == .alertForm || kind == .alerts
    }
}
