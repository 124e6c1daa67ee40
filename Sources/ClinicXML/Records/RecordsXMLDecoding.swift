import Foundation
import ClinicModel
import LibXML

/// Reads `urn:knot:records:1` elements back into model values (the spellings of
/// `RecordsXMLEncoder`) and checks the rules a schema cannot say.
///
/// Rules checked across the whole file: ids are unique per kind (libxml2's streaming validation
/// does not check identity constraints); practitioner handles and patient record numbers are
/// unique; every reference points at a record in the file (visits and amendments at the
/// file's practitioners, visits at the patient's referrals, amendments and plans at the
/// patient's visits). Per record: a precaution alert names its precaution, electrical settings
/// go only with electrical stimulation, an original letter matches its SHA-256, and the model's
/// own `validate()` (which refuses, among others, more needles removed than inserted).
///
/// Rule violations of one record are collected and thrown together; a structural problem
/// (which a schema-valid document cannot have) is thrown at once.
struct RecordsXMLDecoder {
    let file: String?
    let today: LocalDate
    private var seenIDs: [String: IDRangeSet] = [:]
    private var practitionerHandles: Set<String> = []
    private var recordNumbers: Set<String> = []
    /// Rule violations of the record being read.
    private var violations: [ClinicXMLError] = []

    init(file: String?, today: LocalDate) {
        self.file = file
        self.today = today
    }

    // MARK: Top-level records

    mutating func practitioner<E: RecordsElement>(_ element: E) throws(ClinicXMLErrors) -> Practitioner {
        let file = self.file
        return try record { decoder throws in
            let f = ElementFields(element, file: file)
            let training = try f.optionalChild("dryNeedlingTraining").map { t in
                let tf = ElementFields(t, file: file)
                return DryNeedlingTraining(course: try tf.text("course"), hours: try tf.int("hours"),
                                           completedOn: try tf.date("completedOn"))
            }
            let practitioner = Practitioner(
                id: try f.optionalInt64("id"), handle: try f.text("handle"), name: try f.text("name"),
                profession: try f.code("profession", Profession.self),
                registrationBody: f.optionalChild("registrationNumber")?.attribute("body", namespace: nil),
                registrationNumber: f.optionalText("registrationNumber"), providerNumber: f.optionalText("providerNumber"),
                role: try f.code("role", Role.self),
                dryNeedlingTraining: training, isAdministrator: try f.optionalBool("administrator") ?? false,
                isActive: try f.optionalBool("active") ?? true)
            decoder.unique(practitioner.id, "practitioner", at: element)
            if !decoder.practitionerHandles.insert(practitioner.handle).inserted {
                decoder.violate("the practitioner handle '\(practitioner.handle)' appears twice in the file",
                                at: f.optionalChild("handle") ?? element)
            }
            decoder.validate(at: element) { () throws(ValidationErrors) in try practitioner.validate() }
            return practitioner
        }
    }

    mutating func audit<E: RecordsElement>(_ element: E) throws(ClinicXMLErrors) -> AuditEntry {
        let file = self.file
        return try record { decoder throws in
            let f = ElementFields(element, file: file)
            let event = AuditEvent(
                id: try f.optionalInt64("id"), at: try f.instant("at"), actor: try f.text("actor"),
                action: try f.code("action", AuditEvent.Action.self), entity: try f.required("entity"),
                entityID: try f.optionalInt64("entityID"), patientID: try f.optionalInt64("patientID"),
                detail: f.optionalText("detail"))
            decoder.unique(event.id, "audit event", at: element)
            return AuditEntry(event: event, prevHash: try f.required("prevHash"), hash: try f.required("hash"))
        }
    }

    mutating func patientRecord<E: RecordsElement>(_ element: E) throws(ClinicXMLErrors) -> PatientRecord {
        try record { decoder throws in try decoder.readPatientRecord(element) }
    }

    /// Runs `body` for one record; throws its structural failure, or all its rule violations.
    private mutating func record<T>(_ body: (inout RecordsXMLDecoder) throws -> T) throws(ClinicXMLErrors) -> T {
        violations = []
        let value: T
        do {
            value = try body(&self)
        } catch {
            throw ClinicXMLErrors(converting: error, file: file)
        }
        if !violations.isEmpty { throw ClinicXMLErrors(violations) }
        return value
    }

    // MARK: Patients

