import Foundation
import Testing
@testable import ClinicModel

/// `BiomechanicalMeasure.make`, the one builder `knot finding add` and the visit editor's form
/// share: raw inputs in, a typed measure (or the input named with the rule broken) out.
@Suite struct BiomechanicalMeasureMakeTests {
    @Test func errorsNameTheInputsAsTheCommandLineCallsThem() {
        #expect(throws: ValidationErrors([ValidationError.badValue(field: "--value", value: "45.0",
                                                          rule: "is out of range: lunge test is 0.0 to 30.0 cm")])) {
            try BiomechanicalMeasure.make(kind: .lunge, value: 45, names: .commandLine)
        }
        #expect(throws: ValidationErrors([ValidationError.badValue(field: "--fpi", value: "x", rule: "is not a whole number")])) {
            try BiomechanicalMeasure.make(kind: .fpi6, fpiItems: ["1", "x", "0", "0", "0", "0"], names: .commandLine)
        }
        #expect(throws: ValidationErrors([ValidationError.badValue(field: "--fpi.item3", value: "3",
                                                          rule: "is out of range: FPI-6 item is -2 to 2")])) {
            try BiomechanicalMeasure.make(kind: .fpi6, fpiItems: ["1", "1", "3", "0", "0", "0"], names: .commandLine)
        }
        #expect(throws: ValidationErrors([ValidationError.badValue(field: "--gait", value: "limp", rule: "is not a gait observation code")])) {
            try BiomechanicalMeasure.make(kind: .gait, gait: ["antalgic", "limp"], names: .commandLine)
        }
    }

    @Test func aStrengthGradeIsAWholeNumberEvenWhenHuge() {
        #expect(throws: ValidationErrors([ValidationError.badValue(field: "grade", value: "4.5", rule: "a strength grade is a whole number 0-5")])) {
            try BiomechanicalMeasure.make(kind: .strength, value: 4.5, movement: "hip abduction", names: .init(value: "grade"))
        }
        // Once a trap (Int(1e300)); now the same refusal.
        #expect(throws: ValidationErrors([ValidationError.badValue(field: "--value", value: "1e+300", rule: "a strength grade is a whole number 0-5")])) {
            try BiomechanicalMeasure.make(kind: .strength, value: 1e300, movement: "hip", names: .commandLine)
        }
    }

    @Test func aMissingValueOrItemIsRequiredWithWhatItMeans() {
        #expect(throws: ValidationErrors([ValidationError(field: "value", value: "", rule: "is required (kg)")])) {
            try BiomechanicalMeasure.make(kind: .measure, name: "grip", unit: "kg")
        }
        #expect(throws: ValidationErrors([ValidationError(field: "fpi6.item2", value: "", rule: "is required (-2 to +2)")])) {
            try BiomechanicalMeasure.make(kind: .fpi6, fpiItems: ["1", "", "", "", "", ""])
        }
    }

    @Test func buildsEachKindWithItsCode() throws {
        let built: [BiomechanicalMeasure] = [
            try .make(kind: .fpi6, fpiItems: ["2", "1", "-1", "2", "+2", "2"]),
            try .make(kind: .lunge, value: 9.5),
            try .make(kind: .legLength, value: 6),
            try .make(kind: .halluxDorsiflexion, value: 45),
            try .make(kind: .gait, gait: ["antalgic", "trendelenburg"]),
            try .make(kind: .strength, value: 4, movement: "hip abduction"),
            try .make(kind: .jointRange, value: -10, movement: "extension", joint: "knee"),
            try .make(kind: .posture),
            try .make(kind: .measure, value: 30, name: "grip", unit: "kg"),
        ]
        #expect(built.map(\.kind) == BiomechanicalMeasure.Kind.allCases)
        #expect(built.map(\.code) == BiomechanicalMeasure.Kind.allCases.map(\.rawValue))
        #expect(built[0].summary == "FPI-6 +8 (pronated)")
        #expect(built[4] == .gait([.antalgic, .trendelenburg]))
        #expect(built[6].summary == "knee extension -10°")
        #expect(BiomechanicalMeasure.Kind.lunge.valueMeaning() == "cm" && BiomechanicalMeasure.Kind.gait.valueMeaning() == nil)
    }
}
