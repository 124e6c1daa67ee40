import Foundation
import ClinicModel
internal import ClinicStore

/// What `knot check` found.
public struct CheckReport: Sendable, Codable {
    /// The database file checked.
    public var path: String
    /// The migrations applied, by name, oldest first.
    public var migrations: [String]
    /// What the store's integrity and foreign-key checks found, in words (empty when sound).
    public var integrityProblems: [String]
    /// How many audit events the trail holds.
    public var auditEvents: Int
    /// The first break in the audit chain, in words; nil when it holds.
    public var auditProblem: String?
    /// The hash of the newest audit event.
    public var auditHeadHash: String
    /// Forms typed in the front end and neither saved nor discarded, oldest first (not a
    /// problem: a reminder, since they wait until their practitioner comes back to them).
    public var unsavedForms: [UnsavedForm]
    /// The clinic's stored time zone; nil when none is stored (an older database: dates follow
    /// the machine's zone until `knot clinic set --time-zone` is run). Not a problem for `ok`.
    public var timeZone: String?
    /// Every problem with the keyed seals (key, head, events) and every record changed outside
    /// Knot, in words (the same as `knot audit verify`).
    public var tamperEvidence: [String] = []
    /// Accounts anyone may claim (not bound to an operating-system user): a warning, not a problem for `ok`.
    public var accountWarnings: [String] = []
    /// What failed when `auditProblem` is set: `trail` (the audit trail itself: a link, an
    /// event's or the head's keyed seal), `unchecked` (the chain holds but the clinic key is
    /// missing or not the clinic's, so no keyed seal was checked) or `records` (the trail
    /// verifies; records or their seals were changed outside Knot). Nil when it holds.
    public var auditFailure: String?
    /// True when the database and the audit chain are sound.
    public var ok: Bool { integrityProblems.isEmpty && auditProblem == nil }
}

/// A form kept for its practitioner: where it belongs and since when (never what was typed).
public struct UnsavedForm: Sendable, Codable, Hashable {
    /// What it belongs to: "visit:219", "amend:57", "patient:new"...
    public var slot: String
    /// The handle of the practitioner who typed it.
    public var practitioner: String
    /// Which form: "needling", "triggerPoint", "amend", "patient"...
    public var form: String
    /// When it was last saved.
    public var savedAt: Date
}

/// A record past the retention period, for the clinic to decide on (nothing is deleted).
public struct RetentionItem: Sendable, Codable {
    /// The patient.
    public var patient: PatientSummary
    /// The last visit or other contact, when there was one.
    public var lastContact: LocalDate?
    /// The day until which the record must be kept.
    public var retainUntil: LocalDate
    /// The rule that set that day, in words ("adult: 7 years after last contact").
    public var rule: String
}

extension ClinicSession {
    /// Integrity, foreign keys, referral links and the audit chain.
    public func check() throws -> CheckReport {
        try authorize(.checkDatabase)
        let v = try verifyAudit()
        let forms = try database.read { tx in try tx.formDraftOverview() }.map {
            UnsavedForm(slot: $0.slot.rawValue, practitioner: $0.actor, form: $0.kind, savedAt: $0.savedAt)
        }
        let zone = try database.read { tx in try tx.clinicSettings()[ClinicSettingName.timeZone] }
        // Damage SQLite's own checks cannot see: a visit linked to another patient's referral.
        let referralDamage = try database.read { tx in try tx.referralLinkDamage() }
        return CheckReport(path: database.path, migrations: try database.appliedMigrations(),
                           integrityProblems: try database.integrityProblems() + referralDamage, auditEvents: v.eventsChecked,
                           auditProblem: v.firstProblem, auditHeadHash: v.headHash, unsavedForms: forms, timeZone: zone,
                           tamperEvidence: v.sealProblems + v.rowFindings.map(\.description)
                               + (v.moreRowFindings > 0 ? ["and \(v.moreRowFindings) more row(s)"] : []),
                           accountWarnings: try unboundAccountWarnings(),
                           auditFailure: v.isIntact ? nil : v.onlyRecordsFailed ? "records" : v.sealsUnchecked ? "unchecked" : "trail")
    }

