import Foundation
import GRDB
import ClinicModel

/// The store's typed operations inside one transaction (read or write).
///
/// Services compose several of these in one `ClinicDatabase.write { }` so that an import or a
/// visit with its needling entries lands whole or not at all, with its audit rows.
public struct StoreTransaction {
    let db: Database
    /// When false, writes do not append their own audit rows (a records import restores the
    /// exported trail instead and logs one import event).
    var rowAudit = true
    /// When true, inserts do not run the model's `validate()` again: the caller has (a records
    /// import's reader checks every record with the same rules, naming file, line and path,
    /// before the writer sees it; `withModelChecked()`).
    var modelChecked = false
    /// The clinic key (nil when it is missing or the database predates keyed seals).
    let key: ClinicKey?
    /// Where the clinic key is expected, for messages (nil before the keyed-seal migration).
    let keyPath: String?
    /// What this transaction makes once and uses for each of its writes (dropped with it).
    let scratch = TransactionScratch()
    /// The rows this write transaction touched and has not sealed yet (nil when nothing is
    /// sealed: a read, no clinic key, an older database).
    let collector: RowChangeCollector?

    init(db: Database, key: ClinicKey? = nil, keyPath: String? = nil, collector: RowChangeCollector? = nil) {
        self.db = db
        self.key = key
        self.keyPath = keyPath
        self.collector = collector
    }

    /// Seals, now, the rows this transaction has written so far when there are at least
    /// `atLeast` of them, and forgets them (rows written again later are sealed again at the
    /// next slice or at commit). A whole-clinic import calls this as it goes, so the rowids
    /// waiting for their seals never hold more than a slice: memory stays flat however large the
    /// clinic, and each row is sealed while its page is still in the cache. Every row written in
    /// the transaction is still sealed before it commits (the rest at commit), and nothing else.
    public func sealWrittenSoFar(atLeast: Int) throws {
        guard let key, let collector, collector.pending >= max(1, atLeast) else { return }
        try saveAuditHead()  // sealing reads the stored head
        try RowSeal.seal(db, key: key, changes: collector.take(), direct: scratch.directSteps)
    }

    /// The same transaction with per-row audit turned off.
    public func withoutRowAudit() -> StoreTransaction {
        var t = self
        t.rowAudit = false
        return t
    }

    /// This transaction, its inserts not running the model's `validate()` again: for a caller
    /// whose values were each checked with the same rules just before (a whole-clinic import,
    /// whose reader refuses a record naming file, line and path). The schema's own checks
    /// (NOT NULL, CHECK, UNIQUE, foreign keys, triggers) still apply to every row.
    public func withModelChecked() -> StoreTransaction {
        var copy = self
        copy.modelChecked = true
        return copy
    }

    /// SQLite's `cache_size` for this connection as set (negative: KiB; positive: pages).
    public func pageCacheSetting() throws -> Int {
        try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
    }

    /// Sets this connection's `cache_size` (as `pageCacheSetting` reads it). A large import's
    /// one transaction spills fewer pages to the WAL, and reads fewer back, with a larger cache.
    public func setPageCache(_ setting: Int) throws {
        try db.execute(sql: "PRAGMA cache_size = \(setting)")
    }

    /// This connection's `wal_autocheckpoint`: the WAL size, in pages, at which a commit copies
    /// it into the database (0: never by itself).
    public func walCheckpointSetting() throws -> Int {
        try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") ?? 0
    }

    /// Sets this connection's `wal_autocheckpoint` (as `walCheckpointSetting` reads it).
    public func setWALCheckpoint(_ pages: Int) throws {
        try db.execute(sql: "PRAGMA wal_autocheckpoint = \(pages)")
    }

    /// Whether the database holds no patients and no practitioners (an import may keep ids).
    public func isEmptyClinic() throws -> Bool {
        (try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM patient) + (SELECT count(*) FROM practitioner) + (SELECT count(*) FROM audit_event)") ?? 0) == 0
    }

    static let json: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.dateEncodingStrategy = .millisecondsSince1970
        return e
    }()
    static let jsonDecoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .millisecondsSince1970
        return d
    }()

    func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try Self.json.encode(value), as: UTF8.self)
    }
    /// An array as `encode` writes it; an empty one without the encoder (most needling entries
    /// have no adverse events), as the same `[]`.
    func encode<E: Encodable>(_ value: [E]) throws -> String {
        value.isEmpty ? "[]" : String(decoding: try Self.json.encode(value), as: UTF8.self)
    }
    func decode<T: Decodable>(_ type: T.Type, _ text: String?) throws -> T {
        try Self.jsonDecoder.decode(type, from: Data((text ?? "null").utf8))
    }

    /// Dates are kept to the millisecond, so what is read back equals what an export wrote.
    static func truncated(_ date: Date) -> Date { AuditChain.truncated(date) }

    func lastID() -> Int64 { db.lastInsertedRowID }

    /// The FTS5 tokenizer `patient_fts` splits words with (`unicode61 remove_diacritics 2`), made
    /// once per transaction: making one prepares a statement to reach FTS5 (`SELECT fts5(?)`),
    /// which was a cost per patient filed when a batch of letters wrote hundreds of patients.
    func searchTokenizer() throws -> any FTS5Tokenizer {
        if let made = scratch.searchTokenizer { return made }
        let made = try db.makeTokenizer(FTS5TokenizerDescriptor(components: ["unicode61", "remove_diacritics", "2"]))
        scratch.searchTokenizer = made
        return made
    }
}

