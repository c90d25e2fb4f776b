import XCTest
@testable import SymdetectCore

/// `LocalPolynomialPredictor.predict` against a direct evaluation of its definition: the normal
/// equations of the local polynomial fit accumulated one neighbour at a time in arrays, a
/// Cholesky factorisation and two triangular solves, each floating-point operation in the order
/// the definition reads. The prediction and its variance factor must agree bit for bit, and the
/// same neighbourhoods must be refused.
final class LocalPolynomialPredictorTests: XCTestCase {
    /// One neighbourhood: row-major points, labels, the neighbours' indices, the query, the radius.
    private struct Neighbourhood {
        var points: [Double]
        var labels: [Double]
        var neighbours: [Int]
        var query: [Double]
        var radius: Double
    }

    // MARK: Reference

    /// The fit of order `order`, then of each lower order ≥ 1 until one is accepted.
    private static func reference(_ h: Neighbourhood, dimension d: Int) -> (value: Double, variance: Double)? {
        let order = d <= 4 ? 2 : 1
        for o in stride(from: order, through: 1, by: -1) {
            if let r = referenceFit(h, dimension: d, exponents: MultiIndex.all(dimension: d, order: o)) { return r }
        }
        return nil
    }

    private static func referenceFit(_ h: Neighbourhood, dimension d: Int, exponents: [[Int]])
        -> (value: Double, variance: Double)? {
        let p = exponents.count
        guard h.neighbours.count > p else { return nil }
        var ata = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        var aty = [Double](repeating: 0, count: p)
        for i in h.neighbours {
            let t = (0..<d).map { j in (h.points[i * d + j] - h.query[j]) / h.radius }
            // t^α as 1 times the factors t_j, α_j times each, j ascending.
            let row = exponents.map { alpha -> Double in
                var m = 1.0
                for j in 0..<d { for _ in 0..<alpha[j] { m *= t[j] } }
                return m
            }
            for a in 0..<p {
                aty[a] += row[a] * h.labels[i]
                for b in a..<p { ata[a][b] += row[a] * row[b] }
            }
        }
        for a in 0..<p { for b in 0..<a { ata[a][b] = ata[b][a] } }
        let maxDiag = (0..<p).map { ata[$0][$0] }.max()!
        var l = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        for j in 0..<p {
            var s = ata[j][j]
            for k in 0..<j { s -= l[j][k] * l[j][k] }
            guard s > 1e-10 * maxDiag else { return nil }
            l[j][j] = s.squareRoot()
            for i in (j + 1)..<max(j + 1, p) {
                var r = ata[i][j]
                for k in 0..<j { r -= l[i][k] * l[j][k] }
                l[i][j] = r / l[j][j]
            }
        }
        func solve(_ rhs: [Double]) -> Double {
            var z = rhs
            for i in 0..<p {
                var s = z[i]
                for k in 0..<i { s -= l[i][k] * z[k] }
                z[i] = s / l[i][i]
            }
            for i in stride(from: p - 1, through: 0, by: -1) {
                var s = z[i]
                for k in (i + 1)..<max(i + 1, p) { s -= l[k][i] * z[k] }
                z[i] = s / l[i][i]
            }
            return z[0]
        }
        let value = solve(aty)
        let variance = solve((0..<p).map { $0 == 0 ? 1 : 0 })
        return (value, max(variance, 0))
    }

    // MARK: Helpers

