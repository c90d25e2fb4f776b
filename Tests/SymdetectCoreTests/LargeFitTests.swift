import XCTest
@testable import SymdetectCore

/// The large-design path (normal equations accumulated with BLAS-3, Cholesky, one refinement
/// step), the nested-fit reuse and the k-d search: each checked against an independent answer —
/// exact polynomial labels, the streaming Householder QR, and a brute-force neighbour scan.
final class LargeFitTests: XCTestCase {
    /// n·p² above the extended-precision limit, so `TaylorFitter.fit` takes the semi-normal path.
    static func wellTable(rows: Int, noise: Double, seed: UInt64) -> SampleTable {
        var rng = SeededGenerator(seed: seed)
        var cols = [[Double]](repeating: [], count: 3)
        var y: [Double] = []
        for _ in 0..<rows {
            let (a, b, c) = (rng.uniform(-2, 1), rng.uniform(-1, 3), rng.uniform(0.5, 1.5))
            cols[0].append(a); cols[1].append(b); cols[2].append(c)
            y.append(Self.exact(a, b, c) + noise * rng.nextGaussian())
        }
        return SampleTable(featureNames: ["x", "y", "z"], labelName: "V", features: cols, labels: y)
    }

    /// A quartic with known coefficients about the origin.
    static func exact(_ a: Double, _ b: Double, _ c: Double) -> Double {
        1.5 - 0.25 * a + 2 * b * b - 0.75 * a * b * c + 0.125 * c * c * c * c - 0.5 * a * a * b * c + 3e-3 * b * b * b
    }

    func testLargeFitRecoversAnExactQuarticToTwelveDigits() throws {
        let table = Self.wellTable(rows: 30_000, noise: 0, seed: 11)
        XCTAssertGreaterThan(30_000 * 35 * 35, ExtendedPrecisionLeastSquares.workLimit)
        let fit = try TaylorFitter.fit(table, center: [0, 0, 0], order: 4)
        let expected: [[Int]: Double] = [[0, 0, 0]: 1.5, [1, 0, 0]: -0.25, [0, 2, 0]: 2, [1, 1, 1]: -0.75,
                                         [0, 0, 4]: 0.125, [2, 1, 1]: -0.5, [0, 3, 0]: 3e-3]
        for (a, alpha) in fit.exponents.enumerated() {
            let want = expected[alpha] ?? 0
            XCTAssertEqual(fit.coefficients[a], want, accuracy: 1e-12 * 4, "coefficient of \(alpha)")
        }
        XCTAssertLessThan(fit.rmse, 1e-12)
        XCTAssertEqual(fit.rank, 35)
    }

    func testSemiNormalEquationsAgreeWithHouseholderQR() throws {
        // Noisy labels, off-centre expansion: the refined semi-normal solution and the streaming
        // QR solution of the same least-squares problem agree to ~10 digits.
        let table = Self.wellTable(rows: 25_000, noise: 0.01, seed: 12)
        let center = [0.3, -0.2, 1.1]
        NestedFitCache.shared.removeAll()
        let fit = try TaylorFitter.fit(table, center: center, order: 4)
        let exponents = MultiIndex.all(dimension: 3, order: 4)
        let scale = TaylorFitter.coordinateScale(table, center)
        let (r, qty) = try TaylorFitter.streamingQR(table, table.labels, center, scale, nil, MonomialEvaluator(exponents: exponents), exponents.count)
        let qr = try TaylorFitter.EquilibratedDecomposition(r: r, qty: qty, rowCount: table.count)
        for (a, alpha) in exponents.enumerated() {
            var unscale = 1.0
            for j in 0..<3 { unscale *= pow(scale[j], Double(alpha[j])) }
            let reference = qr.beta[a] / unscale
            XCTAssertEqual(fit.coefficients[a], reference, accuracy: 1e-9 * max(1, abs(reference)), "coefficient of \(alpha)")
        }
        XCTAssertEqual(fit.conditionNumber, qr.conditionNumber, accuracy: 1e-6 * qr.conditionNumber)
        // The RMSE from the blocked pass matches its definition on the fitted polynomial.
        var rss = 0.0
        for i in 0..<table.count { let e = table.labels[i] - fit.value(at: table.point(i)); rss += e * e }
        XCTAssertEqual(fit.rmse, (rss / Double(table.count)).squareRoot(), accuracy: 1e-10 * fit.rmse)
        XCTAssertTrue(fit.residuals.isEmpty && fit.leverages.isEmpty, "large fits keep no per-row arrays")
    }

