import Foundation
import GRDB
import ClinicModel

extension StoreTransaction {
    /// Every template the clinic changed, by name; empty for a database from before templates.
    public func letterTemplates() throws -> [String: StoredLetterTemplate] {
        guard try db.tableExists("letter_template") else { return [:] }
        var found: [String: StoredLetterTemplate] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT name, body, changed_at, changed_by FROM letter_template")) {
            guard let name = row["name"] as String?, let body = row["body"] as String?,
                  let at = row["changed_at"] as String?, let by = row["changed_by"] as String? else { continue }
            found[name] = StoredLetterTemplate(name: name, body: body,
                                               changedAt: (try? Date(at, strategy: .iso8601)) ?? Date(timeIntervalSince1970: 0),
                                               changedBy: by)
        }
        return found
    }

    /// Stores the clinic's text for one template, audited (templates hold no patient data; the
    /// audit says which template and its length, never the text).
    public func setLetterTemplate(name: String, body: String, actor: String, at: Date = Date()) throws {
        let old = try String.fetchOne(db.cachedStatement(sql: "SELECT body FROM letter_template WHERE name = ?"), arguments: [name])
        guard old != body else { return }
        try db.cachedStatement(sql: """
            INSERT INTO letter_template (name, body, changed_at, changed_by) VALUES (?, ?, ?, ?)
            ON CONFLICT(name) DO UPDATE SET body = excluded.body, changed_at = excluded.changed_at, changed_by = excluded.changed_by
            """).execute(arguments: [name, body, at.formatted(.iso8601), actor])
        try appendAudit(AuditEvent(actor: actor, action: old == nil ? .create : .update, entity: "letter-template",
                                   detail: "\(name): \(body.count) characters"))
    }

    /// Goes back to Knot's wording for one template; false when the clinic had not changed it.
    @discardableResult
    public func resetLetterTemplate(name: String, actor: String) throws -> Bool {
        guard try db.tableExists("letter_template") else { return false }
        try db.cachedStatement(sql: "DELETE FROM letter_template WHERE name = ?").execute(arguments: [name])
        guard db.changesCount > 0 else { return false }
        try appendAudit(AuditEvent(actor: actor, action: .update, entity: "letter-template", detail: "\(name): reset to Knot's wording"))
        return true
    }
}
