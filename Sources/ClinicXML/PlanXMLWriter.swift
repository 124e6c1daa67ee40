import Foundation
import ClinicModel
import LibXML

/// Writes a follow-up plan as a `urn:knot:plan:1` document, for the patient or the referrer.
///
/// The document names the patient (names and record number), the visit it follows, the
/// practitioner, the plan's version and status, the review date, the sessions left on the
/// referral, and every item by section, with the muscle's catalogue name for self-release items
/// so that a reader without Knot can follow it. Every document is validated against the bundled
/// knot-plan-1.xsd before it is returned: Knot never sends a plan another system would refuse.
/// The bytes depend only on the arguments (the visit date is the visit's own `date`).
public enum PlanXMLWriter {
    /// The plan document; throws `ClinicXMLErrors` when a value cannot be carried or the result
    /// breaks the schema (e.g. a plan with no items, a blank practitioner name).
    public static func write(plan: FollowUpPlan, patient: Patient, visit: Visit, practitioner: Practitioner,
                             sessionsRemaining: Int?, clinic: ClinicProfile? = nil) throws(ClinicXMLErrors) -> Data {
        let format = ClinicSchemas.Format.plan
        let data: Data
        do {
            let xml = try XMLStreamWriter()
            try xml.startDocument()
            try xml.startElement(format.rootElement, namespace: format.namespace)
            try xml.writeAttribute("version", "1")
            if let id = plan.id { try xml.writeAttribute("id", String(id)) }
            try xml.writeAttribute("planVersion", String(plan.version))
            try xml.writeAttribute("status", plan.status.rawValue)
            try xml.writeAttribute("createdAt", XMLValueFormat.instant(plan.createdAt))

            if let clinic {
                try xml.startElement("clinic")
                if let country = clinic.country { try xml.writeAttribute("country", country) }
                try xml.writeElement("name", text: clinic.name)
                if let address = clinic.address { try xml.writeElement("address", text: address) }
                if let phone = clinic.phone { try xml.writeElement("phone", text: phone) }
                if let email = clinic.email { try xml.writeElement("email", text: email) }
                if let website = clinic.website { try xml.writeElement("website", text: website) }
                if let number = clinic.businessNumber { try xml.writeElement("businessNumber", text: number) }
                try xml.writeElement("emergencyNumber", text: clinic.emergencyCall)
                try xml.endElement()
            }

            try xml.startElement("patient")
            try xml.writeAttribute("recordNumber", patient.recordNumber)
            try xml.writeElement("givenNames", text: patient.givenNames)
            try xml.writeElement("familyName", text: patient.familyName)
            if let preferred = patient.preferredName { try xml.writeElement("preferredName", text: preferred) }
            try xml.endElement()

            try xml.startElement("visit")
            try xml.writeAttribute("date", visit.date.description)
            if let id = visit.id { try xml.writeAttribute("id", String(id)) }
            try xml.endElement()

            try xml.startElement("practitioner")
            try xml.writeAttribute("profession", practitioner.profession.rawValue)
            try xml.writeElement("name", text: practitioner.name)
            if let registration = practitioner.registrationNumber {
                try xml.startElement("registrationNumber")
                if let body = practitioner.registrationBody { try xml.writeAttribute("body", body) }
                try xml.writeText(registration)
                try xml.endElement()
            }
            if let provider = practitioner.providerNumber { try xml.writeElement("providerNumber", text: provider) }
            try xml.writeElement("signature", text: practitioner.signature)
            try xml.endElement()

            if let review = plan.reviewDate { try xml.writeElement("reviewDate", text: review.description) }
            if let sessionsRemaining { try xml.writeElement("sessionsRemaining", text: String(sessionsRemaining)) }

            try xml.startElement("items")
            for item in plan.items {
                try xml.startElement("item")
                try xml.writeAttribute("section", item.section.rawValue)
                if !item.rule.isEmpty { try xml.writeAttribute("rule", item.rule) }
                if let muscle = item.muscleID { try xml.writeAttribute("muscle", muscle) }
                if let side = item.side { try xml.writeAttribute("side", side.rawValue) }
                if let name = item.muscleID.flatMap(MuscleCatalogue.muscle(id:))?.name {
                    try xml.writeElement("muscleName", text: name)
                }
                try xml.writeElement("text", text: item.text)
                try xml.endElement()
            }
            try xml.endElement()
            try xml.endElement()
            try xml.endDocument()
            data = xml.data

            let document = try XMLDocument(data: data, options: ParseOptions(fileName: "plan.xml"))
            try document.validate(against: ClinicSchemas.schema(format))
        } catch {
            throw ClinicXMLErrors(converting: error, file: "plan.xml")
        }
        return data
    }
}