    /// The final pass of the large path sums rᵢ, hᵢᵢ and the leave-one-out residuals without
    /// storing them; its RMSE, LOO RMSE and R² must equal those from the exact hat diagonal of a
    /// dense orthonormal basis of the same design (unweighted and with locality weights: full
    /// rank, hᵢᵢ from the triangular factor), and with a rank-deficient design (z = x on the
    /// data: hᵢᵢ from the projector) those of the reduced, full-rank design in (x, y).
    func testLargeFitLeaveOneOutMatchesExactHatDiagonal() throws {
        let rows = 17_000
        XCTAssertGreaterThan(rows * 35 * 35, ExtendedPrecisionLeastSquares.workLimit)
        let table = Self.wellTable(rows: rows, noise: 0.03, seed: 15)
        let center = [-0.4, 0.8, 1.05]
        let columns = ExactLeastSquaresDiagnostics.monomialColumns(table.features, center: center, order: 4)
        for radius in [nil, 1.5] as [Double?] {
            NestedFitCache.shared.removeAll()
            let fit = try TaylorFitter.fit(table, center: center, order: 4, radius: radius)
            let weights = radius.map { r in
                (0..<rows).map { i in exp(-0.5 * (0..<3).reduce(0.0) { $0 + pow(table.features[$1][i] - center[$1], 2) } / (r * r)) }
            }
            let exact = ExactLeastSquaresDiagnostics(columns: columns, labels: table.labels, weights: weights)
            XCTAssertEqual(exact.rank, 35)
            XCTAssertEqual(fit.rank, 35)
            XCTAssertEqual(fit.rmse, exact.rmse, accuracy: 1e-9 * exact.rmse, "radius \(String(describing: radius))")
            XCTAssertEqual(try XCTUnwrap(fit.looRmse), exact.looRmse, accuracy: 1e-9 * exact.looRmse, "radius \(String(describing: radius))")
            XCTAssertEqual(fit.r2, exact.r2, accuracy: 1e-12, "radius \(String(describing: radius))")
            XCTAssertGreaterThan(exact.looRmse, exact.rmse * 1.0001, "the leverages matter at this precision")
        }

        var flat = table
        flat.features[2] = table.features[0]
        let flatCenter = [center[0], center[1], center[0]]
        NestedFitCache.shared.removeAll()
        let fit = try TaylorFitter.fit(flat, center: flatCenter, order: 4)
        let reduced = ExactLeastSquaresDiagnostics.monomialColumns(Array(flat.features.prefix(2)), center: Array(flatCenter.prefix(2)), order: 4)
        let exact = ExactLeastSquaresDiagnostics(columns: reduced, labels: flat.labels)
        XCTAssertEqual(exact.rank, 15)
        XCTAssertEqual(fit.rank, 15)
        XCTAssertEqual(fit.rmse, exact.rmse, accuracy: 1e-9 * exact.rmse)
        XCTAssertEqual(try XCTUnwrap(fit.looRmse), exact.looRmse, accuracy: 1e-9 * exact.looRmse)
        XCTAssertEqual(fit.r2, exact.r2, accuracy: 1e-12)
        NestedFitCache.shared.removeAll()
    }

