import Testing
import ClinicModel

/// The one wording of a storage problem (`StorageError`), whichever store had it: a server's
/// URL is worded as a PostgreSQL database, any other path as an SQLite file.
@Suite struct StorageErrorWordingTests {
    @Test func aServersURLIsWordedAsAServersDatabase() {
        let url = "postgres://knot@db1/clinic?sslmode=require"
        #expect(StorageError.notAKnotDatabase(path: url).description == "\(url) is a PostgreSQL database but not a Knot database; refusing to change it")
        #expect(StorageError.missing(path: url).description
                == "there is no clinic database at \(url) (nothing was created there). Check the URL, or create a clinic there with `knot init --database \(url)`")
        #expect(StorageError.notAKnotDatabase(path: "postgresql://db1/clinic").description.contains("a PostgreSQL database"))
    }

    @Test func aFileIsWordedAsAnSQLiteFile() {
        let path = "/srv/clinic/clinic.sqlite"
        #expect(StorageError.notAKnotDatabase(path: path).description == "\(path) is an SQLite database but not a Knot database; refusing to change it")
        #expect(StorageError.missing(path: path).description.contains("Check the path, or create a clinic there with `knot init --database \(path)` (`knot demo`"))
        #expect(StorageError.notADatabase(path: path).description.contains("not an SQLite file"))
    }

    @Test func theRestAreWordedTheSameOnEitherStore() {
        #expect(StorageError.busy.description == "the database stayed busy (another Knot is writing); try again")
        #expect(StorageError.writeFailed(reason: "the connection to the PostgreSQL server was lost").description
                == "the database could not be written (the connection to the PostgreSQL server was lost); nothing was saved")
        #expect(StorageError.notBuilt(operation: "the recall list").description
                == "the recall list is not built on PostgreSQL yet (it works on an SQLite clinic database)")
        #expect(StorageError.damaged(table: "patient_alert", row: "7", column: "kind", problem: "'x' is not a known kind of alert").description
                == "patient alert 7, column kind: 'x' is not a known kind of alert (the database was changed outside Knot, or is damaged)")
    }
}