    private mutating func readPatientRecord<E: RecordsElement>(_ element: E) throws -> PatientRecord {
        let f = ElementFields(element, file: file)
        let patientID = try f.optionalInt64("id")
        let owner = patientID ?? 0
        var patient = Patient(
            id: patientID, recordNumber: try f.text("recordNumber"), givenNames: try f.text("givenNames"),
            familyName: try f.text("familyName"), preferredName: f.optionalText("preferredName"),
            dateOfBirth: try f.date("dateOfBirth"), sex: try f.code("sex", Sex.self), phone: f.optionalText("phone"),
            email: f.optionalText("email"), address: f.optionalText("address"),
            generalPractitioner: f.optionalText("generalPractitioner"), archived: try f.bool("archived"))
        unique(patientID, "patient", at: element)
        if !recordNumbers.insert(patient.recordNumber).inserted {
            violate("the record number '\(patient.recordNumber)' appears twice in the file",
                    at: f.optionalChild("recordNumber") ?? element)
        }
        for identifier in f.children("identifier") {
            let system = try ElementFields(identifier, file: file).required("system")
            patient.identifiers.append(PatientIdentifier(system: .init(rawValue: system), value: identifier.textContent))
        }
        for alert in f.children("alert") { patient.alerts.append(try self.alert(alert)) }
        let checkedPatient = patient
        let today = self.today
        validate(at: element) { () throws(ValidationErrors) in try checkedPatient.validate(today: today) }

        var record = PatientRecord(patient: patient)
        record.mergedInto = f.optional("mergedInto")
        for e in f.children("referral") { record.referrals.append(try referral(e, patientID: owner)) }
        for e in f.children("consent") { record.consents.append(try consent(e, patientID: owner)) }
        for e in f.children("screen") { record.screens.append(try screen(e, patientID: owner)) }
        let referralIDs = Set(record.referrals.compactMap(\.id))
        for e in f.children("visit") { record.visits.append(try visit(e, patientID: owner, referralIDs: referralIDs)) }
        let visitIDs = Set(record.visits.compactMap(\.id))
        for e in f.children("amendment") { record.amendments.append(try amendment(e, visitIDs: visitIDs)) }
        for e in f.children("plan") { record.plans.append(try plan(e, visitIDs: visitIDs)) }
        return record
    }

    private mutating func alert<E: RecordsElement>(_ element: E) throws -> PatientAlert {
        let f = ElementFields(element, file: file)
        let precaution = try f.optionalCode("precaution", Precaution.self)
        let kindCode = try f.required("kind")
        let kind: PatientAlert.Kind
        switch kindCode {
        case "precaution":
            if precaution == nil { violate("a precaution alert must name its precaution", at: element) }
            kind = .precaution(precaution ?? .anticoagulant)
        case "allergy":
            kind = .allergy
        default:
            kind = .other
        }
        if kindCode != "precaution", precaution != nil {
            violate("only a precaution alert names a precaution", at: element)
        }
        let alert = PatientAlert(id: try f.optionalInt64("id"), kind: kind, text: try f.text("text"),
                                 status: try f.code("status", AlertStatus.self), source: try f.text("source"),
                                 dismissReason: f.optionalText("dismissReason"))
        if let reason = alert.dismissReason {
            if alert.status != .dismissed { violate("only a dismissed alert carries a dismissReason", at: element) }
            if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { violate("an alert's dismissReason is blank", at: element) }
        }
        unique(alert.id, "alert", at: element)
        return alert
    }

