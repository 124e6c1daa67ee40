import Foundation
import ClinicModel
import LibXML

/// Writes a clinic export (`urn:knot:records:1`) one record at a time, to a file or to memory.
///
/// Records stream straight to the file through `XMLByteWriter` (the bytes libxml2's text writer
/// would write, without its per-call copies), so an export of any size uses bounded memory.
/// The bytes are a pure function of what is written: ids as in the records, instants in UTC
/// with milliseconds, numbers in one canonical spelling, absent optionals always left out, sets
/// in a fixed order, no timestamp unless the header carries one. Exporting, importing into
/// an empty database and exporting again therefore gives identical bytes, as long as the caller
/// writes records in a stable order (by id).
///
/// Order of calls: `writeHeader` (optional, first), practitioners, patients, audit entries,
/// then `finish()`. Any kind may be absent; going back to an earlier kind throws. After any
/// throw the output is incomplete: discard it (delete the file).
///
/// A class, not a struct: it owns the open output stream.
public final class RecordsExportWriter {
    private enum Stage: Int, Comparable {
        case notStarted, header, practitioners, patients, audit, finished
        static func < (a: Stage, b: Stage) -> Bool { a.rawValue < b.rawValue }
    }

    private let xml: XMLByteWriter
    private var encoder: RecordsXMLEncoder
    private var stage = Stage.notStarted
    private var failed = false

    /// Whether each record carries its digest (`RecordDigest`) for the importer's origin check.
    /// Knot's own exports set it; off by default, so documents built elsewhere stay as they were.
    public var writesDigests: Bool {
        get { encoder.digests }
        set { encoder.digests = newValue }
    }

    /// Records ("kind:id": practitioner, patient, referral, consent, screen, visit, amendment,
    /// plan) no longer in their audited state in the exporting clinic: written with a digest
    /// that says so, so that the importer refuses them by name.
    public var changedRecords: Set<String> {
        get { encoder.changedRecords }
        set { encoder.changedRecords = newValue }
    }

    /// Hands `copy` every chunk of the file once it is written, in order, on the writing thread
    /// (the export hashes them and checks them as they are written); a reason returned fails
    /// the write. Only for a file.
    public func copyingWrittenBytes(to copy: @escaping (UnsafeRawBufferPointer) -> String?) {
        xml.copyingWrittenBytes(to: copy)
    }

    /// Writes to a new file at `path` (replacing one that exists), readable by its owner only (0600).
    public init(path: String) throws(ClinicXMLError) {
        do {
            xml = try XMLByteWriter(path: path, permissions: 0o600)
        } catch {
            throw ClinicXMLError.unreadable(error, file: path).asWriteFailure
        }
        encoder = RecordsXMLEncoder(xml: xml)
    }

    /// Writes to a file already open (a private temporary file); the writer closes it.
    public init(fileDescriptor: Int32, destination: String) throws(ClinicXMLError) {
        xml = XMLByteWriter(fileDescriptor: fileDescriptor, destination: destination)
        encoder = RecordsXMLEncoder(xml: xml)
    }

    /// Writes to memory; `finish()` returns the document.
    public init() throws(ClinicXMLError) {
        xml = XMLByteWriter()
        encoder = RecordsXMLEncoder(xml: xml)
    }

    /// Writes the header; only before any record.
    public func writeHeader(_ header: RecordsExportHeader) throws(ClinicXMLError) {
        try perform(moving: .header, what: "the header") { encoder in try encoder.header(header) }
    }

    /// Writes one practitioner; practitioners come after the header and before any patient.
    /// - Throws: `ClinicXMLError` when the order is broken or the document cannot be written.
    public func write(_ practitioner: Practitioner) throws(ClinicXMLError) {
        try perform(moving: .practitioners, what: "a practitioner") { encoder in try encoder.practitioner(practitioner) }
    }

    /// Writes one patient and everything held for them. Every part must belong to the patient
    /// (`patientID` equal to `patient.id`, or 0 when the patient has no id).
    public func write(_ record: PatientRecord) throws(ClinicXMLError) {
        try perform(moving: .patients, what: "a patient") { encoder in try encoder.patientRecord(record) }
    }

    /// Writes one audit event; the audit trail comes last, after every patient.
    /// - Throws: `ClinicXMLError` when the order is broken or the document cannot be written.
    public func write(_ entry: AuditEntry) throws(ClinicXMLError) {
        try perform(moving: .audit, what: "an audit event") { encoder in try encoder.auditEntry(entry) }
    }

    /// Closes every open element and the document (for a file: flushed, synced and closed).
    /// Returns the document when writing to memory, empty `Data` for a file.
    @discardableResult
    public func finish() throws(ClinicXMLError) -> Data {
        try perform(moving: .finished, what: "the end of the document") { _ in }
        do {
            try xml.endDocument()
        } catch {
            failed = true
            throw ClinicXMLError.unreadable(error, file: xml.destination).asWriteFailure
        }
        return xml.data
    }

    /// A whole export in memory, in one call.
    public static func document(header: RecordsExportHeader? = nil, practitioners: [Practitioner],
                                records: [PatientRecord], audit: [AuditEntry] = []) throws(ClinicXMLError) -> Data {
        let writer = try RecordsExportWriter()
        if let header { try writer.writeHeader(header) }
        for practitioner in practitioners { try writer.write(practitioner) }
        for record in records { try writer.write(record) }
        for entry in audit { try writer.write(entry) }
        return try writer.finish()
    }

    /// Moves to `next` (opening and closing the container elements on the way), then writes.
    private func perform(moving next: Stage, what: String,
                         _ body: (inout RecordsXMLEncoder) throws -> Void) throws(ClinicXMLError) {
        guard !failed else {
            throw ClinicXMLError(kind: .ruleBroken, file: xml.destination,
                                 message: "cannot write \(what): an earlier write failed and the export is incomplete")
        }
        guard next > stage || (next == stage && next != .header && next != .finished) else {
            throw ClinicXMLError(kind: .ruleBroken, file: xml.destination,
                                 message: "cannot write \(what) now: an export holds the header, then practitioners, then patients, then audit events")
        }
        do {
            try advance(to: next)
            try body(&encoder)
        } catch {
            failed = true
            throw (error as? ClinicXMLError) ?? ClinicXMLError(
                kind: .ruleBroken, file: xml.destination, path: encoder.location.joined(separator: " / "),
                message: ClinicXMLError.unreadable(error, file: xml.destination).message)
        }
    }

    private static let containers: [Stage: String] = [.practitioners: "practitioners", .patients: "patients", .audit: "audit"]

    private func advance(to next: Stage) throws {
        if stage == .notStarted {
            try xml.startDocument()
            try xml.startElement("clinicRecords", namespace: ClinicSchemas.Format.records.namespace)
            try xml.writeAttribute("version", "1")
            stage = .header
            if next == .header { return }
        }
        // Every container is written, empty ones too, so the shape never depends on the data.
        while stage < next {
            if Self.containers[stage] != nil { try xml.endElement() }
            stage = Stage(rawValue: stage.rawValue + 1)!
            if Self.containers[stage] != nil { try xml.startElement(Self.containers[stage]!) }
        }
        if stage == .finished { try xml.endElement() }
    }
}

extension ClinicXMLError {
    /// A failure while writing is not the document's fault: report it as a broken rule of the
    /// export rather than an unreadable input.
    var asWriteFailure: ClinicXMLError {
        var error = self
        error.kind = .ruleBroken
        return error
    }
}
