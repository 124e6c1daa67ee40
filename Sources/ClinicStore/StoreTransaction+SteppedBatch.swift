import Foundation
import GRDB

extension StoreTransaction {
    /// Runs `body` (the letters of a batch filed without savepoints) with this transaction's
    /// statements bound in place run straight through SQLite (`DirectSteps`: the rows they write
    /// told to the row seals' collector from SQLite's update hook), then seals what the
    /// transaction wrote so far the same way, and returns what `body` returned.
    ///
    /// Why: GRDB's bookkeeping around each statement (its checks, the observation broker asking
    /// the observers about each statement and installing its update hook around it) was about a
    /// twentieth of the letter writer's time, for a dozen inserts and as many seals per letter.
    /// The only transaction observer of a clinic database is the seals' collector, which
    /// `DirectSteps` tells of every row; a statement that fails is run again through GRDB, which
    /// reports it in its own words (`DirectSteps.execute`). Statements not bound in place (reads,
    /// the search indexes' batch statements) go through GRDB as before.
    ///
    /// Precondition: no savepoint inside `body` (GRDB holds observers' events until a savepoint
    /// is released; `DirectSteps`). Without a clinic key, or inside another such run (a
    /// whole-clinic load), `body` runs as it is.
    public func withStatementsStepped<T>(_ body: () throws -> T) throws -> T {
        guard key != nil, scratch.directSteps == nil, let collector else { return try body() }
        scratch.directSteps = DirectSteps(collector: collector)
        defer { scratch.directSteps = nil }
        let result = try body()
        // Sealed here, each seal stepped directly, rather than at commit through GRDB.
        try sealWrittenSoFar(atLeast: 1)
        return result
    }
}
