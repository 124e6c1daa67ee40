import Foundation
import ClinicModel
import LibXML

/// How each model value is spelled in `urn:knot:records:1` (the one place that says so for
/// writing; `RecordsXMLDecoding` reads the same spellings back).
///
/// Element and attribute order follow knot-records-1.xsd. Sets are written in the order of the
/// enumeration's cases and dictionaries by key in that order, so equal records give equal bytes.
struct RecordsXMLEncoder {
    /// `XMLByteWriter` for exports and digests; `XMLStreamWriter` (libxml2) writes the same bytes.
    let xml: any XMLElementWriting
    /// Where in the records the encoder is, for error messages ("patient K00042 / visit 12").
    var location: [String] = []
    /// Whether each record carries its `digest` attribute (`RecordDigest`): set for Knot's own
    /// exports, which the importer checks against the audit trail.
    var digests = false
    /// Records ("kind:id") the exporting clinic found no longer in their audited state: their
    /// digest is that of the record marked so, which an importer's recomputed digest never matches.
    var changedRecords: Set<String> = []
    /// The record whose digest `XMLByteWriter` is taking from its bytes (`beginDigest`): whether
    /// it is as audited; nil when none is.
    private(set) var digestTaken: Bool? = nil

    /// Largest piece of binary data written in one `<part>` (3,000,000 bytes: 4,000,000 base64
    /// characters, well under libxml2's 10,000,000-byte text node limit).
    static let binaryPartBytes = 3_000_000

    // MARK: Practitioners

    mutating func practitioner(_ p: Practitioner) throws {
        location = ["practitioner \(p.handle)"]
        // administrator and active are written only when not the default, so that other accounts' bytes are as before.
        try start("practitioner", ["id": id(p.id), "profession": p.profession.rawValue, "role": p.role.rawValue,
                                   "administrator": p.isAdministrator ? XMLValueFormat.bool(true) : nil,
                                   "active": p.isActive ? nil : XMLValueFormat.bool(false)])
        try writeDigest("practitioner", p.id) { e in try e.practitioner(p) }
        try element("handle", p.handle)
        try element("name", p.name)
        if let number = p.registrationNumber {
            // The body only when there is one, so accounts without it write the bytes they did.
            try start("registrationNumber", ["body": p.registrationBody])
            try xml.writeText(number)
            try end()
        }
        try element("providerNumber", p.providerNumber)
        if let t = p.dryNeedlingTraining {
            try start("dryNeedlingTraining", ["hours": String(t.hours), "completedOn": t.completedOn.description])
            try element("course", t.course)
            try end()
        }
        try end()
        try endDigest()
    }

    // MARK: Patients

    mutating func patientRecord(_ record: PatientRecord) throws {
        let patient = record.patient
        location = ["patient \(patient.recordNumber)"]
        let patientID = patient.id ?? 0
        try start("patient", [
            "id": id(patient.id), "dateOfBirth": patient.dateOfBirth.description,
            "sex": patient.sex.rawValue, "archived": XMLValueFormat.bool(patient.archived),
            "mergedInto": record.mergedInto,
        ])
        if digests {
            var alone = PatientRecord(patient: patient)
            alone.mergedInto = record.mergedInto
            try writeDigest("patient", patient.id) { e in try e.patientRecord(alone) }
        }
        try element("recordNumber", patient.recordNumber)
        try element("givenNames", patient.givenNames)
        try element("familyName", patient.familyName)
        try element("preferredName", patient.preferredName)
        try element("phone", patient.phone)
        try element("email", patient.email)
        try element("address", patient.address)
        try element("generalPractitioner", patient.generalPractitioner)
        for identifier in patient.identifiers {
            try start("identifier", ["system": identifier.system.rawValue])
            try xml.writeText(identifier.value)
            try end()
        }
        for alert in patient.alerts { try self.alert(alert) }
        // The patient's digest covers it without the records it holds (each has its own).
        try endDigest(closingOpen: true)
        for referral in record.referrals {
            try belongs(referral.patientID, patientID, "referral", referral.id)
            try self.referral(referral)
        }
        for consent in record.consents {
            try belongs(consent.patientID, patientID, "consent", consent.id)
            try self.consent(consent)
        }
        for screen in record.screens {
            try belongs(screen.patientID, patientID, "precaution screen", screen.id)
            try self.screen(screen)
        }
        for visit in record.visits {
            try belongs(visit.patientID, patientID, "visit", visit.id)
            try self.visit(visit)
        }
        for amendment in record.amendments { try self.amendment(amendment) }
        for plan in record.plans { try self.plan(plan) }
        try end()
    }

