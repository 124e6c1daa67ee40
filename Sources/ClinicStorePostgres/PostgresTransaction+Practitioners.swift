import Foundation
import ClinicModel
import PostgresNIO

/// Practitioners (the clinic's accounts) and their operating-system logins, as the SQLite store keeps them.
extension PostgresTransaction {
    private static let practitionerColumns = """
        id, handle, name, profession, registration_number, role, training_course, training_hours, training_completed_on,
          administrator, active, registration_body, provider_number
        """

    private func practitioner(_ row: PostgresRow) throws -> Practitioner {
        let (id, handle, name, profession, number, role, course, hours, completed, administrator, active, body, provider) = try decode(
            row, (Int64, String, String, String, String?, String, String?, Int?, String?, Int16, Int16, String?, String?).self,
            table: "practitioner")
        var training: DryNeedlingTraining?
        if let course, let hours, let completed {
            training = DryNeedlingTraining(course: course, hours: hours,
                                           completedOn: try localDate(completed, table: "practitioner", row: id, column: "training_completed_on"))
        }
        return Practitioner(id: id, handle: handle, name: name,
                            profession: try enumeration(profession, table: "practitioner", row: id, column: "profession"),
                            registrationBody: body, registrationNumber: number, providerNumber: provider,
                            role: try enumeration(role, table: "practitioner", row: id, column: "role"),
                            dryNeedlingTraining: training, isAdministrator: administrator == 1, isActive: active != 0)
    }

    /// Adds a practitioner (validated), returning it with its id.
    @discardableResult
    public func insertPractitioner(_ p: Practitioner, actor: String, preservingID: Bool) throws -> Practitioner {
        do { try p.validate() } catch { throw PostgresStoreError.invalid(error) }
        if try practitioner(handle: p.handle) != nil {
            throw PostgresStoreError.duplicate(entity: "practitioner", field: "handle", value: p.handle)
        }
        var saved = p
        let training = p.dryNeedlingTraining
        saved.id = try insertReturningID("""
            INSERT INTO practitioner (id, handle, name, profession, registration_number, role, training_course, training_hours,
              training_completed_on, created_at, administrator, active, registration_body, provider_number)
            VALUES (coalesce(\(preservingID ? p.id : nil), nextval(pg_get_serial_sequence('practitioner', 'id'))),
                    \(p.handle), \(p.name), \(p.profession.rawValue), \(p.registrationNumber), \(p.role.rawValue),
                    \(training?.course), \(training?.hours), \(training?.completedOn.description), \(PGText.timestamp(Date())),
                    \(Int16(p.isAdministrator ? 1 : 0)), \(Int16(p.isActive ? 1 : 0)), \(p.registrationBody), \(p.providerNumber))
            RETURNING id
            """, table: "practitioner")
        if preservingID { try advanceIdentity("practitioner") }
        try appendAudit(AuditEvent(actor: actor, action: .create, entity: "practitioner", entityID: saved.id))
        return saved
    }

    /// Saves a practitioner's details (validated), audited; `detail` says what changed.
    public func updatePractitioner(_ p: Practitioner, actor: String, detail: String?) throws {
        guard let id = p.id else { throw PostgresStoreError.notFound(entity: "practitioner", key: p.handle) }
        do { try p.validate() } catch { throw PostgresStoreError.invalid(error) }
        let training = p.dryNeedlingTraining
        try execute("""
            UPDATE practitioner SET name = \(p.name), profession = \(p.profession.rawValue), registration_number = \(p.registrationNumber),
              role = \(p.role.rawValue), training_course = \(training?.course), training_hours = \(training?.hours),
              training_completed_on = \(training?.completedOn.description), administrator = \(Int16(p.isAdministrator ? 1 : 0)),
              active = \(Int16(p.isActive ? 1 : 0)), registration_body = \(p.registrationBody), provider_number = \(p.providerNumber)
            WHERE id = \(id)
            """)
        try appendAudit(AuditEvent(actor: actor, action: .update, entity: "practitioner", entityID: id, detail: detail))
    }

    /// The user with this handle (ignoring case), or nil.
    public func practitioner(handle: String) throws -> Practitioner? {
        try query("SELECT \(unescaped: Self.practitionerColumns) FROM practitioner WHERE lower(handle) = lower(\(handle))").first.map(practitioner)
    }

