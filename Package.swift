// swift-tools-version:6.0
// Knot: clinic records and a dry-needling log for practitioners who treat myofascial trigger points.
import PackageDescription

/// Every schema in Schemas/ (keep in step with the folder; a test checks they match).
let schemaFiles = [
    "knot-cda-profile-1.xsd",
    "knot-plan-1.xsd",
    "knot-records-1.xsd",
    "knot-referral-1.xsd",
]

let package = Package(
    name: "knot",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "knot", targets: ["knot"]),
        .executable(name: "knot-bench", targets: ["knot-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
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

        .target(name: "ClinicModel"),
        .target(name: "LibXML", dependencies: ["CLibXML2"]),
        .target(
            name: "ClinicStore",
            dependencies: [
                "ClinicModel",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for reading cells without a Swift value each when verifying seals.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The canonical XSD files live in the top-level Schemas/ folder; this target bundles them.
        .target(name: "KnotSchemas", path: "Schemas", resources: schemaFiles.map { .copy($0) }),
        .target(
            name: "ClinicXML",
            dependencies: ["ClinicModel", "LibXML", "KnotSchemas", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "FollowUpPlans", dependencies: ["ClinicModel", .product(name: "Mustache", package: "swift-mustache")]),
        .target(
            name: "ClinicServices",
            dependencies: [
                "ClinicModel", "ClinicStore", "ClinicXML", "FollowUpPlans",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "TerminalKit", dependencies: ["CTerminalShim"]),
        .target(name: "ClinicTUI", dependencies: ["TerminalKit", "ClinicServices", "ClinicModel", "ClinicStore", "ClinicXML"]),
        .executableTarget(
            name: "knot",
            dependencies: [
                "ClinicServices", "ClinicTUI", "ClinicModel", "TerminalKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "knot-bench",
            dependencies: ["ClinicServices", "ClinicModel", "ClinicXML", "ClinicStore", "ClinicTUI", "TerminalKit"],
            path: "Benchmarks/knot-bench"
        ),
        .target(
            name: "ClinicTestSupport",
            dependencies: ["ClinicModel", "ClinicStore", "ClinicServices", "TerminalKit"]
        ),

        .testTarget(name: "ClinicModelTests", dependencies: ["ClinicModel"]),
        .testTarget(name: "LibXMLTests", dependencies: ["LibXML", "ClinicTestSupport"]),
        .testTarget(name: "ClinicStoreTests", dependencies: ["ClinicStore", "ClinicModel", "ClinicServices", "ClinicTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "ClinicXMLTests",
            dependencies: ["ClinicXML", "ClinicModel", "LibXML", "ClinicStore", "ClinicTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "FollowUpPlansTests", dependencies: ["FollowUpPlans", "ClinicModel", "LibXML", "ClinicTestSupport"], resources: [.copy("Golden")]),
        .testTarget(name: "ClinicServicesTests", dependencies: ["ClinicServices", "ClinicStore", "ClinicModel", "ClinicTestSupport"]),
        .testTarget(name: "TerminalKitTests", dependencies: ["TerminalKit"]),
        .testTarget(name: "ClinicTUITests", dependencies: ["ClinicTUI", "TerminalKit", "ClinicServices", "ClinicStore", "ClinicModel", "ClinicTestSupport"], resources: [.copy("Golden")]),
        .testTarget(name: "KnotEndToEndTests", dependencies: ["knot", "knot-bench", "ClinicTestSupport", "ClinicStore", "ClinicModel", "ClinicServices", "LibXML", "ClinicXML"]),
    ]
)
