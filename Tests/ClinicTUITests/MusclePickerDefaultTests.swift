import Testing
import ClinicModel
@testable import ClinicTUI

/// Accepting the defaults never names a muscle: with nothing typed, the picker offers nothing
/// and Enter takes nothing (it used to take the catalogue's first muscle, the buccinator).
@Suite struct MusclePickerDefaultTests {
    @Test func nothingTypedTakesNoMuscle() {
        var picker = MusclePicker()
        #expect(picker.results.isEmpty)
        let tookEmpty = picker.take()
        #expect(!tookEmpty)
        #expect(picker.chosen == nil)
        picker.edit(.character(" "))
        let tookSpace = picker.take()
        #expect(!tookSpace, "a space names no muscle either")
    }

    @Test func typingPartOfANameTakesTheBestMatch() {
        var picker = MusclePicker()
        for c in "gastroc" { picker.edit(.character(c)) }
        let took = picker.take()
        #expect(took)
        #expect(picker.chosen?.id.hasPrefix("gastrocnemius") == true)
    }
}
