import Foundation
import Testing
import ClinicXML

/// Telling a file's format from its root before choosing a reader.
@Suite struct DocumentKindTests {
    func kind(_ text: String) throws(ClinicXMLError) -> DocumentKind {
        try DocumentKind.detect(Data(text.utf8), fileName: "x.xml")
    }

    @Test func knotsOwnFormatsAndCDA() throws {
        #expect(try kind(#"<clinicRecords xmlns="urn:knot:records:1" version="1"/>"#) == .clinicRecords)
        #expect(try kind(#"<?xml version="1.0"?><!-- a letter --><k:referral xmlns:k="urn:knot:referral:1"/>"#) == .knotReferral)
        #expect(try kind(#"<plan xmlns="urn:knot:plan:1"/>"#) == .plan)
        #expect(try kind("\u{FEFF}<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><x/></ClinicalDocument>") == .cdaDocument)
    }

    @Test func anUnknownNamespaceOrRootIsNamed() throws {
        #expect(try kind(#"<clinicRecords xmlns="urn:knot:records:2"/>"#) == .unknown(root: "clinicRecords", namespace: "urn:knot:records:2"))
        #expect(try kind("<referral/>") == .unknown(root: "referral", namespace: nil))
        #expect(try kind(#"<html xmlns="http://www.w3.org/1999/xhtml"/>"#) == .unknown(root: "html", namespace: "http://www.w3.org/1999/xhtml"))
    }

    @Test func whatIsNotSafeXMLIsRefusedBeforeTheRoot() throws {
        for text in [#"<!DOCTYPE referral SYSTEM "file:///etc/passwd"><referral/>"#, "%PDF-1.7", ""] {
            #expect(throws: ClinicXMLError.self, "\(text)") { try kind(text) }
        }
        do {
            _ = try kind("<!DOCTYPE x><x/>")
        } catch {
            #expect(error.kind == .unreadable && error.file == "x.xml")
        }
    }
}
