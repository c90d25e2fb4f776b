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
    public init(_ a: Matrix) throws {
        guard a.rows >= a.columns, a.columns > 0 else {
            throw GSLError(function: "gsl_linalg_SV_decomp_jacobi", reason: "needs rows ≥ columns > 0, got \(a.rows)x\(a.columns)")
        }
        try GSLRuntime.requireFinite(a.storage, "gsl_linalg_SV_decomp_jacobi")
        let jacobi: (u: Matrix, s: [Double], v: Matrix)
        if a.columns >= Self.lapackColumnCount, let lapack = Self.lapackJacobi(a) {
            jacobi = lapack
        } else {
            let ua = try GSLMatrixOwner(a)
            let vv = try GSLMatrixOwner(rows: a.columns, columns: a.columns)
            let s = try GSLVectorOwner(count: a.columns)
            try GSLRuntime.check(gsl_linalg_SV_decomp_jacobi(ua.pointer, vv.pointer, s.pointer), "gsl_linalg_SV_decomp_jacobi")
            jacobi = (u: ua.matrix, s: s.array, v: vv.matrix)
        }
        // GSL's one-sided Jacobi can return U with columns far from orthonormal (seen on 84×84
        // triangular factors of off-centre order-6 designs, κ ≈ 1.4e4: σ_min off by 2× and the
        // least-squares solution V Σ⁻¹ Uᵀ wrong, though UΣVᵀ reproduces A). The result is checked —
        // max|UᵀU − I| and max|VᵀV − I| ≤ 1e-9, max|A − UΣVᵀ| ≤ 1e-10·max|A| — and otherwise
        // Golub–Reinsch (`gsl_linalg_SV_decomp`, accurate to ε·σ₁) is used.
        // Columns of U for (numerically) zero singular values are left zero by Jacobi and are
        // not checked: only those with σ_k > 1e-12·σ₁ must be orthonormal.
        let significant = jacobi.s.filter { $0 > 1e-12 * (jacobi.s.max() ?? 0) }.count
        if Self.orthonormalityError(jacobi.u, columns: jacobi.s.indices.filter { jacobi.s[$0] > 1e-12 * (jacobi.s.max() ?? 0) }) <= 1e-9,
           significant > 0, Self.orthonormalityError(jacobi.v, columns: Array(0..<jacobi.v.columns)) <= 1e-9,
           Self.reconstructionError(a, jacobi.u, jacobi.s, jacobi.v) <= 1e-10 * (a.storage.map(abs).max() ?? 0) {
            (u, singularValues, v) = (jacobi.u, jacobi.s, jacobi.v)
        } else {
            let ub = try GSLMatrixOwner(a)
            let vb = try GSLMatrixOwner(rows: a.columns, columns: a.columns)
            let sb = try GSLVectorOwner(count: a.columns)
            let work = try GSLVectorOwner(count: a.columns)
            try GSLRuntime.check(gsl_linalg_SV_decomp(ub.pointer, vb.pointer, sb.pointer, work.pointer), "gsl_linalg_SV_decomp")
            (u, singularValues, v) = (ub.matrix, sb.array, vb.matrix)
        }
    }

    /// From this many columns on, the one-sided Jacobi SVD is LAPACK's `dgesvj` (OpenBLAS): the
    /// same algorithm with de Rijk's pivoting and blocked rotations, about ten times faster than
    /// GSL's on the 200–500-column triangular factors of molecular Taylor fits, and as accurate
    /// (small singular values to high relative accuracy). Smaller matrices keep GSL's, so their
    /// results are unchanged to the last bit.
    static let lapackColumnCount = 100

    /// U, Σ (non-increasing) and V of an m × n matrix (m ≥ n) by `dgesvj` (JOBA = 'G', U and V
    /// computed); nil when LAPACK reports a failure or a scaled result (SCALE ≠ 1 happens only
    /// for singular values near the overflow or underflow limits), so that GSL takes over.
    static func lapackJacobi(_ a: Matrix) -> (u: Matrix, s: [Double], v: Matrix)? {
        _ = GSLRuntime.errorHandlerDisabled
        var m = Int32(a.rows), n = Int32(a.columns)
        var columnMajor = [Double](repeating: 0, count: a.rows * a.columns)
        for i in 0..<a.rows { for j in 0..<a.columns { columnMajor[j * a.rows + i] = a[i, j] } }
        var sva = [Double](repeating: 0, count: a.columns)
        var v = [Double](repeating: 0, count: a.columns * a.columns)
        var lwork = Int32(max(6, a.rows + a.columns))
        var work = [Double](repeating: 0, count: Int(lwork))
        var info: Int32 = 0
        var lda = m, mv = Int32(0), ldv = n
        dgesvj_("G", "U", "V", &m, &n, &columnMajor, &lda, &sva, &mv, &v, &ldv, &work, &lwork, &info, 1, 1, 1)
        guard info == 0, work[0] == 1 else { return nil }
        var order = Array(0..<a.columns)
        order.sort { (sva[$0], -$0) > (sva[$1], -$1) }
        var u = Matrix(rows: a.rows, columns: a.columns), vm = Matrix(rows: a.columns, columns: a.columns)
        for (k, source) in order.enumerated() {
            for i in 0..<a.rows { u[i, k] = columnMajor[source * a.rows + i] }
            for i in 0..<a.columns { vm[i, k] = v[source * a.columns + i] }
        }
        return (u, order.map { sva[$0] }, vm)
    }

    /// max |QᵀQ − I| over the given columns of Q.
    static func orthonormalityError(_ q: Matrix, columns: [Int]) -> Double {
        var worst = 0.0
        for (ci, i) in columns.enumerated() {
            for j in columns[ci...] {
                var x = 0.0
                for r in 0..<q.rows { x += q[r, i] * q[r, j] }
                worst = max(worst, abs(x - (i == j ? 1 : 0)))
            }
        }
        return worst
    }

    /// max_ij |A − U diag(s) Vᵀ|_ij.
    static func reconstructionError(_ a: Matrix, _ u: Matrix, _ s: [Double], _ v: Matrix) -> Double {
        var worst = 0.0
        for i in 0..<a.rows {
            for j in 0..<a.columns {
                var x = 0.0
                for k in 0..<s.count { x += u[i, k] * s[k] * v[j, k] }
                worst = max(worst, abs(a[i, j] - x))
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

    /// The upper-triangular R with A = RᵀR (the transpose of GSL's lower factor), or an error
    /// when A is not numerically positive definite.
    public static func upperFactor(_ a: Matrix) throws -> Matrix {
        let c = try CholeskyFactorization(a)
        let n = c.dimension
        let l = c.factor.matrix
        var r = Matrix(rows: n, columns: n)
        for i in 0..<n { for j in i..<n { r[i, j] = l[j, i] } }
        return r
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