    /// A consistent copy through SQLite's online backup (safe while others write), 0600.
    public func backup(to path: String) throws {
        // A backup holds every clinical note: not for reception.
        try authorize(.backup)
        try database.backup(to: path)
        try database.write { tx in _ = try tx.appendAudit(AuditEvent(actor: actor, action: .backup, entity: "database", detail: (path as NSString).lastPathComponent)) }
    }

    /// Restores a backup over the database at `target`: checks the backup first, keeps the old
    /// database aside as `<target>.before-restore-<time>`, and never leaves a half-replaced file.
    /// A backup an older Knot made is upgraded when it is opened after the restore; `notice`
    /// is told when that starts and ends (see ``OpeningNotice``).
    public static func restore(backup: String, over target: String, actor: String,
                               notice: ((OpeningNotice) -> Void)? = nil) throws -> String {
        guard FileManager.default.fileExists(atPath: backup) else { throw ServiceError.input("\(backup): no such file") }
        do {
            let candidate = try ClinicDatabase(path: backup, create: false, readOnly: true)
            let problems = try candidate.integrityProblems()
            let audit = try candidate.read { try $0.verifyAudit() }
            try candidate.close()
            if !problems.isEmpty { throw ServiceError.refused(action: "restore", reasons: ["the backup fails its integrity check: " + problems.prefix(3).joined(separator: "; ")]) }
            if let p = audit.firstProblem { throw ServiceError.refused(action: "restore", reasons: ["the backup's audit trail is broken: \(p)"]) }
        }
        let fm = FileManager.default
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        let aside = target + ".before-restore-" + stamp
        // A private copy beside the target (O_EXCL|O_NOFOLLOW, 0600 throughout), renamed into place.
        let staging = try PrivateFile.copyToTemporary(from: backup, besides: target, tag: "restoring")
        if fm.fileExists(atPath: target) {
            // Fold the WAL into the old file so that the copy kept aside is complete.
            if let old = try? ClinicDatabase(path: target, create: false) { try? old.checkpoint(); try? old.close() }
            try fm.moveItem(atPath: target, toPath: aside)
            for s in ["-wal", "-shm"] where fm.fileExists(atPath: target + s) { try? fm.moveItem(atPath: target + s, toPath: aside + s) }
        }
        if rename(staging, target) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(staging)
            throw ServiceError.input("could not move the restored database into place: \(reason)")
        }
        let db = try ClinicDatabase(path: target, create: false, notice: notice)
        try db.write { tx in _ = try tx.appendAudit(AuditEvent(actor: actor, action: .restore, entity: "database", detail: (backup as NSString).lastPathComponent)) }
        try db.close()
        return fm.fileExists(atPath: aside) ? aside : ""
    }

    /// Records past the retention period: adults 7 years after last contact, minors until 25.
    public func retentionReport(today: LocalDate = .today()) throws -> [RetentionItem] {
        try authorize(.retentionReport)
        return try database.read { tx in
            var items: [RetentionItem] = []
            for s in try tx.patientSummaries(includeArchived: true, limit: Int.max) {
                let last = try tx.visitSummaries(patientID: s.id).first.map { LocalDate($0.startedAt) }
                // Last contact is the latest visit or referral; for a patient with neither, the day
                // they were registered. Never the date of birth: a patient registered today and
                // not yet seen is not decades past retention.
                let referred = try tx.referralStatuses(patientID: s.id).map(\.referral.date).max()
                let contact = try [last, referred].compactMap { $0 }.max()
                    ?? tx.auditLog(patientID: s.id, limit: Int.max)
                        .last { $0.event.action == .create && $0.event.entity == "patient" }.map { LocalDate($0.event.at) }
                    ?? today
                let adultRule = contact.adding(years: 7)
                let minorAtContact = s.dateOfBirth.years(until: contact) < 18
                let until = minorAtContact ? max(adultRule, s.dateOfBirth.adding(years: 25)) : adultRule
                if until < today {
                    items.append(RetentionItem(patient: s, lastContact: last, retainUntil: until,
                                               rule: minorAtContact ? "minor at last contact: until age 25 (or 7 years, if later)" : "adult: 7 years after last contact"))
                }
            }
            return items
        }
    }
}