    /// The user with this id, or nil.
    public func practitioner(id: Int64) throws -> Practitioner? {
        try query("SELECT \(unescaped: Self.practitionerColumns) FROM practitioner WHERE id = \(id)").first.map(practitioner)
    }

    /// Every user of the clinic, by name ignoring case.
    public func practitioners() throws -> [Practitioner] {
        try query("SELECT \(unescaped: Self.practitionerColumns) FROM practitioner ORDER BY lower(name), id").map(practitioner)
    }

    /// The operating-system login an account belongs to; nil when it is not bound.
    public func osUser(practitionerID: Int64) throws -> String? {
        try value("SELECT os_user FROM account_os_user WHERE practitioner_id = \(practitionerID)", as: String.self, table: "account_os_user")
    }

    /// Binds an account to an operating-system login (nil unbinds it), audited.
    public func setOSUser(practitionerID: Int64, osUser: String?, actor: String) throws {
        if let osUser {
            try execute("""
                INSERT INTO account_os_user (practitioner_id, os_user) VALUES (\(practitionerID), \(osUser))
                ON CONFLICT (practitioner_id) DO UPDATE SET os_user = excluded.os_user
                """)
        } else {
            try execute("DELETE FROM account_os_user WHERE practitioner_id = \(practitionerID)")
        }
        try appendAudit(AuditEvent(actor: actor, action: .update, entity: "practitioner", entityID: practitionerID,
                                   detail: osUser.map { "bound to operating-system user \($0)" } ?? "unbound from its operating-system user"))
    }

    /// After rows inserted with their own ids (an import keeping ids), the identity continues after the highest.
    func advanceIdentity(_ table: String) throws {
        try execute(PostgresQuery(unsafeSQL: """
            SELECT setval(pg_get_serial_sequence('\(table)', 'id'), greatest((SELECT max(id) FROM \(table)), 1))
            """))
    }

    /// Whether the clinic holds no patients, no practitioners and no audit events (an import may keep ids).
    public func isEmptyClinic() throws -> Bool {
        try value("""
            SELECT (SELECT count(*) FROM patient) + (SELECT count(*) FROM practitioner) + (SELECT count(*) FROM audit_event)
            """, as: Int64.self) == 0
    }
}

/// Clinic settings, letter templates and form drafts, as the SQLite store keeps them.
extension PostgresTransaction {
    /// Every clinic setting by name.
    public func clinicSettings() throws -> [String: String] {
        var settings: [String: String] = [:]
        for row in try query("SELECT name, value FROM clinic_setting") {
            let (name, value) = try decode(row, (String, String).self, table: "clinic_setting")
            settings[name] = value
        }
        return settings
    }

    /// Sets one clinic setting, audited with its old and new value (settings hold no patient data).
    public func setClinicSetting(name: String, value newValue: String, actor: String) throws {
        let old = try value("SELECT value FROM clinic_setting WHERE name = \(name)", as: String.self, table: "clinic_setting")
        guard old != newValue else { return }
        try execute("""
            INSERT INTO clinic_setting (name, value) VALUES (\(name), \(newValue))
            ON CONFLICT (name) DO UPDATE SET value = excluded.value
            """)
        try appendAudit(AuditEvent(actor: actor, action: old == nil ? .create : .update, entity: "clinic-setting",
                                   detail: "\(name): \(old.map { "\($0) → " } ?? "")\(newValue)"))
    }

    /// Removes one clinic setting (it falls back to its default), audited.
    public func removeClinicSetting(name: String, actor: String) throws {
        guard let old = try value("SELECT value FROM clinic_setting WHERE name = \(name)", as: String.self, table: "clinic_setting") else { return }
        try execute("DELETE FROM clinic_setting WHERE name = \(name)")
        try appendAudit(AuditEvent(actor: actor, action: .update, entity: "clinic-setting", detail: "\(name): \(old) → (not set)"))
    }

