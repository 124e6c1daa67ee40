import Foundation
import ClinicModel
import ClinicServices
import SeededRandom

// The demo clinic's generator at scale (see DemoClinic.swift for how the generator works).

/// The demo clinic's generator at scale, for benchmarks: `patients` patients with exactly
/// `visitsPerPatient` visits each, over the last six months.
///
/// Patients are written in transactions of `batchSize`, each patient from its own random stream,
/// so memory stays flat and the result does not depend on the batch size. Names come from pools
/// (with accents, apostrophes and CJK names), so search sees realistic collisions.
public enum SyntheticClinic {
    /// Patients written per transaction.
    public static let batchSize = 1000

    /// Generates the clinic (creating the demo's practitioners when missing) and returns what
    /// it wrote. The same seed and `today` give the same clinic; `today` must not be after the
    /// real date. About 100 s for 10,000 patients with 3 visits each in a debug build.
    @discardableResult
    public static func generate(into db: any ClinicRecordStore, patients: Int, visitsPerPatient: Int, seed: UInt64,
                                today: LocalDate) throws -> DemoSummary {
        guard patients >= 0 else { throw DemoClinicError.invalidSize(field: "patients", value: patients, rule: "must not be negative") }
        guard (0...200).contains(visitsPerPatient) else {
            throw DemoClinicError.invalidSize(field: "visitsPerPatient", value: visitsPerPatient, rule: "must be between 0 and 200")
        }
        var total = DemoSummary()
        let (staff, serialBase) = try db.write { tx -> (DemoStaff, Int) in
            var writer = ClinicHistoryWriter(tx: tx, actor: "synthetic", today: today, kind: .synthetic)
            let staff = try writer.ensureStaff()
            total.add(writer.summary)
            return (staff, try tx.patientCount(includeArchived: true))
        }
        var start = 0
        while start < patients {
            let end = min(patients, start + batchSize)
            let part = try db.write { tx -> DemoSummary in
                var writer = ClinicHistoryWriter(tx: tx, actor: "synthetic", today: today, kind: .synthetic)
                for index in start..<end {
                    var rng = SplitMix64(seed: seed, stream: UInt64(index))
                    let person = SyntheticPeople.person(&rng)
                    try writer.writePatient(person, serial: serialBase + index, staff: staff, visitCount: visitsPerPatient, rng: &rng)
                }
                return writer.summary
            }
            total.add(part)
            start = end
        }
        total.reviewsDue = try db.read { try $0.reviewsDue(by: today).count }
        return total
    }
}
