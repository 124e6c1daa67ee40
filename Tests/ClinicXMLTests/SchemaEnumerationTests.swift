import Foundation
import Testing
import ClinicModel
import KnotSchemas
import LibXML
@testable import ClinicXML

/// The schemas' code lists are the model's raw values, case for case, and every schema compiles.
@Suite struct SchemaEnumerationTests {
    /// The enumeration values of each named simple type in a bundled schema.
    static func enumerations(_ file: String) throws -> [String: [String]] {
        let root = try XMLDocument(data: SchemaBundle.data(named: file)).root
        var result: [String: [String]] = [:]
        for type in root.elements where type.name == "simpleType" {
            let values = type.firstChild(named: "restriction")?.children(named: "enumeration").compactMap { $0.attribute("value") } ?? []
            if let name = type.attribute("name"), !values.isEmpty { result[name] = values }
        }
        return result
    }

    @Test func recordsCodesAreTheModelsRawValues() throws {
        let e = try Self.enumerations("knot-records-1.xsd")
        #expect(e["Side"] == Side.allCases.map(\.rawValue))
        #expect(e["Sex"] == Sex.allCases.map(\.rawValue))
        #expect(e["Profession"] == Profession.allCases.map(\.rawValue))
        #expect(e["Role"] == Role.allCases.map(\.rawValue))
        #expect(e["Precaution"] == Precaution.allCases.map(\.rawValue))
        #expect(e["AlertStatus"] == AlertStatus.allCases.map(\.rawValue))
        #expect(e["ConsentRisk"] == Consent.Risk.allCases.map(\.rawValue))
        #expect(e["TriggerPointActivity"] == TriggerPointFinding.Activity.allCases.map(\.rawValue))
        #expect(e["LikelyCause"] == LikelyCause.allCases.map(\.rawValue))
        #expect(e["GaitObservation"] == GaitObservation.allCases.map(\.rawValue))
        #expect(e["TreatmentKind"] == Treatment.Kind.allCases.map(\.rawValue))
        #expect(e["AdverseEventKind"] == AdverseEvent.Kind.allCases.map(\.rawValue))
        #expect(e["AdverseEventSeverity"] == AdverseEvent.Severity.allCases.map(\.rawValue))
        #expect(e["PlanSection"] == FollowUpPlan.Item.Section.allCases.map(\.rawValue))
        #expect(e["AuditAction"] == AuditEvent.Action.allCases.map(\.rawValue))
        #expect(e["VisitStatus"] == ["draft", "signed"] && VisitStatus(rawValue: "signed") != nil)
        #expect(e["PlanStatus"] == ["draft", "final"] && FollowUpPlan.Status(rawValue: "final") != nil)
        #expect(e["ReferralFormat"] == ["knot", "cda", "fhir", "manual"] && ["knot", "cda", "fhir", "manual"].allSatisfy { ReferralFormat(rawValue: $0) != nil })
        #expect(e["NeedlingTechnique"] == [NeedlingTechnique.staticInSitu.code, NeedlingTechnique.pistoning.code,
                                           NeedlingTechnique.electricalStimulation(settings: "").code])
    }

    @Test func planAndReferralCodesAreTheModelsRawValues() throws {
        let plan = try Self.enumerations("knot-plan-1.xsd")
        #expect(plan["Section"] == FollowUpPlan.Item.Section.allCases.map(\.rawValue))
        #expect(plan["Side"] == Side.allCases.map(\.rawValue))
        #expect(plan["Profession"] == Profession.allCases.map(\.rawValue))
        #expect(try Self.enumerations("knot-referral-1.xsd")["Sex"] == Sex.allCases.map(\.rawValue))
    }

    @Test func everyFormatsSchemaCompilesFromTheBundle() throws {
        for format in ClinicSchemas.Format.allCases {
            let schema = try ClinicSchemas.schema(format)
            #expect(schema.name == format.fileName)
            #expect(SchemaBundle.fileNames.contains(format.fileName))
        }
    }
}
