import Foundation
import Testing
import GRDB
import ClinicModel
@testable import ClinicStore

/// The visit writer's shortcuts (issue 19) must store exactly what the general code stored: the
/// JSON columns of visits, findings, needling entries, outcome measures and plans as JSONEncoder
/// wrote them (row seals, exports, old databases and the PostgreSQL store read the same text),
/// and values bound in place as GRDB bound them, with every row still seen by the row seals'
/// change collector.
@Suite struct VisitColumnsJSONTests {
    static func encoded<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try StoreTransaction.json.encode(value), as: UTF8.self)
    }

    /// Every ASCII character, the awkward Unicode ones, and texts made of them.
    static let pool: [String] = WriterBytesTests.pool + ["\u{0}", "a\u{0}b", "/", "\\/", "\"\"", "", " ", "1e5", "null"]

    /// Numbers JSONEncoder writes in every form: whole, fractional, tiny, huge, negative zero.
    static let numbers: [Double] = [0, -0.0, 1, -1, 0.5, 9.5, 7.25, 0.1, 1.0 / 3, 2.0 / 3, 1e-5, 1e-7, 0.0001, 123.456,
                                    999_999.999, -999_999.5, 1e6, -1e6, 1e15, 1e16, 1.5e16, .leastNonzeroMagnitude, .leastNormalMagnitude,
                                    30, 29.99, 180, -180, 100, 12.345678901234567]

    static func text(_ random: inout some RandomNumberGenerator) -> String {
        (0..<Int.random(in: 0..<12, using: &random)).map { _ in pool.randomElement(using: &random)! }.joined()
    }

    static func number(_ random: inout some RandomNumberGenerator) -> Double {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: numbers.randomElement(using: &random)!
        case 1: Double.random(in: -1e6...1e6, using: &random)
        case 2: (Double.random(in: -1000...1000, using: &random) * 10).rounded() / 10
        default: Double(Int.random(in: -1_000_000...1_000_000, using: &random))
        }
    }

    static func measure(_ random: inout some RandomNumberGenerator) throws -> BiomechanicalMeasure {
        let fraction = Double(Int.random(in: 0...300, using: &random)) / 10
        switch Int.random(in: 0..<9, using: &random) {
        case 0: return .footPostureIndex(try FootPostureIndex(items: (0..<6).map { _ in Int.random(in: -2...2, using: &random) }))
        case 1: return .lunge(LungeCentimetres(unchecked: Bool.random(using: &random) ? fraction : Double.random(in: 0...30, using: &random)))
        case 2: return .legLengthDifference(LegLengthMillimetres(unchecked: Double.random(in: 0...100, using: &random)))
        case 3: return .halluxDorsiflexion(Degrees(unchecked: fraction))
        case 4: return .gait(GaitObservation.allCases.filter { _ in Bool.random(using: &random) })
        case 5: return .strength(movement: text(&random), grade: StrengthGrade(unchecked: Int.random(in: 0...5, using: &random)))
        case 6: return .jointRange(joint: text(&random), movement: text(&random), degrees: Degrees(unchecked: number(&random)))
        case 7: return .posture
        default: return .measure(name: text(&random), value: number(&random), unit: text(&random))
        }
    }

    @Test("every awkward character in every text field, as JSONEncoder writes it")
    func everyCharacter() throws {
        for c in Self.pool {
            let t = "a" + c + "z"
            let psfs = [PSFSItem(activity: t, score: PSFSScore(unchecked: 7)), PSFSItem(activity: c, score: PSFSScore(unchecked: 10))]
            #expect(VisitColumnsJSON.psfs(psfs) == (try Self.encoded(psfs)), "\(c.debugDescription)")
            for m in [BiomechanicalMeasure.strength(movement: t, grade: StrengthGrade(unchecked: 4)),
                      .jointRange(joint: t, movement: c, degrees: Degrees(unchecked: -12.5)),
                      .measure(name: c, value: 3, unit: t)] {
                #expect(VisitColumnsJSON.measure(m) == (try Self.encoded(m)), "\(c.debugDescription)")
            }
            let events = [AdverseEvent(kind: .other, severity: .serious, action: t), AdverseEvent(kind: .bruising)]
            #expect(VisitColumnsJSON.adverseEvents(events) == (try Self.encoded(events)), "\(c.debugDescription)")
            let items = [FollowUpPlan.Item(section: .homeProgram, text: t, rule: c, muscleID: t, side: .left),
                         FollowUpPlan.Item(section: .review, text: c)]
            #expect(VisitColumnsJSON.planItems(items) == (try Self.encoded(items)), "\(c.debugDescription)")
        }
    }

    @Test("the empty and the plain cases, every measure kind, outcome items with blanks")
    func shapes() throws {
        #expect(VisitColumnsJSON.psfs([]) == (try Self.encoded([PSFSItem]())))
        #expect(VisitColumnsJSON.adverseEvents([]) == (try Self.encoded([AdverseEvent]())))
        #expect(VisitColumnsJSON.planItems([]) == (try Self.encoded([FollowUpPlan.Item]())))
        for items: [Int?] in [[], [nil], [0], [3, nil, 2], [10, 11, -1, 123_456, nil, nil], Array(repeating: 4, count: 20)] {
            #expect(VisitColumnsJSON.outcomeItems(items) == (try Self.encoded(items)), "\(items)")
        }
        for kind in AdverseEvent.Kind.allCases {
            for severity in AdverseEvent.Severity.allCases {
                let events = [AdverseEvent(kind: kind, severity: severity)]
                #expect(VisitColumnsJSON.adverseEvents(events) == (try Self.encoded(events)))
            }
        }
        for section in FollowUpPlan.Item.Section.allCases {
            for side in [nil] + Side.allCases.map(Optional.some) {
                let items = [FollowUpPlan.Item(section: section, text: "x", rule: "r", muscleID: side == nil ? nil : "soleus", side: side)]
                #expect(VisitColumnsJSON.planItems(items) == (try Self.encoded(items)))
            }
        }
        for value in Self.numbers + Self.numbers.map({ -$0 }) {
            for m in [BiomechanicalMeasure.measure(name: "n", value: value, unit: "u"), .jointRange(joint: "j", movement: "m", degrees: Degrees(unchecked: value)),
                      .lunge(LungeCentimetres(unchecked: value)), .legLengthDifference(LegLengthMillimetres(unchecked: value)),
                      .halluxDorsiflexion(Degrees(unchecked: value))] {
                #expect(VisitColumnsJSON.measure(m) == (try Self.encoded(m)), "\(value)")
            }
        }
        for total in -2...2 {
            let fpi = BiomechanicalMeasure.footPostureIndex(try FootPostureIndex(items: Array(repeating: total, count: 6)))
            #expect(VisitColumnsJSON.measure(fpi) == (try Self.encoded(fpi)))
        }
        #expect(VisitColumnsJSON.measure(.gait([])) == (try Self.encoded(BiomechanicalMeasure.gait([]))))
        #expect(VisitColumnsJSON.measure(.gait(GaitObservation.allCases)) == (try Self.encoded(BiomechanicalMeasure.gait(GaitObservation.allCases))))
        #expect(VisitColumnsJSON.measure(.posture) == (try Self.encoded(BiomechanicalMeasure.posture)))
        // A number JSONEncoder refuses is left to it (which refuses it, as before).
        #expect(VisitColumnsJSON.measure(.measure(name: "n", value: .nan, unit: "u")) == nil)
        #expect(VisitColumnsJSON.measure(.lunge(LungeCentimetres(unchecked: .infinity))) == nil)
    }

    @Test("5,000 random values of each column, as JSONEncoder writes them")
    func randomValues() throws {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let psfs = (0..<Int.random(in: 0...5, using: &random)).map { _ in
                PSFSItem(activity: Self.text(&random), score: PSFSScore(unchecked: Int.random(in: 0...10, using: &random)))
            }
            #expect(VisitColumnsJSON.psfs(psfs) == (try Self.encoded(psfs)))
            let m = try Self.measure(&random)
            #expect(VisitColumnsJSON.measure(m) == (try Self.encoded(m)), "\(m)")
            let items: [Int?] = (0..<Int.random(in: 0...24, using: &random)).map { _ in
                Bool.random(using: &random) ? Int.random(in: -5...100, using: &random) : nil
            }
            #expect(VisitColumnsJSON.outcomeItems(items) == (try Self.encoded(items)))
            let events = (0..<Int.random(in: 0...3, using: &random)).map { _ in
                AdverseEvent(kind: AdverseEvent.Kind.allCases.randomElement(using: &random)!,
                             severity: AdverseEvent.Severity.allCases.randomElement(using: &random)!,
                             action: Bool.random(using: &random) ? Self.text(&random) : nil)
            }
            #expect(VisitColumnsJSON.adverseEvents(events) == (try Self.encoded(events)))
            let plan = (0..<Int.random(in: 0...6, using: &random)).map { _ in
                FollowUpPlan.Item(section: FollowUpPlan.Item.Section.allCases.randomElement(using: &random)!, text: Self.text(&random),
                                  rule: Self.text(&random), muscleID: Bool.random(using: &random) ? Self.text(&random) : nil,
                                  side: Bool.random(using: &random) ? Side.allCases.randomElement(using: &random) : nil)
            }
            #expect(VisitColumnsJSON.planItems(plan) == (try Self.encoded(plan)))
        }
    }

    @Test("values bound in place are stored as GRDB's argument list stored them, and the change collector sees every row, run by GRDB or straight through SQLite (a whole-clinic load's DirectSteps)",
          arguments: [false, true])
    func boundInPlace(straightThroughSQLite: Bool) throws {
        let queue = try DatabaseQueue()
        let collector = RowChangeCollector(tables: ["t"])
        let direct = straightThroughSQLite ? DirectSteps(collector: collector) : nil
        try queue.write { db in
            db.add(transactionObserver: collector, extent: .databaseLifetime)
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, kind TEXT, i INTEGER, r REAL, n NUMERIC, b BOOLEAN, x, at TEXT)")
        }
        var random = SystemRandomNumberGenerator()
        let date = Date(timeIntervalSince1970: 1_700_000_000.123)
        let changes = try queue.write { db in
            for row in 0..<400 {
                let text: String? = row % 7 == 0 ? nil : Self.text(&random)
                let int: Int? = row % 5 == 0 ? nil : Int.random(in: Int.min...Int.max, using: &random)
                let real: Double? = row % 6 == 0 ? nil : Self.number(&random)
                let flag: Bool? = row % 4 == 0 ? nil : Bool.random(using: &random)
                let when: DatabaseValue = row % 3 == 0 ? .null : StoredDateText.databaseValue(date.addingTimeInterval(Double(row)))
                try db.cachedStatement(sql: "INSERT INTO t (id, kind, i, r, n, b, x, at) VALUES (?, 'plain', ?, ?, ?, ?, ?, ?)")
                    .execute(arguments: [2 * row + 1, int, real, real, flag, text, when])
                var insert = InPlaceBinding(try db.cachedStatement(sql: "/* bound in place */ INSERT INTO t (id, kind, i, r, n, b, x, at) VALUES (?, 'typed', ?, ?, ?, ?, ?, ?)"), direct: direct)
                insert.int(Int64(2 * row + 2)); insert.int(int); insert.double(real); insert.double(real); insert.bool(flag)
                insert.text(text); insert.value(when)
                try insert.execute()
            }
            return collector.take()  // before the commit, which forgets them
        }
        #expect(changes["t"]?.count == 800, "the collector saw \(changes["t"]?.count ?? 0) of 800 rows")
        let pairs = try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.id AS id, quote(a.i) = quote(b.i) AND quote(a.r) = quote(b.r) AND quote(a.n) = quote(b.n)
                  AND quote(a.b) = quote(b.b) AND quote(a.x) = quote(b.x) AND quote(a.at) = quote(b.at)
                  AND typeof(a.x) = typeof(b.x) AND typeof(a.at) = typeof(b.at) AS same
                FROM t a JOIN t b ON b.id = a.id + 1 WHERE a.kind = 'plain'
                """)
        }
        #expect(pairs.count == 400)
        #expect(pairs.filter { !($0["same"] as Bool) }.map { $0["id"] as Int64 } == [])
        // A failed run is reported, and the next row goes in as before.
        try queue.write { db in
            var clash = InPlaceBinding(try db.cachedStatement(sql: "/* bound in place */ INSERT INTO t (id, kind, i, r, n, b, x, at) VALUES (?, 'typed', ?, ?, ?, ?, ?, ?)"), direct: direct)
            clash.int(1); for _ in 0..<6 { clash.null() }
            let refusal = #expect(throws: DatabaseError.self) { try clash.execute() }
            #expect(refusal?.resultCode == .SQLITE_CONSTRAINT)
            #expect(refusal?.message == "UNIQUE constraint failed: t.id", "\(refusal?.message ?? "")")
            var next = InPlaceBinding(try db.cachedStatement(sql: "/* bound in place */ INSERT INTO t (id, kind, i, r, n, b, x, at) VALUES (?, 'typed', ?, ?, ?, ?, ?, ?)"), direct: direct)
            next.int(10_000); next.int(5); for _ in 0..<5 { next.null() }
            try next.execute()
            // Too few values bound is refused, not run with the last row's.
            var short = InPlaceBinding(try db.cachedStatement(sql: "/* bound in place */ INSERT INTO t (id, kind, i, r, n, b, x, at) VALUES (?, 'typed', ?, ?, ?, ?, ?, ?)"), direct: direct)
            short.int(10_001)
            #expect(throws: DatabaseError.self) { try short.execute() }
            // Only the row written is waiting for its seal.
            #expect(collector.take() == ["t": [10_000]])
        }
        #expect(try queue.read { try Int.fetchOne($0, sql: "SELECT i FROM t WHERE id = 10000") } == 5)
        #expect(try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM t WHERE id = 10001") } == 0)
    }
}
