import ClinicModel
import ClinicServices

extension ClinicSession {
    /// `knot demo` and the front end's first run: the demo clinic, into an empty database
    /// (clinic administrators, or anyone while the database has no accounts yet).
    public func loadDemo(today: LocalDate) throws -> DemoSummary {
        try authorize(.loadDemo)
        return try DemoClinic.load(into: database, actor: actor, today: today)
    }
}
