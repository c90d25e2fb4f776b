import XCTest
@testable import SymdetectCore

/// Hydrogen orbital densities about the nucleus (`--center origin`, random points in a cube):
/// the verdicts must match each orbital's exact symmetries (SPEC §1). The densities span many
/// decades, so the tests run on log ρ; the order-4 model of log ρ is poor near the nodes, and
/// the model-free mirror test carries the decisions there.
final class HydrogenSymmetryTests: XCTestCase {
    func check(_ orbital: HydrogenOrbital, exact: [String], broken: [String],
               file: StaticString = #filePath, line: UInt = #line) throws {
        let table = orbital.samples(count: 1500, seed: 7)
        let config = AnalysisConfiguration(fit: FitConfiguration(center: .origin, order: .fixed(4)),
                                           operations: (exact + broken).map { try! OperationSpec(parsing: $0) }, onlyListedOperations: true)
        let r = try Analyzer.run(table, config)
        XCTAssertEqual(r.transform, .log, file: file, line: line)
        let byName = Dictionary(uniqueKeysWithValues: r.operations.map { ($0.name, $0) })
        for name in exact {
            let o = try XCTUnwrap(byName[name])
            XCTAssertEqual(o.verdict, .exact, "\(orbital.rawValue) \(name): \(o.basis) \(o.limitations)", file: file, line: line)
            XCTAssertGreaterThan(o.coverage, 0.8, "\(orbital.rawValue) \(name)", file: file, line: line)
        }
        for name in broken {
            let o = try XCTUnwrap(byName[name])
            XCTAssertEqual(o.verdict, .absent, "\(orbital.rawValue) \(name): \(o.basis) \(o.limitations)", file: file, line: line)
        }
    }

    func test1sIsInvariantUnderO3() throws {
        try check(.s1, exact: ["reflect(x)", "invert", "swap(x,z)", "rotate(x,y,90)", "rotate(x,y,*)", "rotate(y,z,*)", "O3(x,y,z)"], broken: [])
    }

    func test2pzHasReflectionsAndRotationsAboutZ() throws {
        try check(.p2z, exact: ["reflect(x)", "reflect(y)", "reflect(z)", "swap(x,y)", "rotate(x,y,*)"],
                  broken: ["swap(x,z)", "rotate(x,z,90)", "O3(x,y,z)"])
    }

    func test3dxyHasC4ButNotContinuousRotation() throws {
        try check(.d3xy, exact: ["reflect(x)", "reflect(y)", "reflect(z)", "swap(x,y)", "rotate(x,y,90)"],
                  broken: ["rotate(x,y,*)", "rotate(x,y,60)", "swap(x,z)"])
    }

    func test3dz2HasContinuousRotationAboutZ() throws {
        try check(.d3z2, exact: ["reflect(z)", "invert", "rotate(x,y,*)", "swap(x,y)"],
                  broken: ["swap(x,z)", "rotate(x,z,90)"])
    }

    /// The plane-rotation summary reports C4 (not C∞) for 3d_xy and "continuous" for 3d_z².
    func testPlaneRotationSummary() throws {
        for (orbital, expected) in [(HydrogenOrbital.d3xy, "C4"), (.d3z2, "continuous")] {
            let ops = ["rotate(x,y,180)", "rotate(x,y,120)", "rotate(x,y,90)", "rotate(x,y,60)", "rotate(x,y,*)"]
            let r = try Analyzer.run(orbital.samples(count: 1500, seed: 8),
                                     AnalysisConfiguration(fit: FitConfiguration(center: .origin, order: .fixed(4)),
                                                           operations: ops.map { try! OperationSpec(parsing: $0) }, onlyListedOperations: true))
            XCTAssertEqual(r.planeRotations.first { $0.axes == ("x", "y") }.map { Self.symmetryName($0.symmetry) }, expected, orbital.rawValue)
        }
    }

    static func symmetryName(_ r: RotationSymmetry) -> String {
        switch r {
        case .continuous: return "continuous"
        case .cyclic(let n): return "C\(n)"
        case .none: return "none"
        }
    }
}
