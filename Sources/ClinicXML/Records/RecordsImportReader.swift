import Foundation
import ClinicModel
import LibXML

/// Reads a clinic export (`urn:knot:records:1`) one record at a time, checking it as it goes.
///
/// One streaming pass: libxml2's reader validates the document against the bundled
/// knot-records-1.xsd as it goes (bounded memory, every violation with its line, as
/// `xmllint --stream --schema`), while `next()` reads one practitioner, patient or audit event
/// at a time, in place inside libxml2 (`XMLStreamReader.withElementSubtree`: no Swift value
/// tree per record; freed as the stream reads on), mapping it to the model and checking the rules a schema cannot
/// say (see `RecordsXMLDecoder`): unique ids, references inside the file, needles removed never
/// more than inserted and the rest of the model's `validate()`.
///
/// Schema violations are thrown, all together, by the `next()` that reaches the end (or by the
/// one that meets a record the schema refuses and the decoder cannot read), and a rule broken by
/// a later record is found only when `next()` reaches it: an import must read every item before
/// committing (or commit in one transaction it can roll back), as Knot's does. After a
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
    /// Whether `next()` decodes each record in place inside the stream (`XMLElementCursor`);
    /// false: from a copied value tree (`XMLElement`), the older path, kept to compare against.
    var readsInPlace = true
    /// Whether a record read in place gets its digest from the bytes the parser read when they
    /// give the claimed digest (`RecordDigest.matchedAsRead`), before encoding its values;
    /// false: always by encoding (the older path, kept to compare against).
    var digestsAsRead = true
    /// Whether `next()` reaches each record by `XMLStreamReader.nextElementStart()` (nothing
    /// made of the texts, end tags and attributes passed over); false: by `next()`'s events,
    /// the older path, kept to compare against.
    var skimsToRecords = true
    /// The record alone as a document, for `RecordDigest.matchedAsRead` (kept between records,
    /// up to `keptDigestBuffer` bytes).
    private var digestBuffer: [UInt8] = []
    private static let keptDigestBuffer = 1 << 20

    /// Prepares to read `data`, validating it against the records schema as it is read; throws
    /// `ClinicXMLErrors` (unreadable, or not a records file; schema violations come from `next()`).
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

    /// As `init(data:)`, but streams the file from disk (validating as it reads), so memory
    /// stays flat whatever the size of the export; `options.maxBytes` does not apply to UTF-8 files.
    public convenience init(contentsOfFile path: String, fileName: String?, options: ParseOptions = ParseOptions(),
                            today: LocalDate = .today()) throws(ClinicXMLErrors) {
        try self.init(fileName: fileName ?? (path as NSString).lastPathComponent, options: options, today: today) { schema, options in
            try XMLStreamReader(streamingFile: path, options: options, schema: schema)
        }
    }

    /// As `init(contentsOfFile:)`, but reads a descriptor that need not be a file: the read end
    /// of a pipe whose bytes another thread writes (the export's check of what it writes, as it
    /// writes it). The descriptor stays the caller's (see `XMLStreamReader(streamingDescriptor:)`).
    public convenience init(streamingDescriptor fd: Int32, fileName: String, options: ParseOptions = ParseOptions(),
                            today: LocalDate = .today()) throws(ClinicXMLErrors) {
        try self.init(fileName: fileName, options: options, today: today) { schema, options in
            try XMLStreamReader(streamingDescriptor: fd, options: options, schema: schema)
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
            // One pass: libxml2 validates against the schema as the records are read (as
            // `xmllint --stream --schema` does); its findings are thrown by the `next()` that
            // reaches the end, or as soon as a record the schema refuses is met.
            stream = try open(try ClinicSchemas.schema(.records), options)
            // The root (another root is refused before any schema finding), then the header if there is one.
            var header: RecordsExportHeader?
            var sawRoot = false
            while let event = try stream.next() {
                guard case .startElement(let name, let namespace, _, let line, _) = event else { continue }
                if !sawRoot {
                    sawRoot = true
                    let format = ClinicSchemas.Format.records
                    guard name == format.rootElement, namespace == format.namespace else {
                        throw ClinicXMLError(kind: .unknownFormat, file: options.fileName, line: line, path: "/" + name,
                                             message: "not a Knot clinic export: the root is '\(name)' in namespace '\(namespace ?? "none")' (expected '\(format.rootElement)' in \(format.namespace))")
                    }
                    continue
                }
                guard stream.depth == 2 else { continue }
                if name == "header" {
                    let element = try stream.readElementSubtree()
                    do { header = try Self.header(element, file: file) } catch {
                        try Self.preferSchemaFindings(stream)
                        throw error
                    }
                }
                // Anything else at depth 2 is a container: `next()` reads on from inside it.
                break
            }
            self.header = header
        } catch {
            throw ClinicXMLErrors(converting: error, file: file)
        }
    }

    /// The next record in document order, nil at the end; throws `ClinicXMLErrors` with the
    /// record's line and path for every rule it breaks, or every schema violation of the file
    /// when the schema refuses what was read (reading on to the end to collect them).
    public func next() throws(ClinicXMLErrors) -> RecordsItem? {
        guard !finished else { return nil }
        do {
            while let name = try nextElementName() {
                guard stream.depth == 3 else { continue }
                guard name == "practitioner" || name == "patient" || name == "event" else { continue }
                do {
                    if readsInPlace {
                        // The record is read inside libxml2 and decoded from a cursor over it:
                        // no Swift value per element (the stream frees the subtree after).
                        return try stream.withElementSubtree { element throws in try item(name, element) }
                    }
                    return try item(name, stream.readElementSubtree())
                } catch let error as XMLErrors {
                    throw error
                } catch {
                    // A record the schema refuses: the schema's findings, as a separate pass gave them.
                    try Self.preferSchemaFindings(stream)
                    throw error
                }
            }
        } catch {
            throw ClinicXMLErrors(converting: error, file: file)
        }
        finished = true
        return nil
    }

    /// The next element's local name (nil at the end): by `nextElementStart()`, which makes no
    /// value of the texts, end tags and attributes it passes, or (`skimsToRecords` off) by
    /// `next()`'s events.
    private func nextElementName() throws -> String? {
        if skimsToRecords { return try stream.nextElementStart() }
        while let event = try stream.next() {
            if case .startElement(let name, _, _, _, _) = event { return name }
        }
        return nil
    }

    /// One record decoded from `element` (a `practitioner`, `patient` or `event`), with
    /// `lastRecords` set for it.
    private func item<E: RecordsElement>(_ name: String, _ element: E) throws -> RecordsItem {
        // A record with a large attachment leaves the buffer large: not kept for the rest of the file.
        defer { if digestBuffer.capacity > Self.keptDigestBuffer { digestBuffer = [] } }
        switch name {
        case "practitioner":
            let p = try decoder.practitioner(element)
            guard computesDigests else {
                lastRecords = []
                return .practitioner(p)
            }
            let cursor = digestsAsRead ? element as? XMLElementCursor : nil
            lastRecords = [try RecordDigest.practitioner(p, claimed: element.attribute("digest", namespace: nil)) { claim in
                cursor.flatMap { RecordDigest.matchedAsRead($0, claimed: claim, buffer: &digestBuffer) }
            }]
            return .practitioner(p)
        case "patient":
            let record = try decoder.patientRecord(element)
            if computesDigests {
                let claims = RecordDigest.claims(inPatient: element)
                let cursor = digestsAsRead ? element as? XMLElementCursor : nil
                // The nested records' elements by kind, in the decoder's order (`children(named:)`).
                var nested: [String: [XMLElementCursor]] = [:]
                lastRecords = try RecordDigest.records(of: record, claimed: { kind, id in claims[kind + ":" + String(id)] }) { kind, index, claim in
                    guard let cursor else { return nil }
                    if kind == "patient" {
                        return RecordDigest.matchedAsRead(cursor, claimed: claim, nested: RecordDigest.nestedInPatient, buffer: &digestBuffer)
                    }
                    let elements = nested[kind] ?? cursor.children(named: kind)
                    nested[kind] = elements
                    guard index < elements.count else { return nil }
                    return RecordDigest.matchedAsRead(elements[index], claimed: claim, buffer: &digestBuffer)
                }
            }
            return .patient(record)
        default:
            lastRecords = []
            return .audit(try decoder.audit(element))
        }
    }

    /// When the schema has refused something already, reads to the end and throws every
    /// schema violation of the file; otherwise returns, and the caller throws its own finding.
    private static func preferSchemaFindings(_ stream: XMLStreamReader) throws {
        guard stream.hasValidityIssues else { return }
        try stream.drainReportingIssues()
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

    private static func header(_ element: XMLElement, file: String?) throws -> RecordsExportHeader {
        let f = ElementFields(element, file: file)
        return RecordsExportHeader(clinic: f.optionalText("clinic"), exportedAt: try f.optionalInstant("exportedAt"),
                                   exportedBy: f.optionalText("exportedBy"), software: f.optionalText("software"),
                                   settings: try settings(f.children("setting"), file: file),
                                   templates: try templates(f.children("template"), file: file),
                                   osUsers: try osUsers(f.children("osUser"), file: file),
                                   untrustedImports: try untrustedImports(f.children("untrustedImport"), file: file))
    }

    /// `<osUser handle="...">login</osUser>`: each handle once.
    private static func osUsers(_ elements: [XMLElement], file: String?) throws -> [String: String] {
        var logins: [String: String] = [:]
        for element in elements {
            let handle = try ElementFields(element, file: file).required("handle")
            guard logins[handle] == nil else {
                throw ClinicXMLError(kind: .ruleBroken, file: file, path: "header / osUser", message: "the account '\(handle)' is bound twice")
            }
            logins[handle] = element.textContent
        }
        return logins
    }

    /// `<untrustedImport entity="patient|visit" id="..." importedAt="..." file="...">reason</untrustedImport>`:
    /// each record once.
    private static func untrustedImports(_ elements: [XMLElement], file: String?) throws -> [RecordsExportHeader.UntrustedMark] {
        var marks: [RecordsExportHeader.UntrustedMark] = []
        var seen = Set<String>()
        for element in elements {
            let f = ElementFields(element, file: file)
            let entity = try f.required("entity"), id = try f.int64("id")
            guard seen.insert("\(entity):\(id)").inserted else {
                throw ClinicXMLError(kind: .ruleBroken, file: file, path: "header / untrustedImport",
                                     message: "the \(entity) \(id) is marked untrusted twice")
            }
            marks.append(RecordsExportHeader.UntrustedMark(entity: entity, id: id, mark: UntrustedImport(
                importedAt: try f.instant("importedAt"), file: try f.required("file"), reason: element.textContent)))
        }
        return marks
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
