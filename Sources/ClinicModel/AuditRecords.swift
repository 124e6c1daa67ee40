// What the audit trail and its verification hand the use cases, whatever store keeps them.
import Foundation

/// An audit event as stored: the event and its place in the hash chain.
public struct AuditRecord: Sendable, Hashable, Codable {
    /// The event itself.
    public var event: AuditEvent
    /// The hash of the previous event in the chain (hex SHA-256; 64 zeros for the first event).
    public var prevHash: String
    /// This event's hash (hex SHA-256 of its id, the event and `prevHash`), which the next event links to.
    public var hash: String
    /// An event with its chain links, as the store keeps it.
    public init(event: AuditEvent, prevHash: String, hash: String) {
        self.event = event; self.prevHash = prevHash; self.hash = hash
    }
}

/// What `knot audit verify` found.
public struct AuditVerification: Sendable, Equatable {
    /// How many events of the chain were checked.
    public var eventsChecked: Int
    /// The first broken or missing link, if any, in words (or, when the chain holds, the first
    /// problem with the keyed seals or with a row).
    public var firstProblem: String?
    /// The hash of the newest event: write it down elsewhere to anchor the chain.
    public var headHash: String
    /// Where the keyed chain starts (events before it were verified as before, unkeyed); nil when
    /// the database has no keyed seals yet.
    public var keyedFrom: Int64? = nil
    /// Every problem with the keyed seals: the key, the head, an event's keyed seal.
    public var sealProblems: [String] = []
    /// Every row that no longer matches its last audited write, or has no audited origin.
    public var rowFindings: [TamperFinding] = []
    /// Findings beyond those listed (the list is capped).
    public var moreRowFindings: Int = 0
    /// Rows compared with their seals.
    public var rowsChecked: Int = 0
    /// Of `sealProblems`, those kept from before a schema upgrade (reported again, never re-kept).
    public var recordedProblems: [String] = []
    /// The events up to this id were matched, byte for byte, against the keyed checkpoint an
    /// earlier whole verification left, instead of being re-hashed one by one; nil when the whole
    /// chain was walked.
    public var resumedFrom: Int64? = nil
    /// The checkpoint this verification reached (only when everything held): saved with
    /// `saveAuditCheckpoint`, the next verification resumes the chain from it.
    public var checkpoint: AuditCheckpoint? = nil
    /// Why this store keeps no keyed seals at all (PostgreSQL: the server's roles guard the rows),
    /// for the report; nil on a store that keys its chain (SQLite).
    public var unkeyedBecause: String? = nil
    /// True when the chain, the keyed seals and every row held (`firstProblem` is nil).
    public var isIntact: Bool { firstProblem == nil }
    /// True when the trail itself held (every link, each event's keyed seal, the head seal, the
    /// checkpoint, the anchor) and what failed is only about records: a row or its seal changed,
    /// added or removed outside Knot, or the clinic's keyed point erased. False when the trail
    /// failed, or when its keyed seals could not be checked (`sealsUnchecked`).
    public var onlyRecordsFailed = false
    /// True when the hash chain (every link, the head, the anchor) held but the keyed seals (of
    /// events, head and rows) could not be checked at all: the clinic key is missing,
    /// unreadable or another clinic's.
    public var sealsUnchecked = false

    /// A result with the given chain count, first problem and head; the other findings start empty.
    public init(eventsChecked: Int, firstProblem: String?, headHash: String) {
        self.eventsChecked = eventsChecked
        self.firstProblem = firstProblem
        self.headHash = headHash
    }
}

/// A point of the audit trail that a whole verification found sound: the events up to `eventID`,
/// the hash of the last, and the SHA-256 of every stored byte of those events and their keyed
/// seals. Kept in the database under an HMAC of the clinic key, so a copy of the database alone
/// cannot forge one; the next verification re-reads those events and compares their bytes with
/// the digest (cheap) instead of re-hashing each one, then walks only the newer events. Rows are
/// never skipped: every row is re-read and compared with its seal on every run.
public struct AuditCheckpoint: Sendable, Equatable {
    /// The id of the newest event the checkpoint covers.
    public var eventID: Int64
    /// That event's hash (hex SHA-256).
    public var hash: String
    /// The SHA-256 (hex) of every stored byte of the covered events and their keyed seals.
    public var digest: String

    /// A checkpoint up to `eventID`, with that event's hash and the digest of the covered events.
    public init(eventID: Int64, hash: String, digest: String) { self.eventID = eventID; self.hash = hash; self.digest = digest }
}

/// A point of the audit trail written down elsewhere (`knot audit anchor`): the number of
/// events then and the hash of the last one. A later trail must still hold that event unchanged.
public struct AuditAnchor: Sendable, Equatable, Codable, CustomStringConvertible {
    /// How many events the trail held when the anchor was taken.
    public var count: Int64
    /// The hash of the newest event then (64 lowercase hex digits).
    public var hash: String
    /// An anchor for a trail of `count` events whose newest event has hash `hash`.
    public init(count: Int64, hash: String) { self.count = count; self.hash = hash }
    /// Reads `COUNT:HASH` (what `knot audit anchor` prints).
    public init?(parsing text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard parts.count == 2, let n = Int64(parts[0]), n >= 0, parts[1].count == 64,
              parts[1].allSatisfy({ $0.isHexDigit }) else { return nil }
        count = n
        hash = parts[1].lowercased()
    }
    /// `COUNT:HASH`, as `knot audit anchor` prints it and `init(parsing:)` reads it.
    public var description: String { "\(count):\(hash)" }
}

