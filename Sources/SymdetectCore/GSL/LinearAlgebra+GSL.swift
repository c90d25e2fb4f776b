import CGSL

/// Singular value decomposition A = U Σ Vᵀ (A is m×n with m ≥ n).
public struct SingularValueDecomposition: Sendable {
    /// m×n with orthonormal columns.
    public let u: Matrix
    /// Singular values, non-increasing.
    public let singularValues: [Double]
    /// n×n orthogonal; column k is the right singular vector of σ_k.
    public let v: Matrix

    /// One-sided Jacobi SVD (`gsl_linalg_SV_decomp_jacobi`): slower than Golub–Reinsch but
    /// computes small singular values to high *relative* accuracy, which is what rank and
    /// condition-number diagnostics of polynomial designs need.
    ///
    /// GSL can return from its sweeps with success while the columns of A·V are not yet
    /// mutually orthogonal (seen on 210 × 210 triangular factors of quartic designs in six
    /// coordinates: ‖UᵀU − I‖ ≈ 0.3, which silently ruins a least-squares solution built on Uᵀ).
    /// The result is therefore checked: while ‖UᵀU − I‖_max exceeds `orthogonalityTolerance`,
    /// the sweeps are restarted on A·V = UΣ (whose SVD U′Σ′V′ᵀ gives A = U′Σ′(VV′)ᵀ), at most
    /// `maximumRestarts` times; a decomposition that still fails throws. A converged first pass
    /// is returned unchanged.
    public init(_ a: Matrix) throws {
        guard a.rows >= a.columns, a.columns > 0 else {
            throw GSLError(function: "gsl_linalg_SV_decomp_jacobi", reason: "needs rows ≥ columns > 0, got \(a.rows)x\(a.columns)")
        }
        try GSLRuntime.requireFinite(a.storage, "gsl_linalg_SV_decomp_jacobi")
        let n = a.columns
        let tolerance = max(Self.orthogonalityTolerance, 100 * Double(a.rows) * Double.ulpOfOne)
        var current = a
        var vTotal: Matrix?
        for attempt in 0...Self.maximumRestarts {
            let ua = try GSLMatrixOwner(current)
            let vv = try GSLMatrixOwner(rows: n, columns: n)
            let s = try GSLVectorOwner(count: n)
            try GSLRuntime.check(gsl_linalg_SV_decomp_jacobi(ua.pointer, vv.pointer, s.pointer), "gsl_linalg_SV_decomp_jacobi")
            let uNow = ua.matrix, sNow = s.array
            let vNow = vTotal.map { $0 * vv.matrix } ?? vv.matrix
            if Self.orthonormalityError(uNow, singularValues: sNow) <= tolerance {
                u = uNow
                v = vNow
                singularValues = sNow
                return
            }
            guard attempt < Self.maximumRestarts else { break }
            // A·V = U Σ: the columns to orthogonalise further.
            var next = uNow
            for i in 0..<next.rows { for k in 0..<n { next[i, k] *= sNow[k] } }
            current = next
            vTotal = vNow
        }
        throw GSLError(function: "gsl_linalg_SV_decomp_jacobi",
                       reason: "the left singular vectors are not orthonormal after \(Self.maximumRestarts) restarts")
    }

    /// Largest ‖UᵀU − I‖ entry accepted (raised to 100·m·ε for tall matrices).
    static let orthogonalityTolerance = 1e-10
    static let maximumRestarts = 8

    /// max |UᵀU − I| over the columns of non-zero singular values (a zero one has no direction).
    static func orthonormalityError(_ u: Matrix, singularValues: [Double]) -> Double {
        let kept = singularValues.indices.filter { singularValues[$0] > 0 }
        var worst = 0.0
        for (x, i) in kept.enumerated() {
            for j in kept[x...] {
                var dot = 0.0
                for r in 0..<u.rows { dot += u[r, i] * u[r, j] }
                worst = max(worst, abs(dot - (i == j ? 1 : 0)))
            }
        }
        return worst
    }
}

/// Eigen-decomposition of a real symmetric matrix, eigenvalues ascending.
public struct SymmetricEigenDecomposition: Sendable {
    public let eigenvalues: [Double]
    /// Column k is the unit eigenvector of eigenvalue k. Sign convention: the entry of largest
    /// magnitude is positive, so the output is deterministic.
    public let eigenvectors: Matrix

    public init(_ a: Matrix) throws {
        guard a.rows == a.columns, a.rows > 0 else {
            throw GSLError(function: "gsl_eigen_symmv", reason: "needs a non-empty square matrix")
        }
        try GSLRuntime.requireFinite(a.storage, "gsl_eigen_symmv")
        let n = a.rows
        // Symmetrize explicitly: gsl_eigen_symmv reads only the lower triangle.
        var sym = a
        for i in 0..<n { for j in 0..<n { sym[i, j] = 0.5 * (a[i, j] + a[j, i]) } }
        let m = try GSLMatrixOwner(sym)
        let eval = try GSLVectorOwner(count: n)
        let evec = try GSLMatrixOwner(rows: n, columns: n)
        guard let ws = gsl_eigen_symmv_alloc(n) else { throw GSLError(function: "gsl_eigen_symmv_alloc", reason: "allocation failed") }
        defer { gsl_eigen_symmv_free(ws) }
        try GSLRuntime.check(gsl_eigen_symmv(m.pointer, eval.pointer, evec.pointer, ws), "gsl_eigen_symmv")
        try GSLRuntime.check(gsl_eigen_symmv_sort(eval.pointer, evec.pointer, GSL_EIGEN_SORT_VAL_ASC), "gsl_eigen_symmv_sort")
        var vectors = evec.matrix
        for k in 0..<n {
            var best = 0
            for i in 0..<n where abs(vectors[i, k]) > abs(vectors[best, k]) + 1e-12 { best = i }
            if vectors[best, k] < 0 { for i in 0..<n { vectors[i, k] = -vectors[i, k] } }
        }
        eigenvalues = eval.array
        eigenvectors = vectors
    }
}