    private mutating func alert(_ alert: PatientAlert) throws {
        let attributes: KeyValuePairs<String, String?>
        switch alert.kind {
        case .precaution(let p):
            attributes = ["id": id(alert.id), "kind": "precaution", "precaution": p.rawValue, "status": alert.status.rawValue]
        case .allergy:
            attributes = ["id": id(alert.id), "kind": "allergy", "precaution": nil, "status": alert.status.rawValue]
        case .other:
            attributes = ["id": id(alert.id), "kind": "other", "precaution": nil, "status": alert.status.rawValue]
        }
        try start("alert", attributes)
        try element("text", alert.text)
        try element("source", alert.source)
        try element("dismissReason", alert.status == .dismissed ? alert.dismissReason : nil)
        try end()
    }

    mutating func referral(_ r: Referral) throws {
        location.append("referral \(r.id.map(String.init) ?? r.date.description)")
        defer { location.removeLast() }
        try start("referral", [
            "id": id(r.id), "format": r.format.rawValue, "date": r.date.description,
            "expiresOn": r.expiresOn?.description, "sessionsAllowed": r.sessionsAllowed.map(String.init),
            "letterKey": r.letterKey, "documentSetID": r.documentSetID, "documentVersion": r.documentVersion.map(String.init),
            "replaces": r.replacesReferralID.map(String.init),
        ])
        try writeDigest("referral", r.id) { e in try e.referral(r) }
        try start("referrer", [:])
        try element("name", r.referrerName)
        try element("organisation", r.referrerOrganisation)
        try element("providerNumber", r.referrerProviderNumber)
        try element("contact", r.referrerContact)
        try end()
        try element("recipient", r.recipient)
        try element("reason", r.reason)
        try element("documentID", r.documentID)
        try element("documentCode", r.documentCode)
        try element("documentTitle", r.documentTitle)
        for section in r.sections {
            try start("section", ["kind": section.kind, "code": section.code, "codeSystem": section.codeSystem])
            try element("title", section.title)
            try element("text", section.text)
            for entry in section.entries {
                try start("entry", [:])
                try element("code", entry.code)
                try element("codeSystem", entry.codeSystem)
                try element("displayName", entry.displayName)
                try element("text", entry.text)
                try end()
            }
            try end()
        }
        for attachment in r.attachments {
            try start("attachment", ["mediaType": attachment.mediaType])
            try binaryParts(attachment.data)
            try end()
        }
        if let letter = r.originalLetter {
            // A letter without its hash gets one: the hash is what proves the letter unchanged.
            try start("originalLetter", ["sha256": r.originalSHA256 ?? LetterDigest.sha256Hex(letter)])
            try binaryParts(letter)
            try end()
        } else if r.originalSHA256 != nil {
            throw failure("has a SHA-256 but no original letter: the format carries the hash only with its letter")
        }
        for warning in r.importWarnings { try element("importWarning", warning) }
        for ident in r.letterIdentifiers {
            try start("letterIdentifier", ["system": ident.system.rawValue, "value": ident.value])
            try end()
        }
        try end()
        try endDigest()
    }

    private mutating func binaryParts(_ data: Data) throws {
        var offset = data.startIndex
        while offset < data.endIndex {
            let end = data.index(offset, offsetBy: Self.binaryPartBytes, limitedBy: data.endIndex) ?? data.endIndex
            try element("part", data[offset..<end].base64EncodedString())
            offset = end
        }
    }

    mutating func consent(_ c: Consent) throws {
        try start("consent", [
            "id": id(c.id), "practitioner": try reference(c.practitionerID, "practitioner"),
            "recordedAt": XMLValueFormat.instant(c.recordedAt),
            "risksExplained": Consent.Risk.allCases.filter(c.risksExplained.contains).map(\.rawValue).joined(separator: " "),
            "benefitsExplained": XMLValueFormat.bool(c.benefitsExplained), "written": XMLValueFormat.bool(c.written),
            "validUntil": c.validUntil?.description,
            "writtenAt": c.lateEntry.map { XMLValueFormat.instant($0.writtenAt) },
            "writtenBy": try c.lateEntry.map { try reference($0.writtenBy, "practitioner") },
        ])
        try writeDigest("consent", c.id) { e in try e.consent(c) }
        try element("notes", c.notes)
        if let g = c.guardian {
            try start("guardian", [:])
            try element("name", g.name)
            try element("relationship", g.relationship)
            try end()
        }
        try element("matureMinorAssessment", c.matureMinorAssessment)
        try end()
        try endDigest()
    }

