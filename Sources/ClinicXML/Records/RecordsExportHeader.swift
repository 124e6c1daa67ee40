import Foundation
import ClinicModel

/// What a records export says about itself: the clinic, who exported it, with what, and when.
///
/// Every field is optional and nothing is filled in for you: an export carries a timestamp only
/// when one is passed, so that exporting the same records twice gives the same bytes.
public struct RecordsExportHeader: Sendable, Hashable {
    /// The clinic's name, when known.
    public var clinic: String?
    /// When the export was written; nil leaves it out, so the same records give the same bytes.
    public var exportedAt: Date?
    /// The handle of the practitioner who exported.
    public var exportedBy: String?
    /// The program and version that wrote it, e.g. "knot 1.0".
    public var software: String?
    /// The clinic's settings by name (its letterhead, emergency number, open days, review rules,
    /// time zone), written sorted by name; empty in exports made before settings travelled.
    public var settings: [String: String]
    /// The templates the clinic changed (`knot template edit`), written sorted by name; empty in
    /// exports made before templates travelled (a clinic made from one uses Knot's wording).
    public var templates: [Template]

    /// One template the clinic changed: its name, its text kept exactly, who changed it and when.
    public struct Template: Sendable, Hashable {
        /// The template's name.
        public var name: String
        /// The template's Mustache text, exactly as the clinic changed it.
        public var body: String
        /// When it was last changed.
        public var changedAt: Date
        /// The handle of the person who changed it.
        public var changedBy: String
        /// A changed template from its parts.
        public init(name: String, body: String, changedAt: Date, changedBy: String) {
            self.name = name; self.body = body; self.changedAt = changedAt; self.changedBy = changedBy
        }
    }

    /// The operating-system login each bound account belongs to (`knot practitioner add|edit
    /// --os-user`), by handle, written sorted by handle; empty in exports made before bindings
    /// travelled. A new clinic made from the export (`knot init --from`, `knot migrate-store`)
    /// keeps them, so an account bound to a login is not left for anyone to claim.
    public var osUsers: [String: String]
    /// The patients and visits marked as imported from an untrusted export, with their marks,
    /// written by kind then id; empty in exports made before marks travelled. Whatever imports
    /// the export keeps each mark on the record it imports, so that a re-export (signed by a
    /// trusted clinic) never makes an untrusted record trusted.
    public var untrustedImports: [UntrustedMark]

    /// One record's untrusted-import mark: the kind ("patient" or "visit"), its id in the export.
    public struct UntrustedMark: Sendable, Hashable {
        /// "patient" or "visit".
        public var entity: String
        /// The record's id in the export.
        public var id: Int64
        /// When, from which file and why it was imported untrusted.
        public var mark: UntrustedImport
        /// A record's mark from its parts.
        public init(entity: String, id: Int64, mark: UntrustedImport) {
            self.entity = entity; self.id = id; self.mark = mark
        }
    }

    /// A header; every part may be left out.
    public init(clinic: String? = nil, exportedAt: Date? = nil, exportedBy: String? = nil, software: String? = nil,
                settings: [String: String] = [:], templates: [Template] = [], osUsers: [String: String] = [:],
                untrustedImports: [UntrustedMark] = []) {
        self.settings = settings
        self.templates = templates
        self.osUsers = osUsers
        self.untrustedImports = untrustedImports
        self.clinic = clinic
        self.exportedAt = exportedAt
        self.exportedBy = exportedBy
        self.software = software
    }
}
