// swift-tools-version:6.0
import Foundation
import PackageDescription

// Benchmarks live in their own package so that `swift test` on the main package never builds them.
// Run from the repository root:
//     swift run -c release --package-path Benchmarks symdetect-bench csv [--rows N]

// SwiftPM names a path dependency after its directory, so derive the main package's identity from
// where this manifest sits instead of hard-coding the checkout's directory name.
let mainPackageIdentity = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "symdetect-benchmarks",
    dependencies: [
        .package(path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "symdetect-bench",
            dependencies: [
                .product(name: "SymdetectCore", package: mainPackageIdentity),
                .product(name: "SymdetectReport", package: mainPackageIdentity),
            ],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
    ]
)
