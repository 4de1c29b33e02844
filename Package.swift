// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "handoff",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "handoff", targets: ["handoff"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // Pure workflow rules: states, actions, permissions. No I/O, time passed in.
        .target(name: "HandoffCore"),
        // SQLite persistence: schema, migrations, one transaction per use case, the keyed audit chain.
        .target(
            name: "HandoffStore",
            dependencies: [
                "HandoffCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Application services: OS identity, file locations, sample data and seeding.
        .target(
            name: "HandoffApp",
            dependencies: [
                "HandoffCore", "HandoffStore", "HandoffSync", "HandoffTUI", .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The sync worker: sources (spool directory, HTTP feed), cursors, retries, dead letters.
        .target(
            name: "HandoffSync",
            dependencies: ["HandoffCore", "HandoffStore", .product(name: "Logging", package: "swift-log")]
        ),
        // ncursesw through a small C shim (used by the console).
        .systemLibrary(name: "CNCurses", path: "Sources/CNCurses"),
        // The console: screens as pure functions into a buffer, and the one thread that talks to curses.
        .target(name: "HandoffTUI", dependencies: ["HandoffCore", "CNCurses"]),
        // The command-line entry point: argument parsing and wiring only.
        .executableTarget(
            name: "handoff",
            dependencies: [
                "HandoffCore", "HandoffStore", "HandoffSync", "HandoffApp", "HandoffTUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "HandoffTestSupport",
            dependencies: ["HandoffCore", "HandoffStore", "HandoffSync", "HandoffApp"],
            path: "Tests/HandoffTestSupport"
        ),
        .testTarget(name: "HandoffCoreTests", dependencies: ["HandoffCore", "HandoffTestSupport"]),
        .testTarget(name: "HandoffStoreTests", dependencies: [
            "HandoffStore", "HandoffTestSupport",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        .testTarget(name: "HandoffSyncTests", dependencies: [
            "HandoffSync", "HandoffApp", "HandoffTestSupport", .product(name: "Yams", package: "Yams"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "HandoffTUITests", dependencies: ["HandoffTUI", "HandoffTestSupport"]),
        .testTarget(name: "HandoffAppTests", dependencies: ["HandoffApp", "HandoffTestSupport"]),
        .testTarget(name: "HandoffEndToEndTests", dependencies: ["handoff", "HandoffTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
