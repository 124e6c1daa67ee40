import Foundation
import Testing
import ClinicModel
@testable import ClinicStore

/// The visit timeline (chart rows, pain trend, `knot history`) shows the note as corrected;
/// the visit itself keeps the signed original beside its amendments.
@Suite struct AmendedSummaryTests {
    @Test func summariesShowTheLatestAmendedComplaintAndPainAndTheVisitKeepsTheOriginal() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let patient = try clinic.addPatient("Jo", "Smith")
        let visit = try clinic.addVisit(patient: patient, complaint: "Neck pain")
        try clinic.db.write { tx in try tx.signVisit(id: visit.id!, actor: "test") }
        func amend(_ changes: [Amendment.Change]) throws {
            try clinic.db.write { tx in
                _ = try tx.insertAmendment(Amendment(visitID: visit.id!, practitionerID: clinic.practitioner.id!,
                                                     reason: "corrected", changes: changes), actor: "test")
            }
        }
        func summary() throws -> VisitSummary? {
            let all = try clinic.db.read { tx in try tx.visitSummaries(patientID: patient.id!) }
            return all.first
        }

        #expect(try summary()?.painNow == 6)
        try amend([.init(field: "pain.now", before: "6", after: "4"), .init(field: "notes", before: "", after: "Seen with a carer")])
        #expect(try summary()?.painNow == 4)
        #expect(try summary()?.complaint == "Neck pain", "a field no amendment touched stays as signed")
        try amend([.init(field: "complaint", before: "Neck pain", after: "Left neck pain"),
                   .init(field: "pain.now", before: "4", after: "5")])
        let latest = try #require(try summary())
        #expect(latest.painNow == 5, "the latest amendment wins")
        #expect(latest.complaint == "Left neck pain")
        #expect(latest.amendments == 2)

        let read = try clinic.db.read { tx in try tx.visit(id: visit.id!) }
        let stored = try #require(read)
        #expect(stored.pain.now?.value == 6, "the signed note itself is unchanged")
        #expect(stored.complaint == "Neck pain")
    }
}
