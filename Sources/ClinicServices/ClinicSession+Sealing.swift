import Foundation
import ClinicModel
internal import ClinicStore

extension ClinicSession {
    /// Why every write to this clinic is refused before anything is written, nil when writes are
    /// sealed as usual: a keyed clinic whose key this login does not find (or cannot read, or
    /// that is another clinic's), or whose keyed point was erased outside Knot. Reads still
    /// work; each write throws `StorageError.cannotSeal` with the same reason (`knot` exits 77).
    /// A front end says it as soon as it opens.
    public var writesRefusedBecause: String? {
        (database as? ClinicDatabase)?.sealRefusal
    }
}