    mutating func screen(_ s: PrecautionScreen) throws {
        try start("screen", [
            "id": id(s.id), "practitioner": try reference(s.practitionerID, "practitioner"),
            "recordedAt": XMLValueFormat.instant(s.recordedAt), "validUntil": s.validUntil.description,
            "writtenAt": s.lateEntry.map { XMLValueFormat.instant($0.writtenAt) },
            "writtenBy": try s.lateEntry.map { try reference($0.writtenBy, "practitioner") },
        ])
        try writeDigest("screen", s.id) { e in try e.screen(s) }
        // Every precaution is written, answered present or not: the screen asked them all.
        for precaution in Precaution.allCases {
            try start("answer", ["precaution": precaution.rawValue, "present": XMLValueFormat.bool(s.present.contains(precaution))])
            try element("acknowledgment", s.acknowledgments[precaution])
            try end()
        }
        try end()
        try endDigest()
    }

    // MARK: Visits

    mutating func visit(_ v: Visit) throws {
        location.append("visit \(v.id.map(String.init) ?? XMLValueFormat.instant(v.startedAt))")
        defer { location.removeLast() }
        try start("visit", [
            "id": id(v.id), "practitioner": try reference(v.practitionerID, "practitioner"),
            "referral": try v.referralID.map { try reference($0, "referral") },
            "startedAt": XMLValueFormat.instant(v.startedAt), "status": v.status.rawValue,
            "signedAt": v.signedAt.map(XMLValueFormat.instant),
        ])
        try writeDigest("visit", v.id) { e in try e.visit(v) }
        try element("complaint", v.complaint)
        if v.pain != PainScores() {
            try start("pain", [
                "now": v.pain.now.map { String($0.value) }, "best": v.pain.best.map { String($0.value) },
                "worst": v.pain.worst.map { String($0.value) },
            ])
            try end()
        }
        for item in v.psfs {
            try start("psfs", ["score": String(item.score.value)])
            try xml.writeText(item.activity)
            try end()
        }
        try element("notes", v.notes)
        try element("likelyCauseNotes", v.likelyCauseNotes)
        if let impression = v.impression {
            try start("impression", ["code": impression.code, "codeSystem": impression.codeSystem?.rawValue])
            try xml.writeText(impression.text)
            try end()
        }
        for finding in v.triggerPoints { try triggerPoint(finding) }
        for finding in v.biomechanics { try biomechanics(finding) }
        for treatment in v.treatments { try self.treatment(treatment) }
        for entry in v.needling { try needling(entry) }
        for measure in v.outcomes {
            try start("outcome", [
                "id": id(measure.id), "scale": measure.scale.rawValue,
                "items": measure.items.map { $0.map(String.init) ?? "-" }.joined(separator: " "),
            ])
            try end()
        }
        try end()
        try endDigest()
    }

    private mutating func triggerPoint(_ t: TriggerPointFinding) throws {
        try start("triggerPoint", [
            "id": id(t.id), "muscle": t.muscleID, "side": t.side.rawValue, "activity": t.activity.rawValue,
            "tautBand": XMLValueFormat.bool(t.tautBand), "localTwitchResponse": XMLValueFormat.bool(t.localTwitchResponse),
            "referredPainReproduced": XMLValueFormat.bool(t.referredPainReproduced),
            "tenderness": t.tenderness.map { String($0.value) },
            "likelyCauses": t.likelyCauses.isEmpty ? nil : t.likelyCauses.map(\.rawValue).joined(separator: " "),
        ])
        try element("location", t.location)
        if let ppt = t.pressurePainThreshold {
            try start("pressurePainThreshold", [
                "kgPerCm2": try number(ppt.value.value, "pressure pain threshold"),
                "probeSizeCm2": try number(ppt.probeSizeCm2, "probe size"),
            ])
            try end()
        }
        try element("notes", t.notes)
        try end()
    }