/// Things one transaction makes once (its connection's tokenizer) and keeps for its own writes;
/// shared by the copies of its `StoreTransaction` (`withoutRowAudit`), gone with the transaction.
final class TransactionScratch {
    var searchTokenizer: (any FTS5Tokenizer)?
    /// Inside `withSearchIndexesWrittenOnce`: asked, then (from the first patient inserted) the
    /// search indexes left to its end. Put back by a savepoint's rollback, as the hold row it
    /// stands for is.
    var searchIndexing: SearchIndexing?
    /// The audit chain's head as this transaction last wrote or read it (`auditChainHead`); nil
    /// until read, and whenever it may differ from the stored one without `auditHeadUnsaved`.
    var auditHead: AuditChainHead?
    /// Whether `auditHead` is newer than the stored `audit_head` (events appended inside a
    /// savepoint, whose end writes it: `saveAuditHead`).
    var auditHeadUnsaved = false
    /// How many savepoints (`savepoint`) and batches (`withAuditHeadWrittenOnce`) of this
    /// transaction are open: while any is, appended events leave the stored head to the
    /// outermost one's end.
    var auditHeadDeferrals = 0
    /// A patient this transaction wrote or read, so on file until it ends (patients are never
    /// deleted): a referral for them needs no lookup first. Put back by a savepoint's rollback.
    var patientOnFile: Int64?
    /// Identifiers (`identifierKey`) this transaction looked up and found held by no one, and
    /// has not written since: a patient inserted with them needs no second lookup. A rollback
    /// only takes identifiers away, so it leaves these free.
    var identifiersFree = Set<String>()
    /// Inside a whole-clinic load into an empty clinic (from `beginNewClinicLoad` to
    /// `finishNewClinicLoad`): its statements bound in place and its seals run straight through
    /// SQLite, the row seals' collector told of every row (`DirectSteps`). Nil otherwise.
    var directSteps: DirectSteps?

    /// The patients the exact name match just read (born that day, same folded family name),
    /// for the doubtful match asked next; valid while `changes` is the connection's count of
    /// changed rows.
    var sameFamilyBorn: SameFamilyBorn?

    /// The names the exact name match last folded (`PersonNameKey`), as given and folded: a
    /// letter's new patient is inserted with the same names, whose sort name is made of the
    /// same two folds (`sortName(family:given:)`), not folded again.
    var foldedNames: (family: String, given: String, familyKey: String, givenKey: String)?

    static func identifierKey(system: String, value: String) -> String { system + "\u{0}" + value }
}

/// Patients born on a day with the same folded family name, as read when `changes` rows had
/// been changed on the connection.
struct SameFamilyBorn {
    var dateOfBirth: LocalDate
    var family: String
    var changes: Int
    var ids: [Int64]
}

/// Where `withSearchIndexesWrittenOnce` stands in a transaction.
enum SearchIndexing {
    /// Asked; no patient inserted yet, nothing changed.
    case asked
    /// The `patient_fts_insert` trigger held off (`patient_fts_hold` has its row) before the
    /// first patient was inserted; `highest` was the highest patient id then.
    case deferred(highest: Int64)
}

/// The last audit event's id and hash.
struct AuditChainHead {
    var id: Int64
    var hash: String
}

extension LocalDate: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { description.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> LocalDate? {
        String.fromDatabaseValue(dbValue).flatMap { try? LocalDate(parsing: $0) }
    }
}

extension StoreTransaction {
    /// Runs `body` in a savepoint of this transaction: when it throws, everything it wrote is
    /// rolled back (the rest of the transaction stays) and the error is rethrown, database errors
    /// named as `ClinicDatabase.write` names them. Many letters filed in one transaction each
    /// go in whole or leave no trace this way.
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        var result: T?
        // What the savepoint rolls back, the transaction's memory of it forgets too.
        let auditHead = scratch.auditHead, auditHeadUnsaved = scratch.auditHeadUnsaved, patientOnFile = scratch.patientOnFile
        let searchIndexing = scratch.searchIndexing
        scratch.auditHeadDeferrals += 1
        defer { scratch.auditHeadDeferrals -= 1 }
        do {
            try db.inSavepoint {
                result = try body()
                // The outermost savepoint writes the audit head its events moved, once.
                if scratch.auditHeadDeferrals == 1 { try saveAuditHead() }
                return .commit
            }
        } catch {
            scratch.auditHead = auditHead
            scratch.auditHeadUnsaved = auditHeadUnsaved
            scratch.patientOnFile = patientOnFile
            scratch.searchIndexing = searchIndexing
            scratch.sameFamilyBorn = nil
            switch error {
            case let e as DatabaseError: throw ClinicDatabase.translate(e, path: "the clinic database")
            case is RowDecodingError: throw ClinicDatabase.undecodable
            default: throw error
            }
        }
        guard let result else { throw StoreError.constraint(message: "a savepoint ended without a result") }
        return result
    }

    /// Runs `body` (many letters of a batch) with the audit chain's stored head written once, as
    /// it ends, rather than after every event: the events chain from the head in hand as always.
    /// When `body` throws, the head in hand (put back by any savepoint that rolled back inside)
    /// is written before the error goes on, so the stored head never lags the events kept.
    public func withAuditHeadWrittenOnce<T>(_ body: () throws -> T) throws -> T {
        scratch.auditHeadDeferrals += 1
        let result: T
        do {
            result = try body()
        } catch {
            scratch.auditHeadDeferrals -= 1
            // Not when the database ended the transaction itself (a full disk): nothing to keep.
            if scratch.auditHeadDeferrals == 0, db.isInsideTransaction { try? saveAuditHead() }
            throw error
        }
        scratch.auditHeadDeferrals -= 1
        if scratch.auditHeadDeferrals == 0 { try saveAuditHead() }
        return result
    }
}