    private mutating func referral<E: RecordsElement>(_ element: E, patientID: Int64) throws -> Referral {
        let f = ElementFields(element, file: file)
        let referrer = ElementFields(try f.child("referrer"), file: file)
        var referral = Referral(
            id: try f.optionalInt64("id"), patientID: patientID, referrerName: try referrer.text("name"),
            referrerOrganisation: referrer.optionalText("organisation"),
            referrerProviderNumber: referrer.optionalText("providerNumber"),
            referrerContact: referrer.optionalText("contact"), recipient: f.optionalText("recipient"),
            date: try f.date("date"), expiresOn: try f.optionalDate("expiresOn"),
            sessionsAllowed: try f.optionalInt("sessionsAllowed"), reason: try f.text("reason"),
            format: try f.code("format", ReferralFormat.self), documentID: f.optionalText("documentID"),
            documentCode: f.optionalText("documentCode"), documentTitle: f.optionalText("documentTitle"),
            importWarnings: f.children("importWarning").map(\.textContent))
        referral.letterKey = f.optional("letterKey")
        referral.documentSetID = f.optional("documentSetID")
        referral.documentVersion = try f.optionalInt("documentVersion")
        referral.replacesReferralID = try f.optionalInt64("replaces")
        referral.letterIdentifiers = try f.children("letterIdentifier").map { element in
            let i = ElementFields(element, file: file)
            return PatientIdentifier(system: .init(rawValue: try i.required("system")), value: try i.required("value"))
        }
        for section in f.children("section") {
            let s = ElementFields(section, file: file)
            referral.sections.append(ReferralSection(
                kind: try s.required("kind"), code: s.optional("code"), codeSystem: s.optional("codeSystem"),
                title: try s.text("title"), text: try s.text("text"),
                entries: s.children("entry").map { entry in
                    let e = ElementFields(entry, file: file)
                    return ReferralSection.CodedEntry(code: e.optionalText("code"), codeSystem: e.optionalText("codeSystem"),
                                                      displayName: e.optionalText("displayName"), text: e.optionalText("text"))
                }))
        }
        for attachment in f.children("attachment") {
            let a = ElementFields(attachment, file: file)
            referral.attachments.append(ReferralAttachment(mediaType: try a.required("mediaType"), data: try a.binaryParts))
        }
        if let original = f.optionalChild("originalLetter") {
            let o = ElementFields(original, file: file)
            let letter = try o.binaryParts
            let hash = try o.required("sha256")
            if LetterDigest.sha256Hex(letter) != hash {
                violate("the original letter does not match its SHA-256: it was altered or damaged", at: original)
            }
            referral.originalLetter = letter
            referral.originalSHA256 = hash
        }
        unique(referral.id, "referral", at: element)
        let checked = referral
        validate(at: element) { () throws(ValidationErrors) in try checked.validate() }
        return referral
    }

    private mutating func consent<E: RecordsElement>(_ element: E, patientID: Int64) throws -> Consent {
        let f = ElementFields(element, file: file)
        let consent = Consent(
            id: try f.optionalInt64("id"), patientID: patientID,
            practitionerID: try practitionerReference(f, at: element), recordedAt: try f.instant("recordedAt"),
            risksExplained: Set(try f.codes("risksExplained", Consent.Risk.self)),
            benefitsExplained: try f.bool("benefitsExplained"), written: try f.bool("written"),
            validUntil: try f.optionalDate("validUntil"), notes: f.optionalText("notes"),
            guardian: try f.optionalChild("guardian").map { g in
                let gf = ElementFields(g, file: file)
                return Consent.Guardian(name: try gf.text("name"), relationship: try gf.text("relationship"))
            },
            matureMinorAssessment: f.optionalText("matureMinorAssessment"),
            lateEntry: try lateEntry(f, at: element))
        unique(consent.id, "consent", at: element)
        validate(at: element) { () throws(ValidationErrors) in try consent.validate() }
        return consent
    }

    private mutating func screen<E: RecordsElement>(_ element: E, patientID: Int64) throws -> PrecautionScreen {
        let f = ElementFields(element, file: file)
        var present: Set<Precaution> = []
        var acknowledgments: [Precaution: String] = [:]
        for answer in f.children("answer") {
            let a = ElementFields(answer, file: file)
            let precaution = try a.code("precaution", Precaution.self)
            if acknowledgments[precaution] != nil || present.contains(precaution) {
                violate("the precaution '\(precaution.rawValue)' is answered twice", at: answer)
            }
            if try a.bool("present") { present.insert(precaution) }
            if let text = a.optionalText("acknowledgment") { acknowledgments[precaution] = text }
        }
        let screen = PrecautionScreen(
            id: try f.optionalInt64("id"), patientID: patientID, practitionerID: try practitionerReference(f, at: element),
            recordedAt: try f.instant("recordedAt"), present: present, acknowledgments: acknowledgments,
            validUntil: try f.date("validUntil"), lateEntry: try lateEntry(f, at: element))
        unique(screen.id, "precaution screen", at: element)
        validate(at: element) { () throws(ValidationErrors) in try screen.validate() }
        return screen
    }

    // MARK: Visits