    private mutating func biomechanics(_ b: BiomechanicalFinding) throws {
        try start("biomechanics", ["id": id(b.id), "side": b.side.rawValue])
        switch b.measure {
        case .footPostureIndex(let fpi):
            try start("fpi6", ["items": fpi.items.map { String($0.value) }.joined(separator: " ")])
        case .lunge(let cm):
            try start("lunge", ["cm": try number(cm.value, "lunge")])
        case .legLengthDifference(let mm):
            try start("legLengthDifference", ["mm": try number(mm.value, "leg length difference")])
        case .halluxDorsiflexion(let degrees):
            try start("halluxDorsiflexion", ["degrees": try number(degrees.value, "hallux dorsiflexion")])
        case .gait(let observations):
            try start("gait", ["observations": observations.isEmpty ? nil : observations.map(\.rawValue).joined(separator: " ")])
        case .strength(let movement, let grade):
            try start("strength", ["grade": String(grade.value)])
            try element("movement", movement)
        case .jointRange(let joint, let movement, let degrees):
            try start("jointRange", ["degrees": try number(degrees.value, "joint range")])
            try element("joint", joint)
            try element("movement", movement)
        case .posture:
            try start("posture", [:])
        case .measure(let name, let value, let unit):
            try start("measure", ["value": try number(value, "measure \(name)")])
            try element("name", name)
            try element("unit", unit)
        }
        try end()
        try element("notes", b.notes)
        try end()
    }

    private mutating func treatment(_ t: Treatment) throws {
        try start("treatment", [
            "id": id(t.id), "kind": t.kind.rawValue, "muscle": t.muscleID, "side": t.side?.rawValue,
            "holdTime": t.holdTime.map { String($0.value) }, "cycles": t.cycles.map(String.init),
        ])
        try element("notes", t.notes)
        try end()
    }

    private mutating func needling(_ n: NeedlingEntry) throws {
        try start("needling", [
            "id": id(n.id), "muscle": n.muscleID, "side": n.side.rawValue,
            "needlesInserted": String(n.needlesInserted), "needlesRemoved": String(n.needlesRemoved),
            "technique": n.technique.code, "depthMm": try n.depth.map { try number($0.value, "needle depth") },
            "timeInSitu": n.timeInSitu.map { String($0.value) }, "twitchResponses": String(n.twitchResponses),
            "sharpsDisposed": XMLValueFormat.bool(n.sharpsDisposed),
            "performedAt": n.performedAt.map(XMLValueFormat.instant),
            "writtenAt": n.lateEntry.map { XMLValueFormat.instant($0.writtenAt) },
            "writtenBy": try n.lateEntry.map { try reference($0.writtenBy, "practitioner") },
        ])
        try element("triggerPoint", n.triggerPoint)
        try start("needle", [
            "gauge": try number(n.needle.gaugeMm, "needle gauge"), "length": try number(n.needle.lengthMm, "needle length"),
        ])
        try element("brand", n.needle.brand)
        try element("lot", n.needle.lot)
        try end()
        if case .electricalStimulation(let settings) = n.technique {
            try element("electricalSettings", settings)
        }
        try element("patientResponse", n.patientResponse)
        for event in n.adverseEvents {
            try start("adverseEvent", ["kind": event.kind.rawValue, "severity": event.severity.rawValue])
            try element("action", event.action)
            try end()
        }
        try end()
    }

    // MARK: Amendments and plans

    mutating func amendment(_ a: Amendment) throws {
        try start("amendment", [
            "id": id(a.id), "visit": try reference(a.visitID, "visit"),
            "practitioner": try reference(a.practitionerID, "practitioner"),
            "amendedAt": XMLValueFormat.instant(a.amendedAt),
        ])
        try writeDigest("amendment", a.id) { e in try e.amendment(a) }
        try element("reason", a.reason)
        for change in a.changes {
            try start("change", [:])
            try element("field", change.field)
            try element("before", change.before)
            try element("after", change.after)
            try end()
        }
        try end()
        try endDigest()
    }

    mutating func plan(_ p: FollowUpPlan) throws {
        try start("plan", [
            "id": id(p.id), "visit": try reference(p.visitID, "visit"), "version": String(p.version),
            "status": p.status.rawValue, "createdAt": XMLValueFormat.instant(p.createdAt),
            "reviewDate": p.reviewDate?.description,
        ])
        try writeDigest("plan", p.id) { e in try e.plan(p) }
        for item in p.items {
            try start("item", ["section": item.section.rawValue, "rule": item.rule, "muscle": item.muscleID, "side": item.side?.rawValue])
            try xml.writeText(item.text)
            try end()
        }
        try end()
        try endDigest()
    }

    // MARK: Audit

    mutating func auditEntry(_ entry: AuditEntry) throws {
        let e = entry.event
        location = ["audit event \(e.id.map(String.init) ?? XMLValueFormat.instant(e.at))"]
        try start("event", [
            "id": id(e.id), "at": XMLValueFormat.instant(e.at), "action": e.action.rawValue, "entity": e.entity,
            "entityID": e.entityID.map(String.init), "patientID": e.patientID.map(String.init),
            "prevHash": entry.prevHash, "hash": entry.hash,
        ])
        try element("actor", e.actor)
        try element("detail", e.detail)
        try end()
    }