/// Cholesky factorization of a symmetric positive-definite matrix, for repeated solves.
public struct CholeskyFactorization {
    private let factor: GSLMatrixOwner
    public let dimension: Int

    public init(_ a: Matrix) throws {
        guard a.rows == a.columns, a.rows > 0 else {
            throw GSLError(function: "gsl_linalg_cholesky_decomp1", reason: "needs a non-empty square matrix")
        }
        try GSLRuntime.requireFinite(a.storage, "gsl_linalg_cholesky_decomp1")
        factor = try GSLMatrixOwner(a)
        dimension = a.rows
        try GSLRuntime.check(gsl_linalg_cholesky_decomp1(factor.pointer), "gsl_linalg_cholesky_decomp1")
    }

    public func solve(_ b: [Double]) throws -> [Double] {
        precondition(b.count == dimension)
        try GSLRuntime.requireFinite(b, "gsl_linalg_cholesky_solve")
        let bv = try GSLVectorOwner(b)
        let x = try GSLVectorOwner(count: dimension)
        try GSLRuntime.check(gsl_linalg_cholesky_solve(factor.pointer, bv.pointer, x.pointer), "gsl_linalg_cholesky_solve")
        return x.array
    }

    /// Solves for several right-hand sides given as the columns of `b`.
    public func solve(columnsOf b: Matrix) throws -> Matrix {
        var out = Matrix(rows: b.rows, columns: b.columns)
        for j in 0..<b.columns {
            let x = try solve(b.column(j))
            for i in 0..<b.rows { out[i, j] = x[i] }
        }
        return out
    }
}

/// Streaming least squares by tall-skinny QR (`gsl_multilarge_linear_tsqr`): rows arrive in
/// blocks and only the p×p triangular factor R and Qᵀy are kept, so memory does not grow with N.
/// Accuracy is that of Householder QR (backward stable, error ∝ cond(X)), not of the normal
/// equations (∝ cond(X)²).
public final class TSQRAccumulator {
    private let workspace: UnsafeMutablePointer<gsl_multilarge_linear_workspace>
    public let parameterCount: Int
    public private(set) var rowCount = 0

    public init(parameterCount p: Int) throws {
        _ = GSLRuntime.errorHandlerDisabled
        guard p > 0, let w = gsl_multilarge_linear_alloc(gsl_multilarge_linear_tsqr, p) else {
            throw GSLError(function: "gsl_multilarge_linear_alloc", reason: "allocation failed for p=\(p)")
        }
        workspace = w
        parameterCount = p
    }

    deinit { gsl_multilarge_linear_free(workspace) }

    /// Adds `rows` design rows (row-major, `rows × parameterCount`) with their right-hand sides.
    public func accumulate(design: [Double], rhs: [Double]) throws {
        let n = rhs.count
        guard n > 0 else { return }
        precondition(design.count == n * parameterCount)
        try GSLRuntime.requireFinite(design, "gsl_multilarge_linear_accumulate")
        try GSLRuntime.requireFinite(rhs, "gsl_multilarge_linear_accumulate")
        let x = try GSLMatrixOwner(rows: n, columns: parameterCount)
        x.load(design)
        let y = try GSLVectorOwner(rhs)
        try GSLRuntime.check(gsl_multilarge_linear_accumulate(x.pointer, y.pointer, workspace), "gsl_multilarge_linear_accumulate")
        rowCount += n
    }

    /// The accumulated upper-triangular R (p×p, zeros below the diagonal) and Qᵀy (p).
    public func triangularSystem() throws -> (r: Matrix, qty: [Double]) {
        guard rowCount > 0 else { throw GSLError(function: "gsl_multilarge_linear_matrix_ptr", reason: "no rows accumulated") }
        guard let rp = gsl_multilarge_linear_matrix_ptr(workspace), let qp = gsl_multilarge_linear_rhs_ptr(workspace) else {
            throw GSLError(function: "gsl_multilarge_linear_matrix_ptr", reason: "no triangular factor")
        }
        let p = parameterCount
        let full = Matrix(copying: rp)
        var r = Matrix(rows: p, columns: p)
        // With fewer rows than parameters only the first rowCount rows of R are meaningful.
        for i in 0..<min(p, rowCount) { for j in i..<p { r[i, j] = full[i, j] } }
        var qty = [Double](repeating: 0, count: p)
        for i in 0..<min(p, rowCount) { qty[i] = gsl_vector_get(qp, i) }
        return (r, qty)
    }
}