    private mutating func visit<E: RecordsElement>(_ element: E, patientID: Int64, referralIDs: Set<Int64>) throws -> Visit {
        let f = ElementFields(element, file: file)
        let referralID = try f.optionalInt64("referral")
        if let referralID, !referralIDs.contains(referralID) {
            violate("the visit names referral \(referralID), which is not among this patient's referrals", at: element)
        }
        var pain = PainScores()
        if let p = f.optionalChild("pain") {
            let pf = ElementFields(p, file: file)
            pain = PainScores(now: try pf.measure("now", NPRS.self), best: try pf.measure("best", NPRS.self),
                              worst: try pf.measure("worst", NPRS.self))
        }
        var visit = Visit(
            id: try f.optionalInt64("id"), patientID: patientID, practitionerID: try practitionerReference(f, at: element),
            referralID: referralID, startedAt: try f.instant("startedAt"), complaint: f.optionalText("complaint"),
            pain: pain,
            psfs: try f.children("psfs").map { item in
                let i = ElementFields(item, file: file)
                return PSFSItem(activity: i.ownText, score: try i.requiredMeasure("score", PSFSScore.self))
            },
            notes: f.optionalText("notes"), likelyCauseNotes: f.optionalText("likelyCauseNotes"),
            status: try f.code("status", VisitStatus.self), signedAt: try f.optionalInstant("signedAt"))
        if let i = f.optionalChild("impression") {
            let fi = ElementFields(i, file: file)
            visit.impression = ClinicalImpression(text: fi.ownText, code: fi.optional("code"),
                                                  codeSystem: try fi.optionalCode("codeSystem", ClinicalImpression.CodeSystem.self))
        }
        unique(visit.id, "visit", at: element)
        let header = visit
        validate(at: element) { () throws(ValidationErrors) in try header.validateHeader() }
        for e in f.children("triggerPoint") { visit.triggerPoints.append(try triggerPoint(e)) }
        for e in f.children("biomechanics") { visit.biomechanics.append(try biomechanics(e)) }
        for e in f.children("treatment") { visit.treatments.append(try treatment(e)) }
        for e in f.children("needling") { visit.needling.append(try needling(e)) }
        for e in f.children("outcome") { visit.outcomes.append(try outcome(e)) }
        return visit
    }

    private mutating func triggerPoint<E: RecordsElement>(_ element: E) throws -> TriggerPointFinding {
        let f = ElementFields(element, file: file)
        let ppt = try f.optionalChild("pressurePainThreshold").map { p in
            let pf = ElementFields(p, file: file)
            return PressurePainThreshold(value: try pf.requiredDecimalMeasure("kgPerCm2", KilogramsPerSquareCentimetre.self),
                                         probeSizeCm2: try pf.double("probeSizeCm2"))
        }
        let finding = TriggerPointFinding(
            id: try f.optionalInt64("id"), muscleID: try f.required("muscle"), side: try f.code("side", Side.self),
            location: f.optionalText("location"), activity: try f.code("activity", TriggerPointFinding.Activity.self),
            tautBand: try f.bool("tautBand"), localTwitchResponse: try f.bool("localTwitchResponse"),
            referredPainReproduced: try f.bool("referredPainReproduced"), tenderness: try f.measure("tenderness", NPRS.self),
            pressurePainThreshold: ppt, likelyCauses: try f.codes("likelyCauses", LikelyCause.self),
            notes: f.optionalText("notes"))
        unique(finding.id, "trigger point finding", at: element)
        validate(at: element) { () throws(ValidationErrors) in try finding.validate() }
        return finding
    }

