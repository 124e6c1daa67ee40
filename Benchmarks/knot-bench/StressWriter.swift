import Foundation
import ClinicModel
import ClinicServices
import ClinicStore

/// `knot-bench stress-writer --database PATH --visits N --handle H [--patient KEY]`: one of the
/// terminals in the several-terminals test. It opens the clinic once, then records N visits and
/// signs each, every step in its own transaction through the same use cases `knot` runs, as fast
/// as it can, while other writers do the same on the same database.
///
/// It prints one JSON line (`visits`, `signed`, `seconds`, `failures`) and exits 0 only when
/// every write succeeded: a "database is locked" or any other failure is counted and shown.
func runStressWriter(arguments: [String]) -> Int32 {
    var database: String?
    var handle: String?
    var patient = "K1"
    var visits = 500
    var i = 0
    while i < arguments.count {
        let value = i + 1 < arguments.count ? arguments[i + 1] : nil
        switch (arguments[i], value) {
        case ("--database", let v?): database = v
        case ("--handle", let v?): handle = v
        case ("--patient", let v?): patient = v
        case ("--visits", let v?): visits = Int(v) ?? -1
        default:
            FileHandle.standardError.write(Data("stress-writer: unexpected '\(arguments[i])'\n".utf8))
            return 2
        }
        i += 2
    }
    guard let database, let handle, visits >= 0 else {
        FileHandle.standardError.write(Data("usage: knot-bench stress-writer --database PATH --visits N --handle H [--patient KEY]\n".utf8))
        return 2
    }
    var created = 0
    var signed = 0
    var failures: [String] = []
    let start = Date()
    do {
        let session = try ClinicSession.open(path: database, handle: handle, create: false)
        for n in 0..<visits {
            do {
                let v = try session.newVisit(patientKey: patient, complaint: "stress \(handle) \(n)",
                                             pain: PainScores(now: try NPRS(n % 11, field: "pain.now")))
                created += 1
                _ = try session.sign(visitID: v.id!)
                signed += 1
            } catch {
                if failures.count < 20 { failures.append(String(describing: error)) } else { failures.append("…") }
            }
        }
    } catch {
        failures.append("cannot open: \(error)")
    }
    let seconds = Date().timeIntervalSince(start)
    let report: [String: Any] = ["handle": handle, "visits": created, "signed": signed, "seconds": seconds,
                                 "failures": Array(failures.prefix(21))]
    if let data = try? JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]) {
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
    return failures.isEmpty ? 0 : 1
}
