import Foundation

/// The XML schemas Knot ships, read from the package's own copy (never from a document's
/// `xsi:schemaLocation`).
///
/// The `.xsd` files beside this file are the canonical schemas; this target only bundles them.
public enum SchemaBundle {
    /// The bytes of a bundled schema file, e.g. `knot-records-1.xsd`.
    public static func data(named name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name])
        }
        return try Data(contentsOf: url)
    }

    /// Every bundled schema file name.
    public static var fileNames: [String] {
        let urls = Bundle.module.urls(forResourcesWithExtension: "xsd", subdirectory: nil) ?? []
        return urls.compactMap { $0.lastPathComponent }.sorted()
    }
}
