import Foundation
import Dispatch
import ClinicModel
internal import ClinicStore
import ClinicXML
import LibXML

/// What `importAll` gives back: one outcome per file it reached, in order, and the first file
/// the user may not import (those files are left out of the outcomes, as `knot import` always did).
public struct ImportRun {
    /// One outcome per file reached, in the order given.
    public var outcomes: [ImportOutcome]
    /// The error that refused the first file the user may not import; nil when none was refused.
    public var forbidden: Error?
}

/// A letter read, validated and mapped on a worker thread, before the writer sees it.
///
/// The order of checks is `importFile`'s: size and readability first, then (in the writer, which
/// alone reads the database) the SHA-256 of a letter imported before, then what reading it found.
enum PreparedLetter: Sendable {
    /// Decided before the database is asked (unreadable, over the size limit).
    case decided(ImportOutcome)
    /// Read; the writer checks the SHA-256 first, then files it or reports why not.
    case read(sha: String, Reading)
    /// Not a letter after all (a clinic export recognised only by its content): `importFile` alone.
    case alone

    enum Reading: Sendable {
        /// `checkedOn`: the day on which the letter's patient (as a new patient is filed) and its
        /// referral passed the model's checks here (`modelCheckedDay`), so the writer, on that
        /// same day, does not run them again; nil when either failed (the writer refuses it in
        /// its own words, as it always did).
        case letter(IncomingReferral, format: String, checkedOn: LocalDate?)
        case rejected(ImportOutcome)
    }
}

/// The writer connection's page cache and WAL checkpoint settings before `importAll` enlarged
/// them (nil: not yet).
struct LetterImportPageCache {
    var previous: Int?
    var previousCheckpoint: Int?
}

/// A letter filed without its own savepoint was refused: its batch is rolled back and filed again,
/// each letter in a savepoint (`fileLetters`).
private struct LetterRefusedUnguarded: Error {}

extension ClinicRecords {
    /// `body` with this transaction's inserts and their seals stepped straight through SQLite
    /// (`StoreTransaction.withStatementsStepped`; no savepoint may open inside); any other
    /// engine (PostgreSQL) runs `body` as it is.
    func steppedDirectly<T>(_ body: () throws -> T) throws -> T {
        guard let sqlite = self as? StoreTransaction else { return try body() }
        return try sqlite.withStatementsStepped(body)
    }
}

/// Results written by worker threads, one distinct slot each, read once all are done.
private final class PreparedSlots: @unchecked Sendable {
    let slots: UnsafeMutableBufferPointer<PreparedLetter?>
    let group = DispatchGroup()
    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }
    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }
    /// Waits for the workers and hands over what they made.
    func take() -> [PreparedLetter] {
        group.wait()
        return slots.map { $0 ?? .alone }
    }
}

/// The flags `clinicExports` fills, one distinct slot per worker iteration.
private struct ExportFlags: @unchecked Sendable {
    let flags: UnsafeMutableBufferPointer<Bool>
    init(_ flags: UnsafeMutableBufferPointer<Bool>) { self.flags = flags }
}

extension ClinicSession {
    /// Letters filed per durable transaction by `importAll` unless told otherwise.
    ///
    /// 500, as the issue's batched reference importer files them: the sha, letter-key, name and
    /// search-prefix indexes are written at random places, so each commit writes most of their
    /// pages to the WAL whatever the batch; at 200 letters a batch, 10,000 letters wrote 317 MB
    /// (10.8 WAL pages a letter), at 500 221 MB (6.6), and the writer's CPU fell about 8%. A crash
    /// still loses at most the batch being written, which the same import run again completes.
    public static let defaultImportBatch = 500
    /// The writer connection's page cache while `importAll` files letters, in KiB (16 MiB; set
    /// back afterwards). With SQLite's default (2 MiB) every batch read back, from the WAL, the
    /// index pages its letters touched (the sha, letter-key, name and search-prefix indexes are
    /// written at random places), and spilled pages were written to the WAL twice.
    package static let letterImportPageCacheKiB = 16 * 1024
    /// The WAL's size, in pages, at which a commit of `importAll` copies it into the database
    /// (`wal_autocheckpoint`; set back afterwards). At SQLite's 1,000 pages nearly every batch
    /// was followed by a checkpoint, which wrote again the index pages every batch touches and
    /// synced the database file each time (a tenth of the writer's time); at 8,192 (32 MiB of
    /// 4 KiB pages) one in eight or so. Durability is the WAL's, unchanged: each batch's commit
    /// is synced as before.
    package static let letterImportCheckpointPages = 8192