    /// `predict` on `h`, with a scratch buffer filled with NaN first: no result may depend on
    /// what a previous call left there.
    private static func predict(_ predictor: LocalPolynomialPredictor, _ h: Neighbourhood)
        -> LocalPolynomialPredictor.Prediction? {
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: predictor.scratchCount)
        defer { scratch.deallocate() }
        scratch.initialize(repeating: .nan, count: predictor.scratchCount)
        return h.points.withUnsafeBufferPointer { points in
            h.labels.withUnsafeBufferPointer { labels in
                predictor.predict(at: h.query, neighbours: h.neighbours, count: h.neighbours.count,
                                  points: points, labels: labels, radius: h.radius, scratch: scratch)
            }
        }
    }

    /// `count` neighbours drawn without replacement from 3·count random points around a random
    /// query, random labels; the radius is the largest neighbour distance.
    private static func randomNeighbourhood(dimension d: Int, count: Int, using g: inout SeededGenerator) -> Neighbourhood {
        let total = 3 * count
        let scale = Double.random(in: 0.01...10, using: &g)
        let points = (0..<(total * d)).map { _ in scale * Double.random(in: -1...1, using: &g) }
        let labels = (0..<total).map { _ in Double.random(in: -5...5, using: &g) }
        let neighbours = Array((0..<total).shuffled(using: &g).prefix(count))
        let query = (0..<d).map { _ in scale * Double.random(in: -0.3...0.3, using: &g) }
        var radius = 0.0
        for i in neighbours {
            var s = 0.0
            for j in 0..<d { s += (points[i * d + j] - query[j]) * (points[i * d + j] - query[j]) }
            radius = max(radius, s.squareRoot())
        }
        return Neighbourhood(points: points, labels: labels, neighbours: neighbours, query: query, radius: radius)
    }

    private static func assertSame(_ got: LocalPolynomialPredictor.Prediction?, _ want: (value: Double, variance: Double)?,
                                   _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        switch (got, want) {
        case (nil, nil): break
        case let (g?, w?):
            XCTAssertEqual(g.value.bitPattern, w.value.bitPattern, "value \(g.value) vs \(w.value): \(message)", file: file, line: line)
            XCTAssertEqual(g.varianceFactor.bitPattern, w.variance.bitPattern,
                           "variance \(g.varianceFactor) vs \(w.variance): \(message)", file: file, line: line)
        default:
            XCTFail("predict \(String(describing: got)) vs reference \(String(describing: want)): \(message)", file: file, line: line)
        }
    }

    // MARK: Tests

    /// Random neighbourhoods in 1, 2, 3, 5 and 9 coordinates (p = 3, 6, 10 quadratic; 6 and 10
    /// linear), with the full neighbour count and with fewer, down to one more than p.
    func testRandomNeighbourhoodsMatchReferenceBitForBit() {
        var g = SeededGenerator(seed: 20_261_202)
        for d in [1, 2, 3, 5, 9] {
            let predictor = LocalPolynomialPredictor(dimension: d)
            let p = predictor.exponents.count
            let k = predictor.neighbourCount
            for count in [k, k - 1, p + 3, p + 1] {
                for trial in 0..<40 {
                    let h = Self.randomNeighbourhood(dimension: d, count: count, using: &g)
                    let want = Self.reference(h, dimension: d)
                    XCTAssertNotNil(want, "d \(d) count \(count) trial \(trial): random neighbourhood refused")
                    Self.assertSame(Self.predict(predictor, h), want, "d \(d) count \(count) trial \(trial)")
                }
            }
        }
    }

    /// One scratch buffer reused across calls of different dimensions' worth of data, as the
    /// mirror test does per thread: each call must give what a fresh call gives.
    func testReusedScratchGivesTheSameResults() {
        var g = SeededGenerator(seed: 7)
        let predictor = LocalPolynomialPredictor(dimension: 3)
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: predictor.scratchCount)
        defer { scratch.deallocate() }
        scratch.initialize(repeating: 1e300, count: predictor.scratchCount)
        for trial in 0..<100 {
            let h = Self.randomNeighbourhood(dimension: 3, count: trial % 2 == 0 ? 22 : 13, using: &g)
            let got = h.points.withUnsafeBufferPointer { points in
                h.labels.withUnsafeBufferPointer { labels in
                    predictor.predict(at: h.query, neighbours: h.neighbours, count: h.neighbours.count,
                                      points: points, labels: labels, radius: h.radius, scratch: scratch)
                }
            }
            Self.assertSame(got, Self.reference(h, dimension: 3), "trial \(trial)")
        }
    }

    /// Points on a plane z = c: the quadratic and the linear fit are both singular (t_z is a
    /// multiple of 1), so the neighbourhood is refused; in two coordinates, points on a line.
    func testDegenerateNeighbourhoodsAreRefused() {
        var g = SeededGenerator(seed: 99)
        for trial in 0..<20 {
            var h = Self.randomNeighbourhood(dimension: 3, count: 22, using: &g)
            let c = Double.random(in: -1...1, using: &g)
            for i in 0..<(h.points.count / 3) { h.points[3 * i + 2] = c }
            XCTAssertNil(Self.reference(h, dimension: 3), "reference, plane trial \(trial)")
            XCTAssertNil(Self.predict(LocalPolynomialPredictor(dimension: 3), h), "plane trial \(trial)")

            var line = Self.randomNeighbourhood(dimension: 2, count: 14, using: &g)
            for i in 0..<(line.points.count / 2) { line.points[2 * i + 1] = 0.5 * line.points[2 * i] }
            XCTAssertNil(Self.reference(line, dimension: 2), "reference, line trial \(trial)")
            XCTAssertNil(Self.predict(LocalPolynomialPredictor(dimension: 2), line), "line trial \(trial)")
        }
        // Too few neighbours for even the linear fit.
        let few = Self.randomNeighbourhood(dimension: 3, count: 4, using: &g)
        XCTAssertNil(Self.predict(LocalPolynomialPredictor(dimension: 3), few))
    }

    /// Points on a sphere around the query: the quadratic monomials are linearly dependent
    /// (Σ t_j² = 1), so the quadratic fit is refused and the linear one answers, bit for bit as
    /// the reference's.
    func testSphereFallsBackToTheLinearFit() {
        var g = SeededGenerator(seed: 5)
        for trial in 0..<20 {
            var h = Self.randomNeighbourhood(dimension: 3, count: 22, using: &g)
            for i in h.neighbours {
                var v = (0..<3).map { _ in Double.random(in: -1...1, using: &g) }
                let norm = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).squareRoot()
                for j in 0..<3 { v[j] /= norm; h.points[3 * i + j] = h.query[j] + 2 * v[j] }
            }
            h.radius = 2
            let want = Self.reference(h, dimension: 3)
            XCTAssertNil(Self.referenceFit(h, dimension: 3, exponents: MultiIndex.all(dimension: 3, order: 2)),
                         "quadratic fit on a sphere accepted, trial \(trial)")
            XCTAssertNotNil(want, "trial \(trial)")
            Self.assertSame(Self.predict(LocalPolynomialPredictor(dimension: 3), h), want, "sphere trial \(trial)")
        }
    }

    /// Labels from a quadratic polynomial: the quadratic fit reproduces it, so the prediction is
    /// the polynomial's value at the query up to rounding.
    func testQuadraticLabelsArePredictedExactly() {
        var g = SeededGenerator(seed: 314)
        for d in [1, 2, 3] {
            let predictor = LocalPolynomialPredictor(dimension: d)
            let exponents = MultiIndex.all(dimension: d, order: 2)
            for trial in 0..<20 {
                let coefficients = exponents.map { _ in Double.random(in: -2...2, using: &g) }
                func f(_ x: ArraySlice<Double>) -> Double {
                    var sum = 0.0
                    for (c, alpha) in zip(coefficients, exponents) {
                        var m = c
                        for j in 0..<d { for _ in 0..<alpha[j] { m *= x[x.startIndex + j] } }
                        sum += m
                    }
                    return sum
                }
                var h = Self.randomNeighbourhood(dimension: d, count: predictor.neighbourCount, using: &g)
                for i in 0..<h.labels.count { h.labels[i] = f(h.points[(i * d)..<((i + 1) * d)]) }
                let want = f(h.query[...])
                guard let got = Self.predict(predictor, h) else { XCTFail("d \(d) trial \(trial) refused"); continue }
                let scale = max(1, abs(want), h.labels.map(abs).max()!)
                XCTAssertEqual(got.value, want, accuracy: 1e-11 * scale, "d \(d) trial \(trial)")
                XCTAssertGreaterThan(got.varianceFactor, 0)
            }
        }
    }
}
