import Foundation
import GRDB
import ClinicModel
@testable import ClinicStore
import ClinicServices

/// A fresh folder under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("knot-store-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// The date the tests treat as today: fixed, and not after the real date (the model refuses
/// referrals and visits in the future).
let testToday = try! LocalDate(year: 2026, month: 6, day: 30)

/// A moment on `day` at `hour` in the machine's time zone.
func moment(_ day: LocalDate, hour: Int = 10, minute: Int = 0) -> Date {
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = .current
    return cal.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: hour, minute: minute))!
}

/// A clinic database with one practitioner, for tests that need somewhere to write.
struct Clinic {
    let directory: TemporaryDirectory
    let db: ClinicDatabase
    let practitioner: Practitioner

    init() throws {
        directory = try TemporaryDirectory()
        db = try ClinicDatabase(path: directory.file("clinic.sqlite"))
        practitioner = try db.write { tx in
            try tx.insertPractitioner(Practitioner(handle: "mchen", name: "Mei Chen", profession: .physiotherapist,
                                                   dryNeedlingTraining: DryNeedlingTraining(course: "DN 1", hours: 24, completedOn: try LocalDate(year: 2020, month: 3, day: 1))),
                                      actor: "test")
        }
    }

    var path: String { directory.file("clinic.sqlite") }

    func close() { try? db.close(); directory.remove() }

    @discardableResult
    func addPatient(_ given: String, _ family: String, born: String = "1980-05-17", phone: String? = nil,
                    record: String = "", identifiers: [PatientIdentifier] = [], alerts: [PatientAlert] = []) throws -> Patient {
        try db.write { tx in
            try tx.insertPatient(Patient(recordNumber: record, givenNames: given, familyName: family,
                                         dateOfBirth: try LocalDate(parsing: born), phone: phone, identifiers: identifiers,
                                         alerts: alerts), actor: "test", today: testToday)
        }
    }

    /// A draft visit on `day` with one trigger point and, when `needles` > 0, one needling entry
    /// with `needles` inserted and `removed` removed.
    func addVisit(patient: Patient, day: LocalDate = testToday.adding(days: -7), needles: Int = 0, removed: Int? = nil,
                  complaint: String = "Neck pain") throws -> Visit {
        try db.write { tx in
            var v = try tx.insertVisit(Visit(patientID: patient.id!, practitionerID: practitioner.id!, startedAt: moment(day),
                                             complaint: complaint, pain: PainScores(now: NPRS(unchecked: 6))), actor: "test")
            v.triggerPoints.append(try tx.insertTriggerPoint(TriggerPointFinding(muscleID: "upper-trapezius", side: .left, activity: .active),
                                                             visitID: v.id!, actor: "test"))
            if needles > 0 {
                v.needling.append(try tx.insertNeedling(Self.needling(needles, removed: removed ?? needles), visitID: v.id!, actor: "test"))
            }
            return v
        }
    }

    static func needling(_ inserted: Int, removed: Int, gauge: Double = 0.25, muscle: String = "infraspinatus") -> NeedlingEntry {
        NeedlingEntry(muscleID: muscle, side: .left, needle: Needle(brand: "Seirin J-type", gaugeMm: gauge, lengthMm: 40, lot: "SJ2606"),
                      needlesInserted: inserted, needlesRemoved: removed, technique: .staticInSitu,
                      depth: DepthMillimetres(unchecked: 20), timeInSitu: Seconds(unchecked: 600))
    }

    /// A plain GRDB connection to the same file, bypassing the store (as another program would).
    func raw() throws -> DatabaseQueue { try DatabaseQueue(path: path) }
}

extension StoreError {
    /// The fields named when the store refused a value for a model rule.
    var invalidFields: [String] {
        if case .invalid(let e) = self { return e.errors.map(\.field) }
        return []
    }
}


func fileBytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

func posixMode(_ path: String) -> Int? {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
          let mode = attributes[.posixPermissions] as? NSNumber else { return nil }
    return mode.intValue & 0o777
}
