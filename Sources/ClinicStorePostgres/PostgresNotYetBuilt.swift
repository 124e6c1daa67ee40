import Foundation
import ClinicModel

// The work list of the PostgreSQL store: every operation of ClinicServices' `ClinicRecordReader`
// / `ClinicRecords` not yet built on PostgreSQL, each throwing
// `PostgresStoreError.notBuilt` ("… is not built on PostgreSQL yet", exit 74 in `knot`, as an I/O
// failure; its write transaction is rolled back). Grouped by area, each group naming the helper who
// builds it (issue 20: pgstore20 the people, settings and audit side; pgvisits20 the visit side).
// Whoever builds an operation deletes its stub here and writes it in a
// `PostgresTransaction+<Area>.swift` file. This file is a work list, not a feature.
extension PostgresTransaction {
    // MARK: - referrals and imported documents (pgvisits20)
    public func referral(id: Int64, withLetter: Bool) throws -> Referral? {
        throw PostgresStoreError.notBuilt("referrals and imported documents")
    }
    public func referralID(sha256: String) throws -> Int64? {
        throw PostgresStoreError.notBuilt("referrals and imported documents")
    }
    public func wasImported(sha256: String) throws -> Bool {
        throw PostgresStoreError.notBuilt("referrals and imported documents")
    }
    public func referralID(letterKey: String) throws -> Int64? {
        throw PostgresStoreError.notBuilt("referrals and imported documents")
    }
    public func referralVersions(setID: String) throws -> [ReferralVersion] {
        throw PostgresStoreError.notBuilt("referrals and imported documents")
    }
    public func heldReferralLetter(id: Int64) throws -> HeldReferralLetter? {
        throw PostgresStoreError.notBuilt("referrals and imported documents")
    }
    public func openReferralConflicts() throws -> [HeldReferralLetter] {
        throw PostgresStoreError.notBuilt("referrals and imported documents")
    }
    public func referralLinkDamage() throws -> [String] {
        throw PostgresStoreError.notBuilt("referrals and imported documents")
    }
    public func holdReferralLetter(_ letter: HeldReferralLetter, actor: String) throws -> Int64 {
        throw PostgresStoreError.notBuilt("referrals and imported documents")
    }
    public func markReferralConflictResolved(id: Int64, referralID: Int64, actor: String) throws {
        throw PostgresStoreError.notBuilt("referrals and imported documents")
    }
    public func insertReferral(_ r: Referral, actor: String, preservingID: Bool) throws -> Referral {
        throw PostgresStoreError.notBuilt("referrals and imported documents")
    }
    public func recordImportedDocument(sha256: String, kind: String) throws {
        throw PostgresStoreError.notBuilt("referrals and imported documents")
    }

    // MARK: - visits, amendments and plans (pgvisits20)
    public func needlingLog(from: Date, to: Date) throws -> [NeedlingLogEntry] {
        throw PostgresStoreError.notBuilt("visits, amendments and plans")
    }
    public func reviewsDue(by dueBy: LocalDate) throws -> [PlannedReview] {
        throw PostgresStoreError.notBuilt("visits, amendments and plans")
    }

    // MARK: - audit trail (pgstore20)
    public func trustedExportKeys() throws -> Set<String> {
        throw PostgresStoreError.notBuilt("audit trail")
    }
    public func trustExportKey(_ publicKey: String, label: String) throws -> String {
        throw PostgresStoreError.notBuilt("audit trail")
    }

}