    private mutating func biomechanics<E: RecordsElement>(_ element: E) throws -> BiomechanicalFinding {
        let f = ElementFields(element, file: file)
        guard let measureElement = element.elements.first(where: { $0.name != "notes" }) else {
            throw f.refusal("<biomechanics> has no measure")
        }
        let m = ElementFields(measureElement, file: file)
        let measure: BiomechanicalMeasure
        switch measureElement.name {
        case "fpi6":
            let items = try (try m.required("items")).split(whereSeparator: \.isWhitespace).map { raw in
                guard let value = Int(raw) else { throw m.refusal("items '\(raw)' is not a whole number") }
                return value
            }
            measure = .footPostureIndex(try m.checked("items") { () throws(ValidationErrors) in try FootPostureIndex(items: items) })
        case "lunge":
            measure = .lunge(try m.requiredDecimalMeasure("cm", LungeCentimetres.self))
        case "legLengthDifference":
            measure = .legLengthDifference(try m.requiredDecimalMeasure("mm", LegLengthMillimetres.self))
        case "halluxDorsiflexion":
            measure = .halluxDorsiflexion(try m.requiredDecimalMeasure("degrees", Degrees.self))
        case "gait":
            measure = .gait(try m.codes("observations", GaitObservation.self))
        case "strength":
            measure = .strength(movement: try m.text("movement"), grade: try m.requiredMeasure("grade", StrengthGrade.self))
        case "jointRange":
            measure = .jointRange(joint: try m.text("joint"), movement: try m.text("movement"),
                                  degrees: try m.requiredDecimalMeasure("degrees", Degrees.self))
        case "posture":
            measure = .posture
        case "measure":
            measure = .measure(name: try m.text("name"), value: try m.double("value"), unit: try m.text("unit"))
        default:
            throw m.refusal("<\(measureElement.name)> is not a biomechanical measure")
        }
        let finding = BiomechanicalFinding(id: try f.optionalInt64("id"), measure: measure,
                                           side: try f.code("side", Side.self), notes: f.optionalText("notes"))
        unique(finding.id, "biomechanical finding", at: element)
        validate(at: element) { () throws(ValidationErrors) in try finding.validate() }
        return finding
    }

    private mutating func outcome<E: RecordsElement>(_ element: E) throws -> OutcomeMeasure {
        let f = ElementFields(element, file: file)
        let scale = try f.code("scale", OutcomeScale.self)
        let items: [Int?] = try f.required("items").split(separator: " ").map { token in
            if token == "-" { return nil }
            return try f.checked("items") { () throws(ValidationError) in
                guard let n = Int(token) else { throw ValidationError(field: "items", value: String(token), rule: "is not a whole number or '-'") }
                return n
            }
        }
        let measure = OutcomeMeasure(unchecked: scale, items: items, id: try f.optionalInt64("id"))
        unique(measure.id, "outcome", at: element)
        validate(at: element) { () throws(ValidationErrors) in try measure.validate() }
        return measure
    }

    private mutating func treatment<E: RecordsElement>(_ element: E) throws -> Treatment {
        let f = ElementFields(element, file: file)
        let treatment = Treatment(
            id: try f.optionalInt64("id"), kind: try f.code("kind", Treatment.Kind.self), muscleID: f.optional("muscle"),
            side: try f.optionalCode("side", Side.self), holdTime: try f.measure("holdTime", Seconds.self),
            cycles: try f.optionalInt("cycles"), notes: f.optionalText("notes"))
        unique(treatment.id, "treatment", at: element)
        validate(at: element) { () throws(ValidationErrors) in try treatment.validate() }
        return treatment
    }

    private mutating func needling<E: RecordsElement>(_ element: E) throws -> NeedlingEntry {
        let f = ElementFields(element, file: file)
        let needleElement = ElementFields(try f.child("needle"), file: file)
        let needle = Needle(brand: try needleElement.text("brand"), gaugeMm: try needleElement.double("gauge"),
                            lengthMm: try needleElement.double("length"), lot: try needleElement.text("lot"))
        let settings = f.optionalText("electricalSettings")
        let code = try f.required("technique")
        if code != "electrical", settings != nil {
            violate("electrical settings are recorded but the technique is '\(code)'", at: element)
        }
        let technique = try f.checked("technique") { () throws(ValidationError) in
            try NeedlingTechnique(code: code, settings: settings ?? "")
        }
        let entry = NeedlingEntry(
            id: try f.optionalInt64("id"), muscleID: try f.required("muscle"), side: try f.code("side", Side.self),
            triggerPoint: f.optionalText("triggerPoint"), needle: needle,
            needlesInserted: try f.int("needlesInserted"), needlesRemoved: try f.int("needlesRemoved"),
            technique: technique, depth: try f.decimalMeasure("depthMm", DepthMillimetres.self),
            timeInSitu: try f.measure("timeInSitu", Seconds.self), twitchResponses: try f.int("twitchResponses"),
            patientResponse: f.optionalText("patientResponse"),
            adverseEvents: try f.children("adverseEvent").map { event in
                let a = ElementFields(event, file: file)
                return AdverseEvent(kind: try a.code("kind", AdverseEvent.Kind.self),
                                    severity: try a.code("severity", AdverseEvent.Severity.self),
                                    action: a.optionalText("action"))
            },
            sharpsDisposed: try f.bool("sharpsDisposed"), performedAt: try f.optionalInstant("performedAt"),
            lateEntry: try lateEntry(f, at: element))
        unique(entry.id, "needling entry", at: element)
        validate(at: element) { () throws(ValidationErrors) in try entry.validate() }
        return entry
    }

