import XCTest
@testable import SymdetectCore

/// The SVD behind every Taylor fit, on matrices with known singular values:
/// A = Q₁ diag(σ) Q₂ᵀ with Q₁, Q₂ products of seeded Householder reflections (orthogonal to
/// rounding) and σ spread geometrically over 8 decades. Both paths are checked: GSL's Jacobi
/// (fewer than `lapackColumnCount` columns) and LAPACK's `dgesvj` (more).
final class SingularValueDecompositionTests: XCTestCase {
    /// I − 2wwᵀ/wᵀw applied k times with seeded Gaussian w (n × n, orthogonal to rounding).
    static func orthogonal(_ n: Int, reflections k: Int, rng: inout SeededGenerator) -> Matrix {
        var q = Matrix.identity(n)
        for _ in 0..<k {
            let w = (0..<n).map { _ in rng.nextGaussian() }
            let ww = w.reduce(0) { $0 + $1 * $1 }
            var h = Matrix.identity(n)
            for i in 0..<n { for j in 0..<n { h[i, j] -= 2 * w[i] * w[j] / ww } }
            q = h * q
        }
        return q
    }

    func check(rows m: Int, columns n: Int, seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let sigma = (0..<n).map { pow(10, -8 * Double($0) / Double(n - 1)) }
        let q1 = Self.orthogonal(m, reflections: 6, rng: &rng), q2 = Self.orthogonal(n, reflections: 6, rng: &rng)
        var a = Matrix(rows: m, columns: n)
        for i in 0..<m { for j in 0..<n { var s = 0.0; for k in 0..<n { s += q1[i, k] * sigma[k] * q2[j, k] }; a[i, j] = s } }
        let svd = try SingularValueDecomposition(a)
        XCTAssertEqual(svd.singularValues.count, n)
        // Every singular value to a relative 1e-6 (the smallest is 1e-8: Jacobi's relative accuracy).
        for (got, want) in zip(svd.singularValues, sigma) {
            XCTAssertEqual(got, want, accuracy: 1e-6 * want, "\(m)×\(n)")
        }
        XCTAssertLessThan(SingularValueDecomposition.reconstructionError(a, svd.u, svd.singularValues, svd.v), 1e-13)
        XCTAssertLessThan(SingularValueDecomposition.orthonormalityError(svd.v, columns: Array(0..<n)), 1e-12)
        XCTAssertLessThan(SingularValueDecomposition.orthonormalityError(svd.u, columns: Array(0..<n)), 1e-9)
    }

    func testGSLJacobiPathRecoversKnownSingularValues() throws {
        try check(rows: 60, columns: 40, seed: 1)
    }

    func testLAPACKJacobiPathRecoversKnownSingularValues() throws {
        XCTAssertGreaterThanOrEqual(150, SingularValueDecomposition.lapackColumnCount)
        try check(rows: 180, columns: 150, seed: 2)
        XCTAssertNotNil(SingularValueDecomposition.lapackJacobi(Matrix.identity(150)))
    }
}
