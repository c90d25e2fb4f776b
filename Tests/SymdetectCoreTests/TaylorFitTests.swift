import XCTest
@testable import SymdetectCore

final class TaylorFitTests: XCTestCase {
    /// V(x, y, z) with an analytic minimum at m = (1, −2, 0.5): every term is at least quadratic
    /// in the displacement w = p − m, so ∇V(m) = 0 and the Hessian there is [[6,1,0],[1,4,0],[0,0,2]].
    static let minimum = [1.0, -2.0, 0.5]
    static func potential(_ p: [Double]) -> Double {
        let (a, b, c) = (p[0] - 1, p[1] + 2, p[2] - 0.5)
        return 3 * a * a + a * b + 2 * b * b + c * c + 0.4 * a * a * a + 0.2 * a * b * c
            - 0.15 * a * c * c + 0.1 * b * b * b * b + 0.05 * a * a * c * c
    }

    static func sampleTable(count: Int, seed: UInt64, noise: Double = 0,
                            box: [ClosedRange<Double>], names: [String] = ["x", "y", "z"],
                            label: ([Double]) -> Double) -> SampleTable {
        var rng = SeededGenerator(seed: seed)
        var cols = [[Double]](repeating: [], count: box.count)
        var y: [Double] = []
        for _ in 0..<count {
            let p = box.map { rng.uniform($0.lowerBound, $0.upperBound) }
            for j in 0..<box.count { cols[j].append(p[j]) }
            y.append(label(p) + noise * rng.nextGaussian())
        }
        return SampleTable(featureNames: names, labelName: "V", features: cols, labels: y)
    }

    /// A quartic model in six coordinates (210 coefficients) on 600 rows takes the plain SVD
    /// path (too large for the extended-precision re-solve). GSL's Jacobi SVD once returned
    /// non-orthogonal left singular vectors there, which made the fit worse than a cubic one and
    /// some leverages exceed 1; the model must reproduce a quadratic to the noise level.
    func testLargeQuarticDesignInSixCoordinatesReproducesAQuadratic() throws {
        var rng = SeededGenerator(seed: 3)
        let (n, d) = (600, 6)
        let columns = (0..<d).map { _ in (0..<n).map { _ in rng.uniform(-1, 1) } }
        let y = (0..<n).map { i in columns.enumerated().map { Double($0.offset + 1) * $0.element[i] * $0.element[i] }.reduce(0, +) + 0.01 * rng.nextGaussian() }
        let table = SampleTable(featureNames: (1...d).map { "x\($0)" }, labelName: "y", features: columns, labels: y)
        let fit = try TaylorFitter.fit(table, labels: y, center: [Double](repeating: 0, count: d), order: 4, radius: nil)
        XCTAssertEqual(fit.parameterCount, 210)
        XCTAssertLessThan(fit.rmse, 0.01, "residuals at the noise level (σ = 0.01, 390 residual degrees of freedom)")
        // Leverages above 1 would leave the LOO RMSE undefined; it must be that of the exact hat
        // diagonal (dense orthonormal basis of the same design).
        let exact = ExactLeastSquaresDiagnostics(
            columns: ExactLeastSquaresDiagnostics.monomialColumns(columns, center: [Double](repeating: 0, count: d), order: 4), labels: y)
        XCTAssertEqual(exact.rank, 210)
        XCTAssertEqual(try XCTUnwrap(fit.looRmse), exact.looRmse, accuracy: 1e-6 * exact.looRmse)
        let hessian = ForceConstants(fit).hessian
        for j in 0..<d { XCTAssertEqual(hessian[j, j], 2 * Double(j + 1), accuracy: 0.05) }
    }

