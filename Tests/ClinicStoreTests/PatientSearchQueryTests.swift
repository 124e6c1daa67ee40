import Testing
import ClinicModel
@testable import ClinicStore

/// How the SQLite store renders the search terms (`PatientSearchTerm`) into its FTS5 query,
/// and when the short-prefix table answers instead: the queries the store ran before the
/// tokenizer was shared, unchanged.
@Suite struct PatientSearchQueryTests {
    static func fts(_ typed: String) -> String? { StoreTransaction.ftsQuery(PatientSearchTerm.terms(in: typed)) }
    static func short(_ typed: String) -> String? { StoreTransaction.shortPrefix(PatientSearchTerm.terms(in: typed)) }
    static func range(_ typed: String) -> String? { StoreTransaction.rangePrefix(PatientSearchTerm.terms(in: typed)) }

    @Test func everyKindOfTermAsFTS5() {
        #expect(Self.fts("smi JO") == "\"smi\"* AND \"jo\"*")
        #expect(Self.fts("o'brien") == "\"o\"* AND \"brien\"*")
        #expect(Self.fts("(03) 9876 5432") == "\"0398765432\"*")
        #expect(Self.fts("17/5/1980") == "\"17051980\"*")
        #expect(Self.fts("1980-5-17") == "\"1980-05-17\"")
        #expect(Self.fts("jo 0412 345 1980-05-17 K00004") == "\"jo\"* AND \"0412345\"* AND \"1980-05-17\" AND \"k00004\"*")
        #expect(Self.fts("NEAR(smith \"jo\"*) OR x") == "\"near\"* AND \"smith\"* AND \"jo\"* AND \"or\"* AND \"x\"*")
        #expect(Self.fts("") == nil && Self.fts(" *\"- ") == nil)
    }

    @Test func oneOrTwoASCIILettersOrDigitsUseTheShortPrefixTable() {
        #expect(Self.short("s") == "s" && Self.short("SM") == "sm" && Self.short("04") == "04" && Self.short("0 4") == "04")
        #expect(Self.short("smi") == nil && Self.short("s m") == nil && Self.short("王") == nil)
        #expect(Self.short("É") == "e")  // folded as names are first
        #expect(Self.short("1/2/1980") == nil && Self.short("") == nil)
    }

    /// The rows of `patient_search_prefix` a broad query walks: those for the first one or two
    /// characters of a term, when they are ASCII letters or digits.
    @Test func broadQueriesWalkTheRangeOfATermsFirstCharacters() {
        #expect(Self.range("Smith") == "sm" && Self.range("jo smith") == "jo" && Self.range("k00") == "k0")
        #expect(Self.range("o'brien") == "br" && Self.range("d'souza") == "so" && Self.range("o b") == "o")
        #expect(Self.range("yılmaz") == "y" && Self.range("Søren") == "s" && Self.range("王 smith") == "sm")
        #expect(Self.range("17/05/1980") == "17" && Self.range("1980-05-17") == "19" && Self.range("0412 345") == "04")
        #expect(Self.range("王") == nil && Self.range("李 伟") == nil && Self.range("") == nil)
    }
}