    /// An auxiliary fit without its leave-one-out error: the same fit bit for bit but for
    /// `looRmse` (nil); a later fit of the same data that wants the error gets it (the cache
    /// does not hand back the fit without it), and matches the exact hat diagonal's.
    func testFitWithoutLeaveOneOutDiffersOnlyThere() throws {
        let rows = 17_000
        let table = Self.wellTable(rows: rows, noise: 0.03, seed: 16)
        let center = [0.2, 0.5, 0.95]
        NestedFitCache.shared.removeAll()
        let full = try TaylorFitter.fit(table, center: center, order: 4)
        NestedFitCache.shared.removeAll()
        let auxiliary = try TaylorFitter.fit(table, center: center, order: 4, leaveOneOut: false)
        XCTAssertNil(auxiliary.looRmse)
        XCTAssertEqual(auxiliary.coefficients, full.coefficients)
        XCTAssertEqual(auxiliary.covariance, full.covariance)
        XCTAssertEqual(auxiliary.rmse, full.rmse)
        XCTAssertEqual(auxiliary.r2, full.r2)
        XCTAssertEqual(auxiliary.sigma, full.sigma)
        XCTAssertEqual(auxiliary.warnings, full.warnings)

        let again = try TaylorFitter.fit(table, center: center, order: 4)
        let columns = ExactLeastSquaresDiagnostics.monomialColumns(table.features, center: center, order: 4)
        let exact = ExactLeastSquaresDiagnostics(columns: columns, labels: table.labels)
        XCTAssertEqual(try XCTUnwrap(again.looRmse), exact.looRmse, accuracy: 1e-9 * exact.looRmse)
        XCTAssertEqual(again.looRmse, full.looRmse)
        // Now stored with its error, the fit serves a caller who does not need it as well.
        let cached = try TaylorFitter.fit(table, center: center, order: 4, leaveOneOut: false)
        XCTAssertEqual(cached.looRmse, full.looRmse)
        NestedFitCache.shared.removeAll()
    }

    func testLargeFitIsBitwiseReproducible() throws {
        let table = Self.wellTable(rows: 40_000, noise: 0.05, seed: 13)
        NestedFitCache.shared.removeAll()
        let a = try TaylorFitter.fit(table, center: [0.1, 0.2, 0.9], order: 5)
        NestedFitCache.shared.removeAll()
        let b = try TaylorFitter.fit(table, center: [0.1, 0.2, 0.9], order: 5)
        XCTAssertEqual(a.coefficients, b.coefficients)
        XCTAssertEqual(a.rmse, b.rmse)
        XCTAssertEqual(a.looRmse, b.looRmse)
        XCTAssertEqual(a.r2, b.r2)
        XCTAssertEqual(a.covariance, b.covariance)
    }

    func testNestedFitsFromOneAccumulationMatchSeparateFits() throws {
        let table = Self.wellTable(rows: 30_000, noise: 0.02, seed: 14)
        let center = [0.0, 1.0, 1.0]
        NestedFitCache.shared.removeAll()
        let separate = try (4...6).map { try TaylorFitter.fit(table, center: center, order: $0) }
        NestedFitCache.shared.removeAll()
        TaylorFitter.prepareNestedFits(table, center: center, upToOrder: 6)
        let nested = try (4...6).map { try TaylorFitter.fit(table, center: center, order: $0) }
        for (s, n) in zip(separate, nested) {
            XCTAssertEqual(s.order, n.order)
            for a in 0..<s.parameterCount {
                XCTAssertEqual(n.coefficients[a], s.coefficients[a], accuracy: 1e-9 * max(1, abs(s.coefficients[a])))
            }
            XCTAssertEqual(n.rmse, s.rmse, accuracy: 1e-12 * s.rmse)
        }
        // Asked again, the fit is returned, not refitted.
        let again = try TaylorFitter.fit(table, center: center, order: 5)
        XCTAssertEqual(again.coefficients, nested[1].coefficients)
        NestedFitCache.shared.removeAll()
    }

