/// Limits and naming for reading one untrusted XML document.
///
/// The caps are checked before libxml2 sees the bytes: libxml2 2.9.14's own limits (depth 256,
/// 10,000,000 bytes per text node) are kept, but its duplicate-attribute and namespace lookups
/// are quadratic, so attribute and namespace counts are capped here too.
public struct ParseOptions: Sendable, Equatable {
    /// 64 MiB.
    public static let defaultMaxBytes = 64 * 1024 * 1024

    /// Documents larger than this are refused before parsing.
    public var maxBytes: Int
    /// Name shown in error messages, e.g. "letter.xml" (never opened).
    public var fileName: String?
    /// Most attributes (namespace declarations included) one element may carry.
    public var maxAttributesPerElement: Int
    /// Most namespace declarations in scope at any element.
    public var maxNamespaceDeclarationsInScope: Int

    /// Most nodes (elements, attributes, comments, processing instructions) a document read
    /// whole (`XMLDocument`) may hold: a tree costs a few hundred bytes per node, so a letter of
    /// many tiny elements is refused before parsing instead of taking memory many times its
    /// size. Streamed documents (`XMLStreamReader`) are not counted.
    public var maxNodes: Int

    /// 250,000 nodes: a long referral letter holds a few thousand.
    public static let defaultMaxNodes = 250_000

    /// The largest document libxml2 can be given from memory (its lengths are C ints).
    public static let hardLimitBytes = Int(Int32.max) - 1

    public init(
        maxBytes: Int = ParseOptions.defaultMaxBytes,
        fileName: String? = nil,
        maxAttributesPerElement: Int = 100,
        maxNamespaceDeclarationsInScope: Int = 100,
        maxNodes: Int = ParseOptions.defaultMaxNodes
    ) {
        // libxml2 takes buffer lengths as C ints: nothing over 2 GiB - 1 can be handed to it.
        self.maxBytes = min(maxBytes, ParseOptions.hardLimitBytes)
        self.fileName = fileName
        self.maxAttributesPerElement = maxAttributesPerElement
        self.maxNamespaceDeclarationsInScope = maxNamespaceDeclarationsInScope
        self.maxNodes = maxNodes
    }
}
