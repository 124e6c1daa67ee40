import Foundation
import Testing
import ClinicTestSupport

/// `knot` allocates through mimalloc (Package.swift links it before the C library): every
/// `malloc` and `free` in the process, those of Swift's runtime, SQLite and libxml2 included,
/// must bind to it, or the whole-clinic import loses the CPU BENCHMARKS.md counts on (session 15)
/// without anything else showing it. The dynamic linker says where each symbol bound
/// (`LD_DEBUG=bindings`).
@Suite("knot's allocator")
struct AllocatorLinkTests {
    @Test("every malloc and free in a running knot binds to mimalloc")
    func mallocBindsToMimalloc() throws {
        let home = TemporaryDirectory(prefix: "knot-allocator")
        // The dynamic linker binds each library's malloc and free as it loads them (their GOT
        // entries), before any command runs: `--help` is enough.
        let result = try KnotProcess.run(["--help"], home: home.path, environment: ["LD_DEBUG": "bindings"])
        // "binding file /…/libsqlite3.so.0 [0] to /…/libmimalloc.so.2 [0]: normal symbol `malloc' [GLIBC_2.2.5]"
        let bindings = result.stderr.split(separator: "\n").filter { $0.contains("symbol `malloc'") || $0.contains("symbol `free'") }
        #expect(bindings.count >= 4, "no malloc or free bindings reported:\n\(result.stderr.suffix(2000))")
        let elsewhere = bindings.filter { !($0.components(separatedBy: " to ").last ?? "").contains("libmimalloc") }
        #expect(elsewhere.isEmpty, "bound outside mimalloc:\n\(elsewhere.joined(separator: "\n"))")
        let callers = Set(bindings.compactMap { line -> String? in
            guard let from = line.components(separatedBy: "binding file ").last?.components(separatedBy: " ").first else { return nil }
            return (from as NSString).lastPathComponent
        })
        for library in ["libswiftCore.so", "libsqlite3.so.0", "libxml2.so.2"] {
            #expect(callers.contains(library), "\(library) did not bind malloc or free: \(callers.sorted())")
        }
    }
}
