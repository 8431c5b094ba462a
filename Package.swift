// swift-tools-version:6.1
import PackageDescription

/// Settings applied to every Swift target (swift-log style loop below).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "LeadIntake",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "leadintake", targets: ["leadintake"]),
        .library(name: "LeadPipeline", targets: ["LeadPipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    ],
    targets: [
        // C libraries: tiny system-library shims, C-prefixed (NIO naming).
        .systemLibrary(
            name: "CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]),
        // Thin Swift wrapper around libxml2. It must not import Foundation: Debian's libxml2 headers
        // pull in system ICU, which clashes with Foundation's own ICU module (c-libraries.md §0).
        .target(name: "LibXML", dependencies: ["CLibXML2"]),

        .systemLibrary(name: "CPSL", pkgConfig: "libpsl", providers: [.apt(["libpsl-dev"])]),
        // ICU behind a C target whose header has plain C types only: Swift never sees the ICU headers.
        .target(name: "CICU", linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc")]),
        // libphonenumber is C++ with no pkg-config file: a C++ target with an extern "C" header.
        .target(name: "CPhoneNumber", linkerSettings: [.linkedLibrary("phonenumber")]),
        // Foundation-free wrappers, one per C library.
        .target(name: "PhoneNumbers", dependencies: ["CPhoneNumber"]),
        .target(name: "PublicSuffix", dependencies: ["CPSL"]),
        .target(name: "Confusables", dependencies: ["CICU"]),

        // Pipeline stages.
        .target(name: "LeadCore", dependencies: [.product(name: "Logging", package: "swift-log"), "Yams"]),
        .target(
            name: "LeadImport",
            dependencies: [
                "LeadCore", "LibXML", "Confusables", "Yams", .product(name: "Crypto", package: "swift-crypto"), "ZIPFoundation",
            ],
            resources: [.copy("Presets"), .copy("PagePresets")]),
        .target(name: "LeadNormalize", dependencies: ["LeadCore", "PhoneNumbers", "PublicSuffix", "Confusables"]),
        .target(name: "LeadMatch", dependencies: ["LeadCore"]),
        .target(
            name: "LeadScore",
            dependencies: ["LeadCore", "LeadNormalize", "Yams", .product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "LeadStore",
            dependencies: [
                "LeadCore", "LeadMatch", "LeadScore", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"), .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .target(
            name: "LeadPipeline",
            dependencies: [
                "LeadCore", "LeadImport", "LeadNormalize", "LeadMatch", "LeadScore", "LeadStore",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "leadintake",
            dependencies: [
                "LeadPipeline", "LeadCore", "LeadImport", "LeadStore", "LeadNormalize", "LeadMatch", "LeadScore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // make fuzz: libFuzzer targets for the importers (lld: c-libraries.md §6).
        .target(name: "FuzzTargets", dependencies: ["LeadImport", "LeadCore"]),
        .executableTarget(
            name: "leadintake-fuzz", dependencies: ["FuzzTargets", "LibXML"],
            linkerSettings: [.unsafeFlags(["-use-ld=lld"])]),
        .executableTarget(name: "leadintake-bench", dependencies: ["LeadCore", "LeadImport", "LeadNormalize"]),
        .executableTarget(name: "match-accuracy", dependencies: ["LeadPipeline", "LeadStore", "LeadCore", "LeadMatch", "LeadImport", "LeadScore"]),

        .testTarget(
            name: "LeadIntakeTests",
            dependencies: [
                "LeadCore", "LeadImport", "LeadNormalize", "LeadMatch", "LeadScore", "LeadStore", "LeadPipeline", "LibXML", "PhoneNumbers",
                "PublicSuffix", "Confusables", "FuzzTargets",
            ],
            resources: []),
        .testTarget(name: "CLITests", dependencies: ["leadintake", "LeadCore", "LeadStore"]),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)

for target in package.targets where target.type != .system && !["CPhoneNumber", "CICU"].contains(target.name) {
    target.swiftSettings = (target.swiftSettings ?? []) + swiftSettings
}