    func testRecoversThreeVariablePolynomialAtGivenCenter() throws {
        let table = Self.sampleTable(count: 300, seed: 1, box: [-0.5...2.5, -3.5...(-0.5), -1...2], label: Self.potential)
        let fit = try TaylorFitter.fit(table, center: Self.minimum, order: 4)
        XCTAssertEqual(fit.rank, 35)
        func coefficient(_ alpha: [Int]) -> Double { fit.polynomial.coefficient(of: alpha) }
        let expected: [[Int]: Double] = [
            [2, 0, 0]: 3, [1, 1, 0]: 1, [0, 2, 0]: 2, [0, 0, 2]: 1, [3, 0, 0]: 0.4, [1, 1, 1]: 0.2,
            [1, 0, 2]: -0.15, [0, 4, 0]: 0.1, [2, 0, 2]: 0.05,
        ]
        for (alpha, b) in zip(fit.exponents, fit.coefficients) {
            XCTAssertEqual(b, expected[alpha] ?? 0, accuracy: 1e-10, "coefficient of \(alpha)")
        }
        XCTAssertLessThan(fit.rmse, 1e-11)
        let fc = ForceConstants(fit)
        let exact: [[Double]] = [[6, 1, 0], [1, 4, 0], [0, 0, 2]]
        for i in 0..<3 { for j in 0..<3 { XCTAssertEqual(fc.hessian[i, j], exact[i][j], accuracy: 1e-10) } }
    }

    func testStationaryPointSearchFindsAnalyticMinimumFromOffCentreStart() throws {
        let table = Self.sampleTable(count: 300, seed: 2, box: [-0.5...2.5, -3.5...(-0.5), -1...2], label: Self.potential)
        let outcome = try FitPipeline.run(table, FitConfiguration(center: .auto, order: .fixed(4)))
        // The lowest sample is not the minimum; Newton steps must get there.
        let iMin = table.labels.indices.min { table.labels[$0] < table.labels[$1] }!
        XCTAssertGreaterThan(zip(table.point(iMin), Self.minimum).map { abs($0 - $1) }.max()!, 0.01)
        for j in 0..<3 { XCTAssertEqual(outcome.fit.center[j], Self.minimum[j], accuracy: 1e-9) }
        XCTAssertEqual(outcome.center.kind, .stationary(.minimum))
        XCTAssertTrue(outcome.center.converged)
        XCTAssertLessThan(outcome.center.gradientNorm, 1e-9)
        XCTAssertEqual(outcome.hessian.kind, .minimum)
        // Eigenvalues of [[6,1],[1,4]] are 5 ± √2; the z mode is 2.
        let ev = outcome.hessian.eigenvalues
        XCTAssertEqual(ev[0], 2, accuracy: 1e-8)
        XCTAssertEqual(ev[1], 5 - 2.0.squareRoot(), accuracy: 1e-8)
        XCTAssertEqual(ev[2], 5 + 2.0.squareRoot(), accuracy: 1e-8)
    }

    func testSaddleIsReportedWithItsIndex() throws {
        // V = x² − y² + 0.1 x³: a saddle of index 1 at the origin.
        let table = Self.sampleTable(count: 200, seed: 3, box: [-1...1, -1...1], names: ["x", "y"]) { p in
            p[0] * p[0] - p[1] * p[1] + 0.1 * p[0] * p[0] * p[0]
        }
        let outcome = try FitPipeline.run(table, FitConfiguration(center: .auto, order: .fixed(3)))
        XCTAssertEqual(outcome.hessian.kind, .saddle(index: 1))
        XCTAssertEqual(outcome.center.kind, .stationary(.saddle(index: 1)))
        XCTAssertEqual(outcome.fit.center[0], 0, accuracy: 1e-9)
        XCTAssertEqual(outcome.fit.center[1], 0, accuracy: 1e-9)
    }

    /// Morse V = D(1 − e^{−ax})²: V⁽ⁿ⁾(0) = D(−a)ⁿ(2ⁿ − 2), i.e. φ2 = 2Da², φ3 = −6Da³, φ4 = 14Da⁴.
    func testMorseForceConstantsAtHighOrder() throws {
        let (D, a) = (0.1745, 1.9)
        let L = 0.2 / a
        let xs = (0...200).map { -L + 2 * L * Double($0) / 200 }
        let table = SampleTable(featureNames: ["x"], labelName: "V", features: [xs],
                                labels: xs.map { D * pow(1 - exp(-a * $0), 2) })
        let fit = try TaylorFitter.fit(table, center: [0], order: 8)
        let fc = ForceConstants(fit)
        // Order 8 on |ax| ≤ 0.2: the first neglected terms (x⁹, x¹⁰) alias into φ3/φ4 with a
        // relative weight ≈ (2⁹/9!)·6·(aL)⁶ < 1e-6, so 1e-6 relative is a safe bound.
        XCTAssertEqual(fc.hessian[0, 0], 2 * D * a * a, accuracy: 1e-6 * 2 * D * a * a)
        XCTAssertEqual(fc.cubic[0].value, -6 * D * pow(a, 3), accuracy: 1e-6 * 6 * D * pow(a, 3))
        XCTAssertEqual(fc.quartic[0].value, 14 * D * pow(a, 4), accuracy: 1e-5 * 14 * D * pow(a, 4))
        XCTAssertEqual(fc.gradient[0], 0, accuracy: 1e-9)
    }

