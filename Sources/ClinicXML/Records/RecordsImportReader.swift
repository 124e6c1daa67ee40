import Foundation
import ClinicModel
import LibXML

/// Reads a clinic export (`urn:knot:records:1`) one record at a time, after checking all of it.
///
/// `init` streams once through the whole document validating it against the bundled
/// knot-records-1.xsd (libxml2's streaming validator: bounded memory, every violation with its
/// line), so a schema-invalid file is refused before any record is handed out. `next()` then
/// streams again, reading one practitioner, patient or audit event at a time as a value tree,
/// mapping it to the model and checking the rules a schema cannot say (see
/// `RecordsXMLDecoder`): unique ids, references inside the file, needles removed never more
/// than inserted and the rest of the model's `validate()`.
///
/// A rule broken by a later record is found only when `next()` reaches it: an import should
/// read every item before committing (or commit in one transaction it can roll back). After a
/// record is refused, `next()` goes on with the following one, so a dry run can list every
/// broken record; references are checked against everything read so far, refused or not.
///
/// A class, not a struct: it owns the open stream.
public final class RecordsImportReader {
    /// The export's header, when it has one.
    public let header: RecordsExportHeader?
    private let stream: XMLStreamReader
    private var decoder: RecordsXMLDecoder
    private let file: String?
    private var finished = false
    /// The records the last `next()` returned, each with its digest as read and the digest the
    /// export carried (for checking their audited origin; see `RecordDigest`). Empty after an
    /// audit event.
    public private(set) var lastRecords: [ExportedRecord] = []
    /// Whether `next()` computes each record's digest for `lastRecords` (re-encoding it); off for
    /// a reader that only validates (the export's check of what it wrote).
    public var computesDigests = true

    /// Validates `data` against the records schema and prepares to read it; throws
    /// `ClinicXMLErrors` (unreadable, not a records file, or every schema violation with lines).
    ///
    /// - Parameters:
    ///   - data: the whole export, in memory.
    ///   - fileName: shown in messages (overrides `options.fileName`).
    ///   - options: the parser's limits (size, depth, counts) and the name used in messages.
    ///   - today: the day the model's date rules are checked against (injectable for tests).
    public convenience init(data: Data, fileName: String?, options: ParseOptions = ParseOptions(),
                            today: LocalDate = .today()) throws(ClinicXMLErrors) {
        try self.init(fileName: fileName, options: options, today: today) { schema, options in
            try XMLStreamReader(data: data, options: options, schema: schema)
        }
    }

    /// As `init(data:)`, but streams the file from disk twice (validate, then read), so memory
    /// stays flat whatever the size of the export; `options.maxBytes` does not apply to UTF-8 files.
    public convenience init(contentsOfFile path: String, fileName: String?, options: ParseOptions = ParseOptions(),
                            today: LocalDate = .today()) throws(ClinicXMLErrors) {
        try self.init(fileName: fileName ?? (path as NSString).lastPathComponent, options: options, today: today) { schema, options in
            try XMLStreamReader(streamingFile: path, options: options, schema: schema)
        }
    }

    private init(fileName: String?, options: ParseOptions, today: LocalDate,
                 open: (XMLSchema?, ParseOptions) throws -> XMLStreamReader) throws(ClinicXMLErrors) {
        var options = options
        if let fileName { options.fileName = fileName }
        let file = options.fileName
        self.file = file
        decoder = RecordsXMLDecoder(file: file, today: today)
        do {
            try Self.validate(try open(try ClinicSchemas.schema(.records), options), options: options)
            stream = try open(nil, options)
            // The root, then the header if there is one.
            var header: RecordsExportHeader?
            while let event = try stream.next() {
                guard case .startElement(let name, _, _, _, _) = event, stream.depth == 2 else { continue }
                if name == "header" { header = try Self.header(stream.readElementSubtree(), file: file) }
                // Anything else at depth 2 is a container: `next()` reads on from inside it.
                break
            }
            self.header = header
        } catch {
            throw ClinicXMLErrors(converting: error, file: file)
        }
    }