    /// The fewest letters a batch holds for its new patients to be indexed once as it ends
    /// (`withSearchIndexesWrittenOnce`). Holding the full-text insert trigger off is a row written
    /// and deleted in the batch's transaction (no schema change), which batches of two letters
    /// already repay; for one letter (`--batch 1`) it is only extra statements (about 5% more
    /// CPU measured), so such a batch indexes its patient as it is inserted.
    package static let searchIndexBatchMinimum = 2

    /// Imports files in order, as `knot import` does: whole-clinic exports one by one
    /// (`importFile`), letters in batches: read, validated and mapped on every core while this
    /// thread files the batch before, `batchSize` letters to one durable transaction, each letter
    /// all or nothing (a refused letter leaves no trace and the others go in: its batch is rolled
    /// back and filed again with a savepoint per letter, `fileLetter`).
    ///
    /// The outcomes are those `importFile` gives file by file: same checks in the same order, same
    /// report. A crash loses at most the batch not yet committed; importing again completes it
    /// (what was filed is skipped by its SHA-256). When a batch cannot be written (disk full), it
    /// is rolled back and filed again letter by letter, so the import stops exactly where
    /// `importFile` would, the letters after it not filed. `batchSize` 1 is one transaction per letter.
    public func importAll(_ files: [String], options: ImportOptions = ImportOptions(), batchSize: Int = ClinicSession.defaultImportBatch,
                          progress: (Int) -> Void = { _ in }) -> ImportRun {
        importAll(files, exportFlags: [:], options: options, batchSize: batchSize, progress: progress)
    }

    /// `importAll` of a listing's files (`importListing`), as `knot import` does: whether each
    /// folder file is a whole-clinic export is taken from what the listing read, not read again.
    public func importAll(_ listing: ImportListing, options: ImportOptions = ImportOptions(), batchSize: Int = ClinicSession.defaultImportBatch,
                          progress: (Int) -> Void = { _ in }) -> ImportRun {
        importAll(listing.files, exportFlags: listing.exportFlags, options: options, batchSize: batchSize, progress: progress)
    }

    private func importAll(_ files: [String], exportFlags: [String: Bool], options: ImportOptions, batchSize: Int,
                           progress: (Int) -> Void) -> ImportRun {
        var run = ImportRun(outcomes: [], forbidden: nil)
        // Segments in file order: an export alone, letters in runs of at most `batchSize`.
        var segments: [[String]] = []
        var exports = Set<String>()
        let isExport = Self.clinicExports(files, known: exportFlags)
        for (f, export) in zip(files, isExport) {
            if export {
                exports.insert(f)
                segments.append([f])
            } else if let last = segments.last, let first = last.first, !exports.contains(first), last.count < max(1, batchSize) {
                segments[segments.count - 1].append(f)
            } else {
                segments.append([f])
            }
        }
        let isLetters = { (segment: [String]) in segment.first.map { !exports.contains($0) } ?? false }
        func startReading(_ i: Int) -> PreparedSlots? {
            guard i < segments.count, isLetters(segments[i]) else { return nil }
            let segment = segments[i], slots = PreparedSlots(count: segment.count), opts = options
            DispatchQueue.global().async(group: slots.group) {
                DispatchQueue.concurrentPerform(iterations: segment.count) { k in
                    slots.slots[k] = Self.prepareLetter(segment[k], options: opts)
                }
            }
            return slots
        }
        var done = 0
        // A larger page cache for the import's batches (see `letterImportPageCacheKiB`), set in
        // the first batch's transaction and set back once the import ends.
        var pageCache = LetterImportPageCache()
        defer {
            if let previous = pageCache.previous { _ = try? database.write { try $0.setPageCache(previous) } }
            if let previous = pageCache.previousCheckpoint { _ = try? database.write { try $0.setWALCheckpoint(previous) } }
        }
        var reading = startReading(0)
        for (i, segment) in segments.enumerated() {
            let prepared = reading?.take()
            // The next batch is read while this one is written.
            reading = startReading(i + 1)
            var outcomes: [ImportOutcome?]
            if let prepared {
                outcomes = fileLetters(segment, prepared, options: options, pageCache: &pageCache, forbidden: &run.forbidden)
            } else {
                do {
                    try authorizeImport(of: segment)
                    outcomes = [importFile(segment[0], options: options)]
                } catch {
                    run.forbidden = run.forbidden ?? error
                    outcomes = [nil]
                }
            }
            for o in outcomes {
                done += 1
                progress(done)
                guard let o else { continue }
                run.outcomes.append(o)
                // A failed write (disk full, a file-size limit) stops the import: the files after
                // it are not filed, not rejected; they import once there is room.
                if o.status == .notFiled {
                    let reached = segments[..<i].reduce(0) { $0 + $1.count } + outcomes.count
                    run.outcomes += files.dropFirst(reached).map(ImportOutcome.notFiled)
                    _ = reading?.take()
                    return run
                }
            }
        }
        return run
    }

