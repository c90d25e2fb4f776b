// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "symdetect",
    products: [
        .library(name: "SymdetectCore", targets: ["SymdetectCore"]),
        .library(name: "SymdetectReport", targets: ["SymdetectReport"]),
        .executable(name: "symdetect", targets: ["symdetect"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // GNU Scientific Library with OpenBLAS as its CBLAS, from the system (Debian: libgsl-dev,
        // libopenblas-dev). No pkg-config: `gsl.pc` would add GSL's reference -lgslcblas; the
        // module map links gsl and openblas, and the headers are in the default include path.
        .systemLibrary(
            name: "CGSL",
            providers: [.apt(["libgsl-dev", "libopenblas-dev"])]
        ),
        .target(
            name: "SymdetectCore",
            dependencies: ["CGSL"],
            // The real MP2 water energies behind `symdetect generate water` (examples/water.md), and
            // the PySCF frames behind `generate water-frames|ammonia-frames|co2-frames` (examples/
            // holds symbolic links to them).
            resources: [.copy("Resources/water.csv"), .copy("Resources/frames")],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        // SHA-256 block compression with the x86 SHA extensions, chosen at run time by CPUID
        // (SymdetectReport's portable Swift compression is the fallback).
        .target(name: "CSHA256"),
        // Markdown, SVG and digest rendering of an AnalysisResult; no numerics of its own.
        .target(
            name: "SymdetectReport",
            dependencies: ["SymdetectCore", "CSHA256"],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .executableTarget(
            name: "symdetect",
            dependencies: [
                "SymdetectCore",
                "SymdetectReport",
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
            name: "SymdetectReportTests",
            dependencies: ["SymdetectReport", "SymdetectCore"],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .testTarget(
            name: "SymdetectCLITests",
            dependencies: ["SymdetectCore", "SymdetectReport"],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
    ]
)
