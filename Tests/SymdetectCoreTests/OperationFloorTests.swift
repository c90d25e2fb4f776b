import XCTest
@testable import SymdetectCore

/// The per-operation floors, breaking RMS and mirror-test ordering, each checked against its
/// definition evaluated directly (orbit averages of `TaylorPolynomial.value(at:)`, a sort by
/// closure): the values at the samples x are computed once and shared by every operation, so
/// each operation must still get what its own formula gives.
final class OperationFloorTests: XCTestCase {
    static let names = ["x", "y", "z"]

    /// 600 rows in [−1, 1]³, a label symmetric under reflect(x) and swap(x, y) and broken along z
    /// by odd terms, no noise.
    static func table() -> SampleTable {
        var rng = SeededGenerator(seed: 5)
        var cols = [[Double]](repeating: [], count: 3)
        var y: [Double] = []
        for _ in 0..<600 {
            let (a, b, c) = (rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1))
            cols[0].append(a); cols[1].append(b); cols[2].append(c)
            y.append(a * a + b * b + 2 * c * c + 0.4 * c * c * c + 0.2 * (a * a + b * b) * c + 0.3 * a * a * b * b * c)
        }
        return SampleTable(featureNames: names, labelName: "V", features: cols, labels: y)
    }

    static let operations: [SymmetryOperation] = [
        .reflect(2, names: names), .swap(0, 1, names: names), .rotate(0, 2, degrees: 120, names: names),
        .rotateContinuous(0, 1, names: names), .invert(dimension: 3),
    ]

    static func row(_ table: SampleTable, _ i: Int) -> [Double] { (0..<table.dimension).map { table.features[$0][i] } }

    static func image(_ g: Matrix, _ x: [Double], _ c: [Double]) -> [Double] {
        var out: [Double] = []
        for r in 0..<x.count {
            var s = 0.0
            for j in 0..<x.count { s += g[r, j] * (x[j] - c[j]) }
            out.append(c[r] + s)
        }
        return out
    }

    static func rms(_ v: [Double]) -> Double { (v.map { $0 * $0 }.reduce(0, +) / Double(v.count)).squareRoot() }
    static func meanAbs(_ v: [Double]) -> Double { v.map(abs).reduce(0, +) / Double(v.count) }

    /// Model floors (SPEC §1): naive RMS of T − mean_g T∘g, hessian RMS of mean_g (T − h)∘g,
    /// taylor √(RMS((T⁺ − T)_a)² + mean aᵀCov(β)a) with a_α = u^α − mean_g (Gu)^α — all rows
    /// (the table is below the subset size). Agreement to 1e-9 relative: the code sums the same
    /// terms in another grouping.
    func testModelFloorsMatchOrbitAverages() throws {
        let table = Self.table()
        let c = [0.05, -0.03, 0.02]
        let fit = try TaylorFitter.fit(table, center: c, order: 3)
        let higher = try TaylorFitter.fit(table, center: c, order: 4)
        XCTAssertEqual(Array(higher.exponents.prefix(fit.parameterCount)), fit.exponents)
        let h = fit.polynomial.truncated(toOrder: 2)
        let basis = ModelFloorBasis(fit: fit, higherOrder: higher, table: table)
        for op in Self.operations {
            let orbit = op.orbitMatrices(limit: 12)
            var naive: [Double] = [], hessian: [Double] = [], residual: [Double] = [], variance = 0.0
            for i in 0..<table.count {
                let x = Self.row(table, i)
                let images = orbit.map { Self.image($0, x, c) }
                let n = Double(orbit.count)
                naive.append(fit.value(at: x) - images.map { fit.value(at: $0) }.reduce(0, +) / n)
                hessian.append(images.map { fit.value(at: $0) - h.value(at: $0) }.reduce(0, +) / n)
                let r = { (p: [Double]) in higher.value(at: p) - fit.value(at: p) }
                residual.append(r(x) - images.map(r).reduce(0, +) / n)
                let a = fit.exponents.map { alpha in
                    let monomial = { (p: [Double]) in (0..<3).map { pow(p[$0] - c[$0], Double(alpha[$0])) }.reduce(1, *) }
                    return monomial(x) - images.map(monomial).reduce(0, +) / n
                }
                for b in 0..<a.count { for e in 0..<a.count { variance += a[b] * fit.covariance[b, e] * a[e] } }
            }
            let fitError = (max(variance, 0) / Double(table.count)).squareRoot()
            let taylorRMSE = (pow(Self.rms(residual), 2) + fitError * fitError).squareRoot()
            for floors in [ErrorFloorEstimator.modelBased(basis, operation: op),
                           ErrorFloorEstimator.modelBased(fit: fit, higherOrder: higher, operation: op, table: table)] {
                let f = try XCTUnwrap(floors.naive)
                XCTAssertEqual(f.rmse, Self.rms(naive), accuracy: 1e-9 * Self.rms(naive) + 1e-14, op.name)
                XCTAssertEqual(f.mae, Self.meanAbs(naive), accuracy: 1e-9 * Self.meanAbs(naive) + 1e-14, op.name)
                if op.isInvolution {
                    let hf = try XCTUnwrap(floors.hessian)
                    XCTAssertEqual(hf.rmse, Self.rms(hessian), accuracy: 1e-9 * Self.rms(hessian) + 1e-14, op.name)
                } else {
                    XCTAssertNil(floors.hessian, op.name)
                }
                let tf = try XCTUnwrap(floors.taylor)
                XCTAssertEqual(tf.rmse, taylorRMSE, accuracy: 1e-7 * taylorRMSE + 1e-14, op.name)
            }
            // The oracle is not vacuous: reflect(z) breaks the label (odd terms in z).
            if op.name == "reflect(z)" { XCTAssertGreaterThan(Self.rms(naive), 0.1) }
        }
    }

    /// Mirror floors from the pairs' samples and images (SPEC §1): e_naive = (y − ŷ_g)/2,
    /// e_hessian = (y − h(x) + ŷ_g − h(g·x))/2, e_taylor = (y − T(x) − ŷ_g + T(g·x))/2,
    /// RMSE² = max(0, mean e² − mean l²/4); with T and h at x shared or evaluated per pair. The
    /// pairs' points are checked against the table rows and c + G(x − c).
    func testMirrorFloorsMatchTheirDefinition() throws {
        let table = Self.table()
        let fit = try TaylorFitter.fit(table, center: [0, 0, 0], order: 3)
        let h = fit.polynomial.truncated(toOrder: 2)
        let context = MirrorContext(table: table, center: fit.center, transform: .none)
        let shared = ErrorFloorEstimator.TestedSampleValues(fit: fit, testedPoints: context.testedPoints)
        for op in [SymmetryOperation.reflect(0, names: Self.names), .swap(0, 1, names: Self.names), .reflect(2, names: Self.names)] {
            let test = MirrorTest(context: context, operation: op)
            XCTAssertGreaterThanOrEqual(test.usable, MirrorTest.minimumPairs, op.name)
            var en: [Double] = [], eh: [Double] = [], et: [Double] = [], l2 = 0.0
            for (n, pair) in test.pairs.enumerated() {
                let x = Array(test.samplePoints[(3 * n)..<(3 * n + 3)])
                let g = Array(test.imagePoints[(3 * n)..<(3 * n + 3)])
                XCTAssertEqual(x, Self.row(table, pair.sample))
                XCTAssertEqual(context.tested[test.testedPositions[n]], pair.sample)
                for (a, b) in zip(g, Self.image(op.matrix, x, fit.center)) { XCTAssertEqual(a, b, accuracy: 1e-12) }
                let y = pair.label, yg = pair.imagePrediction
                en.append((y - yg) / 2)
                eh.append((y - h.value(at: x) + yg - h.value(at: g)) / 2)
                et.append((y - fit.value(at: x) - yg + fit.value(at: g)) / 2)
                l2 += (y - pair.looPrediction) * (y - pair.looPrediction)
            }
            let noise = l2 / Double(test.usable) / 4
            func expected(_ e: [Double]) -> Double { max(0, pow(Self.rms(e), 2) - noise).squareRoot() }
            for floors in [ErrorFloorEstimator.mirrorBased(test: test, fit: fit, operation: op, atTested: shared),
                           ErrorFloorEstimator.mirrorBased(test: test, fit: fit, table: table, operation: op)] {
                let f = try XCTUnwrap(floors)
                XCTAssertEqual(try XCTUnwrap(f.naive).rmse, expected(en), accuracy: 1e-12 + 1e-9 * expected(en), op.name)
                XCTAssertEqual(try XCTUnwrap(f.hessian).rmse, expected(eh), accuracy: 1e-12 + 1e-9 * expected(eh), op.name)
                XCTAssertEqual(try XCTUnwrap(f.taylor).rmse, expected(et), accuracy: 1e-12 + 1e-9 * expected(et), op.name)
            }
        }
    }

    /// RMS over the rows of T(x) − T(g·x), with T(x) shared or evaluated per operation.
    func testModelBreakingRMSMatchesDefinition() throws {
        let table = Self.table()
        let fit = try TaylorFitter.fit(table, center: [0.05, -0.03, 0.02], order: 3)
        let atRows = OperationEvidence.valuesAtBreakingRows(fit, table)
        for op in Self.operations {
            let expected = Self.rms((0..<table.count).map { i in
                let x = Self.row(table, i)
                return fit.value(at: x) - fit.value(at: Self.image(op.matrix, x, fit.center))
            })
            for value in [OperationEvidence.modelBreakingRMS(fit, op, table, valuesAtRows: atRows),
                          OperationEvidence.modelBreakingRMS(fit, op, table)] {
                XCTAssertEqual(value, expected, accuracy: 1e-12 + 1e-9 * expected, op.name)
            }
        }
    }

    /// The spatial order is the sort of positions by (grid cell, position), absent points last
    /// in position order — here against a sort by closure over cells computed as documented,
    /// with repeated points (equal cells) and a dimension too large for packed integer keys.
    func testSpatialOrderSortsByCellThenPosition() {
        var rng = SeededGenerator(seed: 3)
        for (d, n) in [(3, 500), (2, 7), (13, 60), (3, 1)] {
            var points = [Double](repeating: 0, count: n * d)
            var present = [Bool](repeating: true, count: n)
            for t in 0..<n {
                if t % 7 == 3 { present[t] = false }
                for j in 0..<d {
                    let repeated = t % 5 == 4 && t > 0
                    points[t * d + j] = repeated ? points[(t - 1) * d + j] : rng.uniform(-2, 3)
                }
            }
            let lo = (0..<d).map { j in (0..<n).filter { present[$0] }.map { points[$0 * d + j] }.min() ?? 0 }
            let hi = (0..<d).map { j in (0..<n).filter { present[$0] }.map { points[$0 * d + j] }.max() ?? 0 }
            var cells: [[Int]] = []
            for t in 0..<n {
                var cell: [Int] = []
                for j in 0..<d {
                    let width = hi[j] - lo[j]
                    let scaled = (points[t * d + j] - lo[j]) / width * 32
                    cell.append(width > 0 ? min(31, max(0, Int(scaled))) : 0)
                }
                cells.append(cell)
            }
            let expected = (0..<n).sorted { a, b in
                if present[a] != present[b] { return present[a] }
                if present[a], cells[a] != cells[b] { return cells[a].lexicographicallyPrecedes(cells[b]) }
                return a < b
            }
            if d <= 12 { XCTAssertEqual(MirrorContext.spatialOrder(points, dimension: d, present: present), expected, "d \(d)") }
            XCTAssertEqual(Set(MirrorContext.spatialOrder(points, dimension: d, present: present)), Set(0..<n), "d \(d)")
        }
    }

    /// Costliest first: orbits of 12 (families), 3, then the involutions, ties in input order.
    func testOperationsAreStartedCostliestFirst() {
        let ops = [SymmetryOperation.reflect(0, names: Self.names), .rotate(0, 1, degrees: 120, names: Self.names),
                   .rotateContinuous(0, 1, names: Self.names), .swap(0, 1, names: Self.names)]
        XCTAssertEqual(OperationEvidence.longestFirst(ops), [2, 1, 0, 3])
    }
}
