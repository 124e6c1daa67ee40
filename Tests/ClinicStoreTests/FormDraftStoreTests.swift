import Foundation
import GRDB
import Testing
import ClinicModel
import ClinicServices
@testable import ClinicStore

/// Half-typed forms kept per slot and actor (v4-form-drafts): replaced as typed, private to
/// the one who typed them, deletable, gone when their visit is signed, and never exported.
@Suite struct FormDraftStoreTests {
    func draft(_ slot: FormDraftSlot, _ actor: String, _ typed: String, at minute: Int = 0) -> StoredFormDraft {
        StoredFormDraft(slot: slot, actor: actor, kind: "needling", state: #"{"typed":"\#(typed)"}"#,
                        savedAt: moment(testToday, hour: 17, minute: minute))
    }

    @Test func slotsReadBackAsWritten() {
        for slot in [FormDraftSlot.visit(219), .amend(57), .newPatient, .patient(12), .alert(12), .clinicSettings] {
            #expect(FormDraftSlot(rawValue: slot.rawValue) == slot)
        }
        #expect(FormDraftSlot.visit(219).rawValue == "visit:219")
        #expect(FormDraftSlot.newPatient.rawValue == "patient:new")
        #expect(FormDraftSlot.clinicSettings.rawValue == "clinic:settings")
        for bad in ["visit", "visit:", "visit:x", "visit:0", "amend:-3", "chart:4", ":12", "clinic:4", "clinic:other"] {
            #expect(FormDraftSlot(rawValue: bad) == nil, "\(bad)")
        }
    }

