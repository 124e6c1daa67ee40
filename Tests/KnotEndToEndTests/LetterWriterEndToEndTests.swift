import Foundation
import Testing
import ClinicTestSupport

/// The letter writer keeps the audit chain's head in hand for a batch's transaction (issue 19):
/// a letter refused in the middle of a batch, after its patient and that patient's audit event
/// were written, must leave a chain with no gap that `knot audit verify` accepts.
@Suite("letter writer, end to end", .serialized)
struct LetterWriterEndToEndTests {
    @Test("letters refused mid-batch after their first audit event: the chain has no gap and knot audit verify passes")
    func refusedLettersKeepTheChain() throws {
        let clinic = EndToEndClinic()
        try clinic.setUp()
        let dir = clinic.home.file("letters")
        _ = try EndToEndClinic.writeReferrals(count: 12, into: dir)
        // Letters 3 and 8: the patient (with its audit event) is written, then the referral refused.
        let refused = [3, 8].map { "'Family\(EndToEndClinic.letters($0))'" }.joined(separator: ", ")
        _ = try SQLiteProbe.python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute("CREATE TRIGGER test_refuse BEFORE INSERT ON referral WHEN (SELECT family_name FROM patient WHERE id = NEW.patient_id) IN (%s) BEGIN SELECT RAISE(ABORT, 'refused for the test'); END" % sys.argv[2])
            c.commit()
            """, [clinic.db, refused])
        let r = try clinic.knot(["import", "--batch", "50", dir])
        #expect(r.status == 65, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("12 file(s): 10 created, 0 matched, 0 skipped, 0 conflict(s), 2 rejected."), "\(r.stdout)")
        // Three events per letter filed (patient, referral, import) and none of the refused ones;
        // ids with no gap, each chained, the head at the last.
        let chain = try SQLiteProbe.query(clinic.db, """
            SELECT (SELECT count(*) FROM audit_event WHERE (entity = 'patient' AND action = 'create') OR (entity = 'referral' AND action IN ('create', 'import'))),
                   (SELECT max(id) - min(id) + 1 = count(*) FROM audit_event),
                   (SELECT count(*) FROM audit_event e JOIN audit_event p ON p.id = e.id - 1 WHERE e.prev_hash <> p.hash),
                   (SELECT last_id = (SELECT max(id) FROM audit_event) FROM audit_head)
            """)
        #expect(chain == [["30", "1", "0", "1"]], "\(chain)")
        let verify = try clinic.knot(["audit", "verify"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        // The next import (a transaction that reads the head afresh) chains on.
        _ = try SQLiteProbe.python("import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute('DROP TRIGGER test_refuse')\nc.commit()", [clinic.db])
        let again = try clinic.knot(["import", dir])
        #expect(again.stdout.contains("12 file(s): 2 created, 0 matched, 10 skipped, 0 conflict(s), 0 rejected."), "\(again.stdout)")
        #expect(try clinic.knot(["audit", "verify"]).status == 0)
        #expect(try clinic.knot(["check"]).status == 0)
    }
}