    /// `isClinicExport` of each file, in order, asked on every core in runs of 256 files (the
    /// first 4 KB of every file is read before the first letter is filed: on one thread that
    /// was a serial pause before the writer started).
    ///
    /// `known`: what a listing (`importListing`) found of some of the files; only the
    /// others are read. The answer is the same either way: a file that changed in between is
    /// still read by content when filed (a letter that is an export after all is filed alone, an
    /// export taken for a letter is recognised by `importFile`).
    /// Refuses, before a file is imported or anything printed, an import the user may not start:
    /// a whole-clinic export among the files needs `.importClinicExport` (without an account,
    /// only into an empty database: moving a clinic), letters alone `.importReferrals`. Letters
    /// after an export are checked again as each is filed (the export may bring the accounts
    /// that file them). Answers the listing with every file's kind read, so that `importAll`
    /// does not read the files' heads again.
    public func authorizeImport(_ listing: ImportListing) throws -> ImportListing {
        let flags = Self.clinicExports(listing.files, known: listing.exportFlags)
        let known = ImportListing(files: listing.files, exportFlags: Dictionary(zip(listing.files, flags), uniquingKeysWith: { a, _ in a }))
        if flags.contains(true) {
            try authorize(.importClinicExport)
        } else if !listing.files.isEmpty {
            try authorize(.importReferrals)
        }
        return known
    }

    static func clinicExports(_ files: [String], known: [String: Bool]) -> [Bool] {
        guard !known.isEmpty else { return clinicExports(files) }
        let unknown = files.filter { known[$0] == nil }
        var read = zip(unknown, clinicExports(unknown)).makeIterator()
        return files.map { known[$0] ?? read.next()!.1 }
    }

    /// `isClinicExport` of each file, in order, on every core in runs of 256 files.
    static func clinicExports(_ files: [String]) -> [Bool] {
        let run = 256
        guard files.count > run else { return files.map(isClinicExport) }
        let found = UnsafeMutableBufferPointer<Bool>.allocate(capacity: files.count)
        found.initialize(repeating: false)
        defer { found.deallocate() }
        let slots = ExportFlags(found)
        DispatchQueue.concurrentPerform(iterations: (files.count + run - 1) / run) { k in
            for i in k * run..<min(files.count, (k + 1) * run) { slots.flags[i] = isClinicExport(files[i]) }
        }
        return Array(found)
    }

