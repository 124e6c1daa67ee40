// swift-tools-version:6.0
// Knot: clinic records and a dry-needling log for practitioners who treat myofascial trigger points.
import PackageDescription

/// Every schema in Schemas/ (keep in step with the folder; a test checks they match).
let schemaFiles = [
    "knot-cda-profile-1.xsd",
    "knot-fhir-referral-1.xsd",
    "knot-plan-1.xsd",
    "knot-records-1.xsd",
    "knot-referral-1.xsd",
]

/// The `knot` and `knot-bench` programs allocate through mimalloc (Debian's `libmimalloc-dev`), linked
/// before the C library so that it serves every `malloc` and `free` in the process, Swift's and
/// SQLite's and libxml2's included. Why: a whole-clinic import hands each record from the reading
/// thread to the writing one, and glibc's allocator took an arena lock for many of those frees;
/// with mimalloc the import used 4-13% less CPU and 4.5% fewer instructions (BENCHMARKS.md,
/// "Session 15"). The libraries are unchanged: a program using them keeps its own allocator.
let mimalloc: [LinkerSetting] = [.linkedLibrary("mimalloc", .when(platforms: [.linux]))]

let package = Package(
    name: "knot",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "knot", targets: ["knot"]),
        .executable(name: "knot-bench", targets: ["knot-bench"]),
        // The clinic side as a library for other Swift code: the model, the use cases and the XML
        // formats (documentation: Sources/ClinicServices/ClinicServices.docc).
        .library(name: "Knot", targets: ["ClinicModel", "ClinicServices", "ClinicXML", "FollowUpPlans"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", exact: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // C: libxml2 through pkg-config (Debian libxml2-dev). Only LibXML imports it.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // C: termios/ioctl/wcwidth helpers Swift cannot call directly. Only TerminalKit imports it.
        .target(name: "CTerminalShim"),
        // C: SQLite's process-wide settings (`sqlite3_config` is variadic). Only ClinicStore imports it.
        .target(name: "CSQLiteSettings", linkerSettings: [.linkedLibrary("sqlite3")]),
        // How many cells of a monospace grid text takes, and which characters must never reach a
        // terminal raw: one function each, for the front end, the command line and the text plan.
        .target(name: "TextCells", dependencies: ["CTerminalShim"]),
        // SplitMix64, the one deterministic random source (demo clinic, benchmarks, tests).
        .target(name: "SeededRandom"),

        // The model; swift-crypto for the audit chain's SHA-256 (AuditChain, one function for every store).
        .target(name: "ClinicModel", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "LibXML", dependencies: ["CLibXML2"]),
        .target(
            name: "ClinicStore",
            dependencies: [
                "ClinicModel", "CSQLiteSettings",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for reading cells without a Swift value each when verifying seals.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // PostgreSQL store for clinic groups (issue 20, in progress): connection settings and the
        // frozen schema. Only this target imports PostgresNIO.
        .target(
            name: "ClinicStorePostgres",
            dependencies: ["ClinicModel", .product(name: "PostgresNIO", package: "postgres-nio")]
        ),
        // The canonical XSD files live in the top-level Schemas/ folder; this target bundles them.
        .target(name: "KnotSchemas", path: "Schemas", resources: schemaFiles.map { .copy($0) }),
        .target(
            name: "ClinicXML",
            dependencies: ["ClinicModel", "LibXML", "KnotSchemas", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "FollowUpPlans", dependencies: ["ClinicModel", "TextCells", .product(name: "Mustache", package: "swift-mustache")]),
        .target(
            name: "ClinicServices",
            dependencies: [
                "ClinicModel", "ClinicStore", "ClinicStorePostgres", "ClinicXML", "FollowUpPlans",
                .product(name: "Logging", package: "swift-log"),
            ]
            // ClinicStore and ClinicStorePostgres are imported `internal` only: no store type is in the services' public
            // API, and the front end and `knot` reach the records through the use cases alone.
        ),
        // The demo clinic and the synthetic generator behind the benchmarks.
        .target(name: "ClinicDemo", dependencies: ["ClinicServices", "ClinicModel", "FollowUpPlans", "SeededRandom"]),
        .target(name: "TerminalKit", dependencies: ["CTerminalShim", "TextCells"]),
        // The front end and `knot` depend on the use cases, never on a store (issue 20): without
        // ClinicStore among their dependencies, `import ClinicStore` there does not build.
        .target(name: "ClinicTUI", dependencies: ["TerminalKit", "ClinicServices", "ClinicDemo", "ClinicModel", "ClinicXML"]),
        .executableTarget(
            name: "knot",
            dependencies: [
                "ClinicServices", "ClinicDemo", "ClinicTUI", "ClinicModel", "TerminalKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            linkerSettings: mimalloc
        ),
        .executableTarget(
            name: "knot-bench",
            dependencies: ["ClinicServices", "ClinicDemo", "SeededRandom", "ClinicModel", "ClinicXML", "ClinicStore", "ClinicTUI", "TerminalKit",
                           "ClinicStorePostgres", .product(name: "PostgresNIO", package: "postgres-nio"),
                           // GRDB for the SQLite floor (FloorPhase.swift): SQLite's own cost for the rows Knot stores.
                           .product(name: "GRDB", package: "GRDB.swift")],
            path: "Benchmarks/knot-bench",
            linkerSettings: mimalloc
        ),
        .target(
            name: "ClinicTestSupport",
            dependencies: ["ClinicModel", "ClinicStore", "ClinicServices", "TerminalKit", "ClinicStorePostgres",
                           .product(name: "PostgresNIO", package: "postgres-nio")]
        ),

        .testTarget(name: "ClinicModelTests", dependencies: ["ClinicModel", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "LibXMLTests", dependencies: ["LibXML", "ClinicTestSupport", "SeededRandom"]),
        .testTarget(name: "ClinicStoreTests", dependencies: ["ClinicStore", "CSQLiteSettings", "ClinicModel", "ClinicServices", "ClinicDemo", "SeededRandom", "ClinicTestSupport", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto")],
                    exclude: ["Schema"]),
        .testTarget(
            name: "ClinicXMLTests",
            dependencies: ["ClinicXML", "ClinicModel", "LibXML", "ClinicStore", "ClinicTestSupport", "SeededRandom"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "FollowUpPlansTests", dependencies: ["FollowUpPlans", "TextCells", "ClinicModel", "LibXML", "ClinicTestSupport"], exclude: ["Golden"]),
        .testTarget(
            name: "ClinicStorePostgresTests",
            dependencies: ["ClinicStorePostgres", "ClinicModel", "ClinicStore", "ClinicServices", "ClinicTestSupport", .product(name: "PostgresNIO", package: "postgres-nio")]
        ),
        .testTarget(name: "ClinicServicesTests", dependencies: ["ClinicServices", "ClinicDemo", "ClinicStore", "ClinicModel", "ClinicTestSupport"]),
        .testTarget(name: "ClinicDemoTests", dependencies: ["ClinicDemo", "ClinicServices", "ClinicStore", "ClinicModel", "FollowUpPlans", "ClinicTestSupport"]),
        .testTarget(name: "TerminalKitTests", dependencies: ["TerminalKit", "TextCells", "SeededRandom"]),
        .testTarget(name: "ClinicTUITests", dependencies: ["ClinicTUI", "TerminalKit", "ClinicServices", "ClinicDemo", "ClinicStore", "ClinicModel", "ClinicTestSupport"], exclude: ["Golden"]),
        .testTarget(name: "KnotEndToEndTests", dependencies: ["knot", "knot-bench", "ClinicTestSupport", "ClinicStore", "ClinicModel", "ClinicServices", "ClinicDemo", "SeededRandom", "LibXML", "ClinicXML"]),
    ]
)
