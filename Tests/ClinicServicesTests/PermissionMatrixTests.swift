import Foundation
import Testing
import ClinicModel
import ClinicServices
import ClinicTestSupport

/// Every use case for every kind of account, on a real database: the session allows exactly
/// what this matrix (written out here, apart from the code's table) says. Runs on every store
/// (`TestStore.all`: SQLite, and PostgreSQL when KNOT_TEST_POSTGRES names a server).
@Suite("who may do what: the role × action matrix")
struct PermissionMatrixTests {
    /// R reception, P practitioner, A administrator: who may.
    static let matrix: [ClinicAction: String] = [
        .initialize: "RPA", .loadDemo: "A", .changeClinicSettings: "A", .readClinicSettings: "RPA", .readTemplates: "PA",
        .listAccounts: "RPA", .manageAccounts: "A",
        .findPatients: "RPA", .registerPatient: "RP", .editPatient: "RP", .openChart: "RP", .addAlert: "RP",
        .reviewAlert: "P", .mergePatients: "PA",
        .readReferral: "RP", .importReferrals: "RPA", .resolveReferral: "RP", .recallList: "RP",
        .readClinicalNotes: "P", .recordVisit: "P", .signVisit: "P", .amendVisit: "P", .viewPlan: "P", .changePlan: "P",
        .needlingLog: "P",
        .keepFormDrafts: "RPA", .verifyAudit: "RPA", .anchorAudit: "RPA", .showClinicKey: "PA", .trustClinicKey: "A", .readAuditLog: "PA", .checkDatabase: "RPA",
        .exportRecords: "PA", .backup: "PA", .restore: "A", .retentionReport: "A", .importClinicExport: "A",
        .moveClinic: "A",
    ]

    @Test("the matrix names every action")
    func everyActionIsInTheMatrix() {
        #expect(Set(Self.matrix.keys) == Set(ClinicAction.allCases))
    }

    @Test("each account may do exactly what its roles allow; nobody and the deactivated, nothing", arguments: TestStore.all)
    func matrix(store: TestStore) throws {
        let clinic = try store.newClinic()
        let path = clinic.location
        let setup = try ClinicSession.open(path: path, handle: "", environment: [:])
        try setup.setUpClinic(firstAccount: Practitioner(handle: "boss", name: "Bo Boss", profession: .physiotherapist))
        let boss = try ClinicSession.open(path: path, handle: "boss", environment: [:])
        for (handle, role, admin) in [("prac", Role.practitioner, false), ("desk", .reception, false),
                                      ("deskadmin", .reception, true), ("gone", .practitioner, false)] {
            _ = try boss.addPractitioner(Practitioner(handle: handle, name: "Someone \(handle)", profession: .other,
                                                      role: role, isAdministrator: admin))
        }
        // Opened before deactivation: the session refuses everything once its account is off.
        let gone = try ClinicSession.open(path: path, handle: "gone", environment: [:])
        try boss.setAccountActive(handle: "gone", false)
        let sessions: [(String, ClinicSession, String)] = [
            ("boss", boss, "PA"), ("prac", try ClinicSession.open(path: path, handle: "prac", environment: [:]), "P"),
            ("desk", try ClinicSession.open(path: path, handle: "desk", environment: [:]), "R"),
            ("deskadmin", try ClinicSession.open(path: path, handle: "deskadmin", environment: [:]), "RA"),
            ("nobody", try ClinicSession.open(path: path, handle: "", environment: ["USER": "mallory"]), ""),
            ("unknown OS user", try ClinicSession.open(path: path, handle: nil, environment: ["USER": "mallory"]), ""),
        ]
        for (name, session, roles) in sessions {
            for action in ClinicAction.allCases {
                let may = Self.matrix[action, default: ""].contains { roles.contains($0) }
                #expect(session.may(action) == may, "\(name) \(action)")
            }
        }
        for action in ClinicAction.allCases {
            #expect(!gone.may(action), "a deactivated account may \(action)")
        }
        // Refused at login, too.
        #expect(throws: ServiceError.self) { try ClinicSession.open(path: path, handle: "gone", environment: [:]) }
        // An unknown handle, once the clinic has accounts.
        #expect(throws: ServiceError.self) { try ClinicSession.open(path: path, handle: "stranger", environment: [:]) }
    }

    @Test("reception cannot make an account; an administrator at the desk cannot make a practitioner", arguments: TestStore.all)
    func grants(store: TestStore) throws {
        let clinic = try store.newClinic()
        let path = clinic.location
        try ClinicSession.open(path: path, handle: "", environment: [:])
            .setUpClinic(firstAccount: Practitioner(handle: "boss", name: "Bo Boss", profession: .physiotherapist))
        let boss = try ClinicSession.open(path: path, handle: "boss", environment: [:])
        _ = try boss.addPractitioner(Practitioner(handle: "desk", name: "Desk", profession: .other, role: .reception))
        _ = try boss.addPractitioner(Practitioner(handle: "deskadmin", name: "Desk Admin", profession: .other, role: .reception, isAdministrator: true))
        let desk = try ClinicSession.open(path: path, handle: "desk", environment: [:])
        let deskAdmin = try ClinicSession.open(path: path, handle: "deskadmin", environment: [:])
        #expect(throws: ServiceError.self) { try desk.addPractitioner(Practitioner(handle: "x", name: "X", profession: .other)) }
        #expect(throws: ServiceError.self) { try desk.editPractitioner(handle: "boss") { $0.registrationNumber = "FAKE" } }
        #expect(throws: ServiceError.self) { try deskAdmin.addPractitioner(Practitioner(handle: "y", name: "Y", profession: .other)) }
        #expect(throws: ServiceError.self) { try deskAdmin.editPractitioner(handle: "desk") { $0.role = .practitioner } }
        // Reception it may give.
        #expect(try deskAdmin.addPractitioner(Practitioner(handle: "z", name: "Z", profession: .other, role: .reception)).role == .reception)
        // The only active administrator left cannot be switched off... after deskadmin, boss can.
        try boss.setAccountActive(handle: "deskadmin", false)
        #expect(throws: ServiceError.self) { try boss.setAccountActive(handle: "boss", false) }
    }
}
