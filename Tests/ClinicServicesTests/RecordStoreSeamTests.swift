import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicDemo
import ClinicStore
import ClinicTestSupport

/// A record store that is not `ClinicDatabase`: it hands every transaction on to another store
/// and counts them. A session built on it proves the use cases reach storage only through
/// `ClinicRecordStore`, and the counts show each use case is one transaction.
final class CountingRecordStore<Inner: ClinicRecordStore>: ClinicRecordStore, @unchecked Sendable {
    let inner: Inner
    private let lock = NSLock()
    private var counted = (reads: 0, writes: 0)

    init(_ inner: Inner) { self.inner = inner }

    /// Transactions opened so far.
    var counts: (reads: Int, writes: Int) { lock.withLock { counted } }

    var path: String { inner.path }

    func read<T>(_ body: (Inner.Reader) throws -> T) throws -> T {
        lock.withLock { counted.reads += 1 }
        return try inner.read(body)
    }

    func write<T>(_ body: (Inner.Writer) throws -> T) throws -> T {
        lock.withLock { counted.writes += 1 }
        return try inner.write(body)
    }

    func appliedMigrations() throws -> [String] { try inner.appliedMigrations() }
    func integrityProblems() throws -> [String] { try inner.integrityProblems() }
    func backup(to destination: String) throws { try inner.backup(to: destination) }
    func close() throws { try inner.close() }
}

@Suite("Use cases on any record store")
struct RecordStoreSeamTests {
    let dir = TemporaryDirectory(prefix: "knot-seam")

    /// A new SQLite clinic with one practitioner and one patient, behind the counting store.
    func clinic() throws -> (store: CountingRecordStore<ClinicDatabase>, mei: ClinicSession, patient: Patient) {
        let store = CountingRecordStore(try ClinicDatabase(path: dir.file("clinic.sqlite")))
        let setup = ClinicSession.maintenance(database: store, actor: "setup")
        let practitioner = try setup.addPractitioner(Practitioner(handle: "mchen", name: "Mei Chen", profession: .physiotherapist,
                                                                  registrationNumber: "PHY0001234567"))
        let patient = try setup.addPatient(Patient(recordNumber: "", givenNames: "Ana", familyName: "Souza",
                                                   dateOfBirth: try LocalDate(parsing: "1980-05-17")))
        return (store, ClinicSession(database: store, user: practitioner), patient)
    }

    /// Runs `work` and returns the transactions it opened on `store`.
    func transactions<S: ClinicRecordStore>(on store: CountingRecordStore<S>, _ work: () throws -> Void) rethrows -> (reads: Int, writes: Int) {
        let before = store.counts
        try work()
        let after = store.counts
        return (after.reads - before.reads, after.writes - before.writes)
    }

    @Test("a needled visit is recorded, refused while needles are out, and signed, each step one write transaction")
    func needledVisitThroughTheSeam() throws {
        let (store, mei, patient) = try clinic()
        let key = patient.recordNumber
        _ = try mei.recordConsent(patientKey: key) { patientID, practitionerID in
            Consent(patientID: patientID, practitionerID: practitionerID, risksExplained: Set(Consent.Risk.allCases), benefitsExplained: true, written: true)
        }
        _ = try mei.recordScreen(patientKey: key, answers: ScreenAnswers(nonePresent: true), validDays: 90)

        // Each use case writes in one transaction, after one read: the permission check reads
        // the account as it stands (deactivated since the session opened? roles changed?).
        var visit: Visit?
        #expect(transactions(on: store) {
            visit = try? mei.newVisit(patientKey: key, complaint: "Calf pain", pain: PainScores(now: NPRS(unchecked: 6)))
        } == (1, 1))
        let visitID = try #require(visit?.id)

        var entry: NeedlingEntry?
        #expect(transactions(on: store) {
            entry = try? mei.addNeedling(visitID: visitID, NeedlingEntry(
                muscleID: "gastrocnemius-medial", side: .left,
                needle: Needle(brand: "Seirin J-type", gaugeMm: 0.25, lengthMm: 40, lot: "SJ2606"),
                needlesInserted: 3, needlesRemoved: 1, technique: .staticInSitu)).0
        } == (1, 1))
        let entryID = try #require(entry?.id)

        // Two needles unaccounted for: the signature is refused and its transaction leaves nothing.
        #expect(transactions(on: store) {
            #expect(throws: ServiceError.self) { try mei.sign(visitID: visitID) }
        } == (1, 1))
        #expect(try mei.visitRecord(id: visitID).visit.status == .draft)

        #expect(try transactions(on: store) { try mei.setNeedlesRemoved(entryID: entryID, removed: 3) } == (1, 1))
        var signed: Visit?
        #expect(try transactions(on: store) { signed = try mei.sign(visitID: visitID) } == (1, 1))
        #expect(signed?.status == .signed)

        // What the use cases wrote through the seam is in the SQLite file, as the front end reads it.
        let snapshot = try mei.draftSnapshot(visitID: visitID)
        #expect(snapshot.visit.status == .signed)
        #expect(snapshot.visit.needling.map(\.needlesInserted) == [3])
        #expect(snapshot.visit.needling.map(\.needlesRemoved) == [3])
        #expect(snapshot.consents.count == 1 && snapshot.screens.count == 1)
        let reopened = try ClinicSession.open(path: store.path, handle: "mchen", create: false)
        #expect(try reopened.visitRecord(id: visitID).visit.status == .signed)
        #expect(try reopened.verifyAudit().isIntact)
    }

    @Test("the demo clinic loads through any record store in one write transaction")
    func demoThroughTheSeam() throws {
        let store = CountingRecordStore(try ClinicDatabase(path: dir.file("demo.sqlite")))
        let today = LocalDate(Date())
        var summary = DemoSummary()
        #expect(try transactions(on: store) { summary = try DemoClinic.load(into: store, actor: "demo", today: today) } == (0, 1))
        #expect(summary.patients > 0)
        let session = ClinicSession.maintenance(database: store, actor: "demo")
        #expect(try session.patientCount(includeArchived: true) == summary.patients)
        #expect(try session.reviewsDue(by: today).count == summary.reviewsDue)
    }
}
