import Foundation
import ClinicModel
import LibXML
import Crypto

/// One record of a clinic export as the origin check sees it: the kind the audit trail names it
/// by, its id, the digest of its content as read, and the digest the export carried for it.
public struct ExportedRecord: Sendable, Hashable {
    /// "practitioner", "patient", "referral", "consent", "screen", "visit", "amendment" or "plan".
    public var kind: String
    /// The record's id in the exporting clinic.
    public var id: Int64
    /// The SHA-256 of the record as read back (`RecordDigest`).
    public var digest: String
    /// The `digest` attribute the export carried; nil in exports made before origin checks.
    public var claimed: String?
    /// The visit an amendment or a plan belongs to (its audit events name the visit).
    public var visitID: Int64?

    /// Whether the record as read is the record the exporting clinic wrote (nil: not checkable).
    public var matches: Bool? { claimed.map { $0 == digest } }
}

/// The digest of one record of `urn:knot:records:1`: the SHA-256 of that record alone, encoded
/// as the export encodes it (without the nested records' own digests), as last audited: a record
/// the exporting clinic's row seals show changed or added outside Knot gets a digest marked so. Exporting, importing and
/// exporting again gives identical bytes, so a record read back has the digest it was written
/// with unless its content was changed in the file.
public enum RecordDigest {
    /// `audited` false: the digest of the record marked as changed outside Knot (the exporting
    /// clinic's seals said so), which no record read back has.
    ///
    /// The record is written by `XMLByteWriter`, which gives the bytes libxml2's text writer
    /// gives (`XMLByteWriterTests`, `RecordDigestBytesTests`), so digests are those of exports
    /// made before it.
    static func of(audited: Bool = true, _ body: (inout RecordsXMLEncoder) throws -> Void) throws -> String {
        let xml = XMLByteWriter()
        var encoder = RecordsXMLEncoder(xml: xml)
        try xml.startDocument()
        try body(&encoder)
        try xml.endDocument()
        return xml.bytes.withUnsafeBytes { hex(ofDocument: $0, audited: audited) }
    }

    /// The digest of a record given as the document it is alone (the XML declaration, then the
    /// record at depth 0), as `of` computes it; `audited` false marks it changed outside Knot.
    static func hex(ofDocument bytes: UnsafeRawBufferPointer, audited: Bool) -> String {
        var hasher = SHA256()
        hasher.update(bufferPointer: bytes)
        if !audited { notAudited.withUnsafeBytes { hasher.update(bufferPointer: $0) } }
        return LetterDigest.hex(hasher.finalize())
    }

    private static let notAudited = Array("\nnot in its audited state".utf8)

    /// A practitioner's record, with its digest and the one claimed in the file.
    public static func practitioner(_ p: Practitioner, claimed: String?) throws -> ExportedRecord {
        try practitioner(p, claimed: claimed, asRead: { _ in nil })
    }

    /// As `practitioner(_:claimed:)`; `asRead` gives the claimed digest back when the record's
    /// element, as read, is the record alone with that digest (`matchedAsRead`), nil otherwise.
    static func practitioner(_ p: Practitioner, claimed: String?, asRead: (String) -> String?) throws -> ExportedRecord {
        let digest = try claimed.map { claim in try asRead(claim) ?? of { e in try e.practitioner(p) } } ?? ""
        return ExportedRecord(kind: "practitioner", id: p.id ?? 0, digest: digest, claimed: claimed)
    }