    /// Files one batch of prepared letters: one transaction, a savepoint per letter. Outcomes in
    /// order; nil for a letter the user may not import. Falls back to `importFile` letter by
    /// letter when the batch cannot be written whole (and for a letter that turned out to be a
    /// clinic export, after committing those before it).
    private func fileLetters(_ files: [String], _ prepared: [PreparedLetter], options: ImportOptions,
                             pageCache: inout LetterImportPageCache, forbidden: inout Error?) -> [ImportOutcome?] {
        var outcomes: [ImportOutcome?] = []
        var start = 0
        // Letters go straight into the batch's transaction; once one is refused on the way, the
        // batch is filed again with a savepoint per letter (and a dry run always is: each letter
        // is rolled back by its savepoint).
        var guarded = options.dryRun
        while start < files.count {
            var denied: Error?
            let filed: [ImportOutcome?]?
            // Every file of a batch was found to be a letter (not a clinic export) when the batches
            // were made, so `authorizeImport` would ask for the same permission for each: ask once.
            var refusal: Error?
            do { try authorize(.importReferrals) } catch { refusal = error }
            do {
                filed = try database.write { tx in
                    if pageCache.previous == nil {
                        pageCache.previous = try tx.pageCacheSetting()
                        try tx.setPageCache(-Self.letterImportPageCacheKiB)
                    }
                    if pageCache.previousCheckpoint == nil {
                        let previous = try tx.walCheckpointSetting()
                        pageCache.previousCheckpoint = previous
                        if previous > 0 && previous < Self.letterImportCheckpointPages { try tx.setWALCheckpoint(Self.letterImportCheckpointPages) }
                    }
                    // The audit chain's stored head is written once for the batch, not per event,
                    // and so are the search indexes (a dry run leaves the schema alone); without
                    // savepoints, the inserts and their seals are stepped straight through SQLite.
                    func batch() throws -> [ImportOutcome?] { try tx.withAuditHeadWrittenOnce {
                        func fileAll() throws -> [ImportOutcome?] {
                            var filed: [ImportOutcome?] = []
                            for k in start..<files.count {
                                if case .alone = prepared[k] { break }
                                if let refusal {
                                    denied = denied ?? refusal
                                    filed.append(nil)
                                    continue
                                }
                                filed.append(try fileLetter(files[k], prepared[k], in: tx, dryRun: options.dryRun, guarded: guarded))
                            }
                            return filed
                        }
                        // A batch of one letter gains nothing from indexing once (`searchIndexBatchMinimum`).
                        let many = files.count - start >= Self.searchIndexBatchMinimum
                        return options.dryRun || !many ? try fileAll() : try tx.withSearchIndexesWrittenOnce(fileAll)
                    } }
                    return guarded ? try batch() : try tx.steppedDirectly(batch)
                }
            } catch is LetterRefusedUnguarded {
                // Rolled back whole: filed again, each letter in its own savepoint.
                guarded = true
                continue
            } catch {
                // Not written at all (disk full, busy): each letter again in its own transaction,
                // which reports (and stops) exactly as a letter-by-letter import does.
                filed = nil
            }
            if let filed {
                if let denied { forbidden = forbidden ?? denied }
                outcomes += filed
                start += filed.count
                if start < files.count {
                    // A clinic export found by its content: alone, as `importFile` does.
                    let alone = importAlone(files[start], options: options, forbidden: &forbidden)
                    outcomes.append(alone)
                    start += 1
                    // Its write failed (disk full): the import stops here, as `importFile` file by
                    // file would; `importAll` reports the letters after it not filed.
                    if alone?.status == .notFiled { return outcomes }
                }
            } else {
                for k in start..<files.count {
                    let o = importAlone(files[k], options: options, forbidden: &forbidden)
                    outcomes.append(o)
                    if o?.status == .notFiled { return outcomes }
                }
                return outcomes
            }
        }
        return outcomes
    }

    private func importAlone(_ file: String, options: ImportOptions, forbidden: inout Error?) -> ImportOutcome? {
        do { try authorizeImport(of: [file]) } catch {
            forbidden = forbidden ?? error
            return nil
        }
        return importFile(file, options: options)
    }

    /// One prepared letter inside a batch's transaction, in its own savepoint when `guarded`.
    /// Throws when the transaction itself cannot go on (a failed write), so the batch is redone
    /// letter by letter; unguarded, also when the letter is refused on the way
    /// (`LetterRefusedUnguarded`), so the batch is redone guarded.
    ///
    /// Unguarded, a letter is filed without a savepoint: SQLite copies every page a savepoint
    /// first changes into its journal, which for a letter (a dozen index pages, the full-text
    /// index) was a tenth of the writer's time. A refused letter is rare once the readers have
    /// validated it (a database rule, an identifier taken), and its batch filed again gives the
    /// same outcomes the guarded way always gave.
    private func fileLetter(_ file: String, _ prepared: PreparedLetter, in tx: any ClinicRecords, dryRun: Bool,
                            guarded: Bool) throws -> ImportOutcome {
        func logged(_ o: ImportOutcome) -> ImportOutcome {
            if o.status == .rejected { logger.info("import rejected", metadata: ["format": .string(o.format ?? "unknown")]) }
            return o
        }
        switch prepared {
        case .decided(let o): return logged(o)
        case .alone:
            // Never reached: the batch stops before such a file and `importFile` takes it alone.
            return ImportOutcome(file: file, status: .notFiled, format: "records", detail: "not filed: a whole-clinic export is imported on its own")
        case .read(let sha, let reading):
            if try tx.filedBefore(sha256: sha) {
                return ImportOutcome(file: file, status: .skipped, format: nil, detail: "already imported (same SHA-256); nothing written")
            }
            switch reading {
            case .rejected(let o): return logged(o)
            case .letter(let incoming, let format, let checkedOn):
                guard guarded else {
                    do {
                        return try fileReferral(incoming, in: tx, file: file, format: format, sha: sha, dryRun: dryRun,
                                                modelCheckedOn: checkedOn)
                    } catch let error where StorageError.writeFailure(in: error) != nil {
                        throw error
                    } catch {
                        throw LetterRefusedUnguarded()
                    }
                }
                do {
                    return try tx.savepoint {
                        try fileReferral(incoming, in: tx, file: file, format: format, sha: sha, dryRun: dryRun, modelCheckedOn: checkedOn)
                    }
                } catch let dry as DryRun {
                    var o = dry.outcome
                    if o.status != .conflict { o.detail += " (dry run: nothing written)" }
                    return o
                } catch let error where StorageError.writeFailure(in: error) != nil {
                    throw error
                } catch {
                    return logged(ImportOutcome(file: file, status: .rejected, format: nil, detail: Self.describe(error)))
                }
            }
        }
    }

