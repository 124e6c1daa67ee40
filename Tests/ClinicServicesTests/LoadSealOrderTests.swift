import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicStore
import ClinicTestSupport

/// The row seals' collector keeps each table's rowids in the order written and sorts them only
/// when they did not come in rowid order (issue 19: a whole-clinic load writes them in order, and
/// a set hashed and sorted again each of its 490,000 rows). What the clinic relies on: every row
/// written in a transaction is sealed once, as it is at commit, whatever order the rows were
/// written in and however often (a seal made twice would count twice in the seal root, and
/// `knot audit verify` would find the root wrong).
@Suite struct LoadSealOrderTests {
    static let born = try! LocalDate(parsing: "1970-01-02")

    static func patient(_ id: Int64) -> Patient {
        Patient(id: id, recordNumber: "K\(id)", givenNames: "Ada", familyName: "Lovelace", dateOfBirth: born,
                identifiers: [PatientIdentifier(system: .clinic, value: "C\(id)")])
    }

    @Test("rows written out of rowid order and written again inside a load, across slices of seals, are each sealed once, as they are at commit: verify intact",
          arguments: [false, true])
    func outOfOrderAndRewrittenRowsSealedOnce(inLoad: Bool) throws {
        let dir = TemporaryDirectory(prefix: "knot-seal-order")
        let path = dir.file("clinic.sqlite")
        let db = try ClinicDatabase(path: path)
        // Ids in an order that is not rowid order: descending runs, a gap filled later, and patients
        // changed again (archived) after later rows were written, some in the same slice of seals.
        let order: [Int64] = [30, 29, 28, 1, 2, 3, 20, 10, 11, 12, 25, 24, 4, 5, 26, 27, 21, 22, 23, 13, 14, 15, 16, 17, 18, 19, 6, 7, 8, 9]
        try db.write { tx in
            var load: NewClinicLoad?
            if inLoad {
                let begun: NewClinicLoad = try #require(try tx.beginNewClinicLoad())
                load = begun
            }
            let writer = tx.withoutRowAudit().withModelChecked()
            func change(_ id: Int64, _ n: Int) throws {
                var p = try #require(try tx.patient(id: id))
                p.phone = "0400 000 \(String(format: "%03d", n))"
                try tx.updatePatient(p, actor: "test")
            }
            for (n, id) in order.enumerated() {
                try writer.insertPatient(Self.patient(id), actor: "test", preservingID: true)
                // Outside a load, changed again as the rows come (a load's patients are changed after it).
                if load == nil, n % 4 == 3 { try change(order[n / 2], n) }
                if n % 9 == 8 { try tx.sealWrittenSoFar(atLeast: 1) }
            }
            if let load { try tx.finishNewClinicLoad(load) }
            // Rows sealed in an earlier slice, and rows still waiting, written again out of order.
            for (n, id) in [order[29], order[0], order[14], order[28]].enumerated() { try change(id, 100 + n) }
        }
        try db.close()
        #expect(try SQLiteProbe.scalar(path, "SELECT count(*) FROM patient") == "30")
        for table in ["patient", "patient_identifier"] {
            let unsealed = try SQLiteProbe.scalar(path, "SELECT count(*) FROM \(table) WHERE rowid NOT IN (SELECT row_id FROM row_seal WHERE tbl = '\(table)')")
            #expect(unsealed == "0", "\(unsealed ?? "?") \(table) row(s) without a seal")
        }
        let reopened = try ClinicDatabase(path: path, create: false)
        defer { try? reopened.close() }
        let verified = try ClinicSession.maintenance(database: reopened, actor: "test").verifyAudit()
        #expect(verified.isIntact, "\(verified.firstProblem ?? "")")
        #expect(verified.rowFindings.isEmpty, "\(verified.rowFindings.map(\.description))")
    }
}