    /// At the default order 4 the truncation shows: on a uniform grid over [−L, L] the least-squares
    /// projection of x⁵ onto {1, …, x⁴} is (10/9)L²x³ − (5/21)L⁴x (Legendre), so the fitted φ3 is
    /// biased by 6·c5·(10/9)L² with c5 = V⁽⁵⁾(0)/5! = −Da⁵/4: relative bias (5/18)(aL)².
    func testMorseCubicAtOrderFourHasTheExpectedTruncationBias() throws {
        let (D, a) = (0.1745, 1.9)
        let L = 0.3 / a
        let xs = (0...2000).map { -L + 2 * L * Double($0) / 2000 }
        let table = SampleTable(featureNames: ["x"], labelName: "V", features: [xs],
                                labels: xs.map { D * pow(1 - exp(-a * $0), 2) })
        let fc = ForceConstants(try TaylorFitter.fit(table, center: [0], order: 4))
        let phi3 = -6 * D * pow(a, 3)
        let predictedBias = 6 * (-D * pow(a, 5) / 4) * (10.0 / 9.0) * L * L
        // Remaining error: x⁷ aliasing, O((aL)⁴) relative ≈ 1e-3 of φ3 here; 25 % of the bias covers it.
        XCTAssertEqual(fc.cubic[0].value - phi3, predictedBias, accuracy: 0.25 * abs(predictedBias))
        XCTAssertEqual(fc.quartic[0].value, 14 * D * pow(a, 4), accuracy: 0.05 * 14 * D * pow(a, 4))
    }

    /// σ²(XᵀX)⁻¹ built independently (raw monomials, normal equations by Gauss–Jordan) on a
    /// small well-conditioned problem.
    func testStandardErrorsMatchIndependentNormalEquations() throws {
        let xs = [-1.0, -0.7, -0.3, 0.0, 0.2, 0.5, 0.8, 1.1, 1.4]
        let ys = [2.1, 1.2, 0.9, 1.05, 0.8, 1.3, 1.9, 2.6, 3.9]
        let table = SampleTable(featureNames: ["x"], labelName: "y", features: [xs], labels: ys)
        let fit = try TaylorFitter.fit(table, center: [0], order: 2)
        var xtx = [[Double]](repeating: [Double](repeating: 0, count: 3), count: 3)
        var xty = [Double](repeating: 0, count: 3)
        for (x, y) in zip(xs, ys) {
            let r = [1, x, x * x]
            for i in 0..<3 { xty[i] += r[i] * y; for j in 0..<3 { xtx[i][j] += r[i] * r[j] } }
        }
        let inv = gaussJordanInverse(xtx)
        let beta = (0..<3).map { i in (0..<3).map { inv[i][$0] * xty[$0] }.reduce(0, +) }
        let rss = zip(xs, ys).map { x, y in pow(y - beta[0] - beta[1] * x - beta[2] * x * x, 2) }.reduce(0, +)
        let s2 = rss / Double(xs.count - 3)
        for i in 0..<3 {
            XCTAssertEqual(fit.coefficients[i], beta[i], accuracy: 1e-12)
            XCTAssertEqual(fit.standardErrors[i]!, (s2 * inv[i][i]).squareRoot(), accuracy: 1e-12)
        }
        XCTAssertEqual(fit.sigma!, s2.squareRoot(), accuracy: 1e-12)
        // Leave-one-out by brute force: refit without each point.
        var loo = 0.0
        for k in 0..<xs.count {
            var x2 = xs, y2 = ys
            x2.remove(at: k); y2.remove(at: k)
            let f = try TaylorFitter.fit(SampleTable(featureNames: ["x"], labelName: "y", features: [x2], labels: y2), center: [0], order: 2)
            loo += pow(ys[k] - f.value(at: [xs[k]]), 2)
        }
        XCTAssertEqual(fit.looRmse!, (loo / Double(xs.count)).squareRoot(), accuracy: 1e-12)
        let mean = ys.reduce(0, +) / Double(ys.count)
        XCTAssertEqual(fit.r2, 1 - rss / ys.map { ($0 - mean) * ($0 - mean) }.reduce(0, +), accuracy: 1e-12)
    }

