import Foundation
import LibXML

extension XMLDocument {
    /// Parses a letter for one of the referral readers: `fileName`, when given, replaces
    /// `options.fileName` so that every later message names the file; a document libxml2
    /// refuses comes out as `ClinicXMLErrors` naming that file. `parsed`, the same bytes parsed
    /// with the same options already (`DocumentKind.parsed`), is taken as it is.
    static func letter(_ data: Data, fileName: String?, options: inout ParseOptions,
                       parsed: XMLDocument? = nil) throws(ClinicXMLErrors) -> XMLDocument {
        if let fileName { options.fileName = fileName }
        if let parsed { return parsed }
        do {
            return try XMLDocument(data: data, options: options)
        } catch {
            throw ClinicXMLErrors(converting: error, file: options.fileName)
        }
    }
}
