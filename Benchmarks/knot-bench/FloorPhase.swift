import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// `knot-bench phase floor --from DB --db NEW --result R [--transactions N] [--cache-kib K]
/// [--wal-checkpoint P] [--journal memory|truncate]`: the SQLite floor, a peer for Knot's writers (issue 19).
///
/// Copies every row of a clinic Knot has just written (the letters' database, an imported
/// clinic) into a new, empty database with the same schema — tables, indexes, the full-text
/// table, and the triggers that fire on INSERT and do not refuse (the full-text index's) — and
/// the same settings as Knot's clinic (WAL, or the journal Knot's load uses, `synchronous = FULL`, the page size, `secure_delete`,
/// `temp_store = MEMORY`, foreign keys on, and the page cache and WAL checkpoint Knot's writer
/// sets): `INSERT INTO t SELECT * FROM src.t` from the ATTACHed source, tables in the order their
/// foreign keys need, in N transactions of about equal rows (as many commits as Knot made), then
/// a checkpoint. Nothing is parsed, validated, mapped, bound or sealed (the seals are copied as
/// rows): what is left is SQLite's own cost — B-trees, indexes, the full-text trigger, the WAL —
/// for the same rows, a lower bound for any importer that keeps them. Each row takes SQLite's
/// ordinary insert path (a record made from its values, each index entry inserted): the copy
/// never uses SQLite's transfer optimization, which moves raw records (see `copy`).
///
/// Left out, so the floor is if anything low: the BEFORE INSERT guards that refuse (`RAISE`; a
/// signed visit's children copied after the visit would be refused, and their checks are lookups),
/// triggers on UPDATE and DELETE (nothing is updated), and the order Knot writes in (rows arrive
/// here in key order, so every B-tree is appended to; Knot's scattered keys, such as the search
/// prefixes, cost it more pages).
enum FloorPhase {
    /// One statement of the copy: rows of `table` with key in (lo, hi] (nil: unbounded).
    struct Chunk {
        var table: String
        var key: [String]
        var lo: [DatabaseValue]?
        var hi: [DatabaseValue]?
        var rows: Int
    }