    /// Every template the clinic changed, by name.
    public func letterTemplates() throws -> [String: StoredLetterTemplate] {
        var found: [String: StoredLetterTemplate] = [:]
        for row in try query("SELECT name, body, changed_at, changed_by FROM letter_template") {
            let (name, body, at, by) = try decode(row, (String, String, String, String).self, table: "letter_template")
            found[name] = StoredLetterTemplate(name: name, body: body, changedAt: PGText.date(at) ?? Date(timeIntervalSince1970: 0), changedBy: by)
        }
        return found
    }

    /// Stores the clinic's text for one template, audited (its name and length, never the text).
    public func setLetterTemplate(name: String, body: String, actor: String, at: Date) throws {
        let old = try value("SELECT body FROM letter_template WHERE name = \(name)", as: String.self, table: "letter_template")
        guard old != body else { return }
        try execute("""
            INSERT INTO letter_template (name, body, changed_at, changed_by) VALUES (\(name), \(body), \(at.formatted(.iso8601)), \(actor))
            ON CONFLICT (name) DO UPDATE SET body = excluded.body, changed_at = excluded.changed_at, changed_by = excluded.changed_by
            """)
        try appendAudit(AuditEvent(actor: actor, action: old == nil ? .create : .update, entity: "letter-template",
                                   detail: "\(name): \(body.count) characters"))
    }

    /// Back to Knot's wording for one template; false when the clinic had not changed it.
    @discardableResult
    public func resetLetterTemplate(name: String, actor: String) throws -> Bool {
        guard try execute("DELETE FROM letter_template WHERE name = \(name)") > 0 else { return false }
        try appendAudit(AuditEvent(actor: actor, action: .update, entity: "letter-template", detail: "\(name): reset to Knot's wording"))
        return true
    }

    /// Keeps `draft`, replacing the slot's earlier one for the same actor (never audited: not a record).
    public func saveFormDraft(_ draft: StoredFormDraft) throws {
        try execute("""
            INSERT INTO form_draft (slot, actor, kind, state, saved_at)
            VALUES (\(draft.slot.rawValue), \(draft.actor), \(draft.kind), \(draft.state), \(PGText.timestamp(AuditChain.truncated(draft.savedAt))))
            ON CONFLICT (slot, actor) DO UPDATE SET kind = excluded.kind, state = excluded.state, saved_at = excluded.saved_at
            """)
    }

    /// The actor's form draft in `slot`, if any.
    public func formDraft(slot: FormDraftSlot, actor: String) throws -> StoredFormDraft? {
        guard let row = try query("SELECT kind, state, saved_at FROM form_draft WHERE slot = \(slot.rawValue) AND actor = \(actor)").first else {
            return nil
        }
        let (kind, state, saved) = try decode(row, (String, String, String).self, table: "form_draft")
        return StoredFormDraft(slot: slot, actor: actor, kind: kind, state: state,
                               savedAt: try timestamp(saved, table: "form_draft", row: nil, column: "saved_at"))
    }

    /// Forgets the actor's form draft in `slot` (nothing when there is none).
    public func deleteFormDraft(slot: FormDraftSlot, actor: String) throws {
        try execute("DELETE FROM form_draft WHERE slot = \(slot.rawValue) AND actor = \(actor)")
    }

    /// Forgets every actor's form draft in `slot`.
    public func deleteFormDrafts(slot: FormDraftSlot) throws {
        try execute("DELETE FROM form_draft WHERE slot = \(slot.rawValue)")
    }

    /// Every kept form draft, oldest first, without its typing.
    public func formDraftOverview() throws -> [StoredFormDraft] {
        try query("SELECT slot, actor, kind, saved_at FROM form_draft ORDER BY saved_at, slot, actor").map { row in
            let (raw, actor, kind, saved) = try decode(row, (String, String, String, String).self, table: "form_draft")
            guard let slot = FormDraftSlot(rawValue: raw) else {
                throw PostgresStoreError.damaged(table: "form_draft", row: "", column: "slot", problem: "'\(raw)' is not a known form slot")
            }
            return StoredFormDraft(slot: slot, actor: actor, kind: kind, state: "",
                                   savedAt: try timestamp(saved, table: "form_draft", row: nil, column: "saved_at"))
        }
    }

    /// How many form drafts are kept, all actors.
    public func formDraftCount() throws -> Int {
        Int(try value("SELECT count(*) FROM form_draft", as: Int64.self) ?? 0)
    }
}
