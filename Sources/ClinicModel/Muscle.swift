/// A muscle a practitioner can record a trigger point in or needle, from the muscle catalogue.
///
/// Records store only `id`, so the id is a stable slug that never changes once shipped; the
/// name, aliases and chart anchor may be refined in later releases without touching records.
public struct Muscle: Codable, Sendable, Hashable, Identifiable {
    /// Stable slug such as "gastrocnemius-medial" or "upper-trapezius"; stored in records.
    public let id: String
    /// The name as written in a note, e.g. "Gastrocnemius (medial head)".
    public let name: String
    /// The body region the muscle is listed under.
    public let region: BodyRegion
    /// True for a left/right muscle (a side must be recorded); false for midline-only muscles.
    public let paired: Bool
    /// Needling it means needling over the lung fields: pneumothorax risk, so technique and
    /// depth deserve an explicit note.
    public let overLungFields: Bool
    /// Other names and clinic shorthand the picker should find it by ("calf", "QL", "tib ant").
    public let aliases: [String]
    /// Where its usual trigger point is drawn on the body chart (patient's left or midline).
    public let anchor: ChartAnchor

    /// A catalogue entry; `id` must never change once shipped.
    public init(
        id: String,
        name: String,
        region: BodyRegion,
        paired: Bool,
        overLungFields: Bool,
        aliases: [String] = [],
        anchor: ChartAnchor
    ) {
        self.id = id
        self.name = name
        self.region = region
        self.paired = paired
        self.overLungFields = overLungFields
        self.aliases = aliases
        self.anchor = anchor
    }
}