    /// The next record in document order, nil at the end; throws `ClinicXMLErrors` with the
    /// record's line and path for every rule it breaks.
    public func next() throws(ClinicXMLErrors) -> RecordsItem? {
        guard !finished else { return nil }
        do {
            while let event = try stream.next() {
                guard case .startElement(let name, _, _, _, _) = event, stream.depth == 3 else { continue }
                switch name {
                case "practitioner":
                    let element = try stream.readElementSubtree()
                    let p = try decoder.practitioner(element)
                    lastRecords = computesDigests ? [try RecordDigest.practitioner(p, claimed: element.attribute("digest"))] : []
                    return .practitioner(p)
                case "patient":
                    let element = try stream.readElementSubtree()
                    let record = try decoder.patientRecord(element)
                    if computesDigests {
                        let claims = RecordDigest.claims(inPatient: element)
                        lastRecords = try RecordDigest.records(of: record) { kind, id in claims[kind + ":" + String(id)] }
                    }
                    return .patient(record)
                case "event":
                    lastRecords = []
                    return .audit(try decoder.audit(stream.readElementSubtree()))
                default: continue
                }
            }
        } catch {
            throw ClinicXMLErrors(converting: error, file: file)
        }
        finished = true
        return nil
    }

    /// Every record of `data`, grouped (for tests and small files; large imports call `next()`).
    public static func readAll(_ data: Data, fileName: String?, options: ParseOptions = ParseOptions(),
                               today: LocalDate = .today()) throws(ClinicXMLErrors)
        -> (header: RecordsExportHeader?, practitioners: [Practitioner], records: [PatientRecord], audit: [AuditEntry]) {
        let reader = try RecordsImportReader(data: data, fileName: fileName, options: options, today: today)
        var practitioners: [Practitioner] = [], records: [PatientRecord] = [], audit: [AuditEntry] = []
        while let item = try reader.next() {
            switch item {
            case .practitioner(let p): practitioners.append(p)
            case .patient(let r): records.append(r)
            case .audit(let a): audit.append(a)
            }
        }
        return (reader.header, practitioners, records, audit)
    }

    /// One streaming pass with the schema; refuses another root before reporting schema errors.
    private static func validate(_ validating: XMLStreamReader, options: ParseOptions) throws {
        let format = ClinicSchemas.Format.records
        var sawRoot = false
        while let event = try validating.next() {
            if !sawRoot, case .startElement(let name, let namespace, _, let line, _) = event {
                sawRoot = true
                guard name == format.rootElement, namespace == format.namespace else {
                    throw ClinicXMLError(kind: .unknownFormat, file: options.fileName, line: line, path: "/" + name,
                                         message: "not a Knot clinic export: the root is '\(name)' in namespace '\(namespace ?? "none")' (expected '\(format.rootElement)' in \(format.namespace))")
                }
            }
        }
    }

    private static func header(_ element: XMLElement, file: String?) throws -> RecordsExportHeader {
        let f = ElementFields(element, file: file)
        return RecordsExportHeader(clinic: f.optionalText("clinic"), exportedAt: try f.optionalInstant("exportedAt"),
                                   exportedBy: f.optionalText("exportedBy"), software: f.optionalText("software"),
                                   settings: try settings(f.children("setting"), file: file),
                                   templates: try templates(f.children("template"), file: file))
    }

    /// `<template name="..." changedAt="..." changedBy="...">text</template>`: each name once.
    private static func templates(_ elements: [XMLElement], file: String?) throws -> [RecordsExportHeader.Template] {
        var templates: [RecordsExportHeader.Template] = []
        for element in elements {
            let f = ElementFields(element, file: file)
            let name = try f.required("name")
            guard !templates.contains(where: { $0.name == name }) else {
                throw ClinicXMLError(kind: .ruleBroken, file: file, path: "header / template", message: "the template '\(name)' is given twice")
            }
            templates.append(RecordsExportHeader.Template(name: name, body: element.textContent,
                                                          changedAt: try f.instant("changedAt"), changedBy: try f.required("changedBy")))
        }
        return templates
    }

    /// `<setting name="...">value</setting>`: each name once.
    private static func settings(_ elements: [XMLElement], file: String?) throws -> [String: String] {
        var settings: [String: String] = [:]
        for element in elements {
            guard let name = element.attribute("name"), !name.isEmpty else {
                throw ClinicXMLError(kind: .ruleBroken, file: file, path: "header / setting", message: "a <setting> has no name")
            }
            guard settings[name] == nil else {
                throw ClinicXMLError(kind: .ruleBroken, file: file, path: "header / setting", message: "the setting '\(name)' is given twice")
            }
            settings[name] = element.textContent
        }
        return settings
    }
}
