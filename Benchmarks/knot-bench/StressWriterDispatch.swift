import Foundation

/// The `stress-writer` subcommand: several writers on one database, for the locking tests.
///
/// The stress writer itself is not part of this knot-bench build, so the subcommand says so
/// and fails rather than pretending to run.
enum StressWriterDispatch {
    static func run(_ arguments: [String]) -> Int32 {
        FileHandle.standardError.write(Data("knot-bench: stress-writer is not built into this knot-bench\n".utf8))
        return 2
    }
}
