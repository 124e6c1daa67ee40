import Testing
import ClinicModel
@testable import ClinicStorePostgres

/// How the PostgreSQL store renders the search terms (`PatientSearchTerm`, shared with the
/// SQLite store) into its `tsquery`: the queries it ran before the tokenizer was shared, unchanged.
@Suite struct PostgresPatientSearchQueryTests {
    static func tsquery(_ typed: String) -> String? { PatientSearchQuery.tsquery(PatientSearchTerm.terms(in: typed)) }

    @Test func everyKindOfTermAsATsquery() {
        #expect(Self.tsquery("smi JO") == "'smi':* & 'jo':*")
        #expect(Self.tsquery("o'brien") == "'o':* & 'brien':*")
        #expect(Self.tsquery("(03) 9876 5432") == "'0398765432':*")
        #expect(Self.tsquery("17/5/1980") == "'17051980':*")
        #expect(Self.tsquery("1980-5-17") == "'1980' & '05' & '17'")
        #expect(Self.tsquery("jo 0412 345 1980-05-17 K00004") == "'jo':* & '0412345':* & '1980' & '05' & '17' & 'k00004':*")
        #expect(Self.tsquery("'smi':* | !jo & x\\y") == "'smi':* & 'jo':* & 'x':* & 'y':*")
        #expect(Self.tsquery("") == nil && Self.tsquery(" *'- ") == nil)
    }
}
