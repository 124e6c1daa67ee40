internal import CLibXML2

/// libxml2's process-wide setup, done exactly once before any document is touched.
///
/// `xmlInitParser` is not safe to race, and the external entity loader is a process-wide
/// setting: Knot installs one that refuses every URL and file (DTDs, entities, schema
/// includes and imports, XInclude), so no XML ever makes libxml2 open a file or a socket.
/// `xmlCleanupParser` is never called: other threads may still be parsing.
enum LibXMLRuntime {
    private static let ready: Void = {
        xmlInitParser()
        knot_silence_generic_errors_by_default()
        xmlThrDefSetStructuredErrorFunc(nil, nil)
        xmlSetExternalEntityLoader(refuseExternalResource)
    }()

    /// Call at the start of every public entry point.
    static func prepare() {
        _ = ready
    }
}

/// The process-wide external entity loader: loads nothing, ever.
private func refuseExternalResource(
    _ url: UnsafePointer<CChar>?,
    _ publicID: UnsafePointer<CChar>?,
    _ context: xmlParserCtxtPtr?
) -> xmlParserInputPtr? {
    nil
}

/// Reads a libxml2 string (UTF-8) into a Swift string.
func swiftString(_ pointer: UnsafePointer<xmlChar>?) -> String? {
    guard let pointer else { return nil }
    return String(cString: pointer)
}

/// libxml2 parser options for untrusted documents: no network, line numbers past 65535.
///
/// Never NOENT (despite its name it turns entity substitution on, and NONET does not stop a
/// `file://` entity, so a letter could read a local file into its text), DTDLOAD or DTDVALID
/// (they fetch and apply a DTD the sender chose), XINCLUDE (pulls other files in) or HUGE (lifts
/// libxml2's depth and text-node limits; it was behind CVE-2022-40303).
let safeParserOptions = Int32(bitPattern: XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue)