    /// Reads, validates and maps one letter without the database (safe on any thread), with the
    /// checks `importFile` makes before filing, in its order.
    static func prepareLetter(_ path: String, options: ImportOptions) -> PreparedLetter {
        func rejected(_ detail: String, format: String? = nil) -> ImportOutcome {
            ImportOutcome(file: path, status: .rejected, format: format, detail: detail)
        }
        let data: Data
        switch LetterFile.read(path, maxBytes: options.maxBytes) {
        case .success(let read): data = read
        case .failure(let refusal): return .decided(rejected(refusal.detail))
        }
        // The file's SHA-256, once: a letter read keeps it as its original's (every reader takes
        // the SHA-256 of the bytes it is given, these), anything else has it taken here.
        lazy var sha = LetterDigest.sha256Hex(data)
        let parseOptions = ParseOptions(maxBytes: options.maxBytes, fileName: fileName(of: path))
        do {
            // Parsed once when it can be (a letter: the tree names its kind and is read as it is);
            // otherwise named and read as before, in the same words.
            let parsed = DocumentKind.parsed(data, options: parseOptions)
            let kind = try parsed?.kind ?? DocumentKind.detect(data, fileName: parseOptions.fileName, options: parseOptions)
            if let (incoming, format) = try ClinicSession.readLetter(kind, data, parseOptions: parseOptions, options: options,
                                                                     parsed: parsed?.document) {
                if let original = incoming.referral.originalSHA256 { sha = original }
                return .read(sha: sha, .letter(incoming, format: format, checkedOn: modelCheckedDay(incoming)))
            }
            switch kind {
            case .knotReferral, .cdaDocument, .fhirReferral:
                preconditionFailure("a referral letter is read above")
            case .clinicRecords:
                return .alone
            case .plan:
                return .read(sha: sha, .rejected(rejected("a follow-up plan document is an export for patients and referrers, not something to import", format: "plan")))
            case .unknown(let root, let ns):
                return .read(sha: sha, .rejected(rejected("<\(root)> in namespace \(ns ?? "(none)") is not a format Knot reads (Knot records, Knot referral, HL7 CDA, HL7 FHIR)")))
            }
        } catch {
            return .read(sha: sha, .rejected(rejected(describe(error))))
        }
    }
    /// What `(path as NSString).lastPathComponent` gives, without bridging to `NSString` for a
    /// path that does not end in a slash (a file's, from a listing): what follows its last slash.
    static func fileName(of path: String) -> String {
        guard let last = path.utf8.last, last != UInt8(ascii: "/") else { return (path as NSString).lastPathComponent }
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }

    /// The day on which `incoming` passed the checks the writer makes of a letter filed for a
    /// new patient (`Patient.validate(today:)` of the patient as `fileReferral` inserts it: no
    /// id, no alerts, a record number Knot chooses; `Referral.validate()`), on a reading
    /// thread; nil when either check fails, or the day changed meanwhile.
    ///
    /// Why: the two checks were 4% of the writer's time, which is the import's wall time. The
    /// writer skips them only on the same day (the checks read the date), and only for a new
    /// patient and its referral; everything else, and every refusal, is as before.
    static func modelCheckedDay(_ incoming: IncomingReferral) -> LocalDate? {
        let today = LocalDate.today()
        var patient = incoming.patient
        patient.id = nil
        patient.alerts = []
        // Any number Knot chooses passes the record number's checks (`K` and digits, one line).
        patient.recordNumber = "K00001"
        guard (try? patient.validate(today: today)) != nil, (try? incoming.referral.validate()) != nil,
              LocalDate.today() == today else { return nil }
        return today
    }
}
