import XCTest
@testable import SymdetectCore

/// The lane kernels of the model-based floors (one sample per SIMD lane) against one-sample
/// reference implementations written here, bit for bit; `modelBased` against a sample-by-sample
/// reference of its formula, bit for bit, and against a closed form.
final class ErrorFloorKernelTests: XCTestCase {
    static let names = ["x", "y", "z"]
    static let width = FloorLanes.scalarCount

    // MARK: One-sample references

    /// u^α: powers by repeated multiplication, the product over the coordinates with α_j > 0
    /// in coordinate order, from 1.
    static func referenceMonomials(_ u: [Double], _ exponents: [[Int]], order: Int) -> [Double] {
        let powers = u.map { x -> [Double] in
            var pw = [1.0]
            for _ in 0..<order { pw.append(pw.last! * x) }
            return pw
        }
        return exponents.map { alpha in
            var m = 1.0
            for j in 0..<alpha.count where alpha[j] > 0 { m *= powers[j][alpha[j]] }
            return m
        }
    }

    /// Σ_b a_b·(Σ_c C_bc·a_c) over the non-zero a only, row by row, b and c ascending, from 0.
    static func referenceQuadraticForm(_ cov: [Double], _ a: [Double]) -> Double {
        let p = a.count
        let nonZero = (0..<p).filter { a[$0] != 0 }
        var v = 0.0
        for b in nonZero {
            var s = 0.0
            for c in nonZero { s += cov[b * p + c] * a[c] }
            v += a[b] * s
        }
        return v
    }

    static func referenceDot(_ x: [Double], _ y: [Double]) -> Double {
        var s = 0.0
        for i in 0..<y.count { s += x[i] * y[i] }
        return s
    }

    static func referenceEstimate(_ v: [Double]) -> FloorEstimate? {
        guard !v.isEmpty else { return nil }
        let n = Double(v.count)
        return FloorEstimate(rmse: (v.map { $0 * $0 }.reduce(0, +) / n).squareRoot(), mae: v.map(abs).reduce(0, +) / n)
    }

    /// The model floors sample by sample: T, h, T⁺ as dot products with the monomials, the orbit
    /// images g·u (the identity's monomials are those at u), a_α = u^α − Σ_g (g·u)^α/|S| in orbit
    /// order, and aᵀ Cov(β) a over the non-zero a.
    static func referenceModelBased(fit: TaylorFit, higher: TaylorFit?, table: SampleTable,
                                    operation: SymmetryOperation) -> SchemeFloors {
        let orbit = operation.orbitMatrices(limit: 12)
        let p = fit.parameterCount, d = fit.dimension
        let hi = higher.flatMap { $0.center == fit.center && Array($0.exponents.prefix(p)) == fit.exponents ? $0 : nil }
        let exponents = hi?.exponents ?? fit.exponents
        let order = hi?.order ?? fit.order
        let beta = fit.coefficients
        let quadratic = (0..<p).map { fit.exponents[$0].reduce(0, +) <= 2 ? beta[$0] : 0 }
        let products = { (x: [Double]) -> (Double, Double, Double) in
            (referenceDot(x, beta), referenceDot(x, quadratic), hi.map { referenceDot(x, $0.coefficients) } ?? 0)
        }
        let inv = 1 / Double(orbit.count)
        let identity = Matrix.identity(d).storage
        var naive: [Double] = [], hess: [Double] = [], taylor: [Double] = [], variance: [Double] = []
        for i in ErrorFloorEstimator.sampleIndices(table.count, seed: ErrorFloorEstimator.defaultSeed) {
            let u = (0..<d).map { table.features[$0][i] - fit.center[$0] }
            let phi = referenceMonomials(u, exponents, order: order)
            let (tx, _, hx) = products(phi)
            var a = Array(phi.prefix(p))
            var tMean = 0.0, hsMean = 0.0, rMean = 0.0
            for g in orbit {
                var img = phi
                if g.storage != identity {
                    let gu = (0..<d).map { r in
                        var s = 0.0
                        for j in 0..<d { s += g.storage[r * d + j] * u[j] }
                        return s
                    }
                    img = referenceMonomials(gu, exponents, order: order)
                }
                let (t, tq, th) = products(img)
                for c in 0..<p { a[c] -= img[c] * inv }
                tMean += t * inv
                hsMean += (t - tq) * inv
                if hi != nil { rMean += (th - t) * inv }
            }
            naive.append(tx - tMean)
            hess.append(hsMean)
            if hi != nil { taylor.append((hx - tx) - rMean) }
            variance.append(max(referenceQuadraticForm(fit.covariance.storage, a), 0))
        }
        let fitError = (variance.reduce(0, +) / Double(max(variance.count, 1))).squareRoot()
        var floors = SchemeFloors()
        floors.naive = referenceEstimate(naive)
        floors.hessian = operation.isInvolution ? referenceEstimate(hess) : nil
        if let base = referenceEstimate(taylor) {
            let rmse = (base.rmse * base.rmse + fitError * fitError).squareRoot()
            floors.taylor = FloorEstimate(rmse: rmse, mae: base.rmse > 0 ? base.mae * rmse / base.rmse : fitError * (2 / Double.pi).squareRoot())
        }
        return floors
    }

