import Foundation
import LibXML

/// A resource found in a referral, with the top-level resource that holds it (itself, or the
/// resource it is `contained` in), which is where its `#id` references are resolved.
struct FHIRResource<E: FHIRElement> {
    let element: E
    let host: E
    var type: String { element.name }
}

/// The resources of a FHIR referral and the resolution of references between them.
///
/// A Bundle's entries are indexed by `fullUrl` and by `Type/id`; each top-level resource's
/// `contained` resources answer `#id` references made from inside it. A reference is resolved
/// only within the document: an absolute URL that is not an entry's `fullUrl` stays unresolved
/// (its `display` is read instead), and nothing is ever fetched.
struct FHIRResources<E: FHIRElement> {
    /// The top-level resources: a Bundle's entries in order, or the lone ServiceRequest.
    private(set) var topLevel: [E] = []
    private var byFullURL: [String: E] = [:]
    private var byTypeAndID: [String: E] = [:]

    /// The resources of `root`, a Bundle or a ServiceRequest.
    init(root: E) {
        if root.name == "Bundle" {
            for entry in root.fhirChildren("entry") {
                guard let resource = entry.fhirChild("resource")?.elements.first(where: \.isFHIR) else { continue }
                topLevel.append(resource)
                if let fullURL = entry.fhirValue("fullUrl"), byFullURL[fullURL] == nil { byFullURL[fullURL] = resource }
                if let id = resource.fhirID, byTypeAndID["\(resource.name)/\(id)"] == nil { byTypeAndID["\(resource.name)/\(id)"] = resource }
            }
        } else {
            topLevel = [root]
        }
        all = topLevel.flatMap { top in
            [FHIRResource(element: top, host: top)] + Self.contained(in: top).map { FHIRResource(element: $0, host: top) }
        }
    }

    /// The resources `host` contains.
    static func contained(in host: E) -> [E] {
        host.fhirChildren("contained").compactMap { $0.elements.first(where: \.isFHIR) }
    }

    /// Every resource, top-level and contained, with its host (found once, when the resources are).
    private(set) var all: [FHIRResource<E>] = []

    /// Every resource of one of `types`, top-level and contained, in document order.
    func all(_ types: Set<String>) -> [FHIRResource<E>] { all.filter { types.contains($0.type) } }

    /// The resource a `Reference` element points to, looked up from inside `host`; nil when it
    /// names nothing in the document (or only an identifier or a display).
    func resolve(_ reference: E?, from host: E) -> FHIRResource<E>? {
        guard let target = reference?.fhirValue("reference") else { return nil }
        return resolve(target: target, from: host)
    }

    /// The resource a reference string (`#id`, a fullUrl, `Type/id`) names, from inside `host`.
    func resolve(target: String, from host: E) -> FHIRResource<E>? {
        if target.hasPrefix("#") {
            let id = String(target.dropFirst())
            return Self.contained(in: host).first { $0.fhirID == id }.map { FHIRResource(element: $0, host: host) }
        }
        if let found = byFullURL[target] { return FHIRResource(element: found, host: found) }
        // A relative reference, Type/id, perhaps with a version (Type/id/_history/2).
        var parts = target.split(separator: "/").map(String.init)
        if parts.count >= 4, parts[parts.count - 2] == "_history" { parts.removeLast(2) }
        if !target.contains(":"), parts.count == 2, let found = byTypeAndID["\(parts[0])/\(parts[1])"] {
            return FHIRResource(element: found, host: found)
        }
        return nil
    }
}
