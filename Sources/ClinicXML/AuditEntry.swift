import ClinicModel

/// One audit event as it travels in a records export: the event and its place in the hash chain.
///
/// The store chains its audit trail (each event's `hash` covers the event and `prevHash`, the
/// hash of the event before it), so a gap or an edit shows. An export carries both hashes as
/// lower-case hex SHA-256 (`prevHash` is empty for the first event of a chain) so that an import
/// can rebuild the same chain; this module carries them, the store computes and checks them.
public struct AuditEntry: Sendable, Hashable {
    /// The event itself.
    public var event: AuditEvent
    /// The previous event's hash, or "" for the first event.
    public var prevHash: String
    /// This event's hash (hex SHA-256), which the next event links to.
    public var hash: String

    /// An event with its chain links, as the export carries it.
    public init(event: AuditEvent, prevHash: String, hash: String) {
        self.event = event
        self.prevHash = prevHash
        self.hash = hash
    }
}
