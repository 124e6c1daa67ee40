import Foundation
import Testing
import GRDB
import ClinicModel
@testable import ClinicStore

/// Migration v5-practitioner-registration: a practitioner's registration body and provider
/// number stored and read back, and SQLite holding the rules against raw SQL.
@Suite struct PractitionerRegistrationStoreTests {
    @Test func theBodyAndProviderNumberAreStoredAndReadBack() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let saved = try clinic.db.write { tx in
            try tx.insertPractitioner(Practitioner(handle: "kate", name: "Kate Ng", profession: .podiatrist, registrationBody: "AHPRA",
                                                   registrationNumber: "POD0001876543", providerNumber: "2426621B"), actor: "test")
        }
        let read = try #require(try clinic.db.read { try $0.practitioner(id: saved.id!) })
        #expect(read.registrationBody == "AHPRA" && read.registrationNumber == "POD0001876543" && read.providerNumber == "2426621B")
        var changed = read
        changed.registrationBody = "HCPC"; changed.registrationNumber = "CH12345"; changed.providerNumber = nil
        try clinic.db.write { tx in try tx.updatePractitioner(changed, actor: "test", detail: "HCPC registration CH12345") }
        let again = try #require(try clinic.db.read { try $0.practitioner(handle: "kate") })
        #expect(again.registrationBody == "HCPC" && again.registrationNumber == "CH12345" && again.providerNumber == nil)
    }

    @Test(arguments: [
        "UPDATE practitioner SET registration_body = 'AHPRA', registration_number = 'PHY12' WHERE id = ?",
        "UPDATE practitioner SET registration_body = 'ahpra', registration_number = 'phy0001234567' WHERE id = ?",
        "UPDATE practitioner SET registration_body = 'HCPC', registration_number = 'PH12X4' WHERE id = ?",
        "UPDATE practitioner SET registration_body = 'NPI', registration_number = '123456789' WHERE id = ?",
        "UPDATE practitioner SET registration_body = 'Some Board', registration_number = NULL WHERE id = ?",
        "UPDATE practitioner SET registration_body = '  ', registration_number = '123' WHERE id = ?",
        "UPDATE practitioner SET provider_number = '2426621B; DROP' WHERE id = ?",
        "UPDATE practitioner SET provider_number = '123456789012345678901' WHERE id = ?",
        "UPDATE practitioner SET registration_number = 'PHY' || char(10) || '0001234567' WHERE id = ?",
    ])
    func rawSQLCannotBreakTheRegistrationRules(_ sql: String) throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        let refusal = try SchemaInvariantTests.rawRefusal(clinic, sql, [clinic.practitioner.id])
        #expect(refusal?.resultCode == .SQLITE_CONSTRAINT, "\(sql)")
    }

    @Test func rawSQLWithinTheRulesIsAccepted() throws {
        let clinic = try Clinic()
        defer { clinic.close() }
        for sql in ["UPDATE practitioner SET registration_body = 'NPI', registration_number = '1234567893', provider_number = 'A-1 2' WHERE id = ?",
                    "UPDATE practitioner SET registration_body = 'Physiotherapy Board of New Zealand', registration_number = '70-12345' WHERE id = ?",
                    "UPDATE practitioner SET registration_body = NULL, registration_number = 'free text 123' WHERE id = ?"] {
            #expect(try SchemaInvariantTests.rawRefusal(clinic, sql, [clinic.practitioner.id]) == nil, "\(sql)")
        }
    }
}
