import Foundation

/// Small fixed-size vector and 3×3 helpers of the point-group search; 3×3 matrices are stored
/// row-major in 9 doubles.
enum PointGroupMath {
    typealias M3 = [Double]

    static let identity: M3 = [1, 0, 0, 0, 1, 0, 0, 0, 1]

    @inline(__always) static func sub(_ a: [Double], _ b: [Double]) -> [Double] { [a[0] - b[0], a[1] - b[1], a[2] - b[2]] }
    @inline(__always) static func add(_ a: [Double], _ b: [Double]) -> [Double] { [a[0] + b[0], a[1] + b[1], a[2] + b[2]] }
    @inline(__always) static func scale(_ a: [Double], _ s: Double) -> [Double] { [a[0] * s, a[1] * s, a[2] * s] }
    @inline(__always) static func dot3(_ a: [Double], _ b: [Double]) -> Double { a[0] * b[0] + a[1] * b[1] + a[2] * b[2] }
    @inline(__always) static func norm(_ a: [Double]) -> Double { dot3(a, a).squareRoot() }
    static func cross(_ a: [Double], _ b: [Double]) -> [Double] {
        [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
    }
    static func normalized(_ a: [Double]) -> [Double] { scale(a, 1 / norm(a)) }

    @inline(__always) static func apply(_ r: M3, _ x: [Double]) -> [Double] {
        [r[0] * x[0] + r[1] * x[1] + r[2] * x[2],
         r[3] * x[0] + r[4] * x[1] + r[5] * x[2],
         r[6] * x[0] + r[7] * x[1] + r[8] * x[2]]
    }

    static func mul(_ a: M3, _ b: M3) -> M3 {
        var c = [Double](repeating: 0, count: 9)
        for i in 0..<3 { for k in 0..<3 { let aik = a[3 * i + k]; for j in 0..<3 { c[3 * i + j] += aik * b[3 * k + j] } } }
        return c
    }

    static func transpose(_ a: M3) -> M3 { [a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]] }

    static func det(_ a: M3) -> Double {
        a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6])
    }

    static func maxAbsDifference(_ a: M3, _ b: M3) -> Double {
        var m = 0.0
        for k in 0..<9 { m = max(m, abs(a[k] - b[k])) }
        return m
    }

    static func matrix(_ a: M3) -> Matrix { Matrix(rows: 3, columns: 3, storage: a) }

    /// Reflection through the plane with unit normal n: I − 2nnᵀ.
    static func reflection(normal n: [Double]) -> M3 {
        var r = identity
        for i in 0..<3 { for j in 0..<3 { r[3 * i + j] -= 2 * n[i] * n[j] } }
        return r
    }

    /// Rotation by π about the unit axis a: 2aaᵀ − I.
    static func halfTurn(axis a: [Double]) -> M3 {
        var r = identity.map { -$0 }
        for i in 0..<3 { for j in 0..<3 { r[3 * i + j] += 2 * a[i] * a[j] } }
        return r
    }

    /// The orthogonal matrices closest to M = U Σ Vᵀ in each determinant class: `best` = U Vᵀ
    /// maximises tr(Rᵀ M) over O(3) (Kabsch with reflection allowed); `other` = U diag(1,1,−1) Vᵀ
    /// is the best of the opposite determinant. For a planar structure both fit equally well.
    static func orthogonalFits(_ m: M3) throws -> (best: M3, other: M3) {
        let svd = try SingularValueDecomposition(matrix(m))
        var u = svd.u.storage
        let v = svd.v.storage
        // One-sided Jacobi leaves the left vector of a zero singular value (a planar structure)
        // unnormalised or zero; U's third column is ±u1 × u2 whenever σ1, σ2 > 0.
        let u1 = [u[0], u[3], u[6]], u2 = [u[1], u[4], u[7]], u3 = [u[2], u[5], u[8]]
        let completion = cross(u1, u2)
        let sign: Double = dot3(completion, u3) < 0 ? -1 : 1
        for i in 0..<3 { u[3 * i + 2] = sign * completion[i] }
        var best = [Double](repeating: 0, count: 9), other = best
        for i in 0..<3 {
            for j in 0..<3 {
                var s = 0.0, t = 0.0
                for k in 0..<3 {
                    let p = u[3 * i + k] * v[3 * j + k]
                    s += p
                    t += k == 2 ? -p : p
                }
                best[3 * i + j] = s
                other[3 * i + j] = t
            }
        }
        return (best, other)
    }

    /// A fixed generic direction used to orient axes deterministically (a·g > 0).
    static let orientation: [Double] = normalized([0.5773502691896258, 0.6123724356957945, 0.5400617248673217])

    static func oriented(_ a: [Double]) -> [Double] {
        dot3(a, orientation) < 0 ? scale(a, -1) : a
    }

    /// Eigenvector of the largest eigenvalue of a symmetric 3×3 matrix, by its GSL decomposition.
    static func dominantEigenvector(_ s: M3) throws -> (vector: [Double], eigenvalues: [Double]) {
        let e = try SymmetricEigenDecomposition(matrix(s))
        return (e.eigenvectors.column(2), e.eigenvalues)
    }
}
