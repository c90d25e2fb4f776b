import XCTest
@testable import SymdetectCore

final class SymmetryAnalysisTests: XCTestCase {
    func verdicts(_ r: AnalysisResult) -> [String: Verdict] {
        Dictionary(uniqueKeysWithValues: r.operations.map { ($0.name, $0.verdict) })
    }

    /// V = x² + y² + 2z² + 0.4z³ + 0.2(x² + y²)z + 0.1(x⁴ + y⁴): reflect(x), reflect(y),
    /// swap(x,y) exact; reflect(z) broken by cubic terms.
    static func cubicZ(_ p: [Double]) -> Double {
        let (x, y, z) = (p[0], p[1], p[2])
        return x * x + y * y + 2 * z * z + 0.4 * z * z * z + 0.2 * (x * x + y * y) * z + 0.1 * (x * x * x * x + y * y * y * y)
    }

    func testCubicBreakingAlongZWithAndWithoutNoise() throws {
        for noise in [0.0, 0.01] {
            let table = TaylorFitTests.sampleTable(count: 800, seed: 11, noise: noise, box: [-1...1, -1...1, -1...1], label: Self.cubicZ)
            let r = try Analyzer.run(table, AnalysisConfiguration())
            let v = verdicts(r)
            XCTAssertEqual(v["reflect(x)"], .exact, "noise \(noise)")
            XCTAssertEqual(v["reflect(y)"], .exact, "noise \(noise)")
            XCTAssertEqual(v["swap(x,y)"], .exact, "noise \(noise)")
            XCTAssertEqual(v["rotate(x,y,90)"], .exact, "noise \(noise)")
            XCTAssertNotEqual(v["reflect(z)"], .exact, "noise \(noise)")
            let z = r.operations.first { $0.name == "reflect(z)" }!
            XCTAssertEqual(z.breakingOrder, 3, "noise \(noise)")
            XCTAssertTrue(z.taylor.responsible.contains { $0.forceConstant == "φ333" }, "\(z.taylor.responsible)")
            // φ333 = 6·0.4 = 2.4.
            let phi333 = z.taylor.responsible.first { $0.forceConstant == "φ333" }!
            XCTAssertEqual(phi333.value, 2.4, accuracy: 0.05)
            XCTAssertEqual(r.group.order, 8, "⟨reflect(x), reflect(y), swap(x,y)⟩ is the dihedral group D4: \(r.group.generators)")
        }
    }

    /// V = x² + y² + 0.8xy: the coordinates are coupled harmonically, so reflect(x) breaks at
    /// order 2, while the reflections along the Hessian's eigenvectors — (1,−1)/√2 and (1,1)/√2 —
    /// are the exact swap(x,y) and its product with the inversion: one operation each, not
    /// tested again as `reflect(mode K)`.
    func testHarmonicCouplingBreaksAtOrderTwoButModesAreExact() throws {
        let table = TaylorFitTests.sampleTable(count: 500, seed: 12, noise: 0.01, box: [-1...1, -1...1], names: ["x", "y"]) { p in
            p[0] * p[0] + p[1] * p[1] + 0.8 * p[0] * p[1]
        }
        let r = try Analyzer.run(table, AnalysisConfiguration(fit: FitConfiguration(center: .auto, order: .fixed(3))))
        let v = verdicts(r)
        let rx = r.operations.first { $0.name == "reflect(x)" }!
        XCTAssertNotEqual(rx.verdict, .exact)
        XCTAssertEqual(rx.breakingOrder, 2)
        XCTAssertEqual(v["swap(x,y)"], .exact)
        XCTAssertEqual(v["invert"], .exact)
        XCTAssertNil(v["reflect(mode 1)"])
        XCTAssertNil(v["reflect(mode 2)"])
        XCTAssertEqual(Set(r.coincidentOperations.map(\.name)), ["reflect(mode 1)", "reflect(mode 2)"])
        XCTAssertTrue(r.coincidentOperations.contains(CoincidentOperation(name: "reflect(mode 2)", sameAs: "swap(x,y)"))
                      || r.coincidentOperations.contains(CoincidentOperation(name: "reflect(mode 1)", sameAs: "swap(x,y)")),
                      "\(r.coincidentOperations)")
        XCTAssertEqual(r.group.order, 4, "⟨swap(x,y), invert⟩")
    }
}

/// Size and power of the verdicts over seeded repetitions (SPEC §5, statistics).
final class SymmetryTestCalibrationTests: XCTestCase {
    static func coupledWell(seed: UInt64, cubic: Double) -> SampleTable {
        TaylorFitTests.sampleTable(count: 300, seed: seed, noise: 0.01, box: [-1...1, -1...1], names: ["x", "y"]) { p in
            p[0] * p[0] + p[1] * p[1] + 0.8 * p[0] * p[1] + cubic * p[0] * p[0] * p[0]
        }
    }

    /// On exactly symmetric noisy data (V is even, so `invert` is exact) the false "not exact"
    /// rate must stay near α = 0.05: over 60 repetitions the count of rejections has mean 3 and
    /// P(X ≥ 9) ≈ 0.004 under the nominal rate, so ≤ 8 is required.
    func testFalseBreakingRateStaysNearAlpha() throws {
        var rejected = 0
        for seed in 100..<160 {
            let r = try Analyzer.run(Self.coupledWell(seed: UInt64(seed), cubic: 0),
                                     AnalysisConfiguration(fit: FitConfiguration(center: .auto, order: .fixed(3)),
                                                           operations: ["invert", "swap(x,y)"], onlyListedOperations: true))
            if r.operations.contains(where: { $0.verdict != .exact }) { rejected += 1 }
        }
        XCTAssertLessThanOrEqual(rejected, 8)
    }

    /// A small cubic breaking (0.02·x³: RMS ≈ 0.009, comparable to the noise 0.01) is detected
    /// in at least 18 of 20 repetitions.
    func testSmallKnownBreakingIsDetected() throws {
        var detected = 0
        for seed in 200..<220 {
            let r = try Analyzer.run(Self.coupledWell(seed: UInt64(seed), cubic: 0.02),
                                     AnalysisConfiguration(fit: FitConfiguration(center: .auto, order: .fixed(3)),
                                                           operations: ["invert"], onlyListedOperations: true))
            if r.operations[0].verdict != .exact { detected += 1 }
        }
        XCTAssertGreaterThanOrEqual(detected, 18)
    }
}