    @Test func aDraftIsReplacedAsTypedAndEachActorHasTheirOwn() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        try clinic.db.write { tx in
            try tx.saveFormDraft(draft(.visit(7), "mchen", "sol", at: 40))
            try tx.saveFormDraft(draft(.visit(7), "mchen", "soleus", at: 42))
            try tx.saveFormDraft(draft(.visit(7), "tkowalski", "gastroc", at: 43))
        }
        try clinic.db.read { tx in
            let mine = try #require(try tx.formDraft(slot: .visit(7), actor: "mchen"))
            #expect(mine.state == #"{"typed":"soleus"}"#)
            #expect(mine.kind == "needling")
            #expect(mine.savedAt == moment(testToday, hour: 17, minute: 42))
            #expect(try tx.formDraft(slot: .visit(7), actor: "tkowalski")?.state == #"{"typed":"gastroc"}"#)
            #expect(try tx.formDraft(slot: .visit(8), actor: "mchen") == nil)
            #expect(try tx.formDraft(slot: .visit(7), actor: "rpatel") == nil)
            #expect(try tx.formDraftCount() == 2)
        }
        // Deletable (not a clinical record): one actor's, then every actor's.
        try clinic.db.write { tx in try tx.deleteFormDraft(slot: .visit(7), actor: "mchen") }
        #expect(try clinic.db.read { try $0.formDraft(slot: .visit(7), actor: "mchen") } == nil)
        #expect(try clinic.db.read { try $0.formDraftCount() } == 1)
        try clinic.db.write { tx in try tx.deleteFormDrafts(slot: .visit(7)) }
        #expect(try clinic.db.read { try $0.formDraftCount() } == 0)
    }

    @Test func theSchemaRefusesAStateThatIsNotJSONAndASlotOfNoShape() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let q = try clinic.raw()
        defer { try? q.close() }
        #expect(throws: DatabaseError.self) {
            try q.write { db in
                try db.execute(sql: "INSERT INTO form_draft VALUES ('visit:1', 'mchen', 'needling', 'not json', '2026-06-30')")
            }
        }
        #expect(throws: DatabaseError.self) {
            try q.write { db in
                try db.execute(sql: "INSERT INTO form_draft VALUES ('', 'mchen', 'needling', '{}', '2026-06-30')")
            }
        }
    }

    @Test func signingAVisitDeletesItsFormDraftsAndNoOtherSlot() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let patient = try clinic.addPatient("Jane", "Smith")
        let visit = try clinic.addVisit(patient: patient)
        let other = try clinic.addVisit(patient: patient, complaint: "Calf pain")
        let id = try #require(visit.id)
        try clinic.db.write { tx in
            try tx.saveFormDraft(draft(.visit(id), "mchen", "soleus"))
            try tx.saveFormDraft(draft(.visit(id), "tkowalski", "gastroc"))
            try tx.saveFormDraft(draft(.visit(other.id!), "mchen", "piriformis"))
            try tx.saveFormDraft(draft(.patient(patient.id!), "mchen", "0412"))
        }
        try clinic.db.write { tx in try tx.signVisit(id: id, actor: "mchen") }
        try clinic.db.read { tx throws in
            #expect(try tx.formDraft(slot: .visit(id), actor: "mchen") == nil)
            #expect(try tx.formDraft(slot: .visit(id), actor: "tkowalski") == nil)
            #expect(try tx.formDraft(slot: .visit(other.id!), actor: "mchen") != nil)
            #expect(try tx.formDraft(slot: .patient(patient.id!), actor: "mchen") != nil)
        }
    }

    @Test func theSessionKeepsDraftsForItsActorAndDropsOnesOfASignedVisit() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let patient = try clinic.addPatient("Jane", "Smith")
        let visit = try clinic.addVisit(patient: patient)
        let id = try #require(visit.id)
        let mei = ClinicSession(database: clinic.db, user: clinic.practitioner)
        let other = ClinicSession.maintenance(database: clinic.db, actor: "tkowalski")
        try mei.saveFormDraft(.visit(id), kind: "needling", state: #"{"inserted":"3"}"#, at: moment(testToday, hour: 17, minute: 42))
        #expect(try mei.formDraft(.visit(id))?.state == #"{"inserted":"3"}"#)
        #expect(try other.formDraft(.visit(id)) == nil, "another practitioner never sees it")
        try other.discardFormDraft(.visit(id))
        #expect(try mei.formDraft(.visit(id)) != nil, "nor deletes it")

        // A draft left for a visit that is signed by the time it is read (here: written behind
        // the schema's back, as an older copy of the file would hold it) is dropped, not offered.
        let q = try clinic.raw()
        try q.write { db in
            try db.execute(sql: "DROP TRIGGER form_draft_visit_signed")
            try db.execute(sql: "UPDATE visit SET status = 'signed', signed_at = '2026-06-30 10:00:00.000' WHERE id = ?", arguments: [id])
        }
        try q.close()
        #expect(try clinic.db.read { try $0.formDraftCount() } == 1)
        #expect(try mei.formDraft(.visit(id)) == nil)
        #expect(try clinic.db.read { try $0.formDraftCount() } == 0)

        try mei.saveFormDraft(.newPatient, kind: "patient", state: "{}")
        try mei.discardFormDraft(.newPatient)
        #expect(try mei.formDraft(.newPatient) == nil)
    }

    @Test func formDraftsAreNotExported() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let patient = try clinic.addPatient("Jane", "Smith")
        let visit = try clinic.addVisit(patient: patient)
        let mei = ClinicSession(database: clinic.db, user: clinic.practitioner)
        try mei.saveFormDraft(.visit(visit.id!), kind: "needling", state: #"{"typed":"HALF-TYPED-NEEDLING-XYZ"}"#)
        try mei.saveFormDraft(.newPatient, kind: "patient", state: #"{"typed":"HALF-TYPED-PATIENT-XYZ"}"#)
        let file = clinic.directory.file("export.xml")
        _ = try mei.export(to: file)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("Smith"), "the export holds the clinic")
        #expect(!text.contains("HALF-TYPED"))
        #expect(!text.contains("form_draft") && !text.contains("formDraft"))
    }
}