    func testRankDeficientGridCompletesAndNamesTheUndeterminedCombination() throws {
        // z takes only the values −1, 0, 1, so z³ ≡ z and z⁴ ≡ z² on the data.
        var xs: [Double] = [], zs: [Double] = [], ys: [Double] = []
        for i in 0..<9 { for z in [-1.0, 0, 1] {
            let x = -1 + Double(i) / 4
            xs.append(x); zs.append(z); ys.append(1 + x + 0.5 * x * z + 2 * z * z)
        } }
        let table = SampleTable(featureNames: ["x", "z"], labelName: "y", features: [xs, zs], labels: ys)
        let fit = try TaylorFitter.fit(table, center: [0, 0], order: 4)
        XCTAssertLessThan(fit.rank, fit.parameterCount)
        XCTAssertTrue(fit.isRankDeficient)
        XCTAssertFalse(fit.undeterminedCombinations.isEmpty)
        XCTAssertTrue(fit.warnings.contains { if case .rankDeficient = $0 { return true }; return false })
        XCTAssertTrue(fit.undeterminedCombinations.contains { $0.contains("x*z^3") && $0.contains("x*z") })
        let iz3 = fit.exponents.firstIndex(of: [0, 3])!
        XCTAssertNil(fit.standardErrors[iz3], "an undetermined coefficient must not get a standard error")
        let ix = fit.exponents.firstIndex(of: [1, 0])!
        XCTAssertNotNil(fit.standardErrors[ix])
        // The fitted function still reproduces the data.
        XCTAssertLessThan(fit.rmse, 1e-12)
    }

    func testTooFewRowsIsAClearError() {
        let table = SampleTable(featureNames: ["x", "y"], labelName: "v", features: [[0, 1, 2], [1, 0, 2]], labels: [1, 2, 3])
        XCTAssertThrowsError(try TaylorFitter.fit(table, center: [0, 0], order: 2)) { error in
            XCTAssertEqual(error as? FitError, .tooFewRows(needed: 6, available: 3, order: 2, dimension: 2))
            XCTAssertTrue("\(error)".contains("needs at least 7 rows"))
        }
    }

    func testAutoOrderPicksTheTrueDegreeOnNoisyCubic() throws {
        let table = Self.sampleTable(count: 400, seed: 5, noise: 0.01, box: [-1...1, -1...1], names: ["x", "y"]) { p in
            1 + p[0] - 2 * p[1] + p[0] * p[0] + 0.5 * p[0] * p[1] * p[1] + 0.8 * p[1] * p[1] * p[1]
        }
        let outcome = try FitPipeline.run(table, FitConfiguration(center: .origin, order: .auto))
        XCTAssertEqual(outcome.fit.order, 3)
        XCTAssertEqual(outcome.orderSelection.count, 6)
    }

    func testMultiIndexCountMatchesBinomial() {
        for d in 1...5 { for k in 0...6 {
            XCTAssertEqual(MultiIndex.count(dimension: d, order: k), MultiIndex.all(dimension: d, order: k).count)
        } }
        XCTAssertEqual(MultiIndex.count(dimension: 3, order: 4), 35)
        XCTAssertEqual(MultiIndex.name([2, 0, 1], variables: ["q1", "q2", "q3"]), "q1^2*q3")
    }
}

func gaussJordanInverse(_ a: [[Double]]) -> [[Double]] {
    let n = a.count
    var m = a.enumerated().map { i, r in r + (0..<n).map { $0 == i ? 1.0 : 0.0 } }
    for c in 0..<n {
        let p = (c..<n).max { abs(m[$0][c]) < abs(m[$1][c]) }!
        m.swapAt(c, p)
        let piv = m[c][c]
        m[c] = m[c].map { $0 / piv }
        for r in 0..<n where r != c {
            let f = m[r][c]
            m[r] = zip(m[r], m[c]).map { $0 - f * $1 }
        }
    }
    return m.map { Array($0[n...]) }
}