    // MARK: Helpers

    static func bits(_ e: FloorEstimate?) -> [UInt64]? { e.map { [$0.rmse.bitPattern, $0.mae.bitPattern] } }

    static func assertSameBits(_ x: SchemeFloors, _ y: SchemeFloors, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        for scheme in AugmentationScheme.allCases {
            XCTAssertEqual(bits(x[scheme]), bits(y[scheme]), "\(message) \(scheme)", file: file, line: line)
        }
    }

    static func lanes(_ rows: [[Double]], _ index: Int) -> FloorLanes {
        var v = FloorLanes()
        for l in 0..<width { v[l] = rows[l][index] }
        return v
    }

    /// Random values with exact zeros of both signs mixed in.
    static func sparseValue(_ rng: inout SeededGenerator, zeroFraction: Double) -> Double {
        let r = rng.uniform(0, 1)
        if r < zeroFraction / 2 { return 0.0 }
        if r < zeroFraction { return -0.0 }
        return rng.uniform(-2, 2) * pow(10, rng.uniform(-3, 3))
    }

    // MARK: Kernels

    func testLaneQuadraticFormMatchesOneSampleSumsBitForBit() {
        var rng = SeededGenerator(seed: 11)
        for p in [1, 3, 4, 5, 10, 35] {
            // A covariance: symmetric, entries of mixed sign and size.
            var cov = [Double](repeating: 0, count: p * p)
            for b in 0..<p { for c in b..<p { let v = rng.uniform(-1, 1) * pow(10, rng.uniform(-4, 2)); cov[b * p + c] = v; cov[c * p + b] = v } }
            for trial in 0..<40 {
                // Per lane its own zero pattern; some trials share a structural zero pattern.
                let shared = (0..<p).map { _ in rng.uniform(0, 1) < 0.3 }
                let rows = (0..<Self.width).map { _ in
                    (0..<p).map { c -> Double in
                        if trial % 2 == 0, shared[c] { return rng.uniform(0, 1) < 0.5 ? 0.0 : -0.0 }
                        return Self.sparseValue(&rng, zeroFraction: trial % 3 == 0 ? 0.6 : 0.2)
                    }
                }
                let a = (0..<p).map { Self.lanes(rows, $0) }
                let nonZero = UnsafeMutableBufferPointer<Int>.allocate(capacity: p)
                defer { nonZero.deallocate() }
                let v = cov.withUnsafeBufferPointer { cov in
                    a.withUnsafeBufferPointer { ErrorFloorEstimator.quadraticForm(cov, lanes: $0.baseAddress!, p, nonZero: nonZero) }
                }
                for l in 0..<Self.width {
                    let expected = Self.referenceQuadraticForm(cov, rows[l])
                    XCTAssertEqual(v[l].bitPattern, expected.bitPattern, "p \(p) trial \(trial) lane \(l)")
                    // The one-sample kernel (four rows side by side) agrees too.
                    var scalar = rows[l]
                    let w = cov.withUnsafeBufferPointer { cov in
                        scalar.withUnsafeMutableBufferPointer { ErrorFloorEstimator.quadraticForm(cov, $0, p, nonZero: nonZero) }
                    }
                    XCTAssertEqual(w.bitPattern, expected.bitPattern, "p \(p) trial \(trial) lane \(l) scalar")
                }
            }
        }
    }

