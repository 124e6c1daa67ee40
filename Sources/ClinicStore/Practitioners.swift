import Foundation
import GRDB
import ClinicModel

extension StoreTransaction {
    static func practitioner(_ plain: Row) throws -> Practitioner {
        let row = plain.checked("practitioner")
        var training: DryNeedlingTraining?
        if let course: String = try row["training_course"], let hours = try row.optionalCount("training_hours"),
           let done: LocalDate = try row["training_completed_on"] {
            training = DryNeedlingTraining(course: course, hours: hours, completedOn: done)
        }
        let administrator: Int? = try row["administrator"], active: Int? = try row["active"]
        // A read-only database from before registration bodies has neither column (not migrated).
        let body: String? = plain.hasColumn("registration_body") ? try row["registration_body"] : nil
        let provider: String? = plain.hasColumn("provider_number") ? try row["provider_number"] : nil
        return try Practitioner(
            id: row["id"], handle: row["handle"], name: row["name"],
            profession: row.enumeration("profession"),
            registrationBody: body, registrationNumber: row["registration_number"], providerNumber: provider,
            role: row.enumeration("role"),
            dryNeedlingTraining: training,
            isAdministrator: administrator == 1, isActive: active != 0)
    }

    /// Adds a practitioner (validated), returning it with its id.
    @discardableResult
    public func insertPractitioner(_ p: Practitioner, actor: String, preservingID: Bool = false) throws -> Practitioner {
        do { try p.validate() } catch { throw StoreError.invalid(error) }
        if try practitioner(handle: p.handle) != nil {
            throw StoreError.duplicate(entity: "practitioner", field: "handle", value: p.handle)
        }
        var saved = p
        try db.cachedStatement(sql: """
            INSERT INTO practitioner (id, handle, name, profession, registration_number, role, training_course, training_hours, training_completed_on, created_at, administrator, active,
              registration_body, provider_number)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [preservingID ? p.id : nil, p.handle, p.name, p.profession.rawValue, p.registrationNumber, p.role.rawValue,
                             p.dryNeedlingTraining?.course, p.dryNeedlingTraining?.hours,
                             p.dryNeedlingTraining?.completedOn, Date(), saved.isAdministrator ? 1 : 0, p.isActive ? 1 : 0,
                             p.registrationBody, p.providerNumber])
        saved.id = lastID()
        try appendAudit(AuditEvent(actor: actor, action: .create, entity: "practitioner", entityID: saved.id))
        return saved
    }

    /// Saves a practitioner's details (validated), audited; `detail` says what changed (no
    /// patient data: which fields, and a registration as it reads on a letter).
    public func updatePractitioner(_ p: Practitioner, actor: String, detail: String? = nil) throws {
        guard let id = p.id else { throw StoreError.notFound(entity: "practitioner", key: p.handle) }
        do { try p.validate() } catch { throw StoreError.invalid(error) }
        try db.cachedStatement(sql: """
            UPDATE practitioner SET name = ?, profession = ?, registration_number = ?, role = ?,
              training_course = ?, training_hours = ?, training_completed_on = ?, administrator = ?, active = ?,
              registration_body = ?, provider_number = ? WHERE id = ?
            """).execute(arguments: [p.name, p.profession.rawValue, p.registrationNumber, p.role.rawValue,
                             p.dryNeedlingTraining?.course, p.dryNeedlingTraining?.hours,
                             p.dryNeedlingTraining?.completedOn, p.isAdministrator ? 1 : 0, p.isActive ? 1 : 0,
                             p.registrationBody, p.providerNumber, id])
        try appendAudit(AuditEvent(actor: actor, action: .update, entity: "practitioner", entityID: id, detail: detail))
    }

    public func practitioner(handle: String) throws -> Practitioner? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM practitioner WHERE handle = ? COLLATE NOCASE"), arguments: [handle]).map(Self.practitioner)
    }

    public func practitioner(id: Int64) throws -> Practitioner? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM practitioner WHERE id = ?"), arguments: [id]).map(Self.practitioner)
    }

    public func practitioners() throws -> [Practitioner] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM practitioner ORDER BY name COLLATE NOCASE")).map(Self.practitioner)
    }
}
