import Foundation

/// What opening a clinic says while it does long work before the clinic is ready.
///
/// Only an upgrade does such work: a database an older Knot made is verified (so that an edit
/// made outside Knot before the upgrade is still reported after it), migrated, and every row
/// sealed again. That takes seconds for a small clinic and minutes for a large one (about
/// 2.5 minutes for 100,000 patients on a 2-core machine; BENCHMARKS.md), so a front end tells
/// its user before it starts and when it is done. Opening a current or a new clinic, or any
/// clinic read-only, says nothing.
public enum OpeningNotice: Sendable, Equatable {
    /// An upgrade starts: the migrations still to run (by name, in order) on a clinic of
    /// `patients` patients.
    case upgrading(migrations: [String], patients: Int)
    /// The upgrade is done, `seconds` after opening began. `foundProblems` is whether the
    /// verification just before it found a problem (rows changed outside Knot, a broken chain:
    /// recorded in the audit trail and reported by `knot audit verify`); nil when the clinic
    /// could not be verified (not keyed yet, or its key not readable).
    case upgraded(seconds: Double, foundProblems: Bool?)
}