    func testOffCentreOrderSixFitReachesTheLeastSquaresMinimum() throws {
        // A density over a box expanded about a corner (scaled coordinates in [−1, 0.16]):
        // κ ≈ 1e4 after equilibration. GSL's Jacobi SVD once returned a non-orthonormal U here
        // and a fit 2× worse than the least-squares minimum; the minimum is checked against the
        // back-substituted QR solution R β = Qᵀy of the same problem.
        var rng = SeededGenerator(seed: 31)
        var cols = [[Double]](repeating: [], count: 3)
        var y: [Double] = []
        for _ in 0..<20_000 {
            let (a, b, c) = (rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1))
            cols[0].append(a); cols[1].append(b); cols[2].append(c)
            y.append(exp(-3 * (a * a + b * b + 2 * c * c) - 0.4 * c * c * c + 0.3 * (a * a + b * b) * c))
        }
        let table = SampleTable(featureNames: ["x", "y", "z"], labelName: "rho", features: cols, labels: y)
        let center = [0.728126, 0.724684, -0.766333]
        NestedFitCache.shared.removeAll()
        let fit = try TaylorFitter.fit(table, center: center, order: 6)
        let exponents = MultiIndex.all(dimension: 3, order: 6)
        let p = exponents.count
        let scale = TaylorFitter.coordinateScale(table, center)
        let (r, qty) = try TaylorFitter.streamingQR(table, y, center, scale, nil, MonomialEvaluator(exponents: exponents), p)
        var beta = [Double](repeating: 0, count: p)
        for i in stride(from: p - 1, through: 0, by: -1) {
            var s = qty[i]
            for j in (i + 1)..<max(i + 1, p) { s -= r[i, j] * beta[j] }
            beta[i] = s / r[i, i]
        }
        let evaluator = MonomialEvaluator(exponents: exponents)
        var rss = 0.0
        for i in 0..<table.count {
            let v = (0..<3).map { (table.features[$0][i] - center[$0]) / scale[$0] }
            let e = y[i] - zip(evaluator.evaluate(v), beta).map { $0 * $1 }.reduce(0, +)
            rss += e * e
        }
        let reference = (rss / Double(table.count)).squareRoot()
        XCTAssertEqual(fit.rmse, reference, accuracy: 1e-7 * reference)
        XCTAssertEqual(fit.rank, p)
        NestedFitCache.shared.removeAll()
    }

    func testNeighbourSearchMatchesBruteForce() {
        var rng = SeededGenerator(seed: 21)
        let d = 3, n = 3000
        var pts: [Double] = []
        for i in 0..<n {
            // Coarse values give many equal distances: ties must be broken by index.
            if i % 10 == 0, i > 0 { pts += pts[((i - 7) * d)..<((i - 7) * d + d)]; continue }
            for _ in 0..<d { pts.append((rng.uniform(-1, 1) * 8).rounded() / 8) }
        }
        let tree = KDTree(points: pts, dimension: d)
        let packed = tree.packedPoints()
        for trial in 0..<300 {
            let q = (0..<d).map { _ in (rng.uniform(-1.3, 1.3) * 16).rounded() / 16 }
            let k = [1, 5, 22][trial % 3]
            let excluded = trial % 4 == 0 ? Int(rng.next() % UInt64(n)) : -1
            var all: [(index: Int, distanceSquared: Double)] = []
            for i in 0..<n where i != excluded {
                var s = 0.0
                for j in 0..<d { let t = pts[i * d + j] - q[j]; s += t * t }
                all.append((i, s))
            }
            all.sort { $0.distanceSquared < $1.distanceSquared || ($0.distanceSquared == $1.distanceSquared && $0.index < $1.index) }
            let brute = Array(all.prefix(k))
            let fast = tree.nearestNeighbours(q, k: k, excluding: excluded, packed: packed)
            let recursive = tree.nearest(q, k: k, excluding: excluded)
            XCTAssertEqual(fast.map { $0.index }, brute.map { $0.index }, "trial \(trial)")
            XCTAssertEqual(fast.map { $0.distanceSquared }, brute.map { $0.distanceSquared }, "trial \(trial)")
            XCTAssertEqual(recursive.map { $0.index }, brute.map { $0.index }, "trial \(trial)")
            // Bounded search: exact whenever the k-th distance is within the bound.
            let limit = brute.last!.distanceSquared * (trial % 2 == 0 ? 1.0 : 0.5)
            let bounded = tree.nearestNeighbours(q, k: k, excluding: excluded, within: limit, packed: packed)
            if let last = bounded.last, bounded.count == k, last.distanceSquared <= limit {
                XCTAssertEqual(bounded.map { $0.index }, brute.map { $0.index }, "bounded trial \(trial)")
            } else {
                XCTAssertGreaterThan(brute.last!.distanceSquared, limit, "bounded trial \(trial)")
            }
        }
    }

    /// The 32-bit prefix shuffle draws and swaps exactly as `shuffle` does, and leaves the
    /// generator in the same state.
    func testShuffledPrefixMatchesFullShuffle() {
        for (n, count) in [(0, 0), (1, 1), (2, 1), (17, 5), (10_000, 10_000), (123_457, 2_000)] {
            var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7)
            var all = Array(0..<n)
            a.shuffle(&all)
            XCTAssertEqual(b.shuffledPrefix(of: n, count: count), Array(all.prefix(count)), "n \(n)")
            XCTAssertEqual(a.next(), b.next(), "n \(n)")
        }
        // The sorted subset: the same entries in ascending order, the generator in the same state.
        for (n, count) in [(0, 0), (17, 5), (200, 64), (200, 65), (10_000, 10_000), (123_457, 2_000)] {
            var a = SeededGenerator(seed: 11), b = SeededGenerator(seed: 11)
            var all = Array(0..<n)
            a.shuffle(&all)
            XCTAssertEqual(b.sortedSubset(of: n, count: count), Array(all.prefix(count)).sorted(), "n \(n)")
            XCTAssertEqual(a.next(), b.next(), "n \(n)")
        }
    }

    /// The fit cache's key hashes every coordinate and label: changing any one value (at every
    /// position of the four-lane stream, with a row count that is not a multiple of four) changes
    /// both hashes; equal data in separate arrays give equal keys.
    func testFitCacheKeyDependsOnEveryValue() {
        let table = Self.wellTable(rows: 11, noise: 0.1, seed: 16)
        let center = [0.0, 0.0, 1.0]
        let key = NestedFitCache.Key(table, table.labels, center, nil)
        let copy = SampleTable(featureNames: table.featureNames, labelName: table.labelName,
                               features: table.features.map { Array($0) }, labels: Array(table.labels))
        XCTAssertEqual(NestedFitCache.Key(copy, copy.labels, center, nil), key)
        for j in 0...3 {
            for i in 0..<table.count {
                var changed = table
                if j < 3 { changed.features[j][i] = changed.features[j][i].nextUp } else { changed.labels[i] = changed.labels[i].nextUp }
                let other = NestedFitCache.Key(changed, changed.labels, center, nil)
                XCTAssertNotEqual(other.hashA, key.hashA, "column \(j), row \(i)")
                XCTAssertNotEqual(other.hashB, key.hashB, "column \(j), row \(i)")
            }
        }
        // Swapping two values is a different stream too.
        var swapped = table
        swapped.labels.swapAt(0, 4)
        XCTAssertNotEqual(NestedFitCache.Key(swapped, swapped.labels, center, nil), key)
    }

    func testColumnBoundsMatchTheLibrary() {
        var rng = SeededGenerator(seed: 17)
        for n in [1, 2, 7, 1000] {
            let values = (0..<n).map { _ in (rng.uniform(-3, 3) * 4).rounded() / 4 }
            let bounds = SampleTable.bounds(values)
            XCTAssertEqual(bounds?.lower, values.min())
            XCTAssertEqual(bounds?.upper, values.max())
        }
        XCTAssertNil(SampleTable.bounds([]))
    }

    /// A subsample table is reused only for the very same, unchanged data: it always equals the
    /// rows at its indices, also after the source table was changed in place.
    func testSubsampleReuseFollowsTheData() {
        let table = Self.wellTable(rows: 1200, noise: 0.1, seed: 18)
        let (a, indices) = table.subsample(limit: 500, seed: 3)
        XCTAssertEqual(indices.count, 500)
        XCTAssertEqual(a, table.rows(indices))
        var changed = table
        changed.labels[indices[0]] += 1
        changed.features[1][indices[1]] -= 1
        let (b, again) = changed.subsample(limit: 500, seed: 3)
        XCTAssertEqual(again, indices)
        XCTAssertEqual(b, changed.rows(indices))
        XCTAssertEqual(b.labels[0], a.labels[0] + 1)
        XCTAssertEqual(b.features[1][1], a.features[1][1] - 1)
        var inPlace = changed
        changed = table
        inPlace.labels[indices[2]] = 7
        XCTAssertEqual(inPlace.subsample(limit: 500, seed: 3).table, inPlace.rows(indices))
        XCTAssertEqual(table.subsample(limit: 500, seed: 3).table, a)
    }

    func testShuffledSubsetIsSharedAndStable() {
        let a = ErrorFloorEstimator.sampleIndices(123_457, seed: 99)
        let b = ErrorFloorEstimator.sampleIndices(123_457, seed: 99)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.count, ErrorFloorEstimator.maxSamples)
        var rng = SeededGenerator(seed: 99)
        var all = Array(0..<123_457)
        rng.shuffle(&all)
        XCTAssertEqual(a, Array(all.prefix(ErrorFloorEstimator.maxSamples)).sorted())
    }
}
