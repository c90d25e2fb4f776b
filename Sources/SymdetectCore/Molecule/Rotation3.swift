import Foundation

/// Small 3 × 3 helpers for rotations stored as `Matrix`.
enum Rotation3 {
    static func determinant(_ m: Matrix) -> Double {
        precondition(m.rows == 3 && m.columns == 3)
        return m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1])
            - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0])
            + m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0])
    }

    /// R applied to every atom of a flat atom-major vector.
    static func apply(_ r: Matrix, toEachAtomOf v: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: v.count)
        for i in stride(from: 0, to: v.count, by: 3) {
            for a in 0..<3 {
                out[i + a] = r[a, 0] * v[i] + r[a, 1] * v[i + 1] + r[a, 2] * v[i + 2]
            }
        }
        return out
    }

    static func cross(_ u: [Double], _ v: [Double]) -> [Double] {
        [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]]
    }

    /// The right-handed rotation by `angle` (radians) about the unit vector k (Rodrigues):
    /// R = cos θ 𝟙 + sin θ [k]× + (1 − cos θ) k kᵀ.
    static func rotation(about k: [Double], angle: Double) -> Matrix {
        let (c, s) = (cos(angle), sin(angle))
        let kx: [[Double]] = [[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]]
        var r = Matrix(rows: 3, columns: 3)
        for i in 0..<3 { for j in 0..<3 { r[i, j] = (i == j ? c : 0) + s * kx[i][j] + (1 - c) * k[i] * k[j] } }
        return r
    }
}
