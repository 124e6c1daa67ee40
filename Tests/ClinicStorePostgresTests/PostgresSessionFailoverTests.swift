import Foundation
import Testing
import ClinicTestSupport
import ClinicModel
import ClinicServices
@testable import ClinicStorePostgres

/// The failover as Knot's users meet it: visits recorded through `ClinicSession` on the primary
/// of a synchronous pair, the primary killed with SIGKILL while a session is recording more, the
/// standby promoted, and Knot opened on it: every visit whose recording returned is there, the
/// one in flight is there whole or not at all, the audit chain verifies, and Knot writes again.
@Suite("PostgreSQL failover through Knot's use cases", .enabled(if: PostgresStandbyPair.isEnabled, PostgresStandbyPair.skipped), .serialized)
struct PostgresSessionFailoverTests {
    /// What the recording session has been told, shared with the test.
    final class Ledger: @unchecked Sendable {
        private let lock = NSLock()
        private var ids: [Int64] = []
        private var failure: String?
        func recorded(_ id: Int64) { lock.withLock { ids.append(id) } }
        func failed(_ message: String) { lock.withLock { failure = message } }
        var acknowledged: [Int64] { lock.withLock { ids } }
        var failureMessage: String? { lock.withLock { failure } }
    }

    @Test(.timeLimit(.minutes(3)))
    func everyRecordedVisitSurvivesAndTheTrailVerifies() async throws {
        let pair = try await PostgresStandbyPair.start()
        do {
            try await failOver(pair)
        } catch {
            await pair.stop()
            throw error
        }
        await pair.stop()
    }

    private func failOver(_ pair: PostgresStandbyPair) async throws {
        let primaryURL = pair.primary.displayURL
        let standbyURL = pair.standby.displayURL
        let patientID = try await BlockingWork.run { () throws -> Int64 in
            let setup = try ClinicSession.open(path: primaryURL, handle: "", environment: [:])
            try setup.setUpClinic(firstAccount: Practitioner(handle: "amy", name: "Amy Physio", profession: .physiotherapist))
            let amy = try ClinicSession.open(path: primaryURL, handle: "amy", environment: [:])
            return try amy.addPatient(Patient(recordNumber: "K1", givenNames: "Jo", familyName: "Smith",
                                              dateOfBirth: try LocalDate(parsing: "1980-05-17"))).id!
        }
        // One session records visits one after another until its server dies under it.
        let ledger = Ledger()
        let writer = Task.detached {
            try? await BlockingWork.run {
                do {
                    let amy = try ClinicSession.open(path: primaryURL, handle: "amy", environment: [:])
                    for index in 0..<10_000 {
                        let visit = try amy.newVisit(patientKey: "K1", complaint: "visit \(index)", pain: PainScores(now: NPRS(unchecked: 5)))
                        ledger.recorded(visit.id!)
                    }
                } catch {
                    ledger.failed("\(error)")
                }
            }
        }
        while ledger.acknowledged.count < 15 {
            if let failure = ledger.failureMessage {
                Issue.record("the session stopped before the kill: \(failure)")
                break
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        failoverStep("session: \(ledger.acknowledged.count) visits recorded, killing the primary")
        try await pair.killPrimary()
        await writer.value
        failoverStep("session: the recording stopped (\(ledger.failureMessage ?? "?")); promoting the standby")
        let acknowledged = ledger.acknowledged
        // The command in flight failed cleanly, saying nothing was saved (knot exits 74 for it).
        let failure = try #require(ledger.failureMessage)
        #expect(failure.contains("nothing was saved") || failure.contains("lost") || failure.contains("cannot open"), "\(failure)")

        try await pair.promoteStandby()
        failoverStep("session: promoted; opening Knot on it")
        try await BlockingWork.run {
            let amy = try ClinicSession.open(path: standbyURL, handle: "amy", environment: [:])
            let visits = try amy.database.read { try $0.visits(patientID: patientID) }
            let present = Set(visits.compactMap(\.id))
            for id in acknowledged { #expect(present.contains(id), "recorded visit \(id) is on the promoted standby") }
            #expect(present.count - acknowledged.count <= 1, "at most the visit in flight beyond those acknowledged")
            // Whole: every visit present has the audit event written in its transaction.
            let created = try amy.database.read { tx in
                try tx.auditLog(patientID: patientID, limit: 100_000).filter { $0.event.entity == "visit" && $0.event.action == .create }
            }
            #expect(Set(created.compactMap(\.event.entityID)) == present)
            let verification = try amy.verifyAudit()
            #expect(verification.firstProblem == nil, "\(verification)")
            // Knot writes to the promoted server.
            let after = try amy.newVisit(patientKey: "K1", complaint: "after the failover", pain: PainScores())
            #expect(after.id != nil)
        }
    }
}