/// A row whose content no longer matches its last audited write (`knot audit verify`).
public struct TamperFinding: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How the row departs from its last audited write.
    public enum Kind: String, Sendable, Codable {
        /// The row differs from its sealed state in the named columns.
        case changed
        /// The row has no seal: it was added outside Knot.
        case noAuditedOrigin = "no-audited-origin"
        /// The seal remains but the row is gone.
        case deleted
        /// The row and its seal are both gone, and the audit trail records the row's creation
        /// (Knot never deletes such a row: patients, visits, consents, referrals, ...).
        case deletedWithSeal = "deleted-with-seal"
        /// The seal itself does not verify under the clinic key (rewritten outside Knot).
        case forgedSeal = "forged-seal"
    }
    /// The table of the row, by its SQL name.
    public var table: String
    /// The row's rowid (0 for a table without rowid: see `key`).
    public var rowID: Int64
    /// The columns that changed (empty unless `kind` is `.changed`).
    public var columns: [String]
    /// How the row departs from its seal.
    public var kind: Kind
    /// For a table without rowid (settings, templates, form drafts): the row's primary key, as a
    /// JSON array of its values (`["emergency_number"]`).
    public var key: String?
    /// When the finding was recorded before a schema upgrade re-sealed the clinic (it stays in
    /// the record and is reported by every later verification); nil for a finding made now.
    public var recordedAt: String?

    /// A finding for the row `rowID` (or `key`) of `table`.
    public init(table: String, rowID: Int64, columns: [String], kind: Kind, key: String? = nil, recordedAt: String? = nil) {
        self.table = table; self.rowID = rowID; self.columns = columns; self.kind = kind; self.key = key; self.recordedAt = recordedAt
    }

    /// `row 3`, or for a keyed table `row 'emergency_number'` (`row ('visit:3', 'mchen')`).
    var rowName: String {
        guard let key else { return "row \(rowID)" }
        let values = (try? JSONSerialization.jsonObject(with: Data(key.utf8)) as? [Any]) ?? []
        let parts = values.map { v in (v as? String).map { "'\($0)'" } ?? "\(v)" }
        if parts.isEmpty { return "row \(key)" }
        return parts.count == 1 ? "row \(parts[0])" : "row (\(parts.joined(separator: ", ")))"
    }

    /// The finding in one sentence, naming table, row and columns, for `knot audit verify`.
    public var description: String {
        let text = switch kind {
        case .changed: "\(table) \(rowName): column \(columns.joined(separator: ", ")) changed outside Knot (no longer matches its last audited write)"
        case .noAuditedOrigin: "\(table) \(rowName): no audited origin (added outside Knot)"
        case .deleted: "\(table) \(rowName): deleted outside Knot (its audited seal remains)"
        case .deletedWithSeal: "\(table) \(rowName): deleted outside Knot together with its seal (the audit trail records its creation)"
        case .forgedSeal: "\(table) \(rowName): its seal was rewritten outside Knot (does not verify under the clinic key)"
        }
        guard let recordedAt else { return text }
        return text + "; found before the schema upgrade of \(recordedAt) re-sealed the clinic, and kept"
    }
}

/// What `knot clinic key` shows: never the secret, only where it is and its public half.
public struct ClinicKeyInfo: Sendable, Codable, Equatable {
    /// The clinic's identity (names its key file); nil for a database an older Knot left.
    public var clinicID: String?
    /// Where the key file is expected.
    public var keyPath: String?
    /// True when the key file was found.
    public var keyPresent: Bool
    /// The public Ed25519 key (hex), to give to a clinic that imports this one's exports.
    public var publicSigningKey: String?
    /// Where the keyed chain starts (nil until the first writable open with the key).
    public var keyedFrom: Int64?
    /// Why this clinic has no key file at all (a clinic on PostgreSQL); nil where it should have one.
    public var noKeyBecause: String?

    /// What `knot clinic key` shows, from its parts.
    public init(clinicID: String?, keyPath: String?, keyPresent: Bool, publicSigningKey: String?, keyedFrom: Int64?) {
        self.clinicID = clinicID; self.keyPath = keyPath; self.keyPresent = keyPresent
        self.publicSigningKey = publicSigningKey; self.keyedFrom = keyedFrom
    }

    /// A clinic that keeps no key file, and why (`knot clinic key` says so instead of "missing").
    public init(clinicID: String?, noKeyBecause: String) {
        self.init(clinicID: clinicID, keyPath: nil, keyPresent: false, publicSigningKey: nil, keyedFrom: nil)
        self.noKeyBecause = noKeyBecause
    }
}