    // MARK: Amendments and plans

    private mutating func amendment<E: RecordsElement>(_ element: E, visitIDs: Set<Int64>) throws -> Amendment {
        let f = ElementFields(element, file: file)
        let amendment = Amendment(
            id: try f.optionalInt64("id"), visitID: try visitReference(f, visitIDs, at: element),
            practitionerID: try practitionerReference(f, at: element), amendedAt: try f.instant("amendedAt"),
            reason: try f.text("reason"),
            changes: try f.children("change").map { change in
                let c = ElementFields(change, file: file)
                return Amendment.Change(field: try c.text("field"), before: try c.text("before"), after: try c.text("after"))
            })
        unique(amendment.id, "amendment", at: element)
        validate(at: element) { () throws(ValidationErrors) in try amendment.validate() }
        return amendment
    }

    private mutating func plan<E: RecordsElement>(_ element: E, visitIDs: Set<Int64>) throws -> FollowUpPlan {
        let f = ElementFields(element, file: file)
        let plan = FollowUpPlan(
            id: try f.optionalInt64("id"), visitID: try visitReference(f, visitIDs, at: element),
            version: try f.int("version"), status: try f.code("status", FollowUpPlan.Status.self),
            createdAt: try f.instant("createdAt"), reviewDate: try f.optionalDate("reviewDate"),
            items: try f.children("item").map { item in
                let i = ElementFields(item, file: file)
                return FollowUpPlan.Item(section: try i.code("section", FollowUpPlan.Item.Section.self), text: i.ownText,
                                         rule: try i.required("rule"), muscleID: i.optional("muscle"),
                                         side: try i.optionalCode("side", Side.self))
            })
        unique(plan.id, "follow-up plan", at: element)
        validate(at: element) { () throws(ValidationErrors) in try plan.validate() }
        return plan
    }

    // MARK: Rules

    /// A late entry's `writtenAt` and `writtenBy` (a practitioner in this file): both or neither.
    private mutating func lateEntry<E: RecordsElement>(_ f: ElementFields<E>, at element: E) throws -> LateEntry? {
        let at = try f.optionalInstant("writtenAt")
        let by = try f.optionalInt64("writtenBy")
        switch (at, by) {
        case let (at?, by?):
            if !(seenIDs["practitioner"]?.contains(by) ?? false) {
                violate("names practitioner \(by) as the writer of a late entry, who is not among the practitioners in this file", at: element)
            }
            return LateEntry(writtenAt: at, writtenBy: by)
        case (nil, nil): return nil
        default:
            violate("a late entry needs both writtenAt and writtenBy", at: element)
            return nil
        }
    }

    private mutating func practitionerReference<E: RecordsElement>(_ f: ElementFields<E>, at element: E) throws -> Int64 {
        let id = try f.int64("practitioner")
        if !(seenIDs["practitioner"]?.contains(id) ?? false) {
            violate("names practitioner \(id), who is not among the practitioners in this file", at: element)
        }
        return id
    }

    private mutating func visitReference<E: RecordsElement>(_ f: ElementFields<E>, _ visitIDs: Set<Int64>, at element: E) throws -> Int64 {
        let id = try f.int64("visit")
        if !visitIDs.contains(id) {
            violate("names visit \(id), which is not among this patient's visits", at: element)
        }
        return id
    }

    private mutating func unique<E: RecordsElement>(_ id: Int64?, _ kind: String, at element: E) {
        guard let id else { return }
        if !seenIDs[kind, default: IDRangeSet()].insert(id) {
            violate("\(kind) id \(id) appears twice in the file", at: element)
        }
    }

    private mutating func violate<E: RecordsElement>(_ message: String, at element: E) {
        violations.append(element.rule(.ruleBroken, message, file: file))
    }

    private mutating func validate<E: RecordsElement>(at element: E, _ check: () throws(ValidationErrors) -> Void) {
        do {
            try check()
        } catch {
            violations += error.errors.map { element.rule(.clinicalValue, $0.description, file: file) }
        }
    }
}