    /// A lane with a zero where another lane's a is non-zero meets an infinite C_bc as 0·∞ = NaN:
    /// it comes out non-finite (so `modelBased` evaluates it alone), never as a wrong finite value.
    func testLaneQuadraticFormReportsNonFiniteTermsAsNonFinite() {
        let p = 3
        var cov = [Double](repeating: 0.5, count: p * p)
        cov[0 * p + 2] = .infinity; cov[2 * p + 0] = .infinity
        var rows = (0..<Self.width).map { _ in [1.0, 2.0, 0.0] }
        rows[1] = [1.0, 2.0, 3.0]
        let a = (0..<p).map { Self.lanes(rows, $0) }
        let nonZero = UnsafeMutableBufferPointer<Int>.allocate(capacity: p)
        defer { nonZero.deallocate() }
        let v = cov.withUnsafeBufferPointer { cov in
            a.withUnsafeBufferPointer { ErrorFloorEstimator.quadraticForm(cov, lanes: $0.baseAddress!, p, nonZero: nonZero) }
        }
        XCTAssertFalse(v[0].isFinite)
        // Alone, lane 0 skips column 2: (1, 2)·C·(1, 2) with C = 0.5 everywhere.
        XCTAssertEqual(Self.referenceQuadraticForm(cov, rows[0]), 4.5)
        XCTAssertTrue(Self.referenceQuadraticForm(cov, rows[0]).isFinite)
    }

    func testLaneMonomialsAndProductsMatchOneSampleEvaluationBitForBit() throws {
        var rng = SeededGenerator(seed: 12)
        for (d, order) in [(3, 6), (3, 4), (2, 5), (4, 3), (1, 2)] {
            let exponents = MultiIndex.all(dimension: d, order: order)
            // The fit's list is the graded prefix of order − 2, as for a proxy of order k + 2.
            let p = MultiIndex.all(dimension: d, order: order - 2).count
            XCTAssertEqual(Array(exponents.prefix(p)), MultiIndex.all(dimension: d, order: order - 2))
            let monomials = FlatMonomials(exponents, dimension: d, order: order)
            let m = exponents.count
            let beta = (0..<p).map { _ in rng.uniform(-3, 3) }
            let quadratic = (0..<p).map { exponents[$0].reduce(0, +) <= 2 ? beta[$0] : 0 }
            for withHigher in [false, true] {
                let bh = withHigher ? (0..<m).map { _ in rng.uniform(-3, 3) } : []
                for _ in 0..<20 {
                    let points = (0..<Self.width).map { _ in (0..<d).map { _ in Self.sparseValue(&rng, zeroFraction: 0.15) } }
                    let u = (0..<d).map { Self.lanes(points, $0) }
                    var pw = [FloorLanes](repeating: FloorLanes(), count: monomials.powerCount)
                    var out = [FloorLanes](repeating: FloorLanes(), count: m)
                    u.withUnsafeBufferPointer { u in
                        pw.withUnsafeMutableBufferPointer { pw in
                            out.withUnsafeMutableBufferPointer { monomials.evaluate(u.baseAddress!, powers: pw.baseAddress!, into: $0.baseAddress!) }
                        }
                    }
                    let (t, q, h) = out.withUnsafeBufferPointer { x in
                        beta.withUnsafeBufferPointer { beta in
                            quadratic.withUnsafeBufferPointer { quadratic in
                                bh.withUnsafeBufferPointer { ModelFloorBasis.products(x.baseAddress!, p, beta, quadratic, $0) }
                            }
                        }
                    }
                    for l in 0..<Self.width {
                        let expected = Self.referenceMonomials(points[l], exponents, order: order)
                        XCTAssertEqual(out.map { $0[l].bitPattern }, expected.map(\.bitPattern), "d \(d) order \(order)")
                        XCTAssertEqual(t[l].bitPattern, Self.referenceDot(expected, beta).bitPattern)
                        XCTAssertEqual(q[l].bitPattern, Self.referenceDot(expected, quadratic).bitPattern)
                        XCTAssertEqual(h[l].bitPattern, (withHigher ? Self.referenceDot(expected, bh) : 0).bitPattern)
                    }
                }
            }
        }
    }

    // MARK: modelBased

