import Foundation
import LibXML

/// Small inline schemas and documents shared by the validation and streaming tests.
enum TestSchemas {
    static let visitsNamespace = "urn:knot:test:visits:1"

    static let visitsXSD = """
        <?xml version="1.0" encoding="UTF-8"?>
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
                   targetNamespace="urn:knot:test:visits:1" xmlns="urn:knot:test:visits:1"
                   elementFormDefault="qualified">
          <xs:element name="visits">
            <xs:complexType>
              <xs:sequence>
                <xs:element name="visit" minOccurs="0" maxOccurs="unbounded">
                  <xs:complexType>
                    <xs:sequence>
                      <xs:element name="date" type="xs:date"/>
                      <xs:element name="pain" type="painScore"/>
                      <xs:element name="note" type="xs:string" minOccurs="0"/>
                    </xs:sequence>
                    <xs:attribute name="id" type="xs:ID" use="required"/>
                  </xs:complexType>
                </xs:element>
              </xs:sequence>
            </xs:complexType>
          </xs:element>
          <xs:simpleType name="painScore">
            <xs:restriction base="xs:integer">
              <xs:minInclusive value="0"/>
              <xs:maxInclusive value="10"/>
            </xs:restriction>
          </xs:simpleType>
        </xs:schema>
        """

    static let visits: XMLSchema = {
        do {
            return try XMLSchema(data: Data(visitsXSD.utf8), name: "visits-1.xsd")
        } catch {
            fatalError("test schema does not compile: \(error)")
        }
    }()

    /// A visits document, one visit per (id, date, pain) with each visit on 4 lines.
    static func visitsDocument(_ visits: [(id: String, date: String, pain: String)], rootAttributes: String = "") -> String {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<visits xmlns=\"\(visitsNamespace)\"\(rootAttributes)>\n"
        for visit in visits {
            text += "  <visit id=\"\(visit.id)\">\n    <date>\(visit.date)</date>\n    <pain>\(visit.pain)</pain>\n  </visit>\n"
        }
        return text + "</visits>\n"
    }
}
