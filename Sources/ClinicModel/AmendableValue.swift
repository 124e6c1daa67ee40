import Foundation

/// A field an amendment can correct on a visit, with its value as amended now (what
/// `knot visit amend --fields` lists).
public struct AmendableValue: Sendable, Hashable, Codable {
    /// The field, as `--set` names it (`needle.2.depth`).
    public var field: AmendableField
    /// The value as amended now, as text ("" when not recorded).
    public var value: String

    /// A field with its value as amended now.
    public init(field: AmendableField, value: String) {
        self.field = field; self.value = value
    }
}