    // MARK: Header

    mutating func header(_ h: RecordsExportHeader) throws {
        location = ["header"]
        try start("header", ["exportedAt": h.exportedAt.map(XMLValueFormat.instant)])
        try element("clinic", h.clinic)
        try element("exportedBy", h.exportedBy)
        try element("software", h.software)
        for (name, value) in h.settings.sorted(by: { $0.key < $1.key }) {
            try start("setting", ["name": name])
            try xml.writeText(value)
            try end()
        }
        for t in h.templates.sorted(by: { $0.name < $1.name }) {
            try start("template", ["name": t.name, "changedAt": XMLValueFormat.instant(t.changedAt), "changedBy": t.changedBy])
            try xml.writeText(t.body)
            try end()
        }
        for (handle, login) in h.osUsers.sorted(by: { $0.key < $1.key }) {
            try start("osUser", ["handle": handle])
            try xml.writeText(login)
            try end()
        }
        for u in h.untrustedImports.sorted(by: { ($0.entity, $0.id) < ($1.entity, $1.id) }) {
            try start("untrustedImport", ["entity": u.entity, "id": String(u.id), "importedAt": XMLValueFormat.instant(u.mark.importedAt),
                                          "file": u.mark.file])
            try xml.writeText(u.mark.reason)
            try end()
        }
        try end()
    }

    // MARK: Writing

    /// Opens `name` with the attributes that have a value, in the order given.
    func start(_ name: String, _ attributes: KeyValuePairs<String, String?>) throws {
        try xml.startElement(name)
        for (attribute, value) in attributes {
            if let value { try xml.writeAttribute(attribute, value) }
        }
    }

    func end() throws {
        try xml.endElement()
    }

    /// With `digests`, the `digest` attribute of the element just opened: the SHA-256 of the
    /// record encoded alone (`RecordDigest`), so an importer can tell a record changed in the file.
    ///
    /// With `XMLByteWriter` the record is not encoded a second time: the writer takes the
    /// record alone from the bytes it writes for it and puts the attribute in when the record
    /// ends (`endDigest`); the digest is the same (`RecordDigestBytesTests`).
    private mutating func writeDigest(_ kind: String, _ id: Int64?, _ body: (inout RecordsXMLEncoder) throws -> Void) throws {
        guard digests else { return }
        let audited = id.map { !changedRecords.contains("\(kind):\($0)") } ?? true
        if let bytes = xml as? XMLByteWriter {
            try bytes.beginDigest()
            digestTaken = audited
            return
        }
        try xml.writeAttribute("digest", try RecordDigest.of(audited: audited, body))
    }

    /// Ends the digest `writeDigest` began, if it began one: right after the record's end, or
    /// (`closingOpen`, a patient) where the record alone would end.
    private mutating func endDigest(closingOpen: Bool = false) throws {
        guard let audited = digestTaken, let bytes = xml as? XMLByteWriter else { return }
        digestTaken = nil
        try bytes.endDigest(attribute: "digest", closingOpen: closingOpen) { alone in
            RecordDigest.hex(ofDocument: UnsafeRawBufferPointer(alone), audited: audited)
        }
    }

    /// `<name>text</name>`, or nothing when `text` is nil.
    func element(_ name: String, _ text: String?) throws {
        if let text { try xml.writeElement(name, text: text) }
    }

    private func id(_ id: Int64?) -> String? {
        id.map(String.init)
    }

    private func reference(_ id: Int64, _ what: String) throws -> String {
        guard id >= 1 else { throw failure("refers to \(what) \(id), which is not a saved record's id") }
        return String(id)
    }

    private func number(_ value: Double, _ what: String) throws -> String {
        guard let text = XMLValueFormat.number(value) else { throw failure("\(what) is \(value), not a number") }
        return text
    }

    private func belongs(_ owner: Int64, _ patientID: Int64, _ what: String, _ id: Int64?) throws {
        guard owner == patientID else {
            throw failure("\(what) \(id.map(String.init) ?? "") belongs to patient \(owner), not to this patient (\(patientID))")
        }
    }

    func failure(_ message: String) -> ClinicXMLError {
        ClinicXMLError(kind: .ruleBroken, file: xml.destination, path: location.joined(separator: " / "), message: message)
    }
}
