import ClinicModel
import ClinicServices
import ClinicStore

/// Does the database work `update` asks for, through `ClinicSession`, and answers with the
/// command that carries the result (or the error, in words, for the status line).
///
/// The only part of the front end that touches the database; rendering never does.
struct EffectPerformer {
    let session: ClinicSession
    /// The clinic's "today" (injected so screens and the demo are reproducible).
    let today: LocalDate

    func perform(_ effect: Effect) -> Command {
        do {
            return try run(effect)
        } catch {
            return .failed(Self.message(for: error))
        }
    }

    private func run(_ effect: Effect) throws -> Command {
        switch effect {
        case .checkFirstRun:
            return .databaseChecked(isEmpty: try session.listPatients(includeArchived: true, limit: 1).isEmpty)
        case .searchPatients(let query):
            let trimmed = query.trimmingCharacters(in: .whitespaces)
            let found = trimmed.isEmpty ? try session.listPatients(limit: 2000) : try session.searchPatients(trimmed, limit: 500)
            return .patientsFound(query: query, patients: found)
        case .openChart(let id):
            return .chartOpened(try session.chart(key: String(id), today: today))
        case .openVisit(let id):
            return .visitOpened(try session.visitRecord(id: id))
        case .loadRecall:
            return .recallLoaded(try recallList())
        case .loadAudit(let id, let name):
            return .auditLoaded(patient: name, records: try session.auditLog(patientKey: String(id), limit: 1000))
        case .loadDemo:
            let summary = try DemoClinic.load(into: session.database, actor: session.actor, today: today)
            return .demoLoaded(patients: summary.patients, visits: summary.visits)
        }
    }

    /// Reviews due by today with the current referral's sessions left.
    private func recallList() throws -> [RecallEntry] {
        try session.database.read { tx in
            try tx.reviewsDue(by: today).map { row in
                let referral = try tx.referralStatuses(patientID: row.patient.id).first { $0.isCurrent(on: today) }
                return RecallEntry(patient: row.patient, reviewDate: row.reviewDate,
                                   overdueDays: max(0, row.reviewDate.days(until: today)), sessionsLeft: referral?.sessionsLeft)
            }
        }
    }

    /// One line for the status bar.
    static func message(for error: any Error) -> String {
        String(describing: error)
            .split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ")
    }
}
