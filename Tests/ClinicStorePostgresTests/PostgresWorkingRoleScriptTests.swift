import Foundation
import Testing
@testable import ClinicStorePostgres

/// `docs/postgres-app-role.sql` is not a second statement of the working role's grants: it is
/// `PostgresWorkingRole.script()` written out, and this test fails when the two differ
/// (`KNOT_UPDATE_GOLDEN=1` writes the file again from the Swift source).
@Suite struct PostgresWorkingRoleScriptTests {
    @Test("docs/postgres-app-role.sql is PostgresWorkingRole's script for knot_app, byte for byte")
    func theScriptInDocsIsTheOneInTheCode() throws {
        let generated = try PostgresWorkingRole.script()
        if ProcessInfo.processInfo.environment["KNOT_UPDATE_GOLDEN"] == "1" {
            try Data(generated.utf8).write(to: URL(fileURLWithPath: AppRoleScript.path))
        }
        let file = try String(contentsOfFile: AppRoleScript.path, encoding: .utf8)
        #expect(file == generated, "docs/postgres-app-role.sql differs from PostgresWorkingRole.script(): regenerate it with KNOT_UPDATE_GOLDEN=1")
    }

    @Test("every statement the code runs is in the script, in order, each ended by a semicolon")
    func theStatementsAreTheScripts() throws {
        let script = try PostgresWorkingRole.script()
        var rest = Substring(script)
        for statement in try PostgresWorkingRole.statements(role: PostgresWorkingRole.defaultName) {
            let range = try #require(rest.range(of: statement + ";\n"), "not in the script: \(statement)")
            rest = rest[range.upperBound...]
        }
        #expect(try PostgresWorkingRole.statements(role: "knot_app").contains("REVOKE UPDATE, DELETE ON audit_event FROM knot_app"))
    }

    @Test("a role name that would need quoting is refused, naming the field and the rule", arguments: [
        "", "Knot_App", "1knot", "knot-app", "knot app", "knot_app'; DROP TABLE audit_event; --", "knot$$app", "\"knot\"", "knöt",
        String(repeating: "k", count: 64),
    ])
    func unusableRoleNamesAreRefused(_ name: String) {
        #expect(throws: PostgresSettingsError.self) { try PostgresWorkingRole.statements(role: name) }
        do {
            _ = try PostgresWorkingRole.script(role: name)
            Issue.record("accepted \(name.debugDescription)")
        } catch let error as PostgresSettingsError {
            guard case .invalid(let field, let value, let rule) = error else { Issue.record("\(error)"); return }
            #expect(field == "role" && value == name && rule.contains("plain SQL name"))
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("plain role names are written into the statements as they are")
    func plainRoleNames() throws {
        for name in ["knot_app", "_site3", "knot_app_1a2b3c4d", String(repeating: "k", count: 63)] {
            let statements = try PostgresWorkingRole.statements(role: name)
            #expect(statements.contains("GRANT USAGE ON SCHEMA public TO \(name)"))
            #expect(statements[0].contains("rolname = '\(name)'") && statements[0].contains("CREATE ROLE \(name) LOGIN"))
        }
    }
}
