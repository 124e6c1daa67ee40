import Foundation

/// Reads an XML file into memory without ever reading more than the size cap (plus one byte).
///
/// Parsing always happens from memory, so libxml2 never opens files itself.
enum XMLFileInput {
    static func read(path: String, options: ParseOptions) throws -> Data {
        let name = options.fileName ?? (path as NSString).lastPathComponent
        func failure(_ kind: XMLError.Kind, _ message: String) -> XMLErrors {
            XMLErrors(XMLError(kind: kind, message: message, file: name))
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw failure(.io, "no such file: \(path)")
        }
        guard !isDirectory.boolValue else {
            throw failure(.io, "\(path) is a folder, not a file")
        }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > options.maxBytes {
            throw failure(.tooLarge, "the document is \(grouped(size)) bytes, over the limit of \(grouped(options.maxBytes)) bytes")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw failure(.io, "cannot open \(path) for reading")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: options.maxBytes + 1) ?? Data()
        } catch {
            throw failure(.io, "cannot read \(path): \(error.localizedDescription)")
        }
        guard data.count <= options.maxBytes else {
            throw failure(.tooLarge, "the document is over the limit of \(grouped(options.maxBytes)) bytes")
        }
        return data
    }
}
