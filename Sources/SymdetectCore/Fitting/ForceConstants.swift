/// One force constant φ_{i j k…} = ∂ⁿT/∂u_i∂u_j∂u_k… at the centre, with its standard error.
public struct ForceConstant: Sendable, Equatable, Codable {
    /// Sorted 0-based coordinate indices (i ≤ j ≤ k …).
    public let indices: [Int]
    public let value: Double
    /// nil when the underlying coefficient is not determined by the data.
    public let stderr: Double?
}

/// Derivatives of the fitted Taylor polynomial at its centre.
///
/// For a monomial β_α u^α, ∂^α T(0) = α!·β_α (α! = Π α_j!), so every force constant and its
/// standard error is an exact multiple of one coefficient: φ_ii = 2β_{2e_i}, φ_ij = β_{e_i+e_j},
/// φ_iii = 6β_{3e_i}, φ_iij = 2β_{2e_i+e_j}, φ_iiii = 24β_{4e_i}, …
public struct ForceConstants: Sendable {
    public let gradient: [Double]
    public let gradientStderr: [Double?]
    public let hessian: Matrix
    public let hessianStderr: [[Double?]]
    /// φ_ijk for i ≤ j ≤ k (empty for order < 3).
    public let cubic: [ForceConstant]
    /// φ_ijkl for i ≤ j ≤ k ≤ l (empty for order < 4).
    public let quartic: [ForceConstant]

    public init(_ fit: TaylorFit) {
        let d = fit.dimension
        func constant(_ indices: [Int]) -> ForceConstant {
            let alpha = MultiIndex.fromIndices(indices, dimension: d)
            guard let a = fit.exponents.firstIndex(of: alpha) else {
                return ForceConstant(indices: indices, value: 0, stderr: 0)
            }
            let f = MultiIndex.factorial(alpha)
            return ForceConstant(indices: indices, value: f * fit.coefficients[a], stderr: fit.standardErrors[a].map { f * $0 })
        }
        gradient = (0..<d).map { constant([$0]).value }
        gradientStderr = (0..<d).map { constant([$0]).stderr }
        var h = Matrix(rows: d, columns: d)
        var hs = [[Double?]](repeating: [Double?](repeating: nil, count: d), count: d)
        for i in 0..<d {
            for j in i..<d {
                let c = constant([i, j])
                h[i, j] = c.value; h[j, i] = c.value
                hs[i][j] = c.stderr; hs[j][i] = c.stderr
            }
        }
        hessian = h
        hessianStderr = hs
        cubic = fit.order >= 3 ? MultiIndex.ofDegree(3, dimension: d).map { constant(MultiIndex.indices($0)) }.sorted { $0.indices.lexicographicallyPrecedes($1.indices) } : []
        quartic = fit.order >= 4 ? MultiIndex.ofDegree(4, dimension: d).map { constant(MultiIndex.indices($0)) }.sorted { $0.indices.lexicographicallyPrecedes($1.indices) } : []
    }

    /// Name like "φ113" (1-based indices, as chemists write them).
    public static func name(_ indices: [Int]) -> String {
        "φ" + indices.map { String($0 + 1) }.joined(separator: indices.count > 1 && indices.contains { $0 >= 9 } ? "," : "")
    }
}

/// The nature of a stationary point, from the signs of the Hessian eigenvalues.
public enum StationaryKind: Sendable, Equatable {
    case minimum
    case maximum
    /// A saddle with `index` negative eigenvalues.
    case saddle(index: Int)
    /// Some eigenvalue is zero within tolerance: the second-order test is inconclusive.
    case degenerate

    public var label: String {
        switch self {
        case .minimum: return "minimum"
        case .maximum: return "maximum"
        case .saddle(let m): return "saddle of index \(m)"
        case .degenerate: return "degenerate"
        }
    }

    /// Eigenvalues with |λ| ≤ 1e-8·max|λ| count as zero.
    public init(eigenvalues: [Double]) {
        let big = eigenvalues.map(abs).max() ?? 0
        let tol = 1e-8 * big
        if big == 0 || eigenvalues.contains(where: { abs($0) <= tol }) { self = .degenerate; return }
        let negative = eigenvalues.filter { $0 < 0 }.count
        if negative == 0 { self = .minimum } else if negative == eigenvalues.count { self = .maximum } else { self = .saddle(index: negative) }
    }
}

/// Eigen-analysis of the Hessian at the centre: normal modes in the given coordinates.
public struct HessianAnalysis: Sendable {
    public let eigenvalues: [Double]
    /// Column k is the k-th normal mode (unit vector in the user's coordinates).
    public let eigenvectors: Matrix
    public let kind: StationaryKind

    public init(hessian: Matrix) throws {
        let e = try SymmetricEigenDecomposition(hessian)
        eigenvalues = e.eigenvalues
        eigenvectors = e.eigenvectors
        kind = StationaryKind(eigenvalues: e.eigenvalues)
    }

    public var isPositiveDefinite: Bool { kind == .minimum }

    /// max|λ| / min|λ| (infinite when an eigenvalue is exactly zero).
    public var conditionNumber: Double {
        let magnitudes = eigenvalues.map(abs)
        guard let big = magnitudes.max(), let small = magnitudes.min() else { return 1 }
        return small > 0 ? big / small : .infinity
    }

    /// True when every off-diagonal Hessian entry is negligible next to the diagonal:
    /// |H_ij| ≤ 1e-6·sqrt(|H_ii H_jj|) (then the modes are the coordinate axes).
    public static func isDiagonal(_ h: Matrix, tolerance: Double = 1e-6) -> Bool {
        for i in 0..<h.rows {
            for j in 0..<h.columns where i != j {
                if abs(h[i, j]) > tolerance * (abs(h[i, i] * h[j, j])).squareRoot() { return false }
            }
        }
        return true
    }
}