    static func run(_ o: PhaseArguments) throws -> PhaseResult {
        let source = try o.string("from")
        let target = try o.string("db")
        let transactions = max(1, (try? o.int("transactions")) ?? 1)
        // `--journal memory`: as `knot init --from` builds a new clinic; `--journal truncate`: as
        // `knot import` fills an empty clinic (the rollback journal); otherwise a clinic's WAL.
        let journal = (try? o.string("journal")) ?? "wal"
        guard ["memory", "truncate", "wal"].contains(journal) else { throw BenchError.usage("--journal \(journal): memory, truncate or wal") }
        let journalInMemory = journal == "memory"
        guard FileManager.default.fileExists(atPath: source) else { throw BenchError.setup("no database at \(source)") }
        // The copy is made new: never over a file that is there (it could be the clinic itself).
        guard !FileManager.default.fileExists(atPath: target) else {
            throw BenchError.usage("--db \(target): a file is there; the floor copies into a new database only")
        }

        var config = Configuration()
        config.foreignKeysEnabled = true
        config.label = "knot-bench-floor"
        // As ClinicDatabase's connections (prepareDatabase) and the writer's own settings.
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA secure_delete = ON")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        let queue = try DatabaseQueue(path: target, configuration: config)
        var r = PhaseResult()
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS src", arguments: [source])
            let pageSize = try Int.fetchOne(db, sql: "PRAGMA src.page_size") ?? 4096
            try db.execute(sql: "PRAGMA page_size = \(pageSize)")
            // `--journal memory`: as `knot init --from` builds a new clinic (ClinicDatabase.loadWithoutJournal:
            // the journal in memory, synchronous OFF, no WAL); otherwise a clinic's WAL and synchronous FULL.
            // `--journal truncate`: as a whole-clinic import into an empty clinic (ClinicDatabase.withRollbackJournal:
            // the rollback journal, synchronous FULL, no WAL to checkpoint).
            if journalInMemory {
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = MEMORY")
                try db.execute(sql: "PRAGMA synchronous = OFF")
            } else if journal == "truncate" {
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = TRUNCATE")
                try db.execute(sql: "PRAGMA synchronous = FULL")
            } else {
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            if let kib = try? o.int("cache-kib") { try db.execute(sql: "PRAGMA cache_size = -\(kib)") }
            if let pages = try? o.int("wal-checkpoint") { try db.execute(sql: "PRAGMA wal_autocheckpoint = \(pages)") }

            let tables = try makeSchema(db)
            let plan = try plan(db, tables: tables, transactions: transactions)
            let total = plan.reduce(0) { $0 + $1.reduce(0) { $0 + $1.rows } }

            // The measured part: the copy, each transaction committed, then the checkpoint.
            // The CPU of each table's statements is summed apart (getrusage around each; the rest is
            // the commits' WAL writing, the last of the pages spilled, and the checkpoint).
            var tableCPU: [String: Double] = [:]
            let cpu0 = processCPUSeconds()
            let start = Clock.now()
            for transaction in plan {
                try db.inTransaction(.immediate) {
                    for chunk in transaction {
                        let t = processCPUSeconds()
                        try copy(db, chunk)
                        tableCPU[chunk.table, default: 0] += processCPUSeconds() - t
                    }
                    return .commit
                }
            }
            if journalInMemory {
                // As `finishLoad()`: the file forced to the disk (no WAL to checkpoint).
                let fd = Glibc.open(target, O_RDONLY | O_CLOEXEC)
                if fd >= 0 { _ = fsync(fd); _ = Glibc.close(fd) }
            } else if journal == "wal" {
                _ = try db.checkpoint(.truncate)
            }
            r.figures["seconds"] = Clock.seconds(since: start)
            r.figures["cpuSeconds"] = processCPUSeconds() - cpu0
            for (table, seconds) in tableCPU { r.figures["cpuSeconds.\(table)"] = seconds }
            r.figures["cpuSeconds.commitsAndCheckpoint"] = (r.figures["cpuSeconds"] ?? 0) - tableCPU.values.reduce(0, +)

            r.figures["rows"] = Double(total)
            r.figures["tables"] = Double(tables.count)
            r.figures["transactions"] = Double(plan.count)
            r.figures["pageSize"] = Double(pageSize)
            for table in tables {
                r.figures["rows.\(table)"] = Double(try Int.fetchOne(db, sql: "SELECT count(*) FROM main.\(table.quotedDatabaseIdentifier)") ?? 0)
            }
            try db.execute(sql: "DETACH DATABASE src")
        }
        try queue.close()
        r.figures["bytes"] = Double(fileSize(target) + fileSize(target + "-wal"))
        r.figures["sourceBytes"] = Double(fileSize(source) + fileSize(source + "-wal"))
        return r
    }

    /// Creates the source's tables, full-text tables, indexes and non-refusing INSERT triggers in
    /// the new database; returns the tables to copy, parents before the tables that refer to them.
    static func makeSchema(_ db: Database) throws -> [String] {
        let objects = try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM src.sqlite_master WHERE sql IS NOT NULL ORDER BY rowid")
        let virtual = objects.filter { ($0["type"] as String) == "table" && isVirtual($0["sql"]) }.map { $0["name"] as String }
        // The full-text table's own shadow tables: made by CREATE VIRTUAL TABLE, filled by its trigger.
        let shadows = Set(virtual.flatMap { v in ["_data", "_idx", "_content", "_docsize", "_config"].map { v + $0 } })
        func skipped(_ name: String) -> Bool { shadows.contains(name) || name.lowercased().hasPrefix("sqlite_") }

        var tables: [String] = []
        for object in objects where (object["type"] as String) == "table" && !skipped(object["name"]) {
            try db.execute(sql: object["sql"])
            if !isVirtual(object["sql"]) { tables.append(object["name"]) }
        }
        for object in objects where (object["type"] as String) == "index" && !skipped(object["tbl_name"]) {
            try db.execute(sql: object["sql"])
        }
        for object in objects where (object["type"] as String) == "trigger" && firesOnInsertWithoutRefusing(object["sql"]) {
            try db.execute(sql: object["sql"])
        }
        return try dependencyOrder(db, tables)
    }

    static func isVirtual(_ sql: String) -> Bool {
        normalized(sql).hasPrefix("create virtual table")
    }

    /// A trigger on INSERT (before or after) whose body never refuses (`RAISE`).
    static func firesOnInsertWithoutRefusing(_ sql: String) -> Bool {
        let text = normalized(sql)
        return text.contains(" insert on ") && !text.contains("raise(") && !text.contains("raise (")
    }

    private static func normalized(_ sql: String) -> String {
        sql.lowercased().split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }

    /// Tables ordered so that each comes after the tables its foreign keys name (a table's
    /// references to itself aside), otherwise in the order they were created.
    static func dependencyOrder(_ db: Database, _ tables: [String]) throws -> [String] {
        var parents: [String: [String]] = [:]
        for table in tables {
            parents[table] = try String.fetchAll(db, sql: "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?, 'src')", arguments: [table])
                .filter { $0 != table && tables.contains($0) }
        }
        var ordered: [String] = []
        var visiting: Set<String> = []
        func visit(_ table: String) throws {
            if ordered.contains(table) { return }
            guard !visiting.contains(table) else { throw BenchError.setup("the foreign keys of \(table) form a cycle: no order copies it") }
            visiting.insert(table)
            for parent in parents[table] ?? [] { try visit(parent) }
            visiting.remove(table)
            ordered.append(table)
        }
        for table in tables { try visit(table) }
        return ordered
    }

    /// The copy cut into `transactions` transactions of about equal rows, in table order; each
    /// table's rows in key order (rowid, or the primary key of a WITHOUT ROWID table), cut at
    /// keys found now, before the clock starts.
    static func plan(_ db: Database, tables: [String], transactions: Int) throws -> [[Chunk]] {
        var counts: [(String, [String], Int)] = []
        for table in tables {
            let quoted = table.quotedDatabaseIdentifier
            let n = try Int.fetchOne(db, sql: "SELECT count(*) FROM src.\(quoted)") ?? 0
            let withoutRowid = try Bool.fetchOne(db, sql: "SELECT wr FROM pragma_table_list WHERE schema = 'src' AND name = ?", arguments: [table]) ?? false
            let key = withoutRowid
                ? try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?, 'src') WHERE pk > 0 ORDER BY pk", arguments: [table])
                : ["rowid"]
            counts.append((table, key, n))
        }
        let total = counts.reduce(0) { $0 + $1.2 }
        let perTransaction = max(1, (total + transactions - 1) / transactions)
        var plan: [[Chunk]] = []
        var current: [Chunk] = []
        var room = perTransaction
        for (table, key, n) in counts where n > 0 {
            var done = 0
            var lo: [DatabaseValue]?
            while done < n {
                let take = min(room, n - done)
                var hi: [DatabaseValue]?
                if done + take < n {
                    let columns = key.map { $0 == "rowid" ? "rowid" : $0.quotedDatabaseIdentifier }.joined(separator: ", ")
                    let row = try Row.fetchOne(db, sql: "SELECT \(columns) FROM src.\(table.quotedDatabaseIdentifier) ORDER BY \(columns) LIMIT 1 OFFSET ?",
                                               arguments: [done + take - 1])
                    hi = row.map { r in (0..<r.count).map { r[$0] as DatabaseValue } }
                }
                current.append(Chunk(table: table, key: key, lo: lo, hi: hi, rows: take))
                done += take
                lo = hi
                room -= take
                if room == 0 {
                    plan.append(current)
                    current = []
                    room = perTransaction
                }
            }
        }
        if !current.isEmpty { plan.append(current) }
        return plan
    }

    /// `INSERT INTO t SELECT * FROM src.t` for the chunk's keys.
    static func copy(_ db: Database, _ chunk: Chunk) throws {
        let quoted = chunk.table.quotedDatabaseIdentifier
        let columns = "(" + chunk.key.map { $0 == "rowid" ? "rowid" : $0.quotedDatabaseIdentifier }.joined(separator: ", ") + ")"
        func values(_ v: [DatabaseValue]) -> String { "(" + Array(repeating: "?", count: v.count).joined(separator: ", ") + ")" }
        var conditions: [String] = []
        var arguments: [DatabaseValue] = []
        if let lo = chunk.lo { conditions.append("\(columns) > \(values(lo))"); arguments += lo }
        if let hi = chunk.hi { conditions.append("\(columns) <= \(values(hi))"); arguments += hi }
        // Always a WHERE clause: without one SQLite's transfer optimization copies a table that has
        // no triggers and no foreign keys as raw records and its indexes entry by entry in index
        // order, which no importer building rows from values can do (0.36 of 2.9 s of CPU on
        // 10,000 patients). With it, every row takes the ordinary insert path.
        let filter = " WHERE " + (conditions.isEmpty ? "1" : conditions.joined(separator: " AND "))
        try db.execute(sql: "INSERT INTO main.\(quoted) SELECT * FROM src.\(quoted)\(filter)", arguments: StatementArguments(arguments))
    }

    /// This process's CPU time, user + system, in seconds (`getrusage`).
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.cpuSeconds
    }

    private static func fileSize(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
}
