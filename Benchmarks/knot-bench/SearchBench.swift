import ClinicModel
import ClinicServices
import ClinicStore
import Foundation

/// Times `ClinicSession.searchPatients` per query on a large clinic.
///
/// The queries are what a receptionist types: a family name, its first letters, given and
/// family name, a record number, a birth date, the start of a phone number, and the one or
/// two letters typed first (the worst case for prefix search). They come from patients
/// sampled evenly across the clinic, so they hit realistic name collisions.
enum SearchBench {
    static func run(_ o: PhaseArguments) throws -> PhaseResult {
        let session = ClinicSession.maintenance(database: try ClinicDatabase(path: try o.string("db"), create: false), actor: "bench")
        let wanted = try o.int("queries")
        let queries = try sampleQueries(session, count: wanted)
        var r = PhaseResult()

        // The very first query pays for opening pages of the index: reported apart.
        var t = Clock.now()
        _ = try session.searchPatients(queries[0].text)
        r.figures["coldMs"] = Clock.seconds(since: t) * 1000

        var all: [Double] = [], cpu: [Double] = []
        var byKind: [String: [Double]] = [:], cpuByKind: [String: [Double]] = [:]
        var found = 0
        for q in queries {
            t = Clock.now()
            let c = Clock.threadCPU()
            let hits = try session.searchPatients(q.text)
            let cpuMs = Double(Clock.threadCPU() - c) / 1e6
            let ms = Clock.seconds(since: t) * 1000
            all.append(ms)
            cpu.append(cpuMs)
            byKind[q.kind, default: []].append(ms)
            cpuByKind[q.kind, default: []].append(cpuMs)
            found += hits.count
        }
        all.sort()
        cpu.sort()
        // CPU time of the searching thread per query, beside wall time: on a machine shared with
        // other work the wall time's tail is mostly waiting for a core.
        r.figures["cpuP50Ms"] = Percentile.of(cpu, 50)
        r.figures["cpuP99Ms"] = Percentile.of(cpu, 99)
        for (kind, samples) in cpuByKind {
            r.figures["kind.\(kind).cpuP50Ms"] = Percentile.of(samples.sorted(), 50)
            r.figures["kind.\(kind).cpuP99Ms"] = Percentile.of(samples.sorted(), 99)
        }
        r.figures["queries"] = Double(all.count)
        r.figures["p50Ms"] = Percentile.of(all, 50)
        r.figures["p99Ms"] = Percentile.of(all, 99)
        r.figures["maxMs"] = all.last ?? 0
        r.figures["meanHits"] = Double(found) / Double(max(1, all.count))
        for (kind, samples) in byKind {
            let s = samples.sorted()
            r.figures["kind.\(kind).p50Ms"] = Percentile.of(s, 50)
            r.figures["kind.\(kind).p99Ms"] = Percentile.of(s, 99)
        }
        return r
    }

    struct Query { var kind: String; var text: String }

    /// `count` queries built from patients sampled evenly by id.
    static func sampleQueries(_ session: ClinicSession, count: Int) throws -> [Query] {
        let kinds = 8
        let people = max(1, (count + kinds - 1) / kinds)
        let patients: [Patient] = try session.database.read { tx in
            let total = try tx.patientCount(includeArchived: true)
            let stride = max(1, total / people)
            return try (0..<people).compactMap { try tx.patient(id: Int64(1 + ($0 * stride) % max(1, total))) }
        }
        guard !patients.isEmpty else { throw BenchError.setup("the clinic has no patients to search for") }
        var queries: [Query] = []
        var i = 0
        while queries.count < count {
            let p = patients[i % patients.count]
            let d = p.dateOfBirth
            let candidates: [Query] = [
                Query(kind: "family", text: p.familyName),
                Query(kind: "familyPrefix", text: String(p.familyName.prefix(3))),
                Query(kind: "givenFamily", text: "\(p.givenNames) \(p.familyName)"),
                Query(kind: "recordNumber", text: p.recordNumber),
                Query(kind: "birthDate", text: String(format: "%02d/%02d/%04d", d.day, d.month, d.year)),
                Query(kind: "phone", text: String((p.phone ?? "0400").prefix(6))),
                Query(kind: "firstLetter", text: String(p.familyName.prefix(1))),
                Query(kind: "twoLetters", text: String(p.givenNames.prefix(2))),
            ]
            queries.append(candidates[i % kinds])
            i += 1
        }
        return queries
    }
}