    /// A label with broken and unbroken parts, a little noise (so Cov(β) ≠ 0), rows in [−1, 1]³.
    static func table(rows: Int, seed: UInt64) -> SampleTable {
        var rng = SeededGenerator(seed: seed)
        var cols = [[Double]](repeating: [], count: 3)
        var y: [Double] = []
        for _ in 0..<rows {
            let (a, b, c) = (rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1))
            cols[0].append(a); cols[1].append(b); cols[2].append(c)
            y.append(a * a + 0.7 * b * b + 2 * c * c + 0.4 * c * c * c + 0.3 * a * b + 0.2 * (a * a + b * b) * c
                     + 0.3 * a * a * b * b * c + 0.1 * b * b * b * b * a + 0.01 * rng.uniform(-1, 1))
        }
        return SampleTable(featureNames: names, labelName: "V", features: cols, labels: y)
    }

    func testModelFloorsMatchSampleBySampleReferenceBitForBit() throws {
        let operations: [SymmetryOperation] = [
            .reflect(2, names: Self.names), .reflect(0, names: Self.names), .swap(0, 1, names: Self.names),
            .rotate(0, 2, degrees: 120, names: Self.names), .rotate(0, 1, degrees: 90, names: Self.names),
            .rotateContinuous(0, 1, names: Self.names), .o3(0, 1, 2, names: Self.names), .invert(dimension: 3),
        ]
        // 403 rows: the last block of samples is partial.
        let table = Self.table(rows: 403, seed: 21)
        let c = [0.05, -0.03, 0.02]
        let fit = try TaylorFitter.fit(table, center: c, order: 3)
        let higher = try TaylorFitter.fit(table, center: c, order: 5)
        let withHigher = ModelFloorBasis(fit: fit, higherOrder: higher, table: table)
        let withoutHigher = ModelFloorBasis(fit: fit, higherOrder: nil, table: table)
        for op in operations {
            Self.assertSameBits(ErrorFloorEstimator.modelBased(withHigher, operation: op),
                                Self.referenceModelBased(fit: fit, higher: higher, table: table, operation: op), op.name)
            Self.assertSameBits(ErrorFloorEstimator.modelBased(withoutHigher, operation: op),
                                Self.referenceModelBased(fit: fit, higher: nil, table: table, operation: op), op.name + " no T⁺")
        }
        // Centred at a grid value, u has exact zeros (and −0 where x = −0 is not drawn: +0 only).
        var grid = Self.table(rows: 250, seed: 22)
        grid = SampleTable(featureNames: Self.names, labelName: "V",
                           features: grid.features.map { $0.map { ($0 * 4).rounded() / 4 } }, labels: grid.labels)
        let gridFit = try TaylorFitter.fit(grid, center: [0.25, 0, -0.5], order: 2)
        let gridHigher = try TaylorFitter.fit(grid, center: [0.25, 0, -0.5], order: 3)
        let gridBasis = ModelFloorBasis(fit: gridFit, higherOrder: gridHigher, table: grid)
        for op in operations {
            Self.assertSameBits(ErrorFloorEstimator.modelBased(gridBasis, operation: op),
                                Self.referenceModelBased(fit: gridFit, higher: gridHigher, table: grid, operation: op), op.name + " grid")
        }
    }

    /// y = 1 + 2x + y² + z² exactly, fitted at the origin to order 2: reflect(x) leaves the
    /// antisymmetric part T_a = 2x, so the naive floor is RMS and mean |2x| over the rows; the
    /// quadratic model is T itself, so the hessian floor is 0; and the order-3 fit adds nothing
    /// (taylor floor ≈ 0).
    func testReflectionFloorOfQuadraticModelHasClosedForm() throws {
        var rng = SeededGenerator(seed: 31)
        var cols = [[Double]](repeating: [], count: 3)
        var y: [Double] = []
        for _ in 0..<401 {
            let (a, b, c) = (rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1))
            cols[0].append(a); cols[1].append(b); cols[2].append(c)
            y.append(1 + 2 * a + b * b + c * c)
        }
        let table = SampleTable(featureNames: Self.names, labelName: "V", features: cols, labels: y)
        let fit = try TaylorFitter.fit(table, center: [0, 0, 0], order: 2)
        let higher = try TaylorFitter.fit(table, center: [0, 0, 0], order: 3)
        let floors = ErrorFloorEstimator.modelBased(ModelFloorBasis(fit: fit, higherOrder: higher, table: table),
                                                    operation: .reflect(0, names: Self.names))
        let rms = (cols[0].map { 4 * $0 * $0 }.reduce(0, +) / 401).squareRoot()
        let mae = cols[0].map { abs(2 * $0) }.reduce(0, +) / 401
        let naive = try XCTUnwrap(floors.naive)
        XCTAssertEqual(naive.rmse, rms, accuracy: 1e-9 * rms)
        XCTAssertEqual(naive.mae, mae, accuracy: 1e-9 * mae)
        XCTAssertEqual(try XCTUnwrap(floors.hessian).rmse, 0, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(floors.taylor).rmse, 0, accuracy: 1e-6)
        // A symmetric label: every floor vanishes.
        let even = SampleTable(featureNames: Self.names, labelName: "V", features: cols,
                               labels: (0..<401).map { 1 + cols[0][$0] * cols[0][$0] + cols[1][$0] })
        let evenFit = try TaylorFitter.fit(even, center: [0, 0, 0], order: 2)
        let evenFloors = ErrorFloorEstimator.modelBased(ModelFloorBasis(fit: evenFit, higherOrder: nil, table: even),
                                                        operation: .reflect(0, names: Self.names))
        XCTAssertEqual(try XCTUnwrap(evenFloors.naive).rmse, 0, accuracy: 1e-9)
    }
}
