import Foundation
import Testing
@testable import ClinicModel

/// Biomechanical measures and needling techniques in JSON (`--json` output and the database):
/// a shape that says what each number is, and the older shape still read.
@Suite struct MeasureJSONTests {
    func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    @Test func eachMeasureSaysItsKindAndUnit() throws {
        #expect(try json(BiomechanicalMeasure.lunge(LungeCentimetres(unchecked: 7))) == #"{"cm":7,"kind":"lunge"}"#)
        #expect(try json(BiomechanicalMeasure.legLengthDifference(LegLengthMillimetres(unchecked: 6))) == #"{"kind":"leg-length","mm":6}"#)
        #expect(try json(BiomechanicalMeasure.strength(movement: "hip abduction", grade: StrengthGrade(unchecked: 4)))
                == #"{"grade":4,"kind":"strength","movement":"hip abduction"}"#)
        #expect(try json(BiomechanicalMeasure.posture) == #"{"kind":"posture"}"#)
        let fpi = BiomechanicalMeasure.footPostureIndex(try FootPostureIndex(items: [2, 1, -1, 2, 2, 2]))
        #expect(try json(fpi) == #"{"category":"pronated","items":[2,1,-1,2,2,2],"kind":"fpi6","total":8}"#)
    }

    @Test func everyMeasureReadsBackAsWritten() throws {
        let all: [BiomechanicalMeasure] = [
            .footPostureIndex(try FootPostureIndex(items: [0, 0, 1, -2, 2, 1])),
            .lunge(LungeCentimetres(unchecked: 9.5)),
            .legLengthDifference(LegLengthMillimetres(unchecked: 4)),
            .halluxDorsiflexion(Degrees(unchecked: 45)),
            .gait([.earlyHeelRise, .abductoryTwist]),
            .gait([]),
            .strength(movement: "ankle plantarflexion", grade: StrengthGrade(unchecked: 3)),
            .jointRange(joint: "hip", movement: "internal rotation", degrees: Degrees(unchecked: 20)),
            .posture,
            .measure(name: "single-leg balance", value: 12.5, unit: "s"),
        ]
        for measure in all {
            #expect(try decode(BiomechanicalMeasure.self, try json(measure)) == measure, "\(measure.code)")
        }
    }

    @Test func theOlderShapeStillReads() throws {
        #expect(try decode(BiomechanicalMeasure.self, #"{"lunge":{"_0":7}}"#) == .lunge(LungeCentimetres(unchecked: 7)))
        #expect(try decode(BiomechanicalMeasure.self, #"{"footPostureIndex":{"_0":{"items":[2,1,-1,2,2,2]}}}"#)
                == .footPostureIndex(try FootPostureIndex(items: [2, 1, -1, 2, 2, 2])))
        #expect(try decode(BiomechanicalMeasure.self, #"{"strength":{"movement":"hip abduction","grade":4}}"#)
                == .strength(movement: "hip abduction", grade: StrengthGrade(unchecked: 4)))
        #expect(try decode(BiomechanicalMeasure.self, #"{"posture":{}}"#) == .posture)
        #expect(try decode(BiomechanicalMeasure.self, #"{"gait":{"_0":["antalgic"]}}"#) == .gait([.antalgic]))
        #expect(try decode(NeedlingTechnique.self, #"{"pistoning":{}}"#) == .pistoning)
        #expect(try decode(NeedlingTechnique.self, #"{"electricalStimulation":{"settings":"2 Hz"}}"#)
                == .electricalStimulation(settings: "2 Hz"))
    }

    @Test func outOfRangeOrUnknownValuesAreRefused() {
        #expect(throws: DecodingError.self) { try decode(BiomechanicalMeasure.self, #"{"kind":"lunge","cm":45}"#) }
        #expect(throws: DecodingError.self) { try decode(BiomechanicalMeasure.self, #"{"kind":"fpi6","items":[3,0,0,0,0,0]}"#) }
        #expect(throws: DecodingError.self) { try decode(BiomechanicalMeasure.self, #"{"kind":"fpi6","items":[1,1]}"#) }
        #expect(throws: DecodingError.self) { try decode(BiomechanicalMeasure.self, #"{"kind":"shoe-size","value":9}"#) }
        #expect(throws: DecodingError.self) { try decode(NeedlingTechnique.self, #"{"kind":"cupping"}"#) }
    }

    @Test func techniquesSayTheirCodeAndSettings() throws {
        #expect(try json(NeedlingTechnique.pistoning) == #"{"kind":"pistoning"}"#)
        #expect(try json(NeedlingTechnique.staticInSitu) == #"{"kind":"static"}"#)
        let estim = NeedlingTechnique.electricalStimulation(settings: "2 Hz, 8 mA, 10 min")
        #expect(try json(estim) == #"{"kind":"electrical","settings":"2 Hz, 8 mA, 10 min"}"#)
        for technique in [NeedlingTechnique.pistoning, .staticInSitu, estim] {
            #expect(try decode(NeedlingTechnique.self, try json(technique)) == technique)
        }
    }
}