    /// `claimed`, when the digest of `element` written as the record alone from what the parser
    /// read (`XMLElementCursor.appendStandaloneDocument`: without its `digest` attribute and
    /// the child elements named `nested`) is `claimed`; nil otherwise, and the caller encodes
    /// the decoded values as before.
    ///
    /// Sound: a match means those bytes are the bytes the exporter encoded from the record's
    /// values, and parsing them gives back what the decoder read of `element` (see
    /// `appendStandaloneDocument`), so the decoded values are the values the digest covers and
    /// re-encoding them would give the same digest (exporting what was imported gives the same
    /// bytes). A record whose values were changed in the file never matches; one only
    /// re-indented still does; any other difference (attributes reordered, `<a></a>` for
    /// `<a/>`, comments, CDATA beside elements) only costs the encoding.
    static func matchedAsRead(_ element: XMLElementCursor, claimed: String, nested: [String] = [], buffer: inout [UInt8]) -> String? {
        buffer.removeAll(keepingCapacity: true)
        guard element.appendStandaloneDocument(to: &buffer, skippingAttribute: "digest", skippingChildren: nested) else { return nil }
        let digest = buffer.withUnsafeBytes { hex(ofDocument: $0, audited: true) }
        return digest == claimed ? digest : nil
    }

    /// The kinds of the records a patient element holds, each with its own digest.
    static let nestedInPatient = ["referral", "consent", "screen", "visit", "amendment", "plan"]

    /// Every record a patient element holds (the patient, its referrals, consents, screens,
    /// visits with their entries, amendments and plans), each with its digest. `claimed` gives
    /// the file's digest for a kind and id.
    public static func records(of record: PatientRecord, claimed: (String, Int64) -> String?) throws -> [ExportedRecord] {
        try records(of: record, claimed: claimed, asRead: { _, _, _ in nil })
    }

    /// As `records(of:claimed:)`; `asRead(kind, index, claim)` gives the claim back when the
    /// `index`-th record of that kind ("patient": 0), as read, is the record alone with that
    /// digest (`matchedAsRead`), nil otherwise (then its values are encoded, as before).
    static func records(of record: PatientRecord, claimed: (String, Int64) -> String?,
                        asRead: (_ kind: String, _ index: Int, _ claim: String) -> String?) throws -> [ExportedRecord] {
        var out: [ExportedRecord] = []
        func add(_ kind: String, _ index: Int, _ id: Int64?, visit: Int64? = nil, _ body: (inout RecordsXMLEncoder) throws -> Void) throws {
            guard let id else { return }
            let claim = claimed(kind, id)
            // Old exports carry no digests: nothing to compare, so nothing is encoded twice.
            let digest = try claim.map { claim in try asRead(kind, index, claim) ?? of(body) } ?? ""
            out.append(ExportedRecord(kind: kind, id: id, digest: digest, claimed: claim, visitID: visit))
        }
        var alone = PatientRecord(patient: record.patient)
        alone.mergedInto = record.mergedInto
        try add("patient", 0, record.patient.id) { e in try e.patientRecord(alone) }
        for (i, r) in record.referrals.enumerated() { try add("referral", i, r.id) { e in try e.referral(r) } }
        for (i, c) in record.consents.enumerated() { try add("consent", i, c.id) { e in try e.consent(c) } }
        for (i, s) in record.screens.enumerated() { try add("screen", i, s.id) { e in try e.screen(s) } }
        for (i, v) in record.visits.enumerated() { try add("visit", i, v.id) { e in try e.visit(v) } }
        for (i, a) in record.amendments.enumerated() { try add("amendment", i, a.id, visit: a.visitID) { e in try e.amendment(a) } }
        for (i, p) in record.plans.enumerated() { try add("plan", i, p.id, visit: p.visitID) { e in try e.plan(p) } }
        return out
    }

    /// The `digest` attributes of a patient element and the records in it, keyed "kind:id"
    /// (from a copied element or one read in place: the same answers).
    static func claims(inPatient element: some RecordsElement) -> [String: String] {
        var claims: [String: String] = [:]
        if let d = element.attribute("digest", namespace: nil), let id = element.attribute("id", namespace: nil) { claims["patient:" + id] = d }
        for child in element.elements {
            let kind = child.name
            guard nestedInPatient.contains(kind) else { continue }
            if let d = child.attribute("digest", namespace: nil), let id = child.attribute("id", namespace: nil) { claims[kind + ":" + id] = d }
        }
        return claims
    }
}
