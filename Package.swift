// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "symdetect",
    products: [
        .library(name: "SymdetectCore", targets: ["SymdetectCore"]),
        .executable(name: "symdetect", targets: ["symdetect"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // GNU Scientific Library, from the system (Debian: libgsl-dev).
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        .target(
            name: "SymdetectCore",
            dependencies: ["CGSL"],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .executableTarget(
            name: "symdetect",
            dependencies: [
                "SymdetectCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .testTarget(
            name: "SymdetectCoreTests",
            dependencies: ["SymdetectCore"],
            resources: [.copy("Fixtures")],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .testTarget(
            name: "SymdetectCLITests",
            dependencies: ["SymdetectCore"],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
    ]
)
