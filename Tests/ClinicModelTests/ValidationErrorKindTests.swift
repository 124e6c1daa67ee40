import Foundation
import Testing
import ClinicModel

/// A model check says what kind of wrong it found: a value outside what its field accepts (bad
/// input: the command line exits 65) or a clinical rule that refused it (exit 1).
@Suite struct ValidationErrorKindTests {
    func entry(_ muscle: String = "gastrocnemius-medial", inserted: Int = 2, removed: Int = 2, depth: Double? = nil) -> NeedlingEntry {
        NeedlingEntry(muscleID: muscle, side: .left, needle: Needle(brand: "Seirin", gaugeMm: 0.25, lengthMm: 40, lot: "L1"),
                      needlesInserted: inserted, needlesRemoved: removed, depth: depth.map(DepthMillimetres.init(unchecked:)))
    }

    func kinds(_ body: () throws(ValidationErrors) -> Void) -> [ValidationError.Kind] {
        do { try body(); return [] } catch { return error.errors.map(\.kind) }
    }

    @Test func aValueOutOfItsRangeIsBadInput() {
        #expect(throws: ValidationError.badValue(field: "pain.now", value: "11", rule: "is out of range: NPRS is 0 to 10")) {
            try NPRS(11, field: "pain.now")
        }
        #expect(kinds { () throws(ValidationErrors) in try entry(removed: 3).validate() } == [.badValue])
        #expect(kinds { () throws(ValidationErrors) in try entry(inserted: 51, removed: 0).validate() } == [.badValue])
        #expect(kinds { () throws(ValidationErrors) in try entry(depth: 41).validate() } == [.badValue], "deeper than the needle")
        #expect((try? LocalDate(parsing: "1978-02-30", field: "dob")) == nil)
        do { _ = try LocalDate(parsing: "1978-02-30", field: "dob") } catch { #expect(error.kind == .badValue) }
        do { _ = try Side(parsing: "up", field: "side") } catch { #expect(error.kind == .badValue) }
    }

    @Test func aClinicalRuleIsARefusal() {
        // Over the lung fields a depth is required: a safety rule, not the value's own range.
        #expect(kinds { () throws(ValidationErrors) in try entry("upper-trapezius").validate() } == [.rule])
        #expect(kinds { () throws(ValidationErrors) in try entry("upper-trapezius", depth: 0).validate() } == [.rule])
        do { _ = try PatientAlert.checkedDismissReason("") } catch { #expect(error.kind == .rule) }
    }

    @Test func severalErrorsAreBadInputWhenAnyValueIs() {
        let rule = ValidationError(field: "depth", value: "", rule: "is required")
        let bad = ValidationError.badValue(field: "needlesRemoved", value: "3", rule: "must be between 0 and the 2 inserted")
        #expect(ValidationErrors([rule]).kind == .rule)
        #expect(ValidationErrors([rule, bad]).kind == .badValue)
        #expect(bad.nested(under: "needling[0]").kind == .badValue)
        #expect(bad.renamed("--removed") == ValidationError.badValue(field: "--removed", value: "3", rule: bad.rule))
        var v = Validator()
        v.maxLength("notes", String(repeating: "x", count: 11), 10)
        v.required("reason", "")
        #expect(v.errors.map(\.kind) == [.badValue, .rule])
    }
}
