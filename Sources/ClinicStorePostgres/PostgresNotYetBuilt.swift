import Foundation
import ClinicModel
import PostgresNIO

// The work list of the PostgreSQL store: every operation of ClinicServices' `ClinicRecordReader`
// / `ClinicRecords` not yet built on PostgreSQL, each throwing
// `PostgresStoreError.notBuilt` ("… is not built on PostgreSQL yet", exit 74 in `knot`, as an I/O
// failure; its write transaction is rolled back). Empty since issue 20's session 6: every
// operation is built (`PostgresTransaction+<Area>.swift`). An operation added to the protocols
// before it is built on PostgreSQL gets its stub here, and whoever builds it deletes the stub.
extension PostgresTransaction {}
