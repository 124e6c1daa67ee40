import Foundation
import Testing
import ClinicModel
import LibXML
import ClinicXML

/// The follow-up plan as it leaves the clinic.
@Suite struct PlanXMLWriterTests {
    let record = ExampleClinic.margaret
    var plan: FollowUpPlan { record.plans[0] }

    func write(_ plan: FollowUpPlan, sessionsRemaining: Int? = 4) throws -> Data {
        try PlanXMLWriter.write(plan: plan, patient: record.patient, visit: record.visits[0],
                                practitioner: ExampleClinic.practitioners[0], sessionsRemaining: sessionsRemaining)
    }

    @Test func aPlanCarriesWhoWhenWhatAndHowManySessionsAreLeft() throws {
        let data = try write(plan)
        #expect(try DocumentKind.detect(data, fileName: nil) == .plan)
        let root = try XMLDocument(data: data).root
        #expect(root.attribute("planVersion") == "1" && root.attribute("status") == "final" && root.attribute("id") == "1")
        #expect(root.attribute("createdAt") == "2026-10-13T22:50:00.000Z")
        #expect(root.firstChild(named: "patient")?.attribute("recordNumber") == "K00001")
        #expect(root.firstChild(named: "patient")?.firstChild(named: "preferredName")?.textContent == "Peggy")
        #expect(root.firstChild(named: "visit")?.attribute("date") == record.visits[0].date.description)
        #expect(root.firstChild(named: "practitioner")?.firstChild(named: "name")?.textContent == "Megan Reid")
        #expect(root.firstChild(named: "reviewDate")?.textContent == "2026-10-27")
        #expect(root.firstChild(named: "sessionsRemaining")?.textContent == "4")
        let items = root.firstChild(named: "items")?.children(named: "item") ?? []
        #expect(items.count == plan.items.count)
        #expect(items[0].attribute("section") == "home-program" && items[0].attribute("muscle") == "gluteus-medius")
        #expect(items[0].attribute("side") == "left" && items[0].firstChild(named: "muscleName")?.textContent == "Gluteus medius")
        #expect(items.map { $0.firstChild(named: "text")?.textContent } == plan.items.map(\.text))
    }

    @Test func theSamePlanGivesTheSameBytes() throws {
        #expect(try write(plan) == write(plan))
        #expect(!String(decoding: try write(plan, sessionsRemaining: nil), as: UTF8.self).contains("sessionsRemaining"))
    }

    @Test func aHandAddedItemHasNoRule() throws {
        var plan = self.plan
        plan.items = [FollowUpPlan.Item(section: .other, text: "Bring your running shoes next time")]
        let item = try XMLDocument(data: write(plan)).root.firstChild(named: "items")?.firstChild(named: "item")
        #expect(item?.attribute("rule") == nil && item?.attribute("section") == "other")
    }

    @Test func aPlanTheSchemaWouldRefuseIsNeverReturned() throws {
        var empty = plan
        empty.items = []
        #expect { try write(empty) } throws: { error in
            (error as? ClinicXMLErrors)?.errors.allSatisfy { $0.kind == .invalid } == true
        }
        var blank = plan
        blank.items = [FollowUpPlan.Item(section: .review, text: "   ")]
        #expect(throws: ClinicXMLErrors.self) { try write(blank) }
    }
}
