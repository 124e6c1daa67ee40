import Foundation
import Testing
import GRDB
import ClinicModel
@testable import ClinicStore

/// The letter writer's lookups (is the letter filed, which referral has this letter key, who
/// holds this identifier, who was born that day with these names, the next record number) read
/// straight through SQLite (`rowsBoundInPlace`, issue 19). They must answer what the same
/// queries through GRDB answer, and a value stored with another type (a row edited outside
/// Knot) must be read through GRDB as before: decoded, or refused naming table and column.
@Suite struct LookupsInPlaceTests {
    static func patient(_ given: String, _ family: String, born: String = "1980-05-17", record: String = "",
                        identifiers: [PatientIdentifier] = []) throws -> Patient {
        Patient(recordNumber: record, givenNames: given, familyName: family, dateOfBirth: try LocalDate(parsing: born), identifiers: identifiers)
    }

    @Test("filed before, letter key, identifier holder, birth-date match and next record number: what GRDB's queries answer")
    func sameAnswersAsGRDB() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let medicare = PatientIdentifier(system: .medicare, value: "2123456701")
        let smith = try clinic.addPatient("Jo", "Smith", identifiers: [medicare])
        let berg = try clinic.addPatient("Mary Anne", "van der Berg")
        let derBerg = try clinic.addPatient("Der Berg", "van")
        let muller = try clinic.addPatient("Zoë", "Müller", born: "1975-12-01")
        // A record number taken by hand: the number after the highest id is not free.
        _ = try clinic.addPatient("Hand", "Numbered", record: "K00006")
        try clinic.db.write { tx in
            var referral = Referral(patientID: smith.id!, referrerName: "Dr Who", date: testToday, reason: "Neck pain")
            referral.letterKey = "doc:1.2.3"
            referral.originalSHA256 = String(repeating: "a", count: 64)
            let filed = try tx.insertReferral(referral, actor: "test")
            try tx.recordImportedDocument(sha256: String(repeating: "b", count: 64), kind: "cda")

            for sha in ["a", "b", "c"].map({ String(repeating: $0, count: 64) }) {
                let grdb = try Bool.fetchOne(tx.db, sql: StoreTransaction.filedBeforeSQL, arguments: [sha])
                #expect(try tx.filedBefore(sha256: sha) == grdb, "\(sha.prefix(1))")
            }
            #expect(try tx.filedBefore(sha256: String(repeating: "a", count: 64)))
            #expect(try !tx.filedBefore(sha256: String(repeating: "c", count: 64)))
            #expect(try tx.referralID(letterKey: "doc:1.2.3") == filed.id)
            #expect(try tx.referralID(letterKey: "doc:9") == nil)
            #expect(try tx.patientID(identifier: medicare) == smith.id)
            #expect(try tx.patientID(identifier: PatientIdentifier(system: .medicare, value: "2999999991")) == nil)
            // "van der" + "Berg" and "van" + "der Berg" share the folded key; the names tell them apart.
            let born = try LocalDate(parsing: "1980-05-17")
            #expect(try tx.patientIDs(familyName: "VAN DER BERG", givenNames: "MARY ANNE", dateOfBirth: born) == [berg.id!])
            #expect(try tx.patientIDs(familyName: "van", givenNames: "Der Berg", dateOfBirth: born) == [derBerg.id!])
            #expect(try tx.patientIDs(familyName: "Muller", givenNames: "Zoe", dateOfBirth: try LocalDate(parsing: "1975-12-01")) == [muller.id!])
            #expect(try tx.patientIDs(familyName: "Muller", givenNames: "Zoe", dateOfBirth: born).isEmpty)
            #expect(try tx.patientIDs(familyName: "Smith", dateOfBirth: born) == [smith.id!])
            // Ids 1-5 are taken and K00006 was chosen by hand: the next free number is K00007.
            #expect(try tx.nextRecordNumber() == "K00007")
        }
        #expect(try clinic.db.write { try $0.nextRecordNumber() } == "K00007")
        let next = try clinic.addPatient("Next", "One")
        #expect(next.recordNumber == "K00007")
    }

    @Test("a family name stored as bytes that are not text (edited outside Knot): refused naming table and column, as GRDB refused it")
    func valueOfAnotherTypeReadThroughGRDB() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let born = try LocalDate(parsing: "1980-05-17")
        _ = try clinic.addPatient("Jo", "Smith")
        let q = try clinic.raw()
        // A blob that is not UTF-8 where a name is text: read as text by SQLite it would be some
        // string; GRDB refuses it.
        try q.write { try $0.execute(sql: "UPDATE patient SET family_name = X'FF536D697468' WHERE id = 1") }
        try? q.close()
        try clinic.db.write { tx in
            do {
                _ = try tx.patientIDs(familyName: "Smith", givenNames: "Jo", dateOfBirth: born)
                Issue.record("a family name that is not text was read as text")
            } catch {
                #expect("\(error)".contains("patient"), "\(error)")
                #expect("\(error)".contains("family_name"), "\(error)")
            }
        }
        // A blob that is UTF-8 text: GRDB reads it as that text, and so does the match.
        let q2 = try clinic.raw()
        try q2.write { try $0.execute(sql: "UPDATE patient SET family_name = CAST('Smith' AS BLOB) WHERE id = 1") }
        try? q2.close()
        #expect(try clinic.db.write { try $0.patientIDs(familyName: "Smith", givenNames: "Jo", dateOfBirth: born) } == [1])
    }

    @Test("a new patient's sort name is its own names' folds, whichever names the match folded last")
    func sortNameFromTheMatchsFolds() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let born = try LocalDate(parsing: "1980-05-17")
        try clinic.db.write { tx in
            // The match folds one letter's names, then another patient is inserted.
            _ = try tx.patientIDs(familyName: "Müller", givenNames: "Zoë", dateOfBirth: born)
            let other = try tx.insertPatient(try Self.patient("Siobhán", "O'Brien"), actor: "test", today: testToday)
            // The same names as the match folded (a letter's new patient).
            _ = try tx.patientIDs(familyName: "Ærø-Strøm", givenNames: "Øystein", dateOfBirth: born)
            let same = try tx.insertPatient(try Self.patient("Øystein", "Ærø-Strøm"), actor: "test", today: testToday)
            // Names equal as Swift compares text but not byte for byte (é composed, then decomposed).
            _ = try tx.patientIDs(familyName: "Zola", givenNames: "\u{E9}mile", dateOfBirth: born)
            let decomposed = try tx.insertPatient(try Self.patient("e\u{301}mile", "Zola"), actor: "test", today: testToday)
            for p in [other, same, decomposed] {
                let stored = try String.fetchOne(tx.db, sql: "SELECT sort_name FROM patient WHERE id = ?", arguments: [p.id])
                #expect(stored == StoreTransaction.sortName(family: p.familyName, given: p.givenNames), "\(p.familyName)")
            }
            #expect(try String.fetchOne(tx.db, sql: "SELECT sort_name FROM patient WHERE id = ?", arguments: [other.id]) == "obrien siobhan")
        }
    }
}
